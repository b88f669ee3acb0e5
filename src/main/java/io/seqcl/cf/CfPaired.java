package io.seqcl.cf;

import io.seqcl.experiment.Stats;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Paired significance tests between two CF models trained on the same seeds (issue 12 item 4), the CF
 * counterpart of {@link Stats#pairedTable}: over seeds (paired t and Wilcoxon on the per-seed means of a split)
 * and over users (the per-user values of every seed pooled, users paired within each seed), with
 * {@link Stats#paired}. Inputs are the long tables {@code seqcl run} writes per seed: metrics.csv (dataset, model,
 * split, metric, value, seed) and per-user.csv (dataset, model, split, user, one column per metric, seed).
 *
 * <p>A seed whose per-user values are missing (results recorded before per-user values were kept) takes part in
 * the test over seeds only; the table's title says which seeds the test over users pooled.
 */
public final class CfPaired {

    private CfPaired() {
    }

    /**
     * Paired tests of model A against model B on some splits and metrics.
     *
     * @param metrics long metrics with a seed column
     * @param perUser per-user values with a seed column (may be null or empty: tests over seeds only)
     * @param a model A (e.g. MF+AdvInfoNCE)
     * @param b model B, the reference (e.g. MF+InfoNCE)
     * @param splits the splits, e.g. test_id, test_id-no-train-overlap
     * @param metricNames the metrics, e.g. Recall@20, NDCG@20
     * @return one row per split, metric and level ("seeds" when at least 2 seeds, "users" when per-user values
     *     exist): split, metric, over, n, mean A, mean B, diff ± 95 % CI, relative % ((A - B) / B), t, p (paired
     *     t), p (Wilcoxon)
     */
    public static Table table(Table metrics, Table perUser, String a, String b, List<String> splits,
                              List<String> metricNames) {
        StringColumn split = StringColumn.create("split");
        StringColumn metric = StringColumn.create("metric");
        Stats.PairedColumns rows = new Stats.PairedColumns("mean A", "mean B");
        TreeSet<Long> userSeeds = new TreeSet<>();
        TreeSet<Long> allSeeds = new TreeSet<>();
        for (String s : splits) {
            for (String m : metricNames) {
                SortedMap<Long, Double> va = Stats.perSeed(metrics, a, s, m);
                SortedMap<Long, Double> vb = Stats.perSeed(metrics, b, s, m);
                List<Long> common = va.keySet().stream().filter(vb::containsKey).toList();
                allSeeds.addAll(common);
                List<String> levels = new ArrayList<>();
                List<Stats.Paired> tests = new ArrayList<>();
                if (common.size() >= 2) {
                    levels.add("seeds");
                    tests.add(Stats.paired(common.stream().mapToDouble(va::get).toArray(),
                            common.stream().mapToDouble(vb::get).toArray()));
                }
                double[][] pu = perUser == null || perUser.rowCount() == 0 ? new double[2][0]
                        : pairedUsers(perUser, a, b, s, m, userSeeds);
                if (pu[0].length >= 2) {
                    levels.add("users");
                    tests.add(Stats.paired(pu[0], pu[1]));
                }
                for (int i = 0; i < tests.size(); i++) {
                    split.append(s);
                    metric.append(m);
                    rows.append(levels.get(i), tests.get(i));
                }
            }
        }
        String title = a + " (A) vs " + b + " (B), seeds " + allSeeds + (userSeeds.isEmpty()
                ? ", no per-user values" : ", users pooled over seeds " + userSeeds);
        return rows.table(title, split, metric);
    }

    /**
     * Per-user values of A and B on one split and metric, paired by (seed, user); users or seeds present for only
     * one model are left out.
     *
     * @param perUser per-user table with columns model, split, user, the metric, seed
     * @param a model A
     * @param b model B
     * @param split the split
     * @param metric the metric column, e.g. "Recall@20"
     * @param seedsUsed receives the seeds that contributed pairs
     * @return {values of A, values of B}
     */
    static double[][] pairedUsers(Table perUser, String a, String b, String split, String metric,
                                  java.util.Set<Long> seedsUsed) {
        if (!perUser.containsColumn(metric)) {
            throw new IllegalArgumentException("per-user table has no column " + metric + " (columns "
                    + perUser.columnNames() + ")");
        }
        Map<Long, Map<Integer, Double>> bv = new HashMap<>();
        StringColumn model = perUser.stringColumn("model");
        StringColumn sp = perUser.stringColumn("split");
        for (int r = 0; r < perUser.rowCount(); r++) {
            if (b.equals(model.get(r)) && split.equals(sp.get(r))) {
                bv.computeIfAbsent(seedOf(perUser, r), k -> new HashMap<>())
                        .put(userOf(perUser, r), perUser.numberColumn(metric).getDouble(r));
            }
        }
        List<double[]> pairs = new ArrayList<>();
        for (int r = 0; r < perUser.rowCount(); r++) {
            if (a.equals(model.get(r)) && split.equals(sp.get(r))) {
                long seed = seedOf(perUser, r);
                Double other = bv.getOrDefault(seed, Map.of()).get(userOf(perUser, r));
                if (other != null) {
                    pairs.add(new double[] {perUser.numberColumn(metric).getDouble(r), other});
                    seedsUsed.add(seed);
                }
            }
        }
        double[][] out = new double[2][pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            out[0][i] = pairs.get(i)[0];
            out[1][i] = pairs.get(i)[1];
        }
        return out;
    }

    private static long seedOf(Table t, int r) {
        return t.containsColumn("seed") ? ((Number) t.column("seed").get(r)).longValue() : 0L;
    }

    private static int userOf(Table t, int r) {
        return ((Number) t.column("user").get(r)).intValue();
    }

    /**
     * The paired tests of every trained model against the first trained one (the file's reference, e.g.
     * AdvInfoNCE and InfoNCE×k against InfoNCE) on every test split, as the text of seeds-paired.csv: each table
     * preceded by a "# title" line.
     *
     * @param metrics long metrics of one dataset with a seed column
     * @param perUser per-user values of the same dataset with a seed column (null: none)
     * @param models the models in file order (Pop is skipped)
     * @param metricNames the metrics
     * @return the CSV text (empty when fewer than two trained models)
     */
    public static String csv(Table metrics, Table perUser, List<CfModelSpec> models, List<String> metricNames) {
        List<String> trained = models.stream().filter(s -> !s.pop()).map(CfModelSpec::name).toList();
        if (trained.size() < 2) {
            return "";
        }
        List<String> splits = new ArrayList<>(new java.util.LinkedHashSet<>(metrics.stringColumn("split").asList()));
        splits.remove(CfDataset.VALID);
        StringBuilder out = new StringBuilder();
        for (String other : trained.subList(1, trained.size())) {
            Table t = table(metrics, perUser, other, trained.get(0), splits, metricNames);
            java.io.StringWriter w = new java.io.StringWriter();
            t.write().csv(w);
            out.append("# ").append(t.name()).append('\n').append(w);
        }
        return out.toString();
    }
}
