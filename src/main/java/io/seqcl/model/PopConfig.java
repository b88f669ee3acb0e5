package io.seqcl.model;

import io.seqcl.protocol.Padding;
import io.seqcl.protocol.SampleMode;

/**
 * Configuration of {@link Pop}: it has no settings (scores are training-interaction counts).
 */
public record PopConfig() implements ModelConfig {

    @Override
    public InputSpec inputSpec() {
        return new InputSpec(1, Padding.RIGHT, SampleMode.PREFIX, false);
    }
}
