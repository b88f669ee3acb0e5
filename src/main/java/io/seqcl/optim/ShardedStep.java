package io.seqcl.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.seqcl.nn.Adam;
import io.seqcl.nn.Ops;
import io.seqcl.nn.Params;
import io.seqcl.protocol.Batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One Adam step on a {@link SplitLoss}, with the batch cut into {@code shards} contiguous row ranges whose forward
 * and backward passes run at the same time, one per thread (data parallelism inside a step;
 * {@link io.seqcl.train.TrainConfig#shards()}).
 *
 * <p>Range {@code i} computes its part {@code P_i} (its per-row terms, scaled by its share of the batch's
 * normalisers, e.g. {@code (M_i / M) L_i} for a mean over {@code M} target slots) and its representations
 * {@code R_i}. When the loss has a joint term (a contrastive loss with in-batch negatives), the ranges wait for one
 * another; the last to arrive computes {@code J} on detached copies of the concatenated representations and
 * back-propagates it to them; then every range back-propagates {@code P_i + sum_j <R_ij, dJ/dR_ij>}. The gradients
 * accumulated in the shared parameters are those of {@code sum_i P_i + J}, the whole batch's loss; the optimizer
 * then steps once. Each parameter receives one accumulation per range; with two ranges the sum is the same in either
 * order, so a run repeats exactly.
 *
 * <p>Randomness: libtorch's generator is shared by all threads, so its draw order would depend on timing. Every
 * range therefore draws its dropout masks in Java ({@link Ops#withDropout}) from its own stream, derived from the
 * step's stream and the range index, and gets its own {@link StepContext} stream (augmentations, noise); the numbers
 * differ from an unsharded step (other draws) but are the same on every run with the same seed and shard count.
 * With dropout off and nothing drawn at random, a sharded step equals the unsharded one up to float rounding
 * ({@code ShardedStepTest}).
 *
 * <p>Use one libtorch intra-op thread ({@code -Dai.djl.pytorch.num_threads=1}): each range's thread then runs its
 * operators itself, and two ranges keep the 2 cores of this project's machine busy where a second intra-op thread
 * slows the many small operators of a packed step (README "Engine, speed and GPU").
 */
public final class ShardedStep implements TrainStep {

    private final String name;
    private final SplitLoss loss;
    private final Adam adam;
    private final double maxLoss;
    private final int shards;

    /**
     * Creates the step.
     *
     * @param name model name for error messages
     * @param params all trained parameters
     * @param loss the loss, split into row-range parts and a joint term
     * @param config optimizer settings
     * @param shards parts per batch, at least 1
     */
    public ShardedStep(String name, Params params, SplitLoss loss, OptimConfig config, int shards) {
        checkShards(shards);
        this.name = name;
        this.loss = loss;
        this.adam = config.newAdam(params, params.names());
        this.maxLoss = config.maxLoss();
        this.shards = shards;
    }

    /**
     * Checks a number of row ranges per batch.
     *
     * @param shards the number
     * @throws IllegalArgumentException if it is below 1, or above 1 while wide threads are on (they change
     *     libtorch's global thread count under the ranges' threads)
     */
    static void checkShards(int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be >= 1, got " + shards);
        }
        if (shards > 1 && io.seqcl.nn.WideThreads.get() > 0) {
            throw new IllegalArgumentException("shards > 1 cannot be combined with wide threads (-D"
                    + io.seqcl.nn.WideThreads.PROPERTY + "), which change libtorch's global thread count");
        }
    }

    @Override
    public double step(Batch batch, StepContext ctx) {
        long t0 = System.nanoTime();
        double value = backward(batch, ctx);
        long t1 = System.nanoTime();
        SingleLossStep.check(name, value, ctx, maxLoss);
        adam.step();
        StepProfile.add(t1 - t0, 0, System.nanoTime() - t1);
        return value;
    }

    /**
     * Runs every range's forward and backward pass, accumulating the batch's gradients without stepping.
     *
     * @param batch the batch
     * @param ctx the step (its stream is advanced by one draw)
     * @return the batch's loss, {@code sum_i P_i + J}
     */
    double backward(Batch batch, StepContext ctx) {
        return backward(loss, batch, ctx, shards);
    }

    /**
     * Runs the forward and backward passes of a split loss on {@code shards} row ranges of a batch at once,
     * accumulating the whole batch's gradients into every parameter that requires them, without stepping (also the
     * backward pass of the stages of {@link MetaTwoStageStep} when it is sharded).
     *
     * @param loss the loss
     * @param batch the batch
     * @param ctx the step (its stream is advanced by one draw)
     * @param shards number of ranges (at most the batch's rows), at least 1
     * @return the batch's loss, {@code sum_i P_i + J}
     */
    public static double backward(SplitLoss loss, Batch batch, StepContext ctx, int shards) {
        int k = Math.min(shards, batch.size());
        long seed = ctx.rng().nextLong();
        List<Batch> parts = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            parts.add(batch.rows(i * batch.size() / k, (i + 1) * batch.size() / k));
        }
        Join join = new Join(loss, k, batch);
        // every range has finished before the step reads or updates anything
        double value = 0;
        for (double v : io.seqcl.util.Parallel.run(k, i -> pass(loss, parts.get(i), i * batch.size() / k, batch, i,
                seed, ctx, join), join::abort)) {
            value += v;
        }
        synchronized (join.lock) {
            return value + join.value;
        }
    }

    /**
     * The meeting point of the ranges of one step: collects their representations, computes the joint term once
     * (on the thread that arrives last) and hands each range the gradient of its representations.
     */
    private static final class Join {
        private final SplitLoss loss;
        private final int k;
        private final Batch whole;
        private final List<List<NDArray>> reps;
        private final List<List<NDArray>> grads;
        private final Object lock = new Object();
        private int arrived;
        private int left;
        private boolean failed;
        private double value;

        Join(SplitLoss loss, int k, Batch whole) {
            this.loss = loss;
            this.k = k;
            this.whole = whole;
            this.reps = new ArrayList<>(java.util.Collections.nCopies(k, null));
            this.grads = new ArrayList<>(java.util.Collections.nCopies(k, null));
        }

        /**
         * Hands in range {@code i}'s representations, waits for the others, and returns the gradient of the joint
         * term on range {@code i}'s representations (computed by the range that arrives last).
         */
        List<NDArray> arrive(int i, List<NDArray> r) {
            synchronized (lock) {
                reps.set(i, r);
                if (++arrived == k) {
                    try {
                        compute();
                    } catch (RuntimeException e) {
                        failed = true;
                        throw e;
                    } finally {
                        lock.notifyAll();
                    }
                } else {
                    awaitAll(() -> arrived == k && grads.get(i) != null);
                }
                return grads.get(i);
            }
        }

        /** Waits until every range has back-propagated (the joint term's arrays live in one range's scope). */
        void leave() {
            synchronized (lock) {
                if (++left == k) {
                    lock.notifyAll();
                } else {
                    awaitAll(() -> left == k);
                }
            }
        }

        /** Makes every waiting and every later range fail at once (another range failed). */
        void abort() {
            synchronized (lock) {
                failed = true;
                lock.notifyAll();
            }
        }

        private void awaitAll(java.util.function.BooleanSupplier ready) {
            while (!ready.getAsBoolean()) {
                if (failed) {
                    throw new IllegalStateException("another row range of the step failed");
                }
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the other row ranges", e);
                }
            }
        }

        /** Runs on the last range's thread, inside its scope: every range's arrays stay open until {@link #leave}. */
        private void compute() {
            int n = reps.get(0).size();
            List<List<NDArray>> detached = new ArrayList<>(k);
            for (List<NDArray> r : reps) {
                List<NDArray> d = new ArrayList<>(r.size());
                for (NDArray a : r) {
                    d.add(a.stopGradient());
                }
                detached.add(d);
            }
            List<NDArray> leaves = new ArrayList<>();
            for (NDArray a : SplitLoss.concat(detached)) {
                NDArray leaf = a.duplicate();
                leaf.setRequiresGradient(true);
                leaves.add(leaf);
            }
            NDArray term = loss.joint(leaves, whole);
            if (term == null) {
                for (int i = 0; i < k; i++) {
                    grads.set(i, List.of());
                }
                if (n > 0) {
                    throw new IllegalStateException("the split loss returned representations but no joint term");
                }
                return;
            }
            value = term.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            // parameters the joint term reads directly accumulate here, while every range waits
            JniUtils.backward((PtNDArray) term, (PtNDArray) term.onesLike(), false, false);
            List<NDArray> g = new ArrayList<>(leaves.size());
            for (NDArray leaf : leaves) {
                g.add(leaf.getGradient());
            }
            long[] from = new long[g.size()];
            for (int i = 0; i < k; i++) {
                List<NDArray> mine = new ArrayList<>(g.size());
                for (int j = 0; j < g.size(); j++) {
                    long rows = reps.get(i).get(j).getShape().get(0);
                    mine.add(g.get(j).get(new ai.djl.ndarray.index.NDIndex(from[j] + ":" + (from[j] + rows))));
                    from[j] += rows;
                }
                grads.set(i, mine);
            }
        }
    }

    /** @return range {@code i}'s part value {@code P_i} after its backward pass */
    private static double pass(SplitLoss loss, Batch part, int from, Batch whole, int i, long seed,
                               StepContext ctx, Join join) {
        SplittableRandom masks = new SplittableRandom(mix(seed, 2L * i));
        StepContext own = new StepContext(ctx.epoch(), ctx.step(), new SplittableRandom(mix(seed, 2L * i + 1)),
                ctx.stepsPerEpoch());
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try (NDScope scope = new NDScope()) {
            return Ops.withDropout((x, rate) -> javaDropout(x, rate, masks), () -> {
                SplitLoss.Part p = loss.part(part, from, whole, own);
                double v = p.rows() == null ? 0
                        : p.rows().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
                List<NDArray> g = join.arrive(i, p.reps());
                NDArray objective = p.rows();
                for (int j = 0; j < g.size(); j++) {
                    NDArray t = p.reps().get(j).mul(g.get(j)).sum();
                    objective = objective == null ? t : objective.add(t);
                }
                JniUtils.backward((PtNDArray) objective, (PtNDArray) objective.onesLike(), false, false);
                join.leave();
                return v;
            });
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /**
     * Inverted dropout with a mask drawn in Java: each element is kept with probability {@code 1 - rate} (24-bit
     * uniform draws) and scaled by {@code 1 / (1 - rate)}.
     *
     * @param x input
     * @param rate drop probability in [0, 1)
     * @param rng the shard's mask stream
     * @return {@code x} itself for rate 0
     */
    static NDArray javaDropout(NDArray x, double rate, SplittableRandom rng) {
        if (rate <= 0) {
            return x;
        }
        int n = Math.toIntExact(x.size());
        float[] mask = new float[n];
        float keep = (float) (1 / (1 - rate));
        int threshold = (int) Math.round(rate * (1 << 24));
        // two 24-bit draws per long; branch-free: (threshold - 1 - u) >>> 31 is 1 exactly when u >= threshold
        for (int i = 0; i < n; i += 2) {
            long bits = rng.nextLong();
            mask[i] = keep * ((threshold - 1 - ((int) bits & 0xFFFFFF)) >>> 31);
            if (i + 1 < n) {
                mask[i + 1] = keep * ((threshold - 1 - ((int) (bits >>> 32) & 0xFFFFFF)) >>> 31);
            }
        }
        NDArray m = x.getManager().create(mask, x.getShape()).toType(x.getDataType(), false);
        return x.mul(m);
    }

    private static long mix(long seed, long i) {
        long z = seed + (i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public Map<String, float[]> state() {
        return adam.state();
    }

    @Override
    public void loadState(Map<String, float[]> state) {
        adam.loadState(state);
    }
}
