package io.seqcl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;

import java.util.SplittableRandom;

/**
 * A fully connected layer {@code y = x W^T + b} with weight {@code [out, in]} drawn from Normal(0, std) and zero
 * bias (the RecBole/ContrastVAE initialisation).
 */
public final class Dense {

    private final NDArray weight;
    private final NDArray bias;

    /**
     * Registers the layer's parameters {@code NAME.weight} and {@code NAME.bias}.
     *
     * @param params the store
     * @param name parameter prefix
     * @param in input width
     * @param out output width
     * @param std init standard deviation
     * @param rng init stream
     */
    public Dense(Params params, String name, int in, int out, double std, SplittableRandom rng) {
        weight = params.normal(name + ".weight", std, rng, out, in);
        bias = params.constant(name + ".bias", 0f, out);
    }

    /** @return the weight {@code [out, in]} */
    NDArray weight() {
        return weight;
    }

    /** @return the bias {@code [out]} */
    NDArray bias() {
        return bias;
    }

    /**
     * Applies the layer on the last axis.
     *
     * @param x input {@code [..., in]}
     * @return output {@code [..., out]}
     */
    public NDArray forward(NDArray x) {
        return Linear.linear(x, weight, bias).singletonOrThrow();
    }
}
