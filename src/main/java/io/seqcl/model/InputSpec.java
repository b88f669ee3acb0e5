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
}
