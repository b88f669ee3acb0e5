package io.seqcl.cf;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pre-split user-item collaborative-filtering dataset: training interactions plus held-out splits
 * ({@code valid}, {@code test_id}, {@code test_ood}), each a set of items per user with 0-based ids.
 *
 * <p>Layout and counting rules follow advinfonce.md §1 (AdvInfoNCE, Zhang et al., NeurIPS'23,
 * ../shared/papers/004_d175cd9068ec927a.txt): {@code numUsers} = largest user id in train + 1,
 * {@code numItems} = largest item id in any split + 1. Item arrays are sorted and duplicate-free
 * (the files hold sets). A user absent from a split has an empty array there.
 */
public final class CfDataset {

    /** Name of the validation split. */
    public static final String VALID = "valid";

    private final String name;
    private final String source;
    private final int numUsers;
    private final int numItems;
    private final int[][] train;
    private final Map<String, int[][]> splits;
    private final Map<String, String> sha256;

    /**
     * Creates a dataset; arrays are copied, sorted and de-duplicated.
     *
     * @param name short name, e.g. "coat"
     * @param source where it came from (directory or generator description)
     * @param numUsers number of users (ids 0..numUsers-1)
     * @param numItems number of items (ids 0..numItems-1)
     * @param train training items per user ({@code numUsers} rows)
     * @param splits held-out splits by name, {@value #VALID} first, each with {@code numUsers} rows
     * @param sha256 checksum per file name (may be empty for generated data)
     * @throws IllegalArgumentException if an id is out of range or a row count differs
     */
    public CfDataset(String name, String source, int numUsers, int numItems, int[][] train,
                     Map<String, int[][]> splits, Map<String, String> sha256) {
        this.name = Objects.requireNonNull(name, "name");
        this.source = Objects.requireNonNull(source, "source");
        if (numUsers < 1 || numItems < 1) {
            throw new IllegalArgumentException("numUsers and numItems must be >= 1, got " + numUsers + ", "
                    + numItems);
        }
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.train = normalise("train", train);
        if (!splits.containsKey(VALID)) {
            throw new IllegalArgumentException("splits must contain '" + VALID + "', got " + splits.keySet());
        }
        Map<String, int[][]> s = new LinkedHashMap<>();
        s.put(VALID, normalise(VALID, splits.get(VALID)));
        for (Map.Entry<String, int[][]> e : splits.entrySet()) {
            if (!e.getKey().equals(VALID)) {
                s.put(e.getKey(), normalise(e.getKey(), e.getValue()));
            }
        }
        this.splits = Collections.unmodifiableMap(s);
        this.sha256 = Collections.unmodifiableMap(new LinkedHashMap<>(sha256));
    }

    private int[][] normalise(String split, int[][] rows) {
        if (rows.length != numUsers) {
            throw new IllegalArgumentException(split + " has " + rows.length + " user rows, expected " + numUsers);
        }
        int[][] out = new int[numUsers][];
        for (int u = 0; u < numUsers; u++) {
            int[] r = rows[u] == null ? new int[0] : Arrays.stream(rows[u]).distinct().sorted().toArray();
            for (int i : r) {
                if (i < 0 || i >= numItems) {
                    throw new IllegalArgumentException(split + ": user " + u + " has item " + i + " outside 0.."
                            + (numItems - 1));
                }
            }
            out[u] = r;
        }
        return out;
    }

    /** @return the dataset name */
    public String name() {
        return name;
    }

    /** @return where the data came from */
    public String source() {
        return source;
    }

    /** @return number of users */
    public int numUsers() {
        return numUsers;
    }

    /** @return number of items */
    public int numItems() {
        return numItems;
    }

    /**
     * @param u user id
     * @return the user's training items, sorted (do not modify)
     */
    public int[] train(int u) {
        return train[u];
    }

    /**
     * @param split a split name from {@link #splitNames()}
     * @param u user id
     * @return the user's items in that split, sorted (empty if the user is not in the split; do not modify)
     */
    public int[] split(String split, int u) {
        return rows(split)[u];
    }

    int[][] rows(String split) {
        int[][] r = splits.get(split);
        if (r == null) {
            throw new IllegalArgumentException("dataset " + name + " has no split '" + split + "'; known: "
                    + splits.keySet());
        }
        return r;
    }

