package io.seqcl.protocol;

/** How training samples are formed from the training part of each sequence (common.md section 3). */
public enum SampleMode {
    /**
     * RecBole prefix expansion: one sample per prefix, the loss on its last position only;
     * {@code sum_u (n_u - 3)} samples per epoch.
     */
    PREFIX,
    /**
     * One sample per user with a loss at every position: input {@code s_1..s_{n-3}}, targets
     * {@code s_2..s_{n-2}} (CoSeRec, ContrastVAE, original SASRec).
     */
    ALL_POSITIONS,
    /**
     * One sample per training interaction {@code (u, s_t)}, {@code t = 1..n-2}, without sequence context, for
     * non-sequential models (BPR-MF): the row's input is empty (length 0), its target {@code s_t} sits at the
     * read position ({@link Batch#lastIndex}), the user is in {@link Batch#users()}, and a negative, when asked
     * for, is uniform over the items <em>not</em> in the user's training part (RecBole's sampler for general
     * models; the other modes reject the whole sequence); {@code sum_u (n_u - 2)} samples per epoch.
     */
    INTERACTIONS
}
