package io.seqcl.loss;

import ai.djl.ndarray.NDArray;

/**
 * A next-item recommendation loss on the representations taken at target positions.
 *
 * <p>Models receive a loss object rather than a string switch, so new losses plug in without touching models.
 */
public interface RecLoss {

    /**
     * Computes the mean loss over {@code M} target positions.
     *
     * @param h representations {@code [M, d]}
     * @param itemTable the (tied) item embedding table {@code [V, d]}, row 0 = padding
     * @param targets target item ids, length M
     * @param negatives one sampled negative per target (length M), or {@code null} if not needed
     * @return a scalar
     */
    NDArray compute(NDArray h, NDArray itemTable, long[] targets, long[] negatives);

    /** @return whether {@link #compute} needs sampled negatives */
    default boolean needsNegatives() {
        return false;
    }
}
