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
 * One Adam step on a loss that is a mean over a batch's target slots, with the batch cut into {@code shards}
 * contiguous row ranges whose forward and backward passes run at the same time, one per thread (data parallelism
 * inside a step; {@link io.seqcl.train.TrainConfig#shards()}).
 *
 * <p>Shard {@code i} computes its own loss {@code L_i} (the mean over its {@code M_i} target slots) and
 * back-propagates {@code (M_i / M) L_i}, so the gradients accumulated in the shared parameters are those of the whole
 * batch's mean {@code L = sum_i (M_i / M) L_i}; the optimizer then steps once. Each parameter receives one
 * accumulation per shard; with two shards the sum is the same in either order, so a run repeats exactly.
 *
 * <p>Randomness: libtorch's generator is shared by all threads, so its draw order would depend on timing. Every
 * shard therefore draws its dropout masks in Java ({@link Ops#withDropout}) from its own stream, derived from the
 * step's stream and the shard index, and gets its own {@link StepContext} stream; the numbers differ from an
 * unsharded step (other masks) but are the same on every run with the same seed and shard count. With dropout off
 * a sharded step equals the unsharded one up to float rounding ({@code ShardedStepTest}).
 *
 * <p>Use one libtorch intra-op thread ({@code -Dai.djl.pytorch.num_threads=1}): each shard's thread then runs its
 * operators itself, and two shards keep the 2 cores of this project's machine busy where a second intra-op thread
 * slows the many small operators of a packed step (README "Engine, speed and GPU").
 */
public final class ShardedStep implements TrainStep {

    private final String name;
    private final SingleLossStep.Loss loss;
    private final Adam adam;
    private final double maxLoss;
    private final int shards;

    /**
     * Creates the step.
     *
     * @param name model name for error messages
     * @param params all trained parameters
     * @param loss a loss that is the mean over the batch's target slots of terms that each depend on one row
     * @param config optimizer settings
     * @param shards parts per batch, at least 1
     */
    public ShardedStep(String name, Params params, SingleLossStep.Loss loss, OptimConfig config, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be >= 1, got " + shards);
        }
        if (shards > 1 && io.seqcl.nn.WideThreads.get() > 0) {
            throw new IllegalArgumentException("shards > 1 cannot be combined with wide threads (-D"
                    + io.seqcl.nn.WideThreads.PROPERTY + "), which change libtorch's global thread count");
        }
        this.name = name;
        this.loss = loss;
        this.adam = config.newAdam(params, params.names());
        this.maxLoss = config.maxLoss();
        this.shards = shards;
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
     * Runs every shard's forward and backward pass, accumulating the batch's gradients without stepping.
     *
     * @param batch the batch
     * @param ctx the step (its stream is advanced by one draw)
     * @return the batch's loss, {@code sum_i (M_i / M) L_i}
     */
    double backward(Batch batch, StepContext ctx) {
        int k = Math.min(shards, batch.size());
        long seed = ctx.rng().nextLong();
        int total = batch.targetSlots().size();
        List<Batch> parts = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            parts.add(batch.rows(i * batch.size() / k, (i + 1) * batch.size() / k));
        }
        // every shard has finished before the step reads or updates anything
        double value = 0;
        for (double v : io.seqcl.util.Parallel.run(k, i -> pass(parts.get(i), i, seed, total, ctx), null)) {
            value += v;
        }
        return value;
    }

    /** @return the weighted loss {@code (M_i / M) L_i} of shard {@code i} after its backward pass */
    private double pass(Batch part, int i, long seed, int total, StepContext ctx) {
        int slots = part.targetSlots().size();
        double w = slots / (double) total;
        SplittableRandom masks = new SplittableRandom(mix(seed, 2L * i));
        StepContext own = new StepContext(ctx.epoch(), ctx.step(), new SplittableRandom(mix(seed, 2L * i + 1)),
                ctx.stepsPerEpoch());
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try (NDScope scope = new NDScope()) {
            return Ops.withDropout((x, rate) -> javaDropout(x, rate, masks), () -> {
                NDArray l = loss.compute(part, own);
                double v = l.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
                if (slots > 0) {
                    NDArray scaled = Ops.scale(l, w);
                    JniUtils.backward((PtNDArray) scaled, (PtNDArray) scaled.onesLike(), false, false);
                }
                return w * v;
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
