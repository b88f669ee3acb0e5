package io.seqcl.model;

import io.seqcl.loss.FullSoftmaxCrossEntropy;
import io.seqcl.loss.RecLoss;
import io.seqcl.loss.SampledBinaryCrossEntropy;
import io.seqcl.nn.ActivationFn;
import io.seqcl.nn.TransformerConfig;
import io.seqcl.protocol.Padding;
import io.seqcl.protocol.SampleMode;

/**
 * Configuration of {@link SASRec}; defaults are RecBole's (the BERT-style SASRec used by the CL papers).
 *
 * @param maxLen maximum input length T (50 for Amazon/Yelp, 200 for ML-1M in Meta-SGCL)
 * @param transformer block shape and dropout
 * @param initStd standard deviation of the Normal initialisation of embeddings and linear weights
 * @param padding padding side (RecBole: right)
 * @param sampleMode training-sample convention (RecBole: prefix expansion)
 * @param loss the next-item loss (RecBole: full-softmax cross-entropy)
 */
public record SASRecConfig(int maxLen, TransformerConfig transformer, double initStd, Padding padding,
                           SampleMode sampleMode, RecLoss loss) {

    /** Validates the fields. */
    public SASRecConfig {
        if (maxLen < 1) {
            throw new IllegalArgumentException("maxLen must be >= 1, got " + maxLen);
        }
        if (transformer == null || padding == null || sampleMode == null || loss == null) {
            throw new IllegalArgumentException("transformer, padding, sampleMode and loss must be set");
        }
        if (!(initStd > 0)) {
            throw new IllegalArgumentException("initStd must be > 0, got " + initStd);
        }
    }

    /**
     * RecBole defaults: T 50, d 64, 2 layers, 2 heads, inner 256, GELU, dropout 0.5/0.5, std 0.02, right padding,
     * prefix samples, full-softmax CE without the padding row.
     *
     * @return the defaults
     */
    public static SASRecConfig defaults() {
        return new SASRecConfig(50, TransformerConfig.recbole(), 0.02, Padding.RIGHT, SampleMode.PREFIX,
                new FullSoftmaxCrossEntropy());
    }

    /**
     * The original SASRec training regime on the BERT-style block: left padding, all positions, BCE with one
     * sampled negative (CoSeRec/ContrastVAE convention).
     *
     * @return the variant
     */
    public static SASRecConfig bceAllPositions() {
        return defaults().withPadding(Padding.LEFT).withSampleMode(SampleMode.ALL_POSITIONS)
                .withLoss(new SampledBinaryCrossEntropy());
    }

    /** @param v new T @return a copy with it */
    public SASRecConfig withMaxLen(int v) {
        return new SASRecConfig(v, transformer, initStd, padding, sampleMode, loss);
    }

    /** @param v new block shape @return a copy with it */
    public SASRecConfig withTransformer(TransformerConfig v) {
        return new SASRecConfig(maxLen, v, initStd, padding, sampleMode, loss);
    }

    /** @param v new padding side @return a copy with it */
    public SASRecConfig withPadding(Padding v) {
        return new SASRecConfig(maxLen, transformer, initStd, v, sampleMode, loss);
    }

    /** @param v new sample convention @return a copy with it */
    public SASRecConfig withSampleMode(SampleMode v) {
        return new SASRecConfig(maxLen, transformer, initStd, padding, v, loss);
    }

    /** @param v new loss @return a copy with it */
    public SASRecConfig withLoss(RecLoss v) {
        return new SASRecConfig(maxLen, transformer, initStd, padding, sampleMode, v);
    }

    /**
     * A copy with both dropout rates set.
     *
     * @param p hidden and attention dropout
     * @return the copy
     */
    public SASRecConfig withDropout(double p) {
        return withTransformer(transformer.withDropout(p));
    }

    /**
     * A copy with a new width; the inner size follows as 4d.
     *
     * @param d hidden size
     * @return the copy
     */
    public SASRecConfig withHiddenSize(int d) {
        return withTransformer(transformer.withHiddenSize(d));
    }

    /**
     * A copy with a different feed-forward activation.
     *
     * @param a activation
     * @return the copy
     */
    public SASRecConfig withActivation(ActivationFn a) {
        return withTransformer(transformer.withActivation(a));
    }
}
