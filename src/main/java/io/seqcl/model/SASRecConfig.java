package io.seqcl.model;

import io.seqcl.loss.FullSoftmaxCrossEntropy;
import io.seqcl.loss.RecLoss;
import io.seqcl.loss.SampledBinaryCrossEntropy;
import io.seqcl.protocol.Padding;
import io.seqcl.protocol.SampleMode;
import io.soabase.recordbuilder.core.RecordBuilder;

/**
 * Configuration of {@link SASRec}; defaults are RecBole's (the BERT-style SASRec used by the CL papers).
 *
 * @param encoder the shared encoder settings (T, blocks, initialisation, padding)
 * @param sampleMode training-sample convention (RecBole: prefix expansion)
 * @param loss the next-item loss (RecBole: full-softmax cross-entropy)
 */
@RecordBuilder
public record SASRecConfig(EncoderConfig encoder, SampleMode sampleMode, RecLoss loss)
        implements TransformerModelConfig<SASRecConfig>, SASRecConfigBuilder.With {

    /** Validates the fields. */
    public SASRecConfig {
        Checks.notNull("encoder", encoder);
        Checks.notNull("sampleMode", sampleMode);
        Checks.notNull("loss", loss);
    }

    /**
     * RecBole defaults: T 50, d 64, 2 layers, 2 heads, inner 256, GELU, dropout 0.5/0.5, std 0.02, right padding,
     * prefix samples, full-softmax CE without the padding row.
     *
     * @return the defaults
     */
    public static SASRecConfig defaults() {
        return new SASRecConfig(EncoderConfig.recbole(), SampleMode.PREFIX, new FullSoftmaxCrossEntropy());
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

    @Override
    public InputSpec inputSpec() {
        return new InputSpec(encoder.maxLen(), encoder.padding(), sampleMode, loss.needsNegatives());
    }
}
