package io.seqcl.model;

/**
 * What every model configuration provides: the input conventions the model needs. Configurations are immutable,
 * validated records that round-trip through JSON/YAML ({@link io.seqcl.config.Configs}); a model's registry entry
 * ({@link ModelRegistry}) names its configuration type.
 */
public interface ModelConfig {

    /** @return maximum length, padding side, sample convention and whether negatives are sampled */
    InputSpec inputSpec();
}
