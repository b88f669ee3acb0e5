package io.seqcl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

import java.util.SplittableRandom;

/**
 * A causal one-dimensional convolution over the time axis of batch-first sequences: the output at step t sees
 * only the inputs at steps {@code t-k+1 .. t} (zeros before the first step).
 *
 * <p>{@code y_t = b + sum_{j=0}^{k-1} W[:, :, j] x_{t-k+1+j}} with {@code W} in PyTorch's {@code Conv1d} layout
 * {@code [out, in, k]}: the same numbers as {@code torch.nn.Conv1d(in, out, k, padding=k-1)} followed by dropping
 * the last {@code k-1} outputs, the causal convolution of ACVAE's encoder (Xie et al., "Adversarial and Contrastive
 * Variational Autoencoder for Sequential Recommendation", WWW 2021, arXiv:2103.10693; baselines.md §7). Computed as
 * one matrix product over the {@code k} shifted copies of the input. Initialisation is {@code torch.nn.Conv1d}'s
 * default, {@code U(-1/sqrt(in k), 1/sqrt(in k))} for weight and bias, drawn from a Java stream (values differ from
 * PyTorch's for the same seed). Parameters {@code NAME.weight} {@code [out, in, k]} and {@code NAME.bias}.
 */
public final class CausalConv1d {

    private final NDArray weight;
    private final NDArray bias;
    private final int in;
    private final int out;
    private final int kernel;

    /**
     * Registers the layer.
     *
     * @param params the store
     * @param name parameter prefix
     * @param in input channels
     * @param out output channels
     * @param kernel kernel width k (1 = a per-step linear map)
     * @param rng init stream (weight first, then bias)
     */
    public CausalConv1d(Params params, String name, int in, int out, int kernel, SplittableRandom rng) {
        if (in < 1 || out < 1 || kernel < 1) {
            throw new IllegalArgumentException("CausalConv1d " + name + ": in, out and kernel must be >= 1, got "
                    + in + ", " + out + ", " + kernel);
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        double bound = 1 / Math.sqrt((double) in * kernel);
        weight = params.add(name + ".weight", uniform(rng, out * in * kernel, bound), out, in, kernel);
        bias = params.add(name + ".bias", uniform(rng, out, bound), out);
    }

    static float[] uniform(SplittableRandom rng, int n, double bound) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        return v;
    }

    /** @return the weight {@code [out, in, k]} */
    public NDArray weight() {
        return weight;
    }

    /** @return the bias {@code [out]} */
    public NDArray bias() {
        return bias;
    }

    /**
     * Applies the convolution.
     *
     * @param x inputs {@code [B, T, in]}
     * @return outputs {@code [B, T, out]}
     */
    public NDArray forward(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 3 || s.get(2) != in) {
            throw new IllegalArgumentException("CausalConv1d expects inputs [B, T, " + in + "], got " + s);
        }
        long t = s.get(1);
        NDArray stacked;
        if (kernel == 1) {
            stacked = x;
        } else {
            NDArray padded = NDArrays.concat(new NDList(
                    x.getManager().zeros(new Shape(s.get(0), kernel - 1, in), x.getDataType()), x), 1);
            NDList shifted = new NDList(kernel);
            for (int j = 0; j < kernel; j++) {
                shifted.add(padded.get(new NDIndex(":, {}:{}, :", j, j + t)));
            }
            stacked = NDArrays.concat(shifted, 2);
        }
        // [out, in, k] -> [out, k, in] -> [out, k * in], matching the order of the shifted copies
        NDArray w = weight.transpose(0, 2, 1).reshape(out, (long) kernel * in);
        return Linear.linear(stacked, w, bias).singletonOrThrow();
    }
}
