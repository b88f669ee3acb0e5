package io.seqcl.model;

/**
 * A configuration of a sequence model that is not a Transformer but whose input length T follows the protocol
 * (e.g. GRU4Rec: T 50, ML-1M 200, the quick budget's T), so that paper settings and experiment files set it as
 * they set a Transformer encoder's ({@link TransformerModelConfig#withMaxLen}).
 *
 * @param <C> the configuration record type itself
 */
public interface MaxLenConfig<C extends MaxLenConfig<C>> extends ModelConfig {

    /** @return the maximum input length T */
    int maxLen();

    /**
     * A copy with another maximum input length.
     *
     * @param t T
     * @return the copy
     */
    C withMaxLen(int t);
}
