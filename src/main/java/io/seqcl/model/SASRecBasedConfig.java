package io.seqcl.model;

import io.seqcl.config.Records;
import io.seqcl.loss.RecLoss;
import io.seqcl.protocol.SampleMode;

/**
 * The configuration of a model trained with SASRec's next-item objective on top of other terms (CL4SRec, DuoRec,
 * MCLRec): besides the shared {@code encoder} it holds the sample convention and the next-item loss, which together
 * are the SASRec part ({@link #backbone()}).
 *
 * @param <C> the configuration record type itself
 */
public interface SASRecBasedConfig<C extends SASRecBasedConfig<C>> extends TransformerModelConfig<C> {

    /** @return training-sample convention of the next-item loss (RecBole: prefix) */
    SampleMode sampleMode();

    /** @return the next-item loss (RecBole: full-softmax cross-entropy) */
    RecLoss loss();

    /** @return the SASRec part of this configuration (encoder and next-item loss) */
    default SASRecConfig backbone() {
        return new SASRecConfig(encoder(), sampleMode(), loss());
    }

    /**
     * A copy with the SASRec part (encoder, sample convention and next-item loss) taken from a SASRec configuration.
     *
     * @param b the SASRec configuration
     * @return the copy
     */
    @SuppressWarnings("unchecked")
    default C withBackbone(SASRecConfig b) {
        Checks.notNull("backbone", b);
        Record r = Records.with((Record) this, "encoder", b.encoder());
        r = Records.with(r, "sampleMode", b.sampleMode());
        return (C) Records.with(r, "loss", b.loss());
    }

    @Override
    default InputSpec inputSpec() {
        return backbone().inputSpec();
    }
}
