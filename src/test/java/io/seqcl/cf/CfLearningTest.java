package io.seqcl.cf;

import io.seqcl.experiment.Budget;
import io.seqcl.train.ProgressListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MF and LightGCN with each loss learn the cluster structure of the synthetic CF data clearly better than Pop. */
class CfLearningTest {

    private static CfDataset data;
    private static CfResult result;

    static List<CfModelSpec> specs() {
        List<CfModelSpec> out = new ArrayList<>();
        for (CfModelSpec s : CfModelSpec.paperComparison()) {
            out.add(s.pop() ? s : s.with(s.name(), c -> CfTestData.fast(c.backbone(), c.loss())));
        }
        out.add(CfModelSpec.of(CfConfig.Backbone.MF, CfConfig.Loss.ADV_INFONCE).with("MF+AdvInfoNCE(MLP)",
                c -> CfTestData.fast(c.backbone(), c.loss()).withHardness(CfConfig.Hardness.MLP)));
        return out;
    }

    @BeforeAll
    static void train() {
        data = CfTestData.synthetic();
        long t = System.nanoTime();
        result = CfExperiment.run(data, specs(), Budget.QUICK, 7, ProgressListener.NONE);
        System.out.printf("synthetic CF: %.1f s%n%s%n", (System.nanoTime() - t) / 1e9,
                io.seqcl.notebook.Tables.text(result.summary("test_id"), 20));
    }

    @Test
    void everyBackboneAndLossBeatsPopClearly() {
        double pop = result.run("Pop").value("test_id", CfEvaluator.Metric.RECALL);
        for (CfResult.Run r : result.runs()) {
            if (r.spec().pop()) {
                continue;
            }
            double rec = r.value("test_id", CfEvaluator.Metric.RECALL);
            assertTrue(rec > 1.5 * pop, r.spec().name() + " Recall@20 " + rec + " vs Pop " + pop);
            assertTrue(r.value("test_id", CfEvaluator.Metric.NDCG)
                    > 1.5 * result.run("Pop").value("test_id", CfEvaluator.Metric.NDCG), r.spec().name());
        }
    }

    @Test
    void advInfoNceRunsItsAdversarialScheduleAndLogsKl() {
        CfResult.Run adv = result.run("LightGCN+AdvInfoNCE");
        // 12 epochs, interval 3, offset 3: phases at epochs 3, 6, 9 (0-based), capped by eta 3
        assertEquals(3, adv.training().adversarialPasses());
        long phases = adv.training().curve().stream().filter(CfTrainer.EpochRow::adversarial).count();
        assertEquals(3, phases);
        assertTrue(adv.training().curve().get(adv.training().curve().size() - 1).kl() > 0);
        assertEquals(0.0, result.run("LightGCN+InfoNCE×k").training().curve().get(5).kl());
        Table kl = result.klCurves();
        assertEquals(36, kl.rowCount());
        assertFalse(adv.hardness().isEmpty());
        assertTrue(adv.hardness().stream().anyMatch(CfResult.HardnessRow::laterPositive));
        Table hs = result.hardnessSummary();
        assertEquals(6, hs.rowCount());
        Table cmp = result.comparison();
        assertEquals(2 * 2 * 2, cmp.rowCount());
        // the paper's headline gains come from the paper-number table, by metric
        for (int i = 0; i < cmp.rowCount(); i++) {
            boolean recall = cmp.stringColumn("metric").get(i).startsWith("Recall");
            assertEquals(recall ? 0.2190 : 0.2414, cmp.doubleColumn("paper: Adv vs InfoNCE (up to)").get(i));
        }
        assertEquals(8, result.summary("test_ood").rowCount());
        CfResult.Run mlp = result.run("MF+AdvInfoNCE(MLP)");
        assertTrue(mlp.config().toString().contains("hardness=MLP, hardnessDim=4"), mlp.config().toString());
        assertFalse(mlp.hardness().isEmpty());
        assertTrue(result.provenance().get("config.LightGCN+AdvInfoNCE").contains("ADV_INFONCE"));
        assertTrue(result.provenance().get("dataset.counts").contains("train 5600"));
    }

    @Test
    void sameSeedSameNumbersOtherSeedOtherNumbers() {
        List<CfModelSpec> two = List.of(specs().get(3), specs().get(6));
        CfResult a = CfExperiment.run(data, two, Budget.QUICK, 7, ProgressListener.NONE);
        Table m = result.metrics();
        Table ma = a.metrics();
        for (int i = 0; i < ma.rowCount(); i++) {
            String model = ma.stringColumn("model").get(i);
            String split = ma.stringColumn("split").get(i);
            String metric = ma.stringColumn("metric").get(i);
            Table row = m.where(m.stringColumn("model").isEqualTo(model).and(m.stringColumn("split").isEqualTo(split))
                    .and(m.stringColumn("metric").isEqualTo(metric)));
            assertEquals(row.doubleColumn("value").get(0), ma.doubleColumn("value").get(i), 0.0,
                    model + " " + split + " " + metric);
        }
        CfResult b = CfExperiment.run(data, two, Budget.QUICK, 8, ProgressListener.NONE);
        assertNotEquals(ma.doubleColumn("value").asList(), b.metrics().doubleColumn("value").asList());
    }
}
