package io.seqcl.experiment;

import io.seqcl.TestData;
import io.seqcl.data.SequenceDataset;
import io.seqcl.loss.InfoNCE;
import io.seqcl.model.MetaSGCLConfig;
import io.seqcl.protocol.NoiseInjection;
import io.seqcl.train.ProgressListener;
import io.seqcl.optim.StepContext;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetaSGCLExperimentsTest {

    private static final SequenceDataset DATA = TestData.smallSynthetic();

    @Test
    void specsHoldThePapersModelsWithTheirSettings() {
        ExperimentSpec ab = MetaSGCLExperiments.ablation(DATA, Budget.QUICK, 1);
        assertEquals(List.of("-clkl", "-cl", "-kl", "Meta-SGCL"), ab.models().stream().map(ModelSpec::name).toList());
        MetaSGCLConfig noCl = (MetaSGCLConfig) ab.models().get(1).config();
        MetaSGCLConfig noKl = (MetaSGCLConfig) ab.models().get(2).config();
        assertEquals(0, noCl.alpha());
        assertEquals(MetaSGCLConfig.MetaLoss.FULL, noCl.metaLoss());
        assertEquals(0, noKl.beta());
        assertEquals(PaperSettings.QUICK_MAX_LEN, noKl.maxLen());
        ExperimentSpec mj = MetaSGCLExperiments.metaVsJoint(DATA, Budget.FULL, 1);
        assertEquals(List.of(MetaSGCLExperiments.META_FULL, MetaSGCLExperiments.META_CL, MetaSGCLExperiments.JOINT),
                mj.models().stream().map(ModelSpec::name).toList());
        MetaSGCLConfig full = (MetaSGCLConfig) mj.models().get(0).config();
        MetaSGCLConfig cl = (MetaSGCLConfig) mj.models().get(1).config();
        assertEquals(MetaSGCLConfig.MetaLoss.FULL, full.metaLoss());
        assertEquals(MetaSGCLConfig.Schedule.META, full.schedule());
        assertEquals(MetaSGCLConfig.MetaLoss.CL, cl.metaLoss());
        assertEquals(MetaSGCLConfig.Schedule.META, cl.schedule());
        assertEquals(full.withMetaLoss(MetaSGCLConfig.MetaLoss.CL), cl, "the two meta rows differ only in L'");
        assertEquals(PaperSettings.metaSGCL(DATA, Budget.FULL), cl,
                "the paper's L' = L_cl is the default (issue 12 item 6)");
        assertEquals(MetaSGCLConfig.Schedule.JOINT, ((MetaSGCLConfig) mj.models().get(2).config()).schedule());
        assertEquals(1000, mj.train().epochs());
        assertEquals(100, mj.train().patience());
        List<String> overall = MetaSGCLExperiments.overall(DATA, Budget.QUICK, 1).models().stream()
                .map(ModelSpec::name).toList();
        assertEquals(List.of("Pop", "BPR-MF", "GRU4Rec", "Caser", "SASRec", "BERT4Rec", "VSAN", "ACVAE", "DuoRec",
                "ContrastVAE", "Meta-SGCL"), overall, "every row of Table II, in its order");
        assertEquals(new java.util.HashSet<>(PaperNumbers.table("metasgcl", "II").stringColumn("model").asList()),
                new java.util.HashSet<>(overall), "the measured rows are the paper's rows");
        assertEquals(0.3, PaperSettings.metaSGCL(DATA.withKey("clothing"), Budget.FULL).beta());
        assertEquals(0.2, PaperSettings.metaSGCL(DATA.subset("toys (quick: 2 users)", new int[] {0, 1}).withKey("toys"), Budget.QUICK).beta());
    }

    @Test
    void sweepSettingsAreThePapersLabels() {
        assertEquals("temperature=0.05", MetaSGCLExperiments.Param.TEMPERATURE.setting(0.05));
        assertEquals("temperature=1", MetaSGCLExperiments.Param.TEMPERATURE.setting(1));
        assertEquals("dropout=0", MetaSGCLExperiments.Param.DROPOUT.setting(0));
        assertEquals("similarity=cos", MetaSGCLExperiments.Param.SIMILARITY.setting(1));
        for (MetaSGCLExperiments.Param p : MetaSGCLExperiments.Param.values()) {
            if (p.paperTable() == null) {
                continue;
            }
            for (double v : p.values(Budget.FULL)) {
                assertTrue(PaperNumbers.value("metasgcl", p.paperTable(), "Toys", p.setting(v), "Meta-SGCL", "HR@5")
                        .isPresent(), p + " " + v);
            }
        }
        MetaSGCLConfig c = MetaSGCLConfig.defaults();
        assertEquals(4, MetaSGCLExperiments.Param.HEADS.apply(c, 4.0).transformer().heads());
        assertEquals(128, MetaSGCLExperiments.Param.HIDDEN.apply(c, 128.0).transformer().hiddenSize());
        assertEquals(InfoNCE.Similarity.COSINE, MetaSGCLExperiments.Param.SIMILARITY.apply(c, 1.0).similarity());
        assertEquals(2, MetaSGCLExperiments.sweep(DATA, Budget.QUICK, 1, MetaSGCLExperiments.Param.BETA)
                .models().size());
    }

    @Test
    void klAnnealingFollowsContrastVAEsScheduleAndTheTrainerCountsSteps() {
        MetaSGCLConfig c = MetaSGCLConfig.defaults().withBeta(0.2);
        assertEquals(0.2, c.betaAt(1));
        MetaSGCLConfig a = c.withKlAnnealSteps(100);
        assertEquals(0.01, a.betaAt(1), 1e-12);
        assertEquals(0.1, a.betaAt(10), 1e-12);
        assertEquals(0.2, a.betaAt(5000), 1e-12);
        assertTrue(a.toString().contains("klAnnealSteps=100"));
        assertEquals(23, new StepContext(3, 3, new SplittableRandom(1), 10).globalStep());
    }

    @Test
    void sweepTableJoinsThePapersNumbersAndNoiseRunsBothModes() {
        SequenceDataset small = PaperSettings.data(DATA, Budget.QUICK, 3, 150);
        assertEquals(150, small.numUsers());
        assertEquals(small.numItems(), DATA.numItems());
        assertEquals(small.toString(), PaperSettings.data(DATA, Budget.QUICK, 3, 150).toString());
        ExperimentSpec spec = new ExperimentSpec("heads", List.of(
                ModelSpec.metasgcl(MetaSGCLConfig.defaults().withMaxLen(10).withWidth(8)).named("heads=2")),
                PaperSettings.sweepTrain(PaperSettings.Paper.METASGCL, Budget.QUICK, 1).withEpochs(1)
                        .withMaxStepsPerEpoch(1));
        RunResult r = Runner.run(small, spec, ProgressListener.NONE);
        Table t = MetaSGCLExperiments.sweepTable(r, MetaSGCLExperiments.Param.HEADS, "toys");
        assertEquals(4, t.rowCount());
        assertEquals(2.0, t.doubleColumn("x").get(0));
        assertEquals(0.0642, t.doubleColumn("paper").get(0));

        List<ModelSpec> models = List.of(ModelSpec.pop());
        Table noise = MetaSGCLExperiments.noise(small, models, spec.train(), NoiseInjection.Mode.TEST_INPUT,
                new double[] {0, 0.5}, ProgressListener.NONE);
        Table ndcg = MetaSGCLExperiments.noiseCurve(noise, "NDCG@10");
        assertEquals(2, ndcg.rowCount());
        assertEquals(List.of(0.0, 0.5), ndcg.doubleColumn("ratio").asList());
        assertEquals("TEST_INPUT", ndcg.stringColumn("mode").get(0));
        double clean = Runner.run(small, new ExperimentSpec("clean", models, spec.train()), ProgressListener.NONE)
                .result("Pop").test().value("NDCG@10");
        assertEquals(clean, ndcg.doubleColumn("value").get(0), 1e-12, "ratio 0 is the clean evaluation");
        Table trainNoise = MetaSGCLExperiments.noise(small, models, spec.train(), NoiseInjection.Mode.TRAIN_HISTORY,
                new double[] {0.5}, ProgressListener.NONE);
        assertNotEquals(clean, MetaSGCLExperiments.noiseCurve(trainNoise, "NDCG@10").doubleColumn("value").get(0),
                "noise in the histories changes Pop's counts and its test metric");
    }
}
