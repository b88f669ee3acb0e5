package io.seqcl.data;

import java.util.Arrays;

/**
 * Pure preprocessing functions on {@link SequenceDataset}s; each returns a new dataset (common.md §1.1).
 *
 * <p>Filtering keeps item ids unchanged, so a filtered dataset may have unused ids; call
 * {@link #reindexItems(SequenceDataset)} afterwards to renumber the remaining items {@code 1..N'} (RecBole also
 * remaps ids after filtering). The rating filter lives in {@link InterFiles} because sequence text files carry
 * no ratings (common.md §1.2).
 */
public final class Filters {

    private Filters() {
    }

    /**
     * Applies k-core filtering with the same threshold for users and items (common.md §1.1).
     *
     * @param d the dataset
     * @param k minimum interactions per user and per item; {@code k <= 1} returns {@code d} itself (off)
     * @return the k-core, item ids unchanged, users in their original order
     */
    public static SequenceDataset kCore(SequenceDataset d, int k) {
        return kCore(d, k, k);
    }

    /**
     * Repeats until nothing changes: drop users with fewer than {@code minUser} interactions, then drop
     * (all occurrences of) items with fewer than {@code minItem} interactions (common.md §1.1).
     *
     * <p>Both this order and RecBole's simultaneous removal reach the same fixed point, the largest
     * subset in which every user and item meets its threshold. Repeated interactions (Yelp) count each time.
     * A user whose sequence loses items keeps the remaining items in chronological order.
     *
     * @param d the dataset
     * @param minUser minimum sequence length per user (values {@code <= 1} disable the user condition)
     * @param minItem minimum number of occurrences per item (values {@code <= 1} disable the item condition)
     * @return the filtered dataset (the same instance if both thresholds are {@code <= 1})
     * @throws IllegalArgumentException if the thresholds remove every user (the message names them)
     */
    public static SequenceDataset kCore(SequenceDataset d, int minUser, int minItem) {
        if (minUser <= 1 && minItem <= 1) {
            return d;
        }
        int n = d.numUsers();
        int[][] seqs = new int[n][];
        for (int u = 0; u < n; u++) {
            seqs[u] = d.sequence(u);
        }
        boolean[] userAlive = new boolean[n];
        Arrays.fill(userAlive, true);
        boolean[] itemAlive = new boolean[d.numItems() + 1];
        Arrays.fill(itemAlive, true);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int u = 0; u < n; u++) {
                if (userAlive[u] && seqs[u].length < minUser) {
                    userAlive[u] = false;
                    changed = true;
                }
            }
            long[] counts = new long[d.numItems() + 1];
            for (int u = 0; u < n; u++) {
                if (userAlive[u]) {
                    for (int i : seqs[u]) {
                        counts[i]++;
                    }
                }
            }
            boolean itemDropped = false;
            for (int i = 1; i < counts.length; i++) {
                if (itemAlive[i] && counts[i] < minItem) {
                    itemAlive[i] = false;
                    itemDropped = true;
                }
            }
            if (itemDropped) {
                changed = true;
                for (int u = 0; u < n; u++) {
                    if (userAlive[u]) {
                        seqs[u] = keep(seqs[u], itemAlive);
                        if (seqs[u].length == 0) {
                            userAlive[u] = false;
                        }
                    }
                }
            }
        }
        int kept = 0;
        for (boolean a : userAlive) {
            kept += a ? 1 : 0;
        }
        if (kept == 0) {
            int longest = 0;
            for (int u = 0; u < n; u++) {
                longest = Math.max(longest, d.length(u));
            }
            String thresholds = minUser == minItem ? "k-core threshold " + minUser
                    : "k-core thresholds " + minUser + " (users) and " + minItem + " (items)";
            throw new IllegalArgumentException("the " + thresholds + " removes every user of dataset " + d.name()
                    + " (" + n + " users, longest sequence " + longest + " interactions); use a smaller threshold"
                    + " (<= 1 turns the filter off)");
        }
        int[][] out = new int[kept][];
        int[] ids = new int[kept];
        int j = 0;
        for (int u = 0; u < n; u++) {
            if (userAlive[u]) {
                out[j] = seqs[u];
                ids[j++] = d.userId(u);
            }
        }
        return new SequenceDataset(d.name(), ids, out, d.numItems(), d.source(), d.sha256());
    }

    private static int[] keep(int[] s, boolean[] itemAlive) {
        int m = 0;
        for (int i : s) {
            m += itemAlive[i] ? 1 : 0;
        }
        if (m == s.length) {
            return s;
        }
        int[] r = new int[m];
        int j = 0;
        for (int i : s) {
            if (itemAlive[i]) {
                r[j++] = i;
            }
        }
        return r;
    }

    /**
     * Maps each old item id to its new id after re-indexing.
     *
     * @param d the dataset
     * @return an array of length {@code numItems + 1}: the new id in {@code 1..N'} of each occurring item, in
     *         ascending order of the old ids, and 0 for ids that do not occur (and for padding)
     */
    public static int[] itemIdMap(SequenceDataset d) {
        long[] counts = d.itemCounts();
        int[] map = new int[counts.length];
        int next = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > 0) {
                map[i] = ++next;
            }
        }
        return map;
    }

    /**
     * Renumbers the items that occur to {@code 1..N'} keeping their relative order (see {@link #itemIdMap}).
     *
     * <p>On a dataset whose ids are already contiguous this returns an equal dataset. Id 0 stays padding
     * (common.md, Notation).
     *
     * @param d the dataset
     * @return the re-indexed dataset with {@code numItems() == N'}
     * @throws IllegalArgumentException if the dataset has no interactions
     */
    public static SequenceDataset reindexItems(SequenceDataset d) {
        int[] map = itemIdMap(d);
        int newN = 0;
        for (int v : map) {
            newN = Math.max(newN, v);
        }
        if (newN == 0) {
            throw new IllegalArgumentException("dataset " + d.name() + " has no interactions to re-index");
        }
        int[][] seqs = new int[d.numUsers()][];
        int[] ids = new int[d.numUsers()];
        for (int u = 0; u < d.numUsers(); u++) {
            int[] s = d.sequence(u);
            for (int t = 0; t < s.length; t++) {
                s[t] = map[s[t]];
            }
            seqs[u] = s;
            ids[u] = d.userId(u);
        }
        return new SequenceDataset(d.name(), ids, seqs, newN, d.source(), d.sha256());
    }
}
