package io.seqcl.nn;

import io.soabase.recordbuilder.core.RecordBuilder;

/**
 * Shape and regularisation of a stack of post-LN Transformer blocks (sasrec_backbone.md A).
 *
 * @param hiddenSize d, the model width
 * @param layers number of blocks L
 * @param heads attention heads h; must divide d
 * @param innerSize feed-forward inner width (RecBole 4d; Meta-SGCL paper d)
 * @param activation feed-forward activation
 * @param hiddenDropout dropout on embeddings, attention output and feed-forward output
 * @param attnDropout dropout on attention probabilities
 * @param layerNormEps LayerNorm epsilon (1e-12 in RecBole/ContrastVAE)
 * @param packed packed execution (issue 11; {@link Packing}): per-token layers run only on real positions,
 *        with the same numbers as the padded path; {@code false} selects the padded reference path
 */
@RecordBuilder
public record TransformerConfig(int hiddenSize, int layers, int heads, int innerSize, ActivationFn activation,
                                double hiddenDropout, double attnDropout, double layerNormEps,
                                boolean packed) implements TransformerConfigBuilder.With {

    /** Validates every field and names the one that is wrong. */
    public TransformerConfig {
        if (hiddenSize < 1) {
            throw new IllegalArgumentException("hiddenSize must be >= 1, got " + hiddenSize);
        }
        if (layers < 0) {
            throw new IllegalArgumentException("layers must be >= 0, got " + layers);
        }
        if (heads < 1 || hiddenSize % heads != 0) {
            throw new IllegalArgumentException("heads must be >= 1 and divide hiddenSize " + hiddenSize + ", got "
                    + heads);
        }
        if (innerSize < 1) {
            throw new IllegalArgumentException("innerSize must be >= 1, got " + innerSize);
        }
        if (activation == null) {
            throw new IllegalArgumentException("activation must not be null");
        }
        checkRate("hiddenDropout", hiddenDropout);
        checkRate("attnDropout", attnDropout);
        if (!(layerNormEps > 0)) {
            throw new IllegalArgumentException("layerNormEps must be > 0, got " + layerNormEps);
        }
    }

    /**
     * A configuration with packed execution (the default).
     *
     * @param hiddenSize d
     * @param layers L
     * @param heads h
     * @param innerSize feed-forward width
     * @param activation activation
     * @param hiddenDropout hidden dropout
     * @param attnDropout attention dropout
     * @param layerNormEps LayerNorm epsilon
     */
    public TransformerConfig(int hiddenSize, int layers, int heads, int innerSize, ActivationFn activation,
                             double hiddenDropout, double attnDropout, double layerNormEps) {
        this(hiddenSize, layers, heads, innerSize, activation, hiddenDropout, attnDropout, layerNormEps, true);
    }

    static void checkRate(String name, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + p);
        }
    }

    /**
     * A copy with a new width; the inner size follows as 4d (the generated {@code withHiddenSize} changes d only).
     *
     * @param d hidden size
     * @return the copy
     */
    public TransformerConfig withWidth(int d) {
        return new TransformerConfig(d, layers, heads, 4 * d, activation, hiddenDropout, attnDropout, layerNormEps, packed);
    }

    /**
     * A copy with both dropout rates set.
     *
     * @param p hidden and attention dropout
     * @return the copy
     */
    public TransformerConfig withDropout(double p) {
        return new TransformerConfig(hiddenSize, layers, heads, innerSize, activation, p, p, layerNormEps, packed);
    }



    /**
     * RecBole's SASRec defaults: d 64, 2 layers, 2 heads, inner 256, GELU, dropout 0.5/0.5, eps 1e-12.
     *
     * @return the defaults
     */
    public static TransformerConfig recbole() {
        return new TransformerConfig(64, 2, 2, 256, ActivationFn.GELU, 0.5, 0.5, 1e-12);
    }
}
