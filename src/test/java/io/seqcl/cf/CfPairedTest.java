package io.seqcl.cf;

import io.seqcl.experiment.Stats;
import io.seqcl.train.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-user CF metric values and the paired tests built on them (issue 12 item 4). */
class CfPairedTest {

    private static double lg(int rank) {
        return 1 / (Math.log(rank + 1) / Math.log(2));
    }

    @Test
    void perUserValuesAreTheHandComputedOnesAndAverageToTheMetrics() {
        // user 0: train {0}, valid {2}, test_id {3, 6}; user 1: train {7}, valid {1}, test_id {5}; scores 7 - item
        Map<String, int[][]> s = new LinkedHashMap<>();
        s.put(CfDataset.VALID, new int[][] {{2}, {1}});
        s.put("test_id", new int[][] {{3, 6}, {5}});
        CfDataset d = new CfDataset("eval", "test", 2, 8, new int[][] {{0}, {7}}, s, Map.of());
        CfEvaluator.Scorer desc = (u, out) -> {
            for (int i = 0; i < out.length; i++) {
                out[i] = 7 - i;
            }
        };
        // user 0 candidates 1 3 4 5 6 (0 train, 2 valid): item 3 at rank 2, item 6 at rank 5 -> top-3 hit 3 only
        // user 1 candidates 0 2 3 4 5 6: item 5 at rank 5 -> no hit at 3
        CfEvaluator.PerUser pu = CfEvaluator.evaluatePerUser(d, "test_id", 3, desc);
        assertArrayEquals(new int[] {0, 1}, pu.users());
        assertArrayEquals(new double[] {0.5, 0}, pu.recall(), 1e-12);
        assertArrayEquals(new double[] {1, 0}, pu.hr(), 1e-12);
        assertArrayEquals(new double[] {lg(2) / (lg(1) + lg(2)), 0}, pu.ndcg(), 1e-12);
        Map<CfEvaluator.Metric, Double> m = CfEvaluator.evaluate(d, "test_id", 3, desc);
        assertEquals(0.25, m.get(CfEvaluator.Metric.RECALL), 1e-12);
        assertEquals(pu.means(), m);
    }

    /** A long metrics table and a per-user table for models A and B over seeds 1-3, 4 users each. */
    private static Table[] tables() {
        StringColumn ds = StringColumn.create("dataset");
        StringColumn model = StringColumn.create("model");
        StringColumn split = StringColumn.create("split");
        StringColumn metric = StringColumn.create("metric");
        DoubleColumn value = DoubleColumn.create("value");
        IntColumn seed = IntColumn.create("seed");
        StringColumn uds = StringColumn.create("dataset");
        StringColumn um = StringColumn.create("model");
        StringColumn us = StringColumn.create("split");
        IntColumn uu = IntColumn.create("user");
        DoubleColumn ur = DoubleColumn.create("Recall@20");
        IntColumn useed = IntColumn.create("seed");
        double[][] a = {{0.5, 0.25, 1, 0}, {0.5, 0.5, 0.75, 0}, {1, 0.25, 0.5, 0.25}};
        double[][] b = {{0.25, 0.25, 0.5, 0}, {0.5, 0, 0.5, 0.25}, {0.5, 0.25, 0.5, 0}};
        for (int sd = 0; sd < 3; sd++) {
            for (String mo : List.of("A", "B")) {
                double[] v = mo.equals("A") ? a[sd] : b[sd];
                ds.append("x");
                model.append(mo);
                split.append("test_id");
                metric.append("Recall@20");
                value.append(java.util.Arrays.stream(v).average().orElseThrow());
                seed.append(sd + 1);
                for (int u = 0; u < 4; u++) {
                    uds.append("x");
                    um.append(mo);
                    us.append("test_id");
                    uu.append(u);
                    ur.append(v[u]);
                    useed.append(sd + 1);
                }
            }
        }
        return new Table[] {Table.create("m", ds, model, split, metric, value, seed),
            Table.create("u", uds, um, us, uu, ur, useed)};
    }

