package io.seqcl.model;

/**
 * Which protocol a baseline's configuration follows (baselines.md §1.4): the code lineage that produced the
 * papers' table numbers, or seqcl's clean choices. Logged with the configuration in every run's provenance.
 *
 * <p>For the CoSeRec family (CoSeRec, ICLRec) {@link #PAPER_TABLE} reproduces the code's quirks: the contrastive
 * representation {@code vec(H)} includes the padding rows' states, crop and reorder never draw the last window, and
 * CoSeRec's online similarity may return the padding row; it is meant to be trained with the family's training
 * protocol ({@code TrainConfig.coserecFamily()}: valid NDCG@20, patience 40, history scores 0). {@link #SEQCL}
 * uses real positions only, seqcl's crop/reorder start rule and item rows only; it is trained with the
 * paper's own protocol (history -inf).
 */
public enum BaselinePreset {
    /** The lineage (code) that produced the table's numbers, quirks included. */
    PAPER_TABLE,
    /** seqcl's clean choices (the registry default). */
    SEQCL
}
