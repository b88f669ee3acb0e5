package io.seqcl.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Summary statistics of a dataset, as in the statistics table of common.md §1.3.
 *
 * @param name dataset name
 * @param users number of users
 * @param items number of distinct items that occur (equals {@code numItems} when ids are contiguous)
 * @param interactions total interactions (repeats counted)
 * @param avgLength mean sequence length
 * @param minLength shortest sequence
 * @param maxLength longest sequence
 * @param sparsity {@code 1 - distinct (user, item) pairs / (users * items)}: repeated interactions (Yelp) count once,
 *                 so it lies in {@code [0, 1)}
 */
public record DatasetStats(String name, int users, int items, long interactions, double avgLength,
                           int minLength, int maxLength, double sparsity) {

    /**
     * Computes the statistics of one dataset.
     *
     * @param d the dataset
     * @return its statistics ({@code NaN} averages and sparsity for a dataset without users)
     */
    public static DatasetStats of(SequenceDataset d) {
        int users = d.numUsers();
        int items = (int) Arrays.stream(d.itemCounts()).filter(c -> c > 0).count();
        long inter = 0;
        long pairs = 0;
        int min = users == 0 ? 0 : Integer.MAX_VALUE;
        int max = 0;
        for (int u = 0; u < users; u++) {
            int len = d.length(u);
            inter += len;
            pairs += distinct(d.sequence(u));
            min = Math.min(min, len);
            max = Math.max(max, len);
        }
        double avg = users == 0 ? Double.NaN : (double) inter / users;
        double sparsity = users == 0 || items == 0 ? Double.NaN : 1.0 - (double) pairs / ((double) users * items);
        return new DatasetStats(d.name(), users, items, inter, avg, min, max, sparsity);
    }

    private static int distinct(int[] s) {
        Arrays.sort(s);
        int m = 0;
        for (int i = 0; i < s.length; i++) {
            if (i == 0 || s[i] != s[i - 1]) {
                m++;
            }
        }
        return m;
    }

    /**
     * Builds a table with one row per dataset and the columns name, users, items, interactions, avg_length,
     * min_length, max_length, sparsity.
     *
     * @param datasets the datasets
     * @return a new Tablesaw table named "dataset statistics"
     */
    public static Table table(SequenceDataset... datasets) {
        return table(Arrays.asList(datasets));
    }

    /**
     * Builds the statistics table (see {@link #table(SequenceDataset...)}) for a collection of datasets.
     *
     * @param datasets the datasets
     * @return a new Tablesaw table
     */
    public static Table table(Collection<SequenceDataset> datasets) {
        StringColumn name = StringColumn.create("name");
        IntColumn users = IntColumn.create("users");
        IntColumn items = IntColumn.create("items");
        LongColumn inter = LongColumn.create("interactions");
        DoubleColumn avg = DoubleColumn.create("avg_length");
        IntColumn min = IntColumn.create("min_length");
        IntColumn max = IntColumn.create("max_length");
        DoubleColumn sparsity = DoubleColumn.create("sparsity");
        for (SequenceDataset d : datasets) {
            DatasetStats s = of(d);
            name.append(s.name());
            users.append(s.users());
            items.append(s.items());
            inter.append(s.interactions());
            avg.append(s.avgLength());
            min.append(s.minLength());
            max.append(s.maxLength());
            sparsity.append(s.sparsity());
        }
        return Table.create("dataset statistics", name, users, items, inter, avg, min, max, sparsity);
    }

    /**
     * Compares a dataset's counts with expected ones, e.g. those of common.md §1.3.
     *
     * @param d the dataset
     * @param users expected users
     * @param items expected distinct items
     * @param interactions expected interactions
     * @return one message per differing count (empty if all match), e.g.
     *         {@code "beauty: users 22362, expected 22363"}
     */
    public static List<String> compare(SequenceDataset d, int users, int items, long interactions) {
        DatasetStats s = of(d);
        List<String> out = new ArrayList<>();
        if (s.users() != users) {
            out.add(String.format(Locale.ROOT, "%s: users %d, expected %d", d.name(), s.users(), users));
        }
        if (s.items() != items) {
            out.add(String.format(Locale.ROOT, "%s: items %d, expected %d", d.name(), s.items(), items));
        }
        if (s.interactions() != interactions) {
            out.add(String.format(Locale.ROOT, "%s: interactions %d, expected %d", d.name(), s.interactions(),
                    interactions));
        }
        return out;
    }
}
