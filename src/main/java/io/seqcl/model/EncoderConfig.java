package io.seqcl.model;

import io.seqcl.nn.ActivationFn;
import io.seqcl.nn.TransformerConfig;
import io.seqcl.protocol.Padding;
import io.soabase.recordbuilder.core.RecordBuilder;

/**
 * The shared configuration of every Transformer model's item encoder (sasrec_backbone.md A): input length, the
 * Transformer blocks, initialisation and padding side. Every Transformer model's configuration holds one under the
 * key {@code encoder}, so {@code --set encoder.maxLen=200} means the same thing for all of them.
 *
 * @param maxLen maximum input length T (the most recent items are kept; 50 Amazon/Yelp, 200 ML-1M)
 * @param transformer block shape and dropout
 * @param initStd standard deviation of the Normal initialisation of embeddings and linear weights
 * @param padding padding side (RecBole: right; CoSeRec family and ContrastVAE: left)
 */
@RecordBuilder
public record EncoderConfig(int maxLen, TransformerConfig transformer, double initStd, Padding padding)
        implements EncoderConfigBuilder.With {

    /** Validates every field and names the one that is wrong. */
    public EncoderConfig {
        if (maxLen < 1) {
            throw new IllegalArgumentException("maxLen must be >= 1, got " + maxLen);
        }
        Checks.notNull("transformer", transformer);
        if (!(initStd > 0) || Double.isInfinite(initStd)) {
            throw new IllegalArgumentException("initStd must be a finite number > 0, got " + initStd);
        }
        Checks.notNull("padding", padding);
    }

    /** @return RecBole's SASRec encoder: T 50, d 64, 2 layers, 2 heads, inner 256, GELU, dropout 0.5, std 0.02, right padding */
    public static EncoderConfig recbole() {
        return new EncoderConfig(50, TransformerConfig.recbole(), 0.02, Padding.RIGHT);
    }

    /**
     * A copy with both dropout rates set.
     *
     * @param p hidden and attention dropout
     * @return the copy
     */
    public EncoderConfig withDropout(double p) {
        return withTransformer(transformer.withDropout(p));
    }

    /**
     * A copy with a new width d; the inner size follows as 4d.
     *
     * @param d hidden size
     * @return the copy
     */
    public EncoderConfig withWidth(int d) {
        return withTransformer(transformer.withWidth(d));
    }

    /**
     * A copy with another feed-forward activation.
     *
     * @param a the activation
     * @return the copy
     */
    public EncoderConfig withActivation(ActivationFn a) {
        return withTransformer(transformer.withActivation(a));
    }

    /**
     * A copy with another number of blocks.
     *
     * @param layers L
     * @return the copy
     */
    public EncoderConfig withLayers(int layers) {
        return withTransformer(transformer.withLayers(layers));
    }
}
