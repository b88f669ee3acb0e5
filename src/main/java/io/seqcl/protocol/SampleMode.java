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
    ALL_POSITIONS
}
