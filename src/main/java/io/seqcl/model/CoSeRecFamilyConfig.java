package io.seqcl.model;

/**
 * The configuration of a model of the CoSeRec family (S3-Rec-lineage trainer: CoSeRec, ICLRec; baselines.md §1.2),
 * which carries the {@link BaselinePreset} it follows so that experiments can pick the matching training protocol
 * ({@code PaperSettings.trainFor}).
 *
 * @param <C> the configuration record type itself
 */
public interface CoSeRecFamilyConfig<C extends CoSeRecFamilyConfig<C>> extends SASRecBasedConfig<C> {

    /** @return the protocol this configuration follows */
    BaselinePreset preset();
}
