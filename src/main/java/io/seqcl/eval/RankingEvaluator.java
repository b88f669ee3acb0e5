package io.seqcl.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.seqcl.model.SequentialRecommender;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.EvalSet;

import java.util.Arrays;

/**
 * Full-ranking evaluation over all items {@code 1..N} with pessimistic ties (common.md section 5), ranked by the
 * shared core {@link Ranking}.
 *
 * <p>The rank of target {@code g} is {@code 1 + #{j in 1..N, j != g : score_j >= score_g}}, so a model that
 * gives every item the same score ranks every target last. The padding id 0 is never a candidate (this also
 * holds in {@link HistoryMode#ZERO} mode, where ContrastVAE's code would score row 0). History items are
 * treated as {@link HistoryMode} says; under {@link HistoryMode#NEG_INF} a target that occurs in its own
 * history can only be ranked last among the excluded items.
 *
 * <p>Ranks are counted in libtorch ({@code #{j : s_j >= s_target}} with one tensor comparison per batch) so that
 * only the targets' scores and the counts leave the engine; {@link #rank} is the plain-Java reference. History
 * items are not written into the score matrix (a copy of it per batch, which made a NEG_INF pass about half as
 * slow again as a NONE pass): the count is taken on the raw scores against the target's history-rule score and
 * corrected on the history items alone, which gives the same ranks.
 *
 * <p>Threads: with {@link #withThreads(int)} (default: the system property {@value #THREADS_PROPERTY}, else 1) the
 * batches of a pass are scored on that many threads at once when the model allows it
 * ({@link SequentialRecommender#concurrentScoring()}); every user's rank depends on its own scores only, so the
 * result is the same with any number of threads. Use one libtorch intra-op thread per evaluation thread.
 */
public final class RankingEvaluator {

    /** System property giving the default number of evaluation threads ({@link #withThreads(int)}). */
    public static final String THREADS_PROPERTY = "seqcl.evalThreads";

    /** Default cut-offs 5, 10 and 20. */
    public static final int[] DEFAULT_KS = {5, 10, 20};

    private final HistoryMode history;
    private final int[] ks;
    private final int batchSize;
    private final int threads;

    /**
     * Creates an evaluator.
     *
     * @param history what to do with history items
     * @param ks cut-offs reported in tables
     * @param batchSize users scored per model call
     */
    public RankingEvaluator(HistoryMode history, int[] ks, int batchSize) {
        if (history == null) {
            throw new IllegalArgumentException("history mode must not be null");
        }
        if (ks.length == 0 || Arrays.stream(ks).anyMatch(k -> k < 1)) {
            throw new IllegalArgumentException("cut-offs must be >= 1 and at least one is needed, got "
                    + Arrays.toString(ks));
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("evaluation batchSize must be >= 1, got " + batchSize);
        }
        this.history = history;
        this.ks = ks.clone();
        this.batchSize = batchSize;
        this.threads = defaultThreads();
    }

    private RankingEvaluator(RankingEvaluator e, int threads) {
        this.history = e.history;
        this.ks = e.ks;
        this.batchSize = e.batchSize;
        this.threads = threads;
    }

