package io.seqcl.experiment;

import io.seqcl.eval.EvalResult;
import io.seqcl.eval.MetricKey;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-checked numbers of {@link Stats}; the reference values were computed by hand and confirmed with
 * scipy 1.17 ({@code stats.t.ppf}, {@code stats.ttest_rel}, {@code stats.wilcoxon(zero_method="wilcox",
 * correction=False, method="approx")}).
 */
class StatsTest {

    @Test
    void meanWithStudentTInterval() {
        // mean 3, sd sqrt(2.5), t(0.975, 4) = 2.776445: half-width 2.776445 * 1.581139 / sqrt(5) = 1.963243
        Stats.Summary s = Stats.meanCI95(new double[] {1, 2, 3, 4, 5});
        assertEquals(3.0, s.mean(), 1e-12);
        assertEquals(Math.sqrt(2.5), s.sd(), 1e-12);
        assertEquals(1.9632431614775572, s.halfWidth(), 1e-9);
        assertEquals("3.0000 ± 1.9632", s.toString());
        assertEquals(1.036757, s.lower(), 1e-6);
        Stats.Summary one = Stats.meanCI95(new double[] {0.25});
        assertTrue(Double.isNaN(one.halfWidth()));
        assertEquals("0.2500", one.toString());
        assertThrows(IllegalArgumentException.class, () -> Stats.meanCI(new double[] {1, 2}, 1.0));
    }

    @Test
    void pairedTTest() {
        // d = 1, 2, 2, 3: mean 2, sd sqrt(2/3), t = 2 / (0.8165 / 2) = 4.898979, df 3, p = 0.016277
        Stats.Paired p = Stats.paired(new double[] {1, 2, 3, 4}, new double[] {0, 0, 1, 1});
        assertEquals(4.898979485566356, p.t(), 1e-9);
        assertEquals(0.016276603459428555, p.pT(), 1e-9);
        assertEquals(2.0, p.diff().mean(), 1e-12);
        assertEquals(2.5, p.meanA(), 1e-12);
        assertEquals(4, p.n());
    }

    @Test
    void wilcoxonDropsZerosAndAveragesTiedRanks() {
        // d = 1, 0, 3, -1, 4, 0, 3, -1: non-zero |d| 1,1,1,3,3,4 -> ranks 2,2,2,4.5,4.5,6; W+ = 2+4.5+6+4.5 = 17;
        // mean 6*7/4 = 10.5; var 6*7*13/24 - ((27-3)+(8-2))/48 = 22.125; z = 6.5/sqrt(22.125); p = 0.167007
        double[] a = {5, 2, 9, 4, 7, 3, 8, 1};
        double[] b = {4, 2, 6, 5, 3, 3, 5, 2};
        Stats.Paired p = Stats.paired(a, b);
        assertEquals(6, p.nonZero());
        assertEquals(17.0, p.wPlus(), 1e-12);
        assertEquals(0.16700719585656576, p.pWilcoxon(), 1e-9);
        assertEquals(1.6239486760133715, p.t(), 1e-9);
        assertEquals(0.14841540201665543, p.pT(), 1e-9);
        assertEquals(1.6381073628339091, p.diff().halfWidth(), 1e-9);
        Stats.Paired same = Stats.paired(new double[] {1, 2, 3}, new double[] {1, 2, 3});
        assertTrue(Double.isNaN(same.pWilcoxon()) && Double.isNaN(same.pT()));
        assertThrows(IllegalArgumentException.class, () -> Stats.paired(new double[] {1, 2}, new double[] {1}));
    }

    @Test
    void perUserValuesArePairedByUserId() {
        // users 7, 3, 5 in A; 5, 7 in B (3 missing): HR@1 of ranks A (1, 2, 1), B (3, 1) -> pairs (7: 1 vs 1),
        // (5: 1 vs 0)
        EvalResult a = new EvalResult("test", new int[] {7, 3, 5}, new int[] {1, 2, 1}, new int[] {1});
        EvalResult b = new EvalResult("test", new int[] {5, 7}, new int[] {3, 1}, new int[] {1});
        double[][] v = Stats.perUser(a, b, MetricKey.parse("HR@1"));
        assertArrayEquals(new double[] {1, 1}, v[0]);
        assertArrayEquals(new double[] {1, 0}, v[1]);
    }

    @Test
    void seedTableAndPairedTestFromALongMetricsTable() {
        StringColumn model = StringColumn.create("model");
        StringColumn split = StringColumn.create("split");
        StringColumn metric = StringColumn.create("metric");
        DoubleColumn value = DoubleColumn.create("value");
        IntColumn seed = IntColumn.create("seed");
        double[] x = {1, 2, 3, 4, 5};
        double[] y = {0.5, 1.5, 2, 3, 4};
        for (int i = 0; i < 5; i++) {
            model.append("A").append("B");
            split.append("test").append("test");
            metric.append("Recall@20").append("Recall@20");
            value.append(x[i]).append(y[i]);
            seed.append(100 + i).append(100 + i);
        }
        Table t = Table.create("m", model, split, metric, value, seed);
        Table s = Stats.seedTable(t, "test", "title");
        assertEquals("3.0000 ± 1.9632", s.stringColumn("Recall@20").get(0));
        assertEquals(5, s.intColumn("seeds").get(0));
        assertEquals(3.0, s.doubleColumn("Recall@20 mean").get(0), 1e-12);
        Stats.Paired p = Stats.pairedOverSeeds(t, "A", "B", "test", "Recall@20");
        // d = 0.5, 0.5, 1, 1, 1: mean 0.8
        assertEquals(0.8, p.diff().mean(), 1e-12);
        assertEquals(5, p.n());
        assertEquals((3.0 - 2.2) / 2.2, p.relative(), 1e-12);
    }

    @Test
    void pValuesPrintWithFourSignificantDigitsOrAsPowersOfTen() {
        assertEquals("0.002064", Stats.formatP(0.0020643163013411123));
        assertEquals("0.1088", Stats.formatP(0.1088094300405461));
        assertEquals("1.40e-317", Stats.formatP(1.401265E-317));
        assertEquals("0.000", Stats.formatP(0.0));
        assertEquals("", Stats.formatP(Double.NaN));
        // in a printed table (console, notebooks) a tiny p is not written out with hundreds of zeros
        double[] a = new double[400];
        double[] b = new double[400];
        for (int i = 0; i < a.length; i++) {
            b[i] = Math.sin(i);
            a[i] = b[i] + 0.05 + 0.01 * Math.cos(3 * i);
        }
        Stats.Paired p = Stats.paired(a, b);
        Stats.PairedColumns cols = new Stats.PairedColumns("mean a", "mean b");
        cols.append("users", p);
        String printed = cols.table("t").print();
        assertTrue(p.pT() < 1e-4, "a clear difference: p " + p.pT());
        assertTrue(printed.contains(Stats.formatP(p.pT())), printed);
        assertTrue(!printed.contains("0.000000000"), printed);
    }
}
