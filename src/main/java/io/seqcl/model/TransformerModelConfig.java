package io.seqcl.model;

import io.seqcl.config.Records;
import io.seqcl.nn.TransformerConfig;
import io.seqcl.protocol.Padding;

/**
 * The configuration of a Transformer model: it holds the shared {@link EncoderConfig} under the key
 * {@code encoder}, and gets the common changes of the encoder (T, width, dropout, padding) for free.
 *
 * @param <C> the configuration record type itself
 */
public interface TransformerModelConfig<C extends TransformerModelConfig<C>> extends ModelConfig {

    /** @return the shared encoder configuration */
    EncoderConfig encoder();

    /**
     * A copy with another encoder configuration.
     *
     * @param e the encoder configuration
     * @return the copy
     */
    @SuppressWarnings("unchecked")
    default C withEncoderConfig(EncoderConfig e) {
        return (C) Records.with((Record) this, "encoder", e);
    }

    /** @param t maximum input length T @return a copy with it */
    default C withMaxLen(int t) {
        return withEncoderConfig(encoder().withMaxLen(t));
    }

    /** @param d width d; the inner size follows as 4d @return a copy with it */
    default C withWidth(int d) {
        return withEncoderConfig(encoder().withWidth(d));
    }

    /** @param p hidden and attention dropout @return a copy with it */
    default C withDropout(double p) {
        return withEncoderConfig(encoder().withDropout(p));
    }

    /** @param p padding side @return a copy with it */
    default C withPadding(Padding p) {
        return withEncoderConfig(encoder().withPadding(p));
    }

    /** @param t block shape @return a copy with it */
    default C withTransformer(TransformerConfig t) {
        return withEncoderConfig(encoder().withTransformer(t));
    }

    /** @param std std of the Normal initialisation @return a copy with it */
    default C withInitStd(double std) {
        return withEncoderConfig(encoder().withInitStd(std));
    }

    /** @param layers number of blocks L @return a copy with it */
    default C withLayers(int layers) {
        return withEncoderConfig(encoder().withLayers(layers));
    }

    /** @return the maximum input length T of the encoder */
    default int maxLen() {
        return encoder().maxLen();
    }

    /** @return the encoder's block shape */
    default TransformerConfig transformer() {
        return encoder().transformer();
    }

    /** @return the encoder's padding side */
    default Padding padding() {
        return encoder().padding();
    }

    /** @return the std of the Normal initialisation */
    default double initStd() {
        return encoder().initStd();
    }
}
