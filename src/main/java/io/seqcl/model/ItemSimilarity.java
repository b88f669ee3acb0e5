package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The most similar item of every item with its min-max normalised similarity: CoSeRec's item-similarity models
 * for informative insert and substitute (Liu et al., arXiv:2108.06479; baselines.md §9) — offline ItemCF-IUF,
 * online dot products of the item embeddings, and their hybrid (the higher normalised score wins).
 *
 * <p>Offline ItemCF-IUF over the users' item sets {@code S_u}: {@code C_ij = sum_{u: i,j in S_u} 1/ln(1+|S_u|)},
 * {@code sim(i,j) = C_ij / sqrt(N_i N_j)} with {@code N_i} the number of sets holding {@code i}; ties go to the first
 * co-occurrence seen (users in order, items in sequence order); an item without co-occurrence gets a uniformly
 * random item (seeded). Scores are normalised with the minimum and maximum over all co-occurring pairs.
 *
 * <p>Deviations: the reference code caches the offline model on disk (a pickle); here it is recomputed in
 * {@code prepare} (a second or two on Beauty). The online model is computed by blocked matrix products and the
 * arg-max in Java; its table has N+1 rows (the reference's N+2-row table has an untrained mask row).
 */
public final class ItemSimilarity {

    private final int[] top1;
    private final float[] score;

    private ItemSimilarity(int[] top1, float[] score) {
        this.top1 = top1;
        this.score = score;
    }

    /**
     * A model from explicit arrays (tests, imported similarity tables).
     *
     * @param top1 most similar item per id 0..N
     * @param score normalised score per id 0..N
     * @return the model
     */
    static ItemSimilarity of(int[] top1, float[] score) {
        if (top1.length != score.length) {
            throw new IllegalArgumentException("top1 and score lengths differ");
        }
        return new ItemSimilarity(top1.clone(), score.clone());
    }

    /** @return the number of items N */
    public int numItems() {
        return top1.length - 1;
    }

    /**
     * @param item an item id in 1..N (0 and ids outside the table map to themselves)
     * @return its most similar item
     */
    public int top1(int item) {
        return item > 0 && item < top1.length ? top1[item] : item;
    }

    /**
     * @param item an item id in 1..N
     * @return the normalised similarity of its most similar item, in [0, 1] (-1 for a random fallback)
     */
    public float score(int item) {
        return score[item];
    }

    /**
     * Offline ItemCF-IUF.
     *
     * @param numItems N
     * @param sequences the users' training sequences (ids 1..N; 0 is ignored)
     * @param seed seed of the random fallback for items without co-occurrence
     * @return the model
     */
    public static ItemSimilarity itemCfIuf(int numItems, int[][] sequences, long seed) {
        int[][] sets = new int[sequences.length][];
        int[] count = new int[numItems + 1];
        int[] degree = new int[numItems + 1];
        for (int u = 0; u < sequences.length; u++) {
            java.util.LinkedHashSet<Integer> s = new java.util.LinkedHashSet<>();
            for (int i : sequences[u]) {
                if (i < 0 || i > numItems) {
                    throw new IllegalArgumentException("item id " + i + " of sequence " + u + " outside 0.." + numItems);
                }
                if (i > 0) {
                    s.add(i);
                }
            }
            sets[u] = s.stream().mapToInt(Integer::intValue).toArray();
            for (int i : sets[u]) {
                count[i]++;
            }
        }
        // users holding each item, in user order
        int[][] usersOf = new int[numItems + 1][];
        for (int i = 0; i <= numItems; i++) {
            usersOf[i] = new int[count[i]];
        }
        for (int u = 0; u < sets.length; u++) {
            for (int i : sets[u]) {
                usersOf[i][degree[i]++] = u;
            }
        }
        int[] top = new int[numItems + 1];
        float[] raw = new float[numItems + 1];
        boolean[] found = new boolean[numItems + 1];
        double[] c = new double[numItems + 1];
        int[] touched = new int[numItems + 1];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 1; i <= numItems; i++) {
            int nt = 0;
            for (int u : usersOf[i]) {
                double w = 1.0 / Math.log(1 + sets[u].length);
                for (int j : sets[u]) {
                    if (j == i) {
                        continue;
                    }
                    if (c[j] == 0) {
                        touched[nt++] = j;
                    }
                    c[j] += w;
                }
            }
            double best = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < nt; k++) {
                int j = touched[k];
                double s = c[j] / Math.sqrt((double) count[i] * count[j]);
                min = Math.min(min, s);
                max = Math.max(max, s);
                if (s > best) {
                    best = s;
                    top[i] = j;
                }
                c[j] = 0;
            }
            if (nt > 0) {
                found[i] = true;
                raw[i] = (float) best;
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        float[] score = new float[numItems + 1];
        double range = max - min;
        for (int i = 1; i <= numItems; i++) {
            if (found[i]) {
                score[i] = range > 0 ? (float) ((raw[i] - min) / range) : 1f;
            } else {
                top[i] = 1 + rng.nextInt(numItems);
                score[i] = -1f;
            }
        }
        return new ItemSimilarity(top, score);
    }

    /**
     * Online similarity from an item embedding table: {@code sim(i, j) = e_i . e_j}, top-1 over {@code j != i},
     * normalised with the global minimum and maximum over the compared pairs (self pairs included, as in the code).
     *
     * @param table item table {@code [R, d]} whose rows 1..N are the items (R >= N+1)
     * @param numItems N
     * @param allRows whether candidates {@code j} range over all R rows, padding row 0 included (the code's quirk),
     *     or over the items 1..N only
     * @return the model
     */
    public static ItemSimilarity online(NDArray table, int numItems, boolean allRows) {
        int rows = (int) table.getShape().get(0);
        if (rows < numItems + 1) {
            throw new IllegalArgumentException("table has " + rows + " rows, needs at least N+1 = " + (numItems + 1));
        }
        int from = allRows ? 0 : 1;
        int to = allRows ? rows : numItems + 1;
        int[] top = new int[numItems + 1];
        float[] raw = new float[numItems + 1];
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        int block = 1024;
        try (NDScope scope = new NDScope()) {
            NDArray cand = table.get(new NDIndex(from + ":" + to)).transpose();
            int width = to - from;
            for (int a = 1; a <= numItems; a += block) {
                int b = Math.min(numItems + 1, a + block);
                float[] s = table.get(new NDIndex(a + ":" + b)).matMul(cand).toFloatArray();
                for (int r = 0; r < b - a; r++) {
                    int i = a + r;
                    float best = Float.NEGATIVE_INFINITY;
                    int arg = -1;
                    int off = r * width;
                    for (int k = 0; k < width; k++) {
                        float v = s[off + k];
                        if (v < min) {
                            min = v;
                        }
                        if (v > max) {
                            max = v;
                        }
                        int j = from + k;
                        if (j != i && v > best) {
                            best = v;
                            arg = j;
                        }
                    }
                    top[i] = arg < 0 ? i : arg;
                    raw[i] = best;
                }
            }
        }
        float[] score = new float[numItems + 1];
        float range = max - min;
        for (int i = 1; i <= numItems; i++) {
            score[i] = range > 0 ? (raw[i] - min) / range : 1f;
        }
        return new ItemSimilarity(top, score);
    }

    /**
     * The hybrid of CoSeRec: per item, the candidate with the higher normalised score (this model wins ties).
     *
     * @param other the other model over the same items
     * @return the hybrid
     */
    public ItemSimilarity hybrid(ItemSimilarity other) {
        if (other.top1.length != top1.length) {
            throw new IllegalArgumentException("similarity models over different catalogues: " + numItems() + " vs "
                    + other.numItems());
        }
        int[] t = top1.clone();
        float[] s = score.clone();
        for (int i = 1; i < t.length; i++) {
            if (other.score[i] > s[i]) {
                t[i] = other.top1[i];
                s[i] = other.score[i];
            }
        }
        return new ItemSimilarity(t, s);
    }

    /**
     * The raw ItemCF-IUF similarity of one pair (for tests and inspection; O(#users)).
     *
     * @param sequences the users' sequences
     * @param i an item
     * @param j another item
     * @return {@code C_ij / sqrt(N_i N_j)} (0 without co-occurrence)
     */
    public static double itemCfIufPair(int[][] sequences, int i, int j) {
        double c = 0;
        int ni = 0;
        int nj = 0;
        for (int[] seq : sequences) {
            int[] s = Arrays.stream(seq).filter(x -> x > 0).distinct().toArray();
            boolean hi = Arrays.stream(s).anyMatch(x -> x == i);
            boolean hj = Arrays.stream(s).anyMatch(x -> x == j);
            ni += hi ? 1 : 0;
            nj += hj ? 1 : 0;
            if (hi && hj && i != j) {
                c += 1.0 / Math.log(1 + s.length);
            }
        }
        return ni == 0 || nj == 0 ? 0 : c / Math.sqrt((double) ni * nj);
    }
}
