package io.seqcl.experiment;

import io.seqcl.eval.EvalResult;
import io.seqcl.eval.MetricKey;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Multi-seed statistics for result tables: mean with a Student-t confidence interval over seeds, and paired
 * significance tests between two models on the same seeds (paired t-test over the per-seed means) and on the
 * same users (paired t-test and Wilcoxon signed-rank test over the per-user metric values), with commons-math3's
 * t and normal distributions.
 *
 * <p>The Wilcoxon test drops zero differences (Wilcoxon's method; with full ranking most users have equal
 * metric values in both models, e.g. both miss the top 10) and uses the normal approximation with the tie
 * correction of the variance and no continuity correction, as {@code scipy.stats.wilcoxon(zero_method="wilcox",
 * correction=False, method="approx")} does. commons-math3's own {@code WilcoxonSignedRankTest} is not used: it
 * keeps zero differences in the ranking.
 */
public final class Stats {

    private Stats() {
    }

    /**
     * A mean with its Student-t confidence interval.
     *
     * @param n number of values
     * @param mean their mean
     * @param sd their sample standard deviation (n - 1 in the denominator; NaN for n = 1)
     * @param halfWidth half-width of the confidence interval (NaN for n = 1)
     * @param level the confidence level, e.g. 0.95
     */
    public record Summary(int n, double mean, double sd, double halfWidth, double level) {

        /** @return mean minus half-width */
        public double lower() {
            return mean - halfWidth;
        }

        /** @return mean plus half-width */
        public double upper() {
            return mean + halfWidth;
        }

        /** @return e.g. "0.0871 ± 0.0012" (4 decimals; "0.0871" for one value) */
        @Override
        public String toString() {
            return Double.isNaN(halfWidth) ? String.format(Locale.ROOT, "%.4f", mean)
                    : String.format(Locale.ROOT, "%.4f ± %.4f", mean, halfWidth);
        }
    }

    /**
     * A paired comparison of model A against model B.
     *
     * @param n number of pairs (seeds or users)
     * @param meanA mean of A
     * @param meanB mean of B
     * @param diff the mean difference A - B with its t confidence interval
     * @param t the paired t statistic (NaN when every difference is equal)
     * @param pT two-sided p-value of the paired t-test
     * @param nonZero pairs with a non-zero difference (those the Wilcoxon test ranks)
     * @param wPlus Wilcoxon's W+ (sum of the ranks of positive differences)
     * @param pWilcoxon two-sided p-value of the Wilcoxon signed-rank test (normal approximation; NaN when no
     *     difference is non-zero)
     */
    public record Paired(int n, double meanA, double meanB, Summary diff, double t, double pT, int nonZero,
                         double wPlus, double pWilcoxon) {

        /** @return (A - B) / B, the relative difference of the means */
        public double relative() {
            return (meanA - meanB) / meanB;
        }
    }