    /** @return held-out split names, {@value #VALID} first */
    public List<String> splitNames() {
        return List.copyOf(splits.keySet());
    }

    /** @return the test split names (all held-out splits except {@value #VALID}) */
    public List<String> testSplits() {
        return splitNames().subList(1, splits.size());
    }

    /** @return checksums of the source files by file name (empty for generated data) */
    public Map<String, String> sha256() {
        return sha256;
    }

    /** @return number of training interactions |R| */
    public long numTrain() {
        return count(train);
    }

    /**
     * @param split a split name
     * @return number of (user, item) pairs in it
     */
    public long numPairs(String split) {
        return count(rows(split));
    }

    /**
     * @param split a split name
     * @return number of users with at least one item in it
     */
    public int numUsersIn(String split) {
        int c = 0;
        for (int[] r : rows(split)) {
            c += r.length > 0 ? 1 : 0;
        }
        return c;
    }

    /**
     * Counts the (user, item) pairs of a split whose item is also one of the user's training items (Coat: 71 of
     * the 860 pairs of each test split).
     *
     * @param split a split name
     * @return the number of such pairs
     */
    public long trainingOverlap(String split) {
        int[][] rows = rows(split);
        long c = 0;
        for (int u = 0; u < numUsers; u++) {
            for (int i : rows[u]) {
                c += Arrays.binarySearch(train[u], i) >= 0 ? 1 : 0;
            }
        }
        return c;
    }

    /**
     * The protocol option "drop training items from the test positives": a copy in which every test split (not
     * {@value #VALID}) loses the pairs whose item is one of the user's training items. Under the authors' protocol
     * (this dataset unchanged) such a positive is still a candidate, since a split's own positives are never
     * excluded (advinfonce.md §6), and a model that scores its training items high is rewarded for it; with the
     * option those items are excluded like any other training item and no longer count as positives. Users left
     * with no positive in a split drop out of that split's averages.
     *
     * @return the filtered copy, named {@code name + "-no-train-overlap"}
     */
    public CfDataset withoutTrainingItemsInTests() {
        Map<String, int[][]> out = new LinkedHashMap<>();
        for (Map.Entry<String, int[][]> e : splits.entrySet()) {
            if (e.getKey().equals(VALID)) {
                out.put(e.getKey(), e.getValue());
                continue;
            }
            int[][] rows = new int[numUsers][];
            for (int u = 0; u < numUsers; u++) {
                int[] t = train[u];
                rows[u] = Arrays.stream(e.getValue()[u]).filter(i -> Arrays.binarySearch(t, i) < 0).toArray();
            }
            out.put(e.getKey(), rows);
        }
        return new CfDataset(name + "-no-train-overlap", source + " (test positives that are training items "
                + "removed)", numUsers, numItems, train, out, sha256);
    }

    /** @return training interactions per item (popularity) */
    public long[] itemCounts() {
        long[] c = new long[numItems];
        for (int[] r : train) {
            for (int i : r) {
                c[i]++;
            }
        }
        return c;
    }

    private static long count(int[][] rows) {
        long c = 0;
        for (int[] r : rows) {
            c += r.length;
        }
        return c;
    }

    /** @return one row per split: users present, distinct items, pairs */
    public Table stats() {
        StringColumn split = StringColumn.create("split");
        DoubleColumn users = DoubleColumn.create("users");
        DoubleColumn items = DoubleColumn.create("items");
        DoubleColumn pairs = DoubleColumn.create("interactions");
        Map<String, int[][]> all = new LinkedHashMap<>();
        all.put("train", train);
        all.putAll(splits);
        for (Map.Entry<String, int[][]> e : all.entrySet()) {
            split.append(e.getKey());
            int nu = 0;
            boolean[] seen = new boolean[numItems];
            int ni = 0;
            for (int[] r : e.getValue()) {
                nu += r.length > 0 ? 1 : 0;
                for (int i : r) {
                    if (!seen[i]) {
                        seen[i] = true;
                        ni++;
                    }
                }
            }
            users.append(nu);
            items.append(ni);
            pairs.append(count(e.getValue()));
        }
        return Table.create(name + " statistics", split, users, items, pairs);
    }

    @Override
    public String toString() {
        return name + " (" + numUsers + " users, " + numItems + " items, " + numTrain() + " training pairs)";
    }
}
