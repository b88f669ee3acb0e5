package io.seqcl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.Dropout;

/** Small differentiable helpers shared by models. */
public final class Ops {

    private Ops() {
    }

    /**
     * Looks up rows of a table; gradients flow to the table (also for repeated ids).
     *
     * @param table {@code [V, d]}
     * @param ids integer ids of any shape
     * @return {@code [ids..., d]}
     */
    public static NDArray rows(NDArray table, NDArray ids) {
        return Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /**
     * Looks up rows given as Java indices.
     *
     * @param table {@code [V, d]}
     * @param ids row indices
     * @return {@code [ids.length, d]}
     */
    public static NDArray rows(NDArray table, long[] ids) {
        NDArray idx = table.getManager().create(ids);
        return rows(table, idx);
    }

    /**
     * Creates an int64 array from a Java matrix.
     *
     * @param manager where to create it
     * @param m row-major values {@code [B][T]}
     * @return {@code [B, T]} int64
     */
    public static NDArray ids(NDManager manager, int[][] m) {
        int b = m.length;
        int t = b == 0 ? 0 : m[0].length;
        long[] flat = new long[b * t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                flat[i * t + j] = m[i][j];
            }
        }
        return manager.create(flat, new ai.djl.ndarray.types.Shape(b, t));
    }

    /** A replacement for every training-time {@link #dropout} call on this thread (e.g. learnable dropout). */
    @FunctionalInterface
    public interface DropoutSite {
        /**
         * @param x the input of a dropout site
         * @param rate the site's configured drop rate
         * @return the site's output
         */
        NDArray apply(NDArray x, double rate);
    }

    private static final ThreadLocal<DropoutSite> DROPOUT_HOOK = new ThreadLocal<>();

    /**
     * Runs {@code body} with every training-time {@link #dropout} call on this thread (rate 0 included) replaced by
     * {@code hook}, in call order; the previous hook is restored afterwards.
     *
     * @param hook the replacement
     * @param body the computation
     * @param <T> result type
     * @return the body's result
     */
    public static <T> T withDropout(DropoutSite hook, java.util.function.Supplier<T> body) {
        DropoutSite prev = DROPOUT_HOOK.get();
        DROPOUT_HOOK.set(hook);
        try {
            return body.get();
        } finally {
            if (prev == null) {
                DROPOUT_HOOK.remove();
            } else {
                DROPOUT_HOOK.set(prev);
            }
        }
    }

    /**
     * Inverted dropout that is active only in training.
     *
     * @param x input
     * @param rate drop probability
     * @param training whether the model is training
     * @return {@code x} itself when not training or rate is 0
     */
    public static NDArray dropout(NDArray x, double rate, boolean training) {
        if (!training) {
            return x;
        }
        DropoutSite hook = DROPOUT_HOOK.get();
        if (hook != null) {
            return hook.apply(x, rate);
        }
        if (rate <= 0) {
            return x;
        }
        return Dropout.dropout(x, (float) rate, true).singletonOrThrow();
    }

    /**
     * A float32 scalar array owned by {@code like}'s manager (and the current {@code NDScope}).
     *
     * <p>Use it instead of DJL's {@code Number} overloads ({@code x.mul(2f)}, {@code x.div(t)},
     * {@code x.maximum(eps)}) in anything that is differentiated: with the PyTorch engine those overloads
     * build a temporary scalar whose Java-owned buffer is freed as soon as it is garbage collected, while the
     * autograd graph still saves it for the backward pass. A GC between forward and backward then silently
     * corrupts the gradients (reproduced in {@code GcStabilityTest} and {@code OpsTest}).
     *
     * @param like an array whose manager will own the scalar
     * @param value the value
     * @return a 0-d float32 array
     */
    public static NDArray scalar(NDArray like, double value) {
        return like.getManager().create((float) value);
    }

    /**
     * Multiplies by a constant safely for autograd (see {@link #scalar}).
     *
     * @param x input
     * @param factor the constant
     * @return {@code x * factor}
     */
    public static NDArray scale(NDArray x, double factor) {
        return x.mul(scalar(x, factor));
    }

    /**
     * Row-wise L2 normalisation {@code x / max(||x||, eps)} on the last axis.
     *
     * @param x input {@code [..., d]}
     * @param eps lower bound on the norm
     * @return normalised rows
     */
    public static NDArray l2Normalize(NDArray x, double eps) {
        NDArray norm = x.square().sum(new int[] {-1}, true).sqrt().maximum(scalar(x, eps));
        return x.div(norm);
    }
}