    @Test
    void pairedTableHasTheKnownStatisticsOverSeedsAndUsers() {
        Table[] t = tables();
        Table p = CfPaired.table(t[0], t[1], "A", "B", List.of("test_id"), List.of("Recall@20"));
        assertEquals(2, p.rowCount());
        assertEquals("seeds", p.stringColumn("over").get(0));
        assertEquals("users", p.stringColumn("over").get(1));
        // per-seed means A = 7/16, 7/16, 8/16; B = 4/16, 5/16, 5/16 -> differences (3, 2, 3)/16: mean 1/6,
        // sd 1/(16 sqrt 3), t = (1/6) / (1/48) = 8 with 2 df; the two-sided p of t with 2 df is 1 - t / sqrt(2 + t^2)
        assertEquals(3, p.intColumn("n").get(0));
        assertEquals(22.0 / 48, p.doubleColumn("mean A").get(0), 1e-12);
        assertEquals(14.0 / 48, p.doubleColumn("mean B").get(0), 1e-12);
        assertEquals(8.0, p.doubleColumn("t").get(0), 1e-9);
        assertEquals(1 - 8 / Math.sqrt(66), p.doubleColumn("p (paired t)").get(0), 1e-9);
        assertEquals(Math.round(1000 * (22.0 - 14) / 14) / 10.0, p.doubleColumn("relative %").get(0), 1e-12);
        // users: 12 pairs, differences 0.25 0 0.5 0 | 0 0.5 0.25 -0.25 | 0.5 0 0 0.25 -> as Stats.paired computes
        double[] da = {0.5, 0.25, 1, 0, 0.5, 0.5, 0.75, 0, 1, 0.25, 0.5, 0.25};
        double[] db = {0.25, 0.25, 0.5, 0, 0.5, 0, 0.5, 0.25, 0.5, 0.25, 0.5, 0};
        Stats.Paired ref = Stats.paired(da, db);
        assertEquals(12, p.intColumn("n").get(1));
        assertEquals(ref.pT(), p.doubleColumn("p (paired t)").get(1), 1e-12);
        assertEquals(ref.pWilcoxon(), p.doubleColumn("p (Wilcoxon)").get(1), 1e-12);
        // 7 non-zero differences: +0.25 +0.5 | +0.5 +0.25 -0.25 | +0.5 +0.25 -> |d| ranks: 0.25 x4 -> 2.5,
        // 0.5 x3 -> 6; W+ = 3 * 2.5 + 3 * 6 = 25.5; mean 7*8/4 = 14, var 7*8*15/24 - ((64-4) + (27-3))/48 = 33.25
        double z = (25.5 - 14) / Math.sqrt(33.25);
        double pw = 2 * new org.apache.commons.math3.distribution.NormalDistribution().cumulativeProbability(-z);
        assertEquals(pw, p.doubleColumn("p (Wilcoxon)").get(1), 1e-12);
        assertEquals(Math.round(1000 * ref.relative()) / 10.0, p.doubleColumn("relative %").get(1), 1e-12);
    }

    @Test
    void seedsWithoutPerUserValuesTakePartOverSeedsOnly() {
        Table[] t = tables();
        Table onlySeed1 = t[1].where(t[1].intColumn("seed").isEqualTo(1));
        Table p = CfPaired.table(t[0], onlySeed1, "A", "B", List.of("test_id"), List.of("Recall@20"));
        assertEquals(4, p.intColumn("n").get(1));
        assertTrue(p.name().contains("users pooled over seeds [1]"), p.name());
        Table none = CfPaired.table(t[0], null, "A", "B", List.of("test_id"), List.of("Recall@20"));
        assertEquals(1, none.rowCount());
        assertTrue(none.name().contains("no per-user values"), none.name());
    }

    @Test
    void experimentFileWritesPerUserValuesAndSeedsPairedAgainstTheFirstTrainedModel(@TempDir Path tmp)
            throws Exception {
        Path file = tmp.resolve("cf.yaml");
        Files.writeString(file, String.join("\n", "kind: cf", "name: paired", "datasets: [synthetic]",
                "budget: quick", "maxEpochs: 2", "seeds: [3, 4]", "models: [Pop, MF+InfoNCE, MF+InfoNCE×k]", ""));
        CfExperimentFile exp = CfExperimentFile.read(file);
        Path out = tmp.resolve("out");
        // seed 3 first, then both seeds: seed 3 is read back from per-user.csv and appended to seed 4's fresh table
        exp.withSeeds(List.of(3L)).runAll(out, false, ProgressListener.NONE);
        CfExperimentFile.Outcome o = exp.runAll(out, true, ProgressListener.NONE);
        assertEquals(2, o.perUser().intColumn("seed").unique().size());
        Path pu = out.resolve("synthetic/seed-3/" + CfExperimentFile.PER_USER_FILE);
        assertTrue(Files.isRegularFile(pu));
        // the per-user values average to the recorded metric of every model and test split (6 decimals written)
        CfExperimentFile.Outcome back = exp.runAll(out, true, ProgressListener.NONE);
        Table u = back.perUser();
        Table m = back.metrics();
        for (int r = 0; r < m.rowCount(); r++) {
            String split = m.stringColumn("split").get(r);
            if (split.equals(CfDataset.VALID)) {
                continue;
            }
            String model = m.stringColumn("model").get(r);
            int seed = ((Number) m.column("seed").get(r)).intValue();
            String metric = m.stringColumn("metric").get(r);
            Table sel = u.where(u.stringColumn("model").isEqualTo(model).and(u.stringColumn("split").isEqualTo(split))
                    .and(u.intColumn("seed").isEqualTo(seed)));
            assertTrue(sel.rowCount() > 0);
            assertEquals(m.doubleColumn("value").get(r), sel.numberColumn(metric).mean(), 1e-6, model + " " + split);
        }
        String csv = exp.pairedCsv(back, "synthetic");
        assertTrue(csv.startsWith("# MF+InfoNCE×k (A) vs MF+InfoNCE (B), seeds [3, 4], users pooled over seeds [3, 4]"),
                csv);
        Table t = CfPaired.table(m, u, "MF+InfoNCE×k", "MF+InfoNCE", List.of("test_id"), List.of("NDCG@20"));
        Table mu = m.where(m.stringColumn("split").isEqualTo("test_id").and(m.stringColumn("metric")
                .isEqualTo("NDCG@20")));
        double a = mu.where(mu.stringColumn("model").isEqualTo("MF+InfoNCE×k")).doubleColumn("value").mean();
        double b = mu.where(mu.stringColumn("model").isEqualTo("MF+InfoNCE")).doubleColumn("value").mean();
        assertEquals(a, t.doubleColumn("mean A").get(0), 1e-12);
        assertEquals(b, t.doubleColumn("mean B").get(0), 1e-12);
        assertTrue(csv.contains("test_id,NDCG@20,users,"), csv);
    }
}
