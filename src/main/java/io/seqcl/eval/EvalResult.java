package io.seqcl.eval;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Arrays;

/**
 * Per-user target ranks from one full-ranking evaluation, with the metrics derived from them.
 *
 * <p>Keeping the ranks (not only the averages) lets notebooks regroup users, e.g. by sequence length.
 */
public final class EvalResult {

    private final String split;
    private final int[] users;
    private final int[] ranks;
    private final int[] ks;

    /**
     * Creates a result.
     *
     * @param split "valid" or "test"
     * @param users dataset user index of each row
     * @param ranks 1-based pessimistic rank of each row's target
     * @param ks the cut-offs reported by {@link #table(String)}
     */
    public EvalResult(String split, int[] users, int[] ranks, int[] ks) {
        if (users.length != ranks.length) {
            throw new IllegalArgumentException("users and ranks differ in length");
        }
        this.split = split;
        this.users = users.clone();
        this.ranks = ranks.clone();
        this.ks = ks.clone();
    }

    /** @return the split name */
    public String split() {
        return split;
    }

    /** @return a copy of the per-row ranks */
    public int[] ranks() {
        return ranks.clone();
    }

    /** @return a copy of the dataset user index of each row */
    public int[] users() {
        return users.clone();
    }

    /** @return a copy of the reported cut-offs */
    public int[] ks() {
        return ks.clone();
    }

    /** @return number of evaluated users */
    public int size() {
        return ranks.length;
    }

    /**
     * Averages a metric over all evaluated users.
     *
     * @param key metric and cut-off
     * @return the mean, or NaN when no user was evaluated
     */
    public double value(MetricKey key) {
        if (ranks.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int r : ranks) {
            sum += key.metric().value(r, key.k());
        }
        return sum / ranks.length;
    }

    /**
     * Averages a metric given as text, e.g. {@code value("NDCG@10")}.
     *
     * @param key a {@link MetricKey#parse(String)} string
     * @return the mean over users
     */
    public double value(String key) {
        return value(MetricKey.parse(key));
    }

    /**
     * Returns the metrics in long format: one row per metric and cut-off.
     *
     * @param model model name written in the first column
     * @return columns model, split, metric, k, value
     */
    public Table table(String model) {
        StringColumn m = StringColumn.create("model");
        StringColumn s = StringColumn.create("split");
        StringColumn metric = StringColumn.create("metric");
        IntColumn k = IntColumn.create("k");
        DoubleColumn v = DoubleColumn.create("value");
        for (Metric mt : Metric.values()) {
            for (int kk : ks) {
                m.append(model);
                s.append(split);
                metric.append(mt.name());
                k.append(kk);
                v.append(value(new MetricKey(mt, kk)));
            }
        }
        return Table.create(model + " " + split, m, s, metric, k, v);
    }

    @Override
    public String toString() {
        return "EvalResult[" + split + ", " + ranks.length + " users, ks " + Arrays.toString(ks) + "]";
    }
}
