package io.seqcl.model;

import io.seqcl.protocol.Padding;
import io.seqcl.protocol.SampleMode;

/**
 * How a model wants its inputs: maximum length, padding side, training-sample convention, and whether the
 * training batches must carry sampled negatives.
 *
 * @param maxLen maximum input length T (the most recent items are kept)
 * @param padding padding side
 * @param sampleMode training-sample convention
 * @param needsNegatives whether batches need one sampled negative per target position
 */
public record InputSpec(int maxLen, Padding padding, SampleMode sampleMode, boolean needsNegatives) {

    /** Validates the fields. */
    public InputSpec {
        if (maxLen < 1) {
            throw new IllegalArgumentException("maxLen must be >= 1, got " + maxLen);
        }
        if (padding == null || sampleMode == null) {
            throw new IllegalArgumentException("padding and sampleMode must not be null");
        }
    }

    /**
     * One line in the words of a protocol line, e.g. {@code T 50, right padding, prefix samples}; provenance
     * records it per model, since some models bring their own convention (Caser's last L items, BPR-MF's
     * interactions) whatever the protocol says.
     *
     * @return the line
     */
    public String describe() {
        return "T " + maxLen + ", " + words(padding, sampleMode) + (needsNegatives ? ", sampled negatives" : "");
    }

    /**
     * The padding side and sample convention in the words of provenance and protocol lines, e.g.
     * {@code left padding, all-positions samples} (also used by {@code PaperProtocol.line()}).
     *
     * @param padding the padding side
     * @param samples a sample convention (a {@link SampleMode} or a protocol's own enum of the same names)
     * @return the words
     */
    public static String words(Padding padding, Enum<?> samples) {
        return padding.name().toLowerCase(java.util.Locale.ROOT) + " padding, "
                + samples.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " samples";
    }
}
