package io.seqcl.experiment;

import io.seqcl.TestData;
import io.seqcl.eval.EvalResult;
import io.seqcl.eval.MetricKey;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.TrainResult;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Comparison#versusPop}: values, relative difference, paired test and verdict on hand-made ranks. */
class VersusPopTest {

    private static final int[] KS = {5, 10, 20};

    private static TrainResult result(String name, int[] ranks) {
        int[] users = new int[ranks.length];
        for (int i = 0; i < users.length; i++) {
            users[i] = i;
        }
        EvalResult e = new EvalResult("test", users, ranks, KS);
        return new TrainResult(name, 1, 1, false, e, e, Table.create("c"), 1.0);
    }

    private static int[] ranks(int n, int hitsAtOne) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i < hitsAtOne ? 1 : 500;
        }
        return r;
    }

    private static RunResult run(TrainResult... rs) {
        List<ModelSpec> specs = new java.util.ArrayList<>();
        for (TrainResult r : rs) {
            specs.add(ModelSpec.pop().named(r.model()));
        }
        return new RunResult(new ExperimentSpec("x", specs, TrainConfig.defaults()), List.of(rs),
                Provenance.start(TestData.tiny(), 1));
    }

    @Test
    void verdictsFollowTheValuesAndThePairedTest() {
        // 200 users; Pop hits 10 at rank 1 (NDCG@10 = 0.05); "Clear" hits 40 (0.2: 30 more users, W-test p << 0.05);
        // "Close" hits 11 (one more user: p about 0.32); "Below" hits 5
        TrainResult pop = result("Pop", ranks(200, 10));
        RunResult r = run(pop, result("Clear", ranks(200, 40)), result("Close", ranks(200, 11)),
                result("Below", ranks(200, 5)));
        Table t = Comparison.versusPop(r, MetricKey.parse("NDCG@10"));
        assertEquals(3, t.rowCount(), "Pop itself is not a row");
        assertEquals(List.of("Clear", "Close", "Below"), t.stringColumn("model").asList());
        assertEquals(0.2, t.doubleColumn("ours").get(0));
        assertEquals(0.05, t.doubleColumn("pop").get(0));
        assertEquals(300.0, t.doubleColumn("diff_pct").get(0));
        assertEquals("beats Pop", t.stringColumn("verdict").get(0));
        assertTrue(t.doubleColumn("p_wilcoxon").get(0) < 1e-6);
        assertEquals("above Pop, within noise", t.stringColumn("verdict").get(1));
        // one non-zero difference: z = 1, two-sided p = 0.3173
        assertEquals(0.3173, t.doubleColumn("p_wilcoxon").get(1), 1e-4);
        assertEquals("at or below Pop", t.stringColumn("verdict").get(2));
        assertEquals(-50.0, t.doubleColumn("diff_pct").get(2));
        assertFalse(Comparison.allBeatPop(run(pop, result("Clear", ranks(200, 40)), result("Close", ranks(200, 11)))));
        assertTrue(Comparison.allBeatPop(run(pop, result("Clear", ranks(200, 40)))));
    }

    @Test
    void theDefaultMetricIsTheRunsMonitorAndPopIsRequired() {
        RunResult r = run(result("Pop", ranks(50, 5)), result("M", ranks(50, 20)));
        Table t = Comparison.versusPop(r);
        assertEquals(TrainConfig.defaults().monitor().toString(), t.stringColumn("metric").get(0));
        assertTrue(t.name().contains("against Pop"), t.name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Comparison.versusPop(run(result("A", ranks(50, 5)), result("B", ranks(50, 6)))));
        assertTrue(e.getMessage().contains("no model named Pop"), e.getMessage());
    }
}
