package io.seqcl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One gated recurrent unit layer over a batch of sequences, batch-first, with PyTorch's gate order and parameter
 * layout (Cho et al., "Learning Phrase Representations using RNN Encoder-Decoder for Statistical Machine
 * Translation", EMNLP 2014, arXiv:1406.1078; the form used by {@code torch.nn.GRU}).
 *
 * <p>With {@code W_ih = [W_ir; W_iz; W_in]} ({@code [3H, in]}) and {@code W_hh = [W_hr; W_hz; W_hn]}
 * ({@code [3H, H]}), and the biases {@code b_ih}, {@code b_hh} ({@code [3H]}) when present:
 * <pre>
 * r_t = sigma(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)
 * z_t = sigma(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)
 * n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))
 * h_t = (1 - z_t) * n_t + z_t * h_{t-1}
 * </pre>
 * with {@code h_0 = 0} unless given (baselines.md section 3).
 *
 * <p>Two executions give the same numbers: the explicit cell ({@link #forwardExplicit}) computes the input
 * projections of all steps in one matrix product and then runs one small step per time index (no per-token
 * work); the engine's fused GRU ({@link #forwardFused}, libtorch {@code gru}, cuDNN on a GPU) is used by
 * {@link #forward(NDArray)} when {@code fused} is set, and {@code GruTest} checks that both agree to 1e-5. A
 * step mask (left padding: keep {@code h} unchanged at padding steps) is only supported by the explicit cell.
 *
 * <p>Initialisation: {@link Init#XAVIER_UNIFORM} is RecBole's GRU4Rec ({@code xavier_uniform_} on the whole
 * {@code [3H, in]} and {@code [3H, H]} matrices, biases 0); {@link Init#PYTORCH_DEFAULT} is {@code torch.nn.GRU}'s
 * own ({@code U(-1/sqrt(H), 1/sqrt(H))} on every weight and bias, e.g. ACVAE). Values come from a Java random
 * stream, so they differ from PyTorch's draws for the same seed.
 */
public final class Gru {

    /** How the weights are initialised. */
    public enum Init {
        /** Xavier-uniform on the whole weight matrices, zero biases (RecBole GRU4Rec). */
        XAVIER_UNIFORM,
        /** Uniform on +-1/sqrt(H) for every weight and bias ({@code torch.nn.GRU} default). */
        PYTORCH_DEFAULT
    }

    private final int inputSize;
    private final int hiddenSize;
    private final NDArray weightIh;
    private final NDArray weightHh;
    private final NDArray biasIh;
    private final NDArray biasHh;
    private final boolean fused;

    /**
     * Registers the layer's parameters {@code NAME.weight_ih} {@code [3H, in]}, {@code NAME.weight_hh}
     * {@code [3H, H]} and, with biases, {@code NAME.bias_ih}, {@code NAME.bias_hh} {@code [3H]}.
     *
     * @param params the store
     * @param name parameter prefix
     * @param inputSize input width
     * @param hiddenSize hidden width H
     * @param bias whether the layer has the two bias vectors
     * @param init initialisation scheme
     * @param fused whether {@link #forward(NDArray)} uses the engine's fused GRU
     * @param rng init stream
     */
    public Gru(Params params, String name, int inputSize, int hiddenSize, boolean bias, Init init, boolean fused,
               SplittableRandom rng) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("Gru " + name + ": inputSize and hiddenSize must be >= 1, got "
                    + inputSize + ", " + hiddenSize);
        }
        if (init == null) {
            throw new IllegalArgumentException("Gru " + name + ": init must not be null");
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.fused = fused;
        int g = 3 * hiddenSize;
        double kDefault = 1.0 / Math.sqrt(hiddenSize);
        double kIh = init == Init.XAVIER_UNIFORM ? Math.sqrt(6.0 / (g + inputSize)) : kDefault;
        double kHh = init == Init.XAVIER_UNIFORM ? Math.sqrt(6.0 / (g + hiddenSize)) : kDefault;
        weightIh = params.add(name + ".weight_ih", uniform(rng, g * inputSize, kIh), g, inputSize);
        weightHh = params.add(name + ".weight_hh", uniform(rng, g * hiddenSize, kHh), g, hiddenSize);
        if (bias) {
            double kb = init == Init.XAVIER_UNIFORM ? 0 : kDefault;
            biasIh = params.add(name + ".bias_ih", uniform(rng, g, kb), g);
            biasHh = params.add(name + ".bias_hh", uniform(rng, g, kb), g);
        } else {
            biasIh = null;
            biasHh = null;
        }
    }

    private static float[] uniform(SplittableRandom rng, int n, double bound) {
        float[] v = new float[n];
        if (bound > 0) {
            for (int i = 0; i < n; i++) {
                v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
            }
        }
        return v;
    }

    /** @return the input width */
    public int inputSize() {
        return inputSize;
    }

    /** @return the hidden width H */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** @return whether {@link #forward(NDArray)} uses the engine's fused GRU */
    public boolean fused() {
        return fused;
    }

    /** @return {@code W_ih = [W_ir; W_iz; W_in]}, {@code [3H, in]} */
    public NDArray weightIh() {
        return weightIh;
    }

    /** @return {@code W_hh = [W_hr; W_hz; W_hn]}, {@code [3H, H]} */
    public NDArray weightHh() {
        return weightHh;
    }

    /** @return {@code b_ih} {@code [3H]}, or null without biases */
    public NDArray biasIh() {
        return biasIh;
    }

    /** @return {@code b_hh} {@code [3H]}, or null without biases */
    public NDArray biasHh() {
        return biasHh;
    }

    /**
     * Runs the layer from {@code h_0 = 0}, fused or explicit as configured.
     *
     * @param x inputs {@code [B, T, in]}
     * @return all hidden states {@code [B, T, H]}
     */
    public NDArray forward(NDArray x) {
        return fused ? forwardFused(x, null) : forwardExplicit(x, null, null);
    }

    /**
     * Runs the explicit cell with a step mask: where {@code mask[b, t] = 0} the state is carried over unchanged
     * ({@code h_t = h_{t-1}}), so leading padding (left-padded rows) leaves {@code h = h_0}.
     *
     * @param x inputs {@code [B, T, in]}
     * @param mask {@code [B, T]} of 0/1 (float), or null for none
     * @return all hidden states {@code [B, T, H]}
     */
    public NDArray forward(NDArray x, NDArray mask) {
        return mask == null ? forward(x) : forwardExplicit(x, null, mask);
    }

    /**
     * The explicit cell unrolled over time.
     *
     * @param x inputs {@code [B, T, in]}
     * @param h0 initial state {@code [B, H]}, or null for zeros
     * @param mask {@code [B, T]} 0/1 step mask, or null
     * @return all hidden states {@code [B, T, H]}
     */
    public NDArray forwardExplicit(NDArray x, NDArray h0, NDArray mask) {
        Shape s = checkInput(x);
        long b = s.get(0);
        int t = Math.toIntExact(s.get(1));
        int hs = hiddenSize;
        // input projections of every step at once: [B, T, 3H]
        NDArray gi = x.matMul(weightIh.transpose());
        if (biasIh != null) {
            gi = gi.add(biasIh);
        }
        NDArray wHhT = weightHh.transpose();
        NDArray h = h0 != null ? h0 : x.getManager().zeros(new Shape(b, hs), x.getDataType());
        NDArray one = Ops.scalar(x, 1.0);
        List<NDArray> outs = new ArrayList<>(t);
        for (int step = 0; step < t; step++) {
            NDArray giT = gi.get(new NDIndex(":, {}", step));
            NDArray gh = h.matMul(wHhT);
            if (biasHh != null) {
                gh = gh.add(biasHh);
            }
            NDList gis = giT.split(3, 1);
            NDList ghs = gh.split(3, 1);
            NDArray r = Activation.sigmoid(gis.get(0).add(ghs.get(0)));
            NDArray z = Activation.sigmoid(gis.get(1).add(ghs.get(1)));
            NDArray n = gis.get(2).add(r.mul(ghs.get(2))).tanh();
            NDArray next = one.sub(z).mul(n).add(z.mul(h));
            if (mask != null) {
                NDArray m = mask.get(new NDIndex(":, {}", step)).reshape(b, 1);
                next = next.mul(m).add(h.mul(one.sub(m)));
            }
            h = next;
            outs.add(h);
        }
        return NDArrays.stack(new NDList(outs), 1);
    }

    /**
     * The engine's fused GRU (libtorch {@code gru}; cuDNN on a GPU), same gate order and parameter layout.
     *
     * @param x inputs {@code [B, T, in]}
     * @param h0 initial state {@code [B, H]}, or null for zeros
     * @return all hidden states {@code [B, T, H]}
     */
    public NDArray forwardFused(NDArray x, NDArray h0) {
        Shape s = checkInput(x);
        long b = s.get(0);
        NDArray state = h0 != null ? h0.reshape(1, b, hiddenSize)
                : x.getManager().zeros(new Shape(1, b, hiddenSize), x.getDataType());
        NDList weights = biasIh == null ? new NDList(weightIh, weightHh)
                : new NDList(weightIh, weightHh, biasIh, biasHh);
        // training = true with dropout 0: identical numbers, and cuDNN only differentiates in training mode
        NDList out = x.getNDArrayInternal().gru(x, state, weights, biasIh != null, 1, 0.0, true, false, true);
        return out.get(0);
    }

    private Shape checkInput(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 3 || s.get(2) != inputSize) {
            throw new IllegalArgumentException("Gru expects inputs [B, T, " + inputSize + "], got " + s);
        }
        return s;
    }
}
