package io.seqcl.eval;

import io.seqcl.protocol.LeaveOneOutSplit;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;

/**
 * Metrics per user group by sequence length, computed from the per-user ranks an {@link EvalResult} keeps.
 *
 * <p>MCLRec Fig. 8 (Qin et al., SIGIR 2023, ../shared/papers/002_8cbc21390195a073.txt; experiments.md §B9) splits
 * users by their number of interactions into "=5", "6-8" and ">8" ({@link #mclrecFig8()}; Table 5's action counts,
 * e.g. 11,416 users x 5 = 57,080, show the length is the whole sequence). The paper trains and evaluates a model
 * per group; this class regroups the users of one evaluation, which is the cheap variant (the notebook can also
 * train per group). Users whose length falls in no group are left out.
 */
public final class UserGroups {

    /** Which length a user is grouped by. */
    public enum Basis {
        /** The whole sequence n (train + valid + test items), as in MCLRec Table 5. */
        SEQUENCE_LENGTH,
        /** The training part n - 2. */
        TRAINING_LENGTH
    }

    /**
     * One group: users with {@code min <= length <= max}.
     *
     * @param label display label
     * @param min smallest length (inclusive)
     * @param max largest length (inclusive; {@code Integer.MAX_VALUE} = open)
     */
    public record Group(String label, int min, int max) {

        /** Validates the fields. */
        public Group {
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("label must not be blank");
            }
            if (min < 0 || max < min) {
                throw new IllegalArgumentException("min and max must satisfy 0 <= min <= max, got " + min + ", " + max);
            }
        }

        /**
         * @param length a user's length
         * @return whether the user is in the group
         */
        public boolean contains(int length) {
            return length >= min && length <= max;
        }
    }

    private final Basis basis;
    private final List<Group> groups;

    /**
     * Creates a grouping.
     *
     * @param basis which length
     * @param groups the groups (at least one), reported in this order
     */
    public UserGroups(Basis basis, List<Group> groups) {
        if (basis == null) {
            throw new IllegalArgumentException("basis must not be null");
        }
        if (groups == null || groups.isEmpty() || groups.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("groups must hold at least one group and no null");
        }
        this.basis = basis;
        this.groups = List.copyOf(groups);
    }

    /** @return MCLRec Fig. 8: sequence length =5, 6-8, &gt;8 */
    public static UserGroups mclrecFig8() {
        return new UserGroups(Basis.SEQUENCE_LENGTH, List.of(new Group("=5", 5, 5), new Group("6-8", 6, 8),
                new Group(">8", 9, Integer.MAX_VALUE)));
    }

    /**
     * Contiguous groups {@code [0, b1], [b1+1, b2], ..., [bk+1, inf)} with labels like "<=5", "6-8", "&gt;8".
     *
     * @param basis which length
     * @param upperBounds increasing inclusive upper bounds
     * @return the grouping
     */
    public static UserGroups byUpperBounds(Basis basis, int... upperBounds) {
        if (upperBounds == null || upperBounds.length == 0) {
            throw new IllegalArgumentException("upperBounds must hold at least one bound");
        }
        List<Group> g = new ArrayList<>();
        int lo = 0;
        for (int b : upperBounds) {
            if (b < lo) {
                throw new IllegalArgumentException("upperBounds must be increasing and >= 0, got " + b);
            }
            g.add(new Group(lo == 0 ? "<=" + b : lo == b ? "=" + b : lo + "-" + b, lo, b));
            lo = b + 1;
        }
        g.add(new Group(">" + (lo - 1), lo, Integer.MAX_VALUE));
        return new UserGroups(basis, g);
    }

    /** @return the groups */
    public List<Group> groups() {
        return groups;
    }

    /** @return the length basis */
    public Basis basis() {
        return basis;
    }

    /**
     * The grouping length of a dataset user.
     *
     * @param split the split the result was evaluated on
     * @param datasetUser dataset user index (as in {@link EvalResult#users()})
     * @return n or n - 2
     */
    public int lengthOf(LeaveOneOutSplit split, int datasetUser) {
        int n = split.dataset().length(datasetUser);
        return basis == Basis.SEQUENCE_LENGTH ? n : n - 2;
    }

    /**
     * Averages metrics over the users of each group.
     *
     * @param result per-user ranks of one evaluation
     * @param split the split it was evaluated on
     * @param metrics the metrics, e.g. {@code MetricKey.parse("HR@10")}
     * @return columns group, users, metric, value (one row per group and metric; value NaN for an empty group)
     */
    public Table evaluate(EvalResult result, LeaveOneOutSplit split, MetricKey... metrics) {
        if (metrics == null || metrics.length == 0) {
            throw new IllegalArgumentException("metrics must hold at least one metric");
        }
        int[] users = result.users();
        int[] ranks = result.ranks();
        StringColumn group = StringColumn.create("group");
        IntColumn count = IntColumn.create("users");
        StringColumn metric = StringColumn.create("metric");
        DoubleColumn value = DoubleColumn.create("value");
        for (Group g : groups) {
            List<Integer> rows = new ArrayList<>();
            for (int r = 0; r < users.length; r++) {
                if (g.contains(lengthOf(split, users[r]))) {
                    rows.add(r);
                }
            }
            for (MetricKey key : metrics) {
                double sum = 0;
                for (int r : rows) {
                    sum += key.metric().value(ranks[r], key.k());
                }
                group.append(g.label());
                count.append(rows.size());
                metric.append(key.toString());
                value.append(rows.isEmpty() ? Double.NaN : sum / rows.size());
            }
        }
        return Table.create(result.split() + " by user group", group, count, metric, value);
    }

    /**
     * Same as {@link #evaluate(EvalResult, LeaveOneOutSplit, MetricKey...)} with metrics given as text.
     *
     * @param result per-user ranks
     * @param split the split
     * @param metrics e.g. "HR@10", "NDCG@10"
     * @return the table
     */
    public Table evaluate(EvalResult result, LeaveOneOutSplit split, String... metrics) {
        MetricKey[] keys = new MetricKey[metrics.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = MetricKey.parse(metrics[i]);
        }
        return evaluate(result, split, keys);
    }
}
