package io.seqcl.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A seeded generator of user sequences with known sequential structure, used when no benchmark files exist.
 *
 * <p>Items {@code 1..N} follow a sparse first-order Markov chain: item {@code i} has {@code successors}
 * distinct successors (never itself) with fixed probabilities proportional to {@code 2^-j} for the j-th
 * successor (e.g. 4/7, 2/7, 1/7 for three). Popularity is Zipf-like: item {@code i} has weight
 * {@code 1 / i^zipfExponent}, so item 1 is the most popular. Each user's length is uniform in
 * {@code [minLength, maxLength]}; the first item is drawn from the popularity distribution and every next item,
 * with probability {@code jumpProbability}, is a random jump drawn from the popularity distribution, else a
 * successor of the current item. Successors are drawn uniformly (distinct, never the item itself), so the
 * popularity skew comes only from starts and jumps: with the defaults a popularity ranking reaches about
 * HR@10 0.08 on the last item (random: 0.02) while the true chain reaches about 0.94.
 *
 * <p>The true next-item distribution is {@link #transitionProbability(int, int)}; a next-item model can
 * approach it, while a popularity ranking only captures the marginal skew. Ids follow common.md (0 = padding).
 */
public final class SyntheticDataset {

    private final SyntheticConfig config;
    private final double[] popularity;   // index 1..N, sums to 1
    private final double[] popularityCdf; // index 0..N-1 -> cumulative of items 1..N
    private final int[][] successors;     // [item][j]
    private final double[] successorWeights;
    private final SequenceDataset dataset;

    private SyntheticDataset(SyntheticConfig config) {
        this.config = config;
        int n = config.items();
        popularity = new double[n + 1];
        double total = 0;
        for (int i = 1; i <= n; i++) {
            popularity[i] = Math.pow(i, -config.zipfExponent());
            total += popularity[i];
        }
        popularityCdf = new double[n];
        double acc = 0;
        for (int i = 1; i <= n; i++) {
            popularity[i] /= total;
            acc += popularity[i];
            popularityCdf[i - 1] = acc;
        }
        popularityCdf[n - 1] = 1.0;
        successorWeights = new double[config.successors()];
        double w = 0;
        for (int j = 0; j < successorWeights.length; j++) {
            successorWeights[j] = Math.pow(2, -j);
            w += successorWeights[j];
        }
        for (int j = 0; j < successorWeights.length; j++) {
            successorWeights[j] /= w;
        }
        SplittableRandom rnd = new SplittableRandom(config.seed());
        successors = new int[n + 1][];
        for (int i = 1; i <= n; i++) {
            successors[i] = drawSuccessors(i, rnd);
        }
        dataset = generate(rnd);
    }

    /**
     * Generates a dataset; the same config (including the seed) always gives the same result.
     *
     * @param config the parameters
     * @return the generator with its chain and the generated dataset
     */
    public static SyntheticDataset create(SyntheticConfig config) {
        return new SyntheticDataset(config);
    }

    /**
     * A dataset with user communities and no sequential structure (baselines.md section 2, the BPR-MF learning
     * check): items {@code 1..N} are cut into {@code communities} disjoint contiguous blocks of (nearly) equal size;
     * each user belongs to one block, chosen uniformly, and draws {@code length} distinct items from it in random
     * order (length uniform in {@code [minLength, maxLength]}). A collaborative model can learn a user's block from
     * the training items; a popularity ranking is near uniform; the order carries no signal.
     *
     * @param users number of users (at least 1)
     * @param items number of items N
     * @param communities number of blocks C (at least 1; every block must hold {@code maxLength} items)
     * @param minLength shortest sequence (at least 1)
     * @param maxLength longest sequence (at least {@code minLength}, at most {@code N / C})
     * @param seed random seed; equal arguments give identical datasets
     * @return the dataset, named "synthetic-communities", user ids 1..users
     * @throws IllegalArgumentException naming the first invalid parameter
     */
    public static SequenceDataset communities(int users, int items, int communities, int minLength, int maxLength,
                                              long seed) {
        String p = "SyntheticDataset.communities: ";
        if (users < 1) {
            throw new IllegalArgumentException(p + "users must be >= 1, got " + users);
        }
        if (communities < 1) {
            throw new IllegalArgumentException(p + "communities must be >= 1, got " + communities);
        }
        if (minLength < 1 || maxLength < minLength) {
            throw new IllegalArgumentException(p + "need 1 <= minLength <= maxLength, got " + minLength + ", "
                    + maxLength);
        }
        if (items / Math.max(1, communities) < maxLength) {
            throw new IllegalArgumentException(p + "items / communities (" + items + " / " + communities
                    + ") must be >= maxLength " + maxLength);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        int[][] seqs = new int[users][];
        int[] ids = new int[users];
        for (int u = 0; u < users; u++) {
            int c = rnd.nextInt(communities);
            int from = communityStart(items, communities, c);
            int size = communityStart(items, communities, c + 1) - from;
            int len = minLength + rnd.nextInt(maxLength - minLength + 1);
            int[] block = new int[size];
            for (int i = 0; i < size; i++) {
                block[i] = from + i;
            }
            for (int i = 0; i < len; i++) {
                int j = i + rnd.nextInt(size - i);
                int tmp = block[i];
                block[i] = block[j];
                block[j] = tmp;
            }
            seqs[u] = Arrays.copyOf(block, len);
            ids[u] = u + 1;
        }
        return new SequenceDataset("synthetic-communities", ids, seqs, items, "synthetic communities users=" + users
                + " items=" + items + " communities=" + communities + " lengths=" + minLength + ".." + maxLength
                + " seed=" + seed, null);
    }

    /**
     * The first item of a community block of {@link #communities}.
     *
     * @param items N
     * @param communities C
     * @param c block index {@code 0..C} (C gives {@code N + 1})
     * @return the first item id of block {@code c}
     */
    public static int communityStart(int items, int communities, int c) {
        return 1 + (int) ((long) items * c / communities);
    }

    /** @return the dataset of {@link SyntheticConfig#defaults()}, named "synthetic" */
    public static SequenceDataset defaultDataset() {
        return create(SyntheticConfig.defaults()).dataset();
    }

    /** @return the generated sequences (name "synthetic", user ids 1..users) */
    public SequenceDataset dataset() {
        return dataset;
    }

    /** @return the configuration used */
    public SyntheticConfig config() {
        return config;
    }

    /**
     * Returns the successors of an item, most likely first.
     *
     * @param item an item id in {@code 1..items}
     * @return a copy of its successor ids
     */
    public int[] successors(int item) {
        return successors[checkItem(item)].clone();
    }

    /**
     * Returns the chain probability of each successor slot, matching the order of {@link #successors(int)}.
     *
     * @return a copy of the weights (they sum to 1; the jump is not included)
     */
    public double[] successorWeights() {
        return successorWeights.clone();
    }

    /**
     * Returns the popularity (start and jump) probability of an item.
     *
     * @param item an item id
     * @return {@code (1 / item^s) / sum_k (1 / k^s)}
     */
    public double popularity(int item) {
        return popularity[checkItem(item)];
    }

    /**
     * Returns the true probability that {@code to} follows {@code from}, including random jumps.
     *
     * @param from the current item
     * @param to the next item
     * @return {@code (1 - jump) * weight of to among from's successors + jump * popularity(to)}
     */
    public double transitionProbability(int from, int to) {
        checkItem(to);
        int[] s = successors[checkItem(from)];
        double p = config.jumpProbability() * popularity[to];
        for (int j = 0; j < s.length; j++) {
            if (s[j] == to) {
                p += (1 - config.jumpProbability()) * successorWeights[j];
            }
        }
        return p;
    }

    private int checkItem(int item) {
        if (item < 1 || item > config.items()) {
            throw new IllegalArgumentException("item " + item + " outside 1.." + config.items());
        }
        return item;
    }

    private int drawPopular(SplittableRandom rnd) {
        int k = Arrays.binarySearch(popularityCdf, rnd.nextDouble());
        int idx = k >= 0 ? k : -k - 1;
        return Math.min(idx, popularityCdf.length - 1) + 1;
    }

    private int[] drawSuccessors(int item, SplittableRandom rnd) {
        int[] s = new int[config.successors()];
        int filled = 0;
        while (filled < s.length) {
            int c = 1 + rnd.nextInt(config.items());
            if (c == item || contains(s, filled, c)) {
                continue;
            }
            s[filled++] = c;
        }
        return s;
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }

    private SequenceDataset generate(SplittableRandom rnd) {
        int[][] seqs = new int[config.users()][];
        int[] ids = new int[config.users()];
        double[] cum = new double[successorWeights.length];
        double acc = 0;
        for (int j = 0; j < cum.length; j++) {
            acc += successorWeights[j];
            cum[j] = acc;
        }
        for (int u = 0; u < seqs.length; u++) {
            int len = config.minLength() + rnd.nextInt(config.maxLength() - config.minLength() + 1);
            int[] s = new int[len];
            s[0] = drawPopular(rnd);
            for (int t = 1; t < len; t++) {
                if (rnd.nextDouble() < config.jumpProbability()) {
                    s[t] = drawPopular(rnd);
                } else {
                    double r = rnd.nextDouble();
                    int j = 0;
                    while (j < cum.length - 1 && r >= cum[j]) {
                        j++;
                    }
                    s[t] = successors[s[t - 1]][j];
                }
            }
            seqs[u] = s;
            ids[u] = u + 1;
        }
        return new SequenceDataset(Datasets.SYNTHETIC, ids, seqs, config.items(),
                "synthetic " + config, null);
    }
}