    /**
     * The mean and its Student-t confidence interval: {@code mean ± t_{(1+level)/2, n-1} * sd / sqrt(n)}.
     *
     * @param values the values (e.g. one metric at each seed)
     * @param level confidence level in (0, 1), e.g. 0.95
     * @return the summary (half-width NaN for a single value)
     * @throws IllegalArgumentException for no values or a level outside (0, 1)
     */
    public static Summary meanCI(double[] values, double level) {
        if (values.length == 0) {
            throw new IllegalArgumentException("meanCI needs at least one value");
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
        }
        int n = values.length;
        double mean = Arrays.stream(values).sum() / n;
        if (n == 1) {
            return new Summary(1, mean, Double.NaN, Double.NaN, level);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        double t = new TDistribution(n - 1).inverseCumulativeProbability((1 + level) / 2);
        return new Summary(n, mean, sd, t * sd / Math.sqrt(n), level);
    }

    /**
     * {@link #meanCI(double[], double)} at 95 %.
     *
     * @param values the values
     * @return the summary
     */
    public static Summary meanCI95(double[] values) {
        return meanCI(values, 0.95);
    }

    /**
     * Paired t-test and Wilcoxon signed-rank test of A against B (two-sided), with a 95 % interval of the mean
     * difference.
     *
     * @param a model A's values
     * @param b model B's values, paired by position with {@code a}
     * @return the comparison
     * @throws IllegalArgumentException if the lengths differ or there are fewer than 2 pairs
     */
    public static Paired paired(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired test needs equally many values, got " + a.length + " and "
                    + b.length);
        }
        int n = a.length;
        if (n < 2) {
            throw new IllegalArgumentException("paired test needs at least 2 pairs, got " + n);
        }
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = a[i] - b[i];
        }
        Summary diff = meanCI95(d);
        double t = diff.mean() / (diff.sd() / Math.sqrt(n));
        double pT = Double.isFinite(t) ? 2 * new TDistribution(n - 1).cumulativeProbability(-Math.abs(t))
                : (diff.mean() == 0 || Double.isNaN(t) ? Double.NaN : 0.0);
        double[] w = wilcoxon(d);
        return new Paired(n, mean(a), mean(b), diff, diff.sd() == 0 ? Double.NaN : t, diff.sd() == 0 ? Double.NaN : pT,
                (int) w[0], w[1], w[2]);
    }

    /** @return {non-zero count, W+, two-sided p} of Wilcoxon's signed-rank test on differences, zeros dropped */
    private static double[] wilcoxon(double[] d) {
        double[] nz = Arrays.stream(d).filter(x -> x != 0).toArray();
        int m = nz.length;
        if (m == 0) {
            return new double[] {0, 0, Double.NaN};
        }
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Double.compare(Math.abs(nz[i]), Math.abs(nz[j])));
        double[] rank = new double[m];
        double tieTerm = 0;
        for (int i = 0; i < m; ) {
            int j = i;
            while (j + 1 < m && Math.abs(nz[order[j + 1]]) == Math.abs(nz[order[i]])) {
                j++;
            }
            double r = (i + j) / 2.0 + 1; // average of ranks i+1..j+1
            for (int q = i; q <= j; q++) {
                rank[order[q]] = r;
            }
            double tcount = j - i + 1;
            tieTerm += tcount * tcount * tcount - tcount;
            i = j + 1;
        }
        double wPlus = 0;
        for (int i = 0; i < m; i++) {
            if (nz[i] > 0) {
                wPlus += rank[i];
            }
        }
        double mu = m * (m + 1) / 4.0;
        double var = m * (m + 1) * (2.0 * m + 1) / 24.0 - tieTerm / 48.0;
        double p = var <= 0 ? Double.NaN
                : 2 * new NormalDistribution().cumulativeProbability(-Math.abs(wPlus - mu) / Math.sqrt(var));
        return new double[] {m, wPlus, Math.min(1.0, p)};
    }

    private static double mean(double[] x) {
        return Arrays.stream(x).sum() / x.length;
    }

    /**
     * Per-user values of a metric from two evaluations, paired by user (users evaluated in only one are left out).
     *
     * @param a model A's evaluation
     * @param b model B's evaluation
     * @param key the metric
     * @return {valuesA, valuesB} in the order of A's users
     */
    public static double[][] perUser(EvalResult a, EvalResult b, MetricKey key) {
        Map<Integer, Integer> rankB = new LinkedHashMap<>();
        int[] ub = b.users();
        int[] rb = b.ranks();
        for (int i = 0; i < ub.length; i++) {
            rankB.put(ub[i], rb[i]);
        }
        int[] ua = a.users();
        int[] ra = a.ranks();
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < ua.length; i++) {
            Integer r = rankB.get(ua[i]);
            if (r != null) {
                pairs.add(new double[] {key.metric().value(ra[i], key.k()), key.metric().value(r, key.k())});
            }
        }
        double[][] out = new double[2][pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            out[0][i] = pairs.get(i)[0];
            out[1][i] = pairs.get(i)[1];
        }
        return out;
    }

    /**
     * Mean ± 95 % CI over seeds of every model's test metrics in a set of runs of one experiment on one dataset
     * (one {@link RunResult} per seed).
     *
     * @param runs the runs, one per seed
     * @param split "test", "valid", or a history-mode split such as "test-none"
     * @return one row per model: model, seeds, then one "mean ± CI" text column per metric@k (numeric columns
     *     {@code <metric>@k mean} and {@code <metric>@k ci95} follow); titled with the protocol heading
     */
    public static Table seedTable(List<RunResult> runs, String split) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs");
        }
        Table metrics = null;
        for (RunResult r : runs) {
            Table m = r.metrics();
            IntColumn seed = IntColumn.create("seed");
            for (int i = 0; i < m.rowCount(); i++) {
                seed.append((int) r.spec().train().seed());
            }
            m.addColumns(seed);
            metrics = metrics == null ? m : metrics.append(m);
        }
        return seedTable(metrics, split, runs.get(0).title(split) + ", mean ± 95% CI over " + runs.size()
                + " seeds");
    }

    /**
     * Mean ± 95 % CI over seeds from a long metrics table (columns model, split, metric, value, seed; optional k,
     * appended to the metric name as "@k").
     *
     * @param metrics the long table, e.g. several metrics.csv files with a seed column
     * @param split the split to summarise
     * @param title the table's title
     * @return model, seeds, "metric" text columns, then numeric mean and ci95 columns
     */
    public static Table seedTable(Table metrics, String split, String title) {
        Map<String, Map<String, List<Double>>> byModel = new LinkedHashMap<>();
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (int r = 0; r < metrics.rowCount(); r++) {
            if (!split.equals(metrics.stringColumn("split").get(r))) {
                continue;
            }
            String name = metricName(metrics, r);
            names.add(name);
            byModel.computeIfAbsent(metrics.stringColumn("model").get(r), k -> new LinkedHashMap<>())
                    .computeIfAbsent(name, k -> new ArrayList<>()).add(metrics.doubleColumn("value").get(r));
        }
        StringColumn model = StringColumn.create("model");
        IntColumn seeds = IntColumn.create("seeds");
        Table t = Table.create(title, model, seeds);
        for (String n : names) {
            t.addColumns(StringColumn.create(n));
        }
        for (String n : names) {
            t.addColumns(DoubleColumn.create(n + " mean"), DoubleColumn.create(n + " ci95"));
        }
        byModel.forEach((m, values) -> {
            model.append(m);
            seeds.append(values.values().stream().mapToInt(List::size).max().orElse(0));
            for (String n : names) {
                List<Double> v = values.get(n);
                if (v == null) {
                    t.stringColumn(n).append("");
                    t.doubleColumn(n + " mean").appendMissing();
                    t.doubleColumn(n + " ci95").appendMissing();
                    continue;
                }
                Summary s = meanCI95(v.stream().mapToDouble(Double::doubleValue).toArray());
                t.stringColumn(n).append(s.toString());
                t.doubleColumn(n + " mean").append(s.mean());
                t.doubleColumn(n + " ci95").append(s.halfWidth());
            }
        });
        return t;
    }

    /**
     * Per-seed values of one metric for one model from a long metrics table, ordered by seed.
     *
     * @param metrics long table with columns model, split, metric, value, seed (optional k)
     * @param model the model
     * @param split the split
     * @param metric the metric name, e.g. "NDCG@10" or "Recall@20"
     * @return seed to value
     */
    public static java.util.SortedMap<Long, Double> perSeed(Table metrics, String model, String split,
                                                            String metric) {
        java.util.SortedMap<Long, Double> out = new java.util.TreeMap<>();
        for (int r = 0; r < metrics.rowCount(); r++) {
            if (model.equals(metrics.stringColumn("model").get(r)) && split.equals(metrics.stringColumn("split").get(r))
                    && metric.equalsIgnoreCase(metricName(metrics, r))) {
                out.put(((Number) metrics.column("seed").get(r)).longValue(), metrics.doubleColumn("value").get(r));
            }
        }
        return out;
    }

    /**
     * Paired test of model A against B over the seeds both have, on one metric of a long metrics table.
     *
     * @param metrics long table with a seed column
     * @param a model A
     * @param b model B
     * @param split the split
     * @param metric the metric name
     * @return the comparison
     */
    public static Paired pairedOverSeeds(Table metrics, String a, String b, String split, String metric) {
        var va = perSeed(metrics, a, split, metric);
        var vb = perSeed(metrics, b, split, metric);
        List<Long> common = va.keySet().stream().filter(vb::containsKey).toList();
        return paired(common.stream().mapToDouble(va::get).toArray(), common.stream().mapToDouble(vb::get).toArray());
    }

    /**
     * Paired tests of model A against model B on runs with the same seeds: over seeds (per-seed test means) and
     * over users (the per-user values of every seed pooled, users paired within each seed).
     *
     * @param runs one run per seed, each holding both models
     * @param a model A
     * @param b model B
     * @param keys the metrics
     * @return one row per metric and level ("seeds", "users"): n, mean A, mean B, diff ± CI, relative %, t,
     *     p(t), p(Wilcoxon)
     */
    public static Table pairedTable(List<RunResult> runs, String a, String b, List<MetricKey> keys) {
        StringColumn metric = StringColumn.create("metric");
        PairedColumns rows = new PairedColumns("mean " + a, "mean " + b);
        for (MetricKey k : keys) {
            double[] sa = new double[runs.size()];
            double[] sb = new double[runs.size()];
            List<double[]> ua = new ArrayList<>();
            List<double[]> ub = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                EvalResult ea = runs.get(i).result(a).test();
                EvalResult eb = runs.get(i).result(b).test();
                sa[i] = ea.value(k);
                sb[i] = eb.value(k);
                double[][] pu = perUser(ea, eb, k);
                ua.add(pu[0]);
                ub.add(pu[1]);
            }
            List<Paired> tests = new ArrayList<>();
            List<String> levels = new ArrayList<>();
            if (runs.size() >= 2) {
                tests.add(paired(sa, sb));
                levels.add("seeds");
            }
            tests.add(paired(concat(ua), concat(ub)));
            levels.add("users");
            for (int i = 0; i < tests.size(); i++) {
                metric.append(k.toString());
                rows.append(levels.get(i), tests.get(i));
            }
        }
        String title = a + " vs " + b + " (" + runs.get(0).title("test") + ", " + runs.size() + " seeds)";
        return rows.table(title, metric);
    }

    /**
     * The result columns of paired tests, one row per test: over (the pairing level), n, mean A, mean B,
     * diff ± 95 % CI, relative %, t, p (paired t), p (Wilcoxon). Shared by {@link #pairedTable} and the CF
     * experiments' {@code io.seqcl.cf.CfPaired}, which add their own leading columns.
     */
    public static final class PairedColumns {
        /** Printed p-values: four significant digits, and powers of ten below 1e-4 (not 300 zeros). */
        static final tech.tablesaw.columns.numbers.NumberColumnFormatter P_VALUES =
                new tech.tablesaw.columns.numbers.NumberColumnFormatter() {
                    @Override
                    public String format(double p) {
                        return formatP(p);
                    }
                };

        private final StringColumn over = StringColumn.create("over");
        private final IntColumn n = IntColumn.create("n");
        private final DoubleColumn ma;
        private final DoubleColumn mb;
        private final StringColumn diff = StringColumn.create("diff ± 95% CI");
        private final DoubleColumn rel = DoubleColumn.create("relative %");
        private final DoubleColumn t = DoubleColumn.create("t");
        private final DoubleColumn pt = DoubleColumn.create("p (paired t)");
        private final DoubleColumn pw = DoubleColumn.create("p (Wilcoxon)");

        /**
         * @param meanA name of model A's mean column
         * @param meanB name of model B's mean column
         */
        public PairedColumns(String meanA, String meanB) {
            ma = DoubleColumn.create(meanA);
            mb = DoubleColumn.create(meanB);
            pt.setPrintFormatter(P_VALUES);
            pw.setPrintFormatter(P_VALUES);
        }

        /**
         * Appends one test.
         *
         * @param level what was paired, e.g. "seeds" or "users"
         * @param p the test
         */
        public void append(String level, Paired p) {
            over.append(level);
            n.append(p.n());
            ma.append(p.meanA());
            mb.append(p.meanB());
            diff.append(String.format(Locale.ROOT, "%+.4f ± %.4f", p.diff().mean(), p.diff().halfWidth()));
            rel.append(Math.round(1000 * p.relative()) / 10.0);
            t.append(p.t());
            pt.append(p.pT());
            pw.append(p.pWilcoxon());
        }

        /**
         * The table: the caller's leading columns (one value per appended test), then these columns.
         *
         * @param title table name
         * @param leading leading columns, e.g. split and metric
         * @return the table
         */
        public Table table(String title, tech.tablesaw.columns.Column<?>... leading) {
            Table table = Table.create(title, leading);
            table.addColumns(over, n, ma, mb, diff, rel, t, pt, pw);
            return table;
        }
    }

    /**
     * A p-value as printed in tables: "0.002064", "0.1088", "1.40e-317"; "" for a missing value.
     *
     * @param p the value
     * @return the text
     */
    static String formatP(double p) {
        if (Double.isNaN(p)) {
            return "";
        }
        return p == 0 || p >= 1e-4 ? String.format(Locale.ROOT, "%.4g", p) : String.format(Locale.ROOT, "%.2e", p);
    }

    private static double[] concat(List<double[]> parts) {
        return parts.stream().flatMapToDouble(Arrays::stream).toArray();
    }

    private static String metricName(Table metrics, int r) {
        String m = metrics.stringColumn("metric").get(r);
        if (metrics.containsColumn("k") && !m.contains("@")) {
            m = m + "@" + metrics.column("k").getString(r);
        }
        return m;
    }
}
