package io.seqcl.nn;

import java.util.function.Supplier;

/**
 * More libtorch intra-op threads for the few large operators of a step, one thread for the thousands of small ones.
 *
 * <p>Why: a packed training step can be a few large {@code [tokens, items]} matrix products and softmaxes (the
 * full-softmax cross-entropy over every position, as in Meta-SGCL) among thousands of small operators. A second thread
 * nearly halves the large ones but slows every small one (OpenMP's fork and join: a {@code [1400, 64] x [64, 64]}
 * product took 65 us at one thread and 97 us at two on the project's 2-core machine, 2026-12-01), which is why a
 * packed step gained little or nothing from two threads (README "Engine, speed and GPU", item 5 of the performance
 * issue). With {@code wide} threads set above the process's intra-op count, {@link #run} raises libtorch's count for
 * the work it wraps and restores it afterwards ({@code torch::set_num_threads}, about 30 us per switch).
 *
 * <p>Set by the system property {@code seqcl.wideThreads} (e.g. {@code -Dai.djl.pytorch.num_threads=1
 * -Dseqcl.wideThreads=2} in {@code SEQCL_JAVA_OPTS}) or {@link #set}; 0, the default, leaves the thread count
 * alone. Use it when one job has the machine; two jobs side by side with one thread each (the background
 * reproductions) should leave it off. The thread count is process-wide: wrapped work must not run while another
 * Java thread uses libtorch (seqcl trains and evaluates on one thread). Results may differ from a one-thread run in
 * the last bits of a float (libtorch may split a product differently), and are the same for the same setting.
 */
public final class WideThreads {

    /** System property holding the wide thread count. */
    public static final String PROPERTY = "seqcl.wideThreads";

    /** The count, or null until {@link #set} or the first read of the property (a bad value fails that read). */
    private static volatile Integer wide;

    private WideThreads() {
    }

    static int parse(String v) {
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + v + ": expected a thread count >= 0 (0 = off)");
    }

    /**
     * Sets the wide thread count for the process.
     *
     * @param threads threads for the wrapped large operators; 0 turns the switch off
     * @throws IllegalArgumentException if negative
     */
    public static void set(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("wide threads must be >= 0 (0 = off), got " + threads);
        }
        wide = threads;
    }

    /** Forgets the count, so that the next read takes the property again (tests). */
    static void reread() {
        wide = null;
    }

    /**
     * @return the wide thread count, 0 if off
     * @throws IllegalArgumentException if the property {@code seqcl.wideThreads} is not a count >= 0
     */
    public static int get() {
        Integer w = wide;
        if (w == null) {
            w = parse(System.getProperty(PROPERTY));
            wide = w;
        }
        return w;
    }

    /**
     * Operators whose largest tensor has fewer entries are left at the process's thread count: measured on the
     * project's 2-core machine (2026-12-01, packed steps, 1 thread against 1 thread with 2 wide), the cross-entropy
     * of SASRec on Beauty ({@code 256 x 12,101}, 3.1 M entries) got slower with 2 threads (72.6 against 66.5-68.8 ms
     * per step), Meta-SGCL's on Toys (about {@code 1,400 x 11,924}, 16.7 M) faster (404 against 489 ms).
     */
    public static final long MIN_ENTRIES = 1L << 23;

    /**
     * Runs {@code work} with libtorch's intra-op thread count raised to the wide count, if that is set and above
     * the current count and {@code entries} is at least {@link #MIN_ENTRIES}, and restores the count afterwards,
     * also when {@code work} throws.
     *
     * @param entries the number of entries of the largest tensor {@code work} computes
     * @param work the large operators
     * @param <T> result type
     * @return what {@code work} returns
     * @throws IllegalArgumentException if the property {@code seqcl.wideThreads} is not a count >= 0
     */
    public static <T> T run(long entries, Supplier<T> work) {
        int w = get();
        if (w <= 0 || entries < MIN_ENTRIES) {
            return work.get();
        }
        int base = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        if (w <= base) {
            return work.get();
        }
        ai.djl.pytorch.jni.JniUtils.setNumThreads(w);
        try {
            return work.get();
        } finally {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(base);
        }
    }
}
