package io.seqcl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;

/** Layer normalisation over the last axis with learned scale (init 1) and shift (init 0). */
public final class Norm {

    private final NDArray gamma;
    private final NDArray beta;
    private final int size;
    private final float eps;

    /**
     * Registers {@code NAME.weight} and {@code NAME.bias}.
     *
     * @param params the store
     * @param name parameter prefix
     * @param size normalised width
     * @param eps epsilon
     */
    public Norm(Params params, String name, int size, double eps) {
        this.gamma = params.constant(name + ".weight", 1f, size);
        this.beta = params.constant(name + ".bias", 0f, size);
        this.size = size;
        this.eps = (float) eps;
    }

    /**
     * Normalises the last axis.
     *
     * @param x input {@code [..., size]}
     * @return normalised output of the same shape
     */
    public NDArray forward(NDArray x) {
        return LayerNorm.layerNorm(x, new Shape(size), gamma, beta, eps).singletonOrThrow();
    }
}