    /**
     * The same evaluator scoring up to {@code threads} batches at once (models with
     * {@link SequentialRecommender#concurrentScoring()}; others are scored one batch at a time).
     *
     * @param threads threads, at least 1
     * @return the evaluator
     */
    public RankingEvaluator withThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("evaluation threads must be >= 1, got " + threads);
        }
        return new RankingEvaluator(this, threads);
    }

    /** @return the threads scoring batches at once */
    public int threads() {
        return threads;
    }

    /**
     * The default number of evaluation threads: the system property {@value #THREADS_PROPERTY}, else 1.
     *
     * @return the threads
     * @throws IllegalArgumentException if the property is not a positive integer
     */
    public static int defaultThreads() {
        String v = System.getProperty(THREADS_PROPERTY);
        if (v == null || v.isBlank()) {
            return 1;
        }
        try {
            int t = Integer.parseInt(v.trim());
            if (t >= 1) {
                return t;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + THREADS_PROPERTY + " must be a positive integer, got '" + v + "'");
    }

    /** @return the history mode */
    public HistoryMode history() {
        return history;
    }

    /**
     * Ranks every target of an evaluation set.
     *
     * @param model the model (scores come from {@link SequentialRecommender#scoreAll(Batch)})
     * @param set the histories and targets
     * @return the per-user ranks and metrics
     * @throws IllegalStateException if the model returns NaN for a target
     */
    public EvalResult evaluate(SequentialRecommender model, EvalSet set) {
        io.seqcl.nn.Devices.noGradOnThisThread();
        int n = set.size();
        int[] ranks = new int[n];
        int batches = (n + batchSize - 1) / batchSize;
        int k = model.concurrentScoring() ? Math.min(threads, batches) : 1;
        if (k <= 1) {
            for (int start = 0; start < n; start += batchSize) {
                rankBatch(model, set, start, Math.min(n, start + batchSize), ranks);
            }
            return new EvalResult(set.name(), set.users(), ranks, ks);
        }
        // k workers (the caller and k - 1 pool threads) take batches in turn; ranks are written to disjoint ranges
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        Runnable worker = () -> {
            io.seqcl.nn.Devices.noGradOnThisThread();
            for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                int start = b * batchSize;
                rankBatch(model, set, start, Math.min(n, start + batchSize), ranks);
            }
        };
        // a failing worker makes the others stop after their current batch
        io.seqcl.util.Parallel.run(k, i -> {
            worker.run();
            return null;
        }, () -> next.set(batches));
        return new EvalResult(set.name(), set.users(), ranks, ks);
    }

    /** Ranks the targets of users {@code start..end-1} into {@code ranks}. */
    private void rankBatch(SequentialRecommender model, EvalSet set, int start, int end, int[] ranks) {
        int numItems = model.numItems();
        int[][] hist = Arrays.copyOfRange(set.inputs(), start, end);
        int[] users = Arrays.copyOfRange(set.users(), start, end);
        Batch batch = Batch.ofHistories(hist, users, model.inputSpec().maxLen(), model.inputSpec().padding());
        int rows = end - start;
        int width = numItems + 1;
        try (NDScope scope = new NDScope()) {
            NDArray s = model.scoreAll(batch);
            long cols = s.getShape().get(1);
            if (s.getShape().dimension() != 2 || cols != width) {
                throw new IllegalStateException(model.name() + ".scoreAll returned shape " + s.getShape()
                        + ", expected (" + rows + ", " + width + ")");
            }
            s = s.toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            long[] tg = new long[rows];
            for (int r = 0; r < rows; r++) {
                tg[r] = set.targets()[start + r];
            }
            float[] gv = s.gather(s.getManager().create(tg, new Shape(rows, 1)), 1).toFloatArray();
            History h = history == HistoryMode.NONE ? null : new History(hist, tg, numItems);
            float v = history == HistoryMode.ZERO ? 0f : Float.NEGATIVE_INFINITY;
            if (h != null) {
                for (int r = 0; r < rows; r++) {
                    if (h.targetInHistory[r]) {
                        gv[r] = v;
                    }
                }
            }
            for (int r = 0; r < rows; r++) {
                if (Float.isNaN(gv[r])) {
                    throw new IllegalStateException(model.name() + " produced a NaN score for user "
                            + users[r] + " (target item " + tg[r] + ")");
                }
            }
            // rank = #{j in 1..N : s'_j >= g'} with s' the scores after the history rule and g' the target's
            // s' score: counted on the raw scores against g', then corrected on the history items only
            NDArray g = s.getManager().create(gv, new Shape(rows, 1));
            long[] above = count(s.get(new NDIndex(":, 1:")).gte(g), numItems);
            float[] hs = h == null || h.flat.length == 0 ? null
                    : s.reshape(-1).take(s.getManager().create(h.flat)).toFloatArray();
            for (int r = 0; r < rows; r++) {
                long rank = above[r];
                if (h != null) {
                    for (int k = h.offsets[r]; k < h.offsets[r + 1]; k++) {
                        rank += (v >= gv[r] ? 1 : 0) - (hs[k] >= gv[r] ? 1 : 0);
                    }
                }
                ranks[start + r] = Math.toIntExact(rank);
            }
        }
    }

    /**
     * Counts the true entries of each row of a boolean matrix. The flags come to Java as one byte each and are
     * counted here: libtorch's sum of a bool tensor first copies it to int64, and a float32 copy first (the previous
     * way) cost more than the sum. Measured on {@code [256, 12101]} flags after the item product (2026-11-30, idle
     * machine, glibc thresholds of the launchers): 2.7 ms per batch counted here, 4.1 ms as an int64 sum in libtorch,
     * 16 ms through a float32 copy.
     *
     * @param flags {@code [B, W]} booleans
     * @param width W
     * @return the count of each row
     */
    static long[] count(NDArray flags, int width) {
        byte[] f = flags.toByteArray();
        int rows = f.length / width;
        long[] counts = new long[rows];
        for (int r = 0; r < rows; r++) {
            int c = 0;
            for (int j = r * width, end = j + width; j < end; j++) {
                c += f[j];
            }
            counts[r] = c;
        }
        return counts;
    }

    /**
     * The distinct history items of a batch's rows that are candidates (1..N), as flat indices into the
     * {@code [B, N + 1]} score matrix, and whether each row's target is one of them.
     */
    private static final class History {
        final long[] flat;
        final int[] offsets;
        final boolean[] targetInHistory;

        History(int[][] hist, long[] targets, int numItems) {
            int width = numItems + 1;
            int rows = hist.length;
            offsets = new int[rows + 1];
            targetInHistory = new boolean[rows];
            long[] buf = new long[Arrays.stream(hist).mapToInt(x -> x.length).sum()];
            int k = 0;
            for (int r = 0; r < rows; r++) {
                int[] items = hist[r].clone();
                Arrays.sort(items);
                for (int i = 0; i < items.length; i++) {
                    int item = items[i];
                    if (item < 1 || item > numItems || (i > 0 && items[i - 1] == item)) {
                        continue;
                    }
                    buf[k++] = (long) r * width + item;
                    targetInHistory[r] |= item == targets[r];
                }
                offsets[r + 1] = k;
            }
            flat = Arrays.copyOf(buf, k);
        }
    }

    /**
     * Applies the history handling to one row of scores in place (the reference for the tensor path).
     *
     * @param scores flat scores
     * @param offset index of item 0 of the row
     * @param history the user's history items
     * @param mode the history mode
     */
    static void applyHistory(float[] scores, int offset, int[] history, HistoryMode mode) {
        if (mode == HistoryMode.NONE) {
            return;
        }
        float v = mode == HistoryMode.ZERO ? 0f : Float.NEGATIVE_INFINITY;
        for (int item : history) {
            scores[offset + item] = v;
        }
    }

    /**
     * Pessimistic 1-based rank of {@code target} among candidates {@code 1..numItems}.
     *
     * @param scores flat scores
     * @param offset index of item 0 of the row
     * @param numItems N
     * @param target target item id
     * @return {@code 1 + #{j != target : score_j >= score_target}}
     */
    public static int rank(float[] scores, int offset, int numItems, int target) {
        return Ranking.rank(scores, offset, 1, numItems + 1, target);
    }
}
