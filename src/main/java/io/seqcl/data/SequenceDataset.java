package io.seqcl.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable set of chronological user sequences over items {@code 1..numItems} (id 0 is padding).
 *
 * <p>User {@code u} (0-based index in file order) has the sequence {@link #sequence(int)}; the original user id
 * from the file is {@link #userId(int)}. The arrays handed out are copies: the stored sequences can never be
 * modified by a caller, an augmentation or a noise injector.
 */
public final class SequenceDataset {

    private final String name;
    private final int[][] sequences;
    private final int[] userIds;
    private final int numItems;
    private final String source;
    private final String sha256;
    private final String key;

    /**
     * Creates a dataset; the arrays are copied.
     *
     * @param name a short name, e.g. "beauty"
     * @param userIds original user id of each user (same length as {@code sequences})
     * @param sequences one chronological item array per user, items in {@code 1..numItems}
     * @param numItems the largest item id (the item vocabulary is {@code 1..numItems})
     * @param source where the data came from (a path, or a description for generated data)
     * @param sha256 hex SHA-256 of the source file, or {@code null} if not from a file
     * @throws IllegalArgumentException if an item id is outside {@code 1..numItems}, a sequence is empty, or
     *         {@code numItems} is not in {@code 1..2^31-2}
     */
    public SequenceDataset(String name, int[] userIds, int[][] sequences, int numItems, String source, String sha256) {
        this(name, userIds, sequences, numItems, source, sha256, null);
    }

    private SequenceDataset(String name, int[] userIds, int[][] sequences, int numItems, String source, String sha256,
                            String key) {
        this.key = key;
        this.name = Objects.requireNonNull(name, "name");
        this.source = Objects.requireNonNull(source, "source");
        this.sha256 = sha256;
        if (userIds.length != sequences.length) {
            throw new IllegalArgumentException("userIds has " + userIds.length + " entries but there are "
                    + sequences.length + " sequences");
        }
        if (numItems < 1 || numItems == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("numItems must be in 1.." + (Integer.MAX_VALUE - 1)
                    + " (item tables have numItems + 1 rows), got " + numItems);
        }
        this.numItems = numItems;
        this.userIds = userIds.clone();
        this.sequences = new int[sequences.length][];
        for (int u = 0; u < sequences.length; u++) {
            int[] s = sequences[u];
            if (s == null || s.length == 0) {
                throw new IllegalArgumentException("dataset " + name + ": user " + userIds[u] + " has an empty sequence");
            }
            for (int item : s) {
                if (item < 1 || item > numItems) {
                    throw new IllegalArgumentException("dataset " + name + ": user " + userIds[u] + " has item id "
                            + item + " outside 1.." + numItems);
                }
            }
            this.sequences[u] = s.clone();
        }
    }

    /** @return the dataset name */
    public String name() {
        return name;
    }

    /** @return number of users */
    public int numUsers() {
        return sequences.length;
    }

    /** @return the largest item id; ids run {@code 1..numItems} and 0 is padding */
    public int numItems() {
        return numItems;
    }

    /** @return where the data came from */
    public String source() {
        return source;
    }

    /** @return hex SHA-256 of the source file, or {@code null} for generated data */
    public String sha256() {
        return sha256;
    }

    /**
     * Returns a copy of one user's chronological sequence.
     *
     * @param u the 0-based user index
     * @return a fresh copy of the items
     */
    public int[] sequence(int u) {
        return sequences[u].clone();
    }

    /**
     * Returns the length of one user's sequence without copying it.
     *
     * @param u the 0-based user index
     * @return its number of interactions
     */
    public int length(int u) {
        return sequences[u].length;
    }

    /**
     * Returns the original user id of a user index.
     *
     * @param u the 0-based user index
     * @return the id read from the file
     */
    public int userId(int u) {
        return userIds[u];
    }

    /** @return the total number of interactions */
    public long numInteractions() {
        long n = 0;
        for (int[] s : sequences) {
            n += s.length;
        }
        return n;
    }

    /**
     * Counts how often each item occurs over all sequences.
     *
     * @return an array of length {@code numItems + 1}; index 0 (padding) is 0
     */
    public long[] itemCounts() {
        long[] c = new long[numItems + 1];
        for (int[] s : sequences) {
            for (int i : s) {
                c[i]++;
            }
        }
        return c;
    }

    /**
     * Returns a dataset with the same items and only the users selected.
     *
     * @param newName name of the result
     * @param users 0-based user indices to keep, in the order wanted
     * @return the subset (item ids are unchanged)
     */
    public SequenceDataset subset(String newName, int[] users) {
        int[][] s = new int[users.length][];
        int[] ids = new int[users.length];
        for (int i = 0; i < users.length; i++) {
            s[i] = sequences[users[i]];
            ids[i] = userIds[users[i]];
        }
        return new SequenceDataset(newName, ids, s, numItems, source, sha256, key);
    }

    /**
     * Returns the data restricted to its {@code keep} most frequent items: every other item is removed from the
     * sequences (the order of the rest is kept), the kept items are renumbered {@code 1..keep} in the order of their
     * old ids, and users left with fewer than {@code minLength} items are dropped. Equal counts are broken by the
     * lower id. A smaller catalogue gives every item embedding many more updates per epoch, which is what lets a
     * short run learn (the quick budget); it also changes the task, so results on it are not comparable with results
     * on the whole catalogue.
     *
     * @param newName name of the result
     * @param keep how many items to keep, at least 1
     * @param minLength the shortest sequence kept, at least 1
     * @return the restricted data (same key, source and checksum)
     * @throws IllegalArgumentException if an argument is out of range or no user is left
     */
    public SequenceDataset topItems(String newName, int keep, int minLength) {
        if (keep < 1 || minLength < 1) {
            throw new IllegalArgumentException("topItems needs keep >= 1 and minLength >= 1, got " + keep + " and "
                    + minLength);
        }
        if (keep >= numItems && minLength <= 1) {
            return new SequenceDataset(newName, userIds, sequences, numItems, source, sha256, key);
        }
        long[] counts = itemCounts();
        Integer[] order = new Integer[numItems];
        for (int i = 0; i < numItems; i++) {
            order[i] = i + 1;
        }
        Arrays.sort(order, (a, b) -> counts[a] != counts[b] ? Long.compare(counts[b], counts[a]) : Integer.compare(a, b));
        int kept = Math.min(keep, numItems);
        boolean[] in = new boolean[numItems + 1];
        for (int i = 0; i < kept; i++) {
            in[order[i]] = true;
        }
        int[] newId = new int[numItems + 1];
        int next = 0;
        for (int i = 1; i <= numItems; i++) {
            if (in[i]) {
                newId[i] = ++next;
            }
        }
        java.util.List<int[]> seqs = new java.util.ArrayList<>();
        java.util.List<Integer> ids = new java.util.ArrayList<>();
        for (int u = 0; u < sequences.length; u++) {
            int[] s = Arrays.stream(sequences[u]).filter(i -> in[i]).map(i -> newId[i]).toArray();
            if (s.length >= minLength) {
                seqs.add(s);
                ids.add(userIds[u]);
            }
        }
        if (seqs.isEmpty()) {
            throw new IllegalArgumentException("dataset " + name + ": no user has " + minLength
                    + " or more of the " + kept + " most frequent items");
        }
        return new SequenceDataset(newName, ids.stream().mapToInt(Integer::intValue).toArray(),
                seqs.toArray(new int[0][]), next, source, sha256, key);
    }

    /**
     * The benchmark this dataset is (or is a sample of), as the key of per-dataset presets: e.g. "beauty", "toys",
     * "ml-1m"; {@code null} for data that is not a registered benchmark.
     *
     * @return the key or null
     */
    public String key() {
        return key;
    }

    /**
     * The same data labelled with a benchmark key (see {@link #key()}).
     *
     * @param newKey e.g. "beauty"
     * @return a copy with the key
     */
    public SequenceDataset withKey(String newKey) {
        return new SequenceDataset(name, userIds, sequences, numItems, source, sha256, newKey);
    }

    @Override
    public String toString() {
        return "SequenceDataset[" + name + ": " + numUsers() + " users, " + numItems + " items, "
                + numInteractions() + " interactions, source " + source + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequenceDataset d && d.numItems == numItems && d.name.equals(name)
                && Arrays.equals(d.userIds, userIds) && Arrays.deepEquals(d.sequences, sequences);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, numItems, Arrays.hashCode(userIds), Arrays.deepHashCode(sequences));
    }
}
