package io.seqcl.optim;

import ai.djl.ndarray.NDArray;
import io.seqcl.TestData;
import io.seqcl.data.SequenceDataset;
import io.seqcl.model.CL4SRec;
import io.seqcl.model.CL4SRecConfig;
import io.seqcl.model.InputSpec;
import io.seqcl.model.SASRec;
import io.seqcl.model.SASRecConfig;
import io.seqcl.nn.Devices;
import io.seqcl.nn.Params;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.TrainingSamples;
import io.seqcl.train.ProgressListener;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.TrainResult;
import io.seqcl.train.Trainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ShardedStep}: the batch's loss and gradients from row ranges trained on several threads at once. */
class ShardedStepTest {

    private static final SequenceDataset DATA = TestData.smallSynthetic();
    private static final LeaveOneOutSplit SPLIT = LeaveOneOutSplit.of(DATA);

    private static Map<String, float[]> gradients(Params p) {
        Map<String, float[]> g = new LinkedHashMap<>();
        for (String n : p.names()) {
            try (NDArray a = p.get(n).getGradient()) {
                g.put(n, a.toFloatArray());
            }
        }
        return g;
    }

    private static Batch batch(SASRec m, int size) {
        InputSpec in = m.inputSpec();
        return new TrainingSamples(SPLIT, in.sampleMode(), in.maxLen(), in.padding())
                .epoch(size, new SplittableRandom(3), in.needsNegatives()).get(0);
    }

    /**
     * With dropout off, the sharded loss and every parameter's gradient equal those of the whole batch (relative
     * 1e-5), for the full-softmax loss on prefix samples and the sampled BCE on all-positions samples (whose shards
     * hold different numbers of target slots), with 2 and 3 shards of a batch of 61 rows.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void withoutDropoutShardsGiveTheWholeBatchsLossAndGradients(int shards) {
        Devices.noGradOnThisThread();
        for (SASRecConfig c : List.of(SASRecConfig.defaults(), SASRecConfig.bceAllPositions())) {
            c = c.withMaxLen(12).withWidth(16).withDropout(0.0);
            try (SASRec m = new SASRec(DATA.numItems(), c, 7)) {
                Batch b = batch(m, 61);
                m.params().zeroGradients();
                double whole = SingleLossStep.backward("whole", m::loss, b, new StepContext(1, 1,
                        new SplittableRandom(1)), 1e9);
                Map<String, float[]> g1 = gradients(m.params());
                m.params().zeroGradients();
                ShardedStep s = new ShardedStep("sharded", m.params(), m::loss, new OptimConfig(1e-3, 0.9, 0.999, 0,
                        1e9), shards);
                double sharded = s.backward(b, new StepContext(1, 1, new SplittableRandom(1)));
                Map<String, float[]> g2 = gradients(m.params());
                m.params().zeroGradients();
                assertEquals(whole, sharded, 1e-5 * Math.abs(whole), c.loss() + " loss");
                for (String n : g1.keySet()) {
                    double diff = 0;
                    double norm = 0;
                    for (int i = 0; i < g1.get(n).length; i++) {
                        diff += Math.pow(g1.get(n)[i] - g2.get(n)[i], 2);
                        norm += Math.pow(g1.get(n)[i], 2);
                    }
                    assertTrue(norm > 0, "no gradient reaches " + n);
                    // 1e-9 absolute: the key biases' gradient is zero in exact arithmetic (softmax ignores a
                    // constant per query), about 1e-13 here
                    assertTrue(Math.sqrt(diff) <= 1e-5 * Math.sqrt(norm) + 1e-9, c.loss() + " " + n + ": |g1 - g2| "
                            + Math.sqrt(diff) + " against |g1| " + Math.sqrt(norm));
                }
            }
        }
    }

    /** With dropout on, a sharded run repeats exactly with the same seed, differs with another, and still learns. */
    @Test
    void withDropoutASeedGivesTheSameRunTwiceAndTheModelLearns() {
        SASRecConfig c = SASRecConfig.defaults().withMaxLen(12).withWidth(16).withDropout(0.2);
        TrainConfig tc = TrainConfig.defaults().withEpochs(3).withMaxStepsPerEpoch(6).withBatchSize(64).withShards(2);
        String[] runs = new String[3];
        double[] ndcg = new double[3];
        for (int r = 0; r < 3; r++) {
            try (SASRec m = new SASRec(DATA.numItems(), c, 5)) {
                TrainResult res = new Trainer(r == 2 ? tc.withSeed(99) : tc).fit(m, SPLIT, ProgressListener.NONE);
                runs[r] = res.metrics().print(1000) + res.curve().column("loss").print();
                ndcg[r] = res.valid().value("NDCG@10");
            }
        }
        assertEquals(runs[0], runs[1], "same seed, same shards: the same run");
        assertNotEquals(runs[0], runs[2], "another seed draws other masks");
        try (io.seqcl.model.Pop pop = new io.seqcl.model.Pop(DATA.numItems())) {
            double popNdcg = new Trainer(tc.withEpochs(0)).fit(pop, SPLIT, ProgressListener.NONE).valid()
                    .value("NDCG@10");
            assertTrue(ndcg[0] > 1.3 * popNdcg, "sharded SASRec learns: " + ndcg[0] + " against Pop " + popNdcg);
        }
    }

    @Test
    void aModelWhoseLossCouplesRowsIsRefusedNamingTheSetting() {
        try (CL4SRec m = new CL4SRec(DATA.numItems(), CL4SRecConfig.defaults().withMaxLen(10).withWidth(16), 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Trainer.newStep(m, TrainConfig.defaults().withShards(2)));
            assertTrue(e.getMessage().contains("train.shards=2") && e.getMessage().contains("CL4SRec"),
                    e.getMessage());
        }
        // refused before the model's preparation work (S3-Rec's pre-training)
        try (io.seqcl.model.S3Rec m = new io.seqcl.model.S3Rec(DATA.numItems(), io.seqcl.model.S3RecConfig.defaults()
                .withMaxLen(10).withWidth(16).withShortPretraining(2, 5), 1)) {
            assertThrows(IllegalArgumentException.class, () -> new Trainer(TrainConfig.defaults().withShards(2)
                    .withEpochs(1)).fit(m, SPLIT, ProgressListener.NONE));
            assertEquals(0, m.pretrainLosses().size(), "no pre-training before the refusal");
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.defaults().withShards(0));
        assertTrue(bad.getMessage().contains("shards"), bad.getMessage());
        assertTrue(!TrainConfig.defaults().toString().contains("shards"), "the default reads as before");
        assertTrue(TrainConfig.defaults().withShards(2).toString().contains("shards=2"));
        // from an experiment file's train settings (seqcl run --set train.shards=2)
        io.seqcl.experiment.ExperimentFile exp = new io.seqcl.experiment.ExperimentFile("s", List.of("synthetic"),
                io.seqcl.experiment.PaperSettings.Paper.MCLREC, io.seqcl.experiment.Budget.QUICK, List.of(5L),
                io.seqcl.experiment.ExperimentFile.setsToObject(List.of("shards=2")),
                List.of(new io.seqcl.experiment.ExperimentFile.Model("sasrec", null, null, null)), null);
        assertEquals(2, exp.trainConfig(5).shards());
        // an experiment with a model that cannot be sharded fails before its first model (Pop, SASRec) trains
        io.seqcl.experiment.ExperimentFile mixed = new io.seqcl.experiment.ExperimentFile("s", List.of("synthetic"),
                io.seqcl.experiment.PaperSettings.Paper.MCLREC, io.seqcl.experiment.Budget.QUICK, List.of(5L),
                io.seqcl.experiment.ExperimentFile.setsToObject(List.of("shards=2", "epochs=1")),
                List.of(new io.seqcl.experiment.ExperimentFile.Model("pop", null, null, null),
                        new io.seqcl.experiment.ExperimentFile.Model("sasrec", null, null, null),
                        new io.seqcl.experiment.ExperimentFile.Model("cl4srec", null, null, null)), null);
        int[] epochs = new int[1];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> io.seqcl.experiment.Experiments.run(mixed, null, false, new ProgressListener() {
                    @Override
                    public void onEpochEnd(io.seqcl.train.EpochReport report) {
                        epochs[0]++;
                    }
                }));
        assertTrue(e.getMessage().contains("CL4SRec"), e.getMessage());
        assertEquals(0, epochs[0], "nothing trained before the refusal");
    }
}
