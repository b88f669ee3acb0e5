package io.seqcl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.Padding;

/**
 * 0/1 masks of valid (non-padding) positions {@code [B, T]}, used to restrict per-position losses such as the
 * Gaussian KL of Meta-SGCL ("mean over valid positions", metasgcl.md §4) and for {@link Pooling}.
 *
 * <p>Two readings of "valid" exist: by length ({@link #fromLengths}: the {@code lengths[b]} slots on the
 * non-padding side) and by item id ({@link #fromItems}: {@code items[b][t] != 0}, which also drops positions
 * masked with id 0 inside a sequence by MCLRec/CoSeRec-style augmentation). They agree on unaugmented batches.
 */
public final class PositionMask {

    private PositionMask() {
    }

    /**
     * Java-side weights: 1 at the real positions of each row, given its length and the padding side.
     *
     * @param batch the batch ({@link Batch#lengths()}, {@link Batch#padding()})
     * @return {@code [B][T]} with 1 at real positions
     * @throws IllegalArgumentException if a length is outside {@code [0, T]}
     */
    public static float[][] realPositions(Batch batch) {
        int bsz = batch.size();
        int t = batch.maxLen();
        float[][] w = new float[bsz][t];
        for (int b = 0; b < bsz; b++) {
            int len = batch.lengths()[b];
            if (len < 0 || len > t) {
                throw new IllegalArgumentException("row " + b + " has length " + len + " outside [0, " + t + "]");
            }
            int from = batch.padding() == Padding.RIGHT ? 0 : t - len;
            java.util.Arrays.fill(w[b], from, from + len, 1f);
        }
        return w;
    }

    /**
     * Mask from the lengths and padding side of a batch.
     *
     * @param manager where to create it
     * @param batch the batch
     * @return {@code [B, T]} float32, 1 at real positions, 0 at padding
     */
    public static NDArray fromLengths(NDManager manager, Batch batch) {
        return create(manager, realPositions(batch));
    }

    /**
     * Mask from item ids: 1 where {@code items[b][t] != 0}.
     *
     * @param manager where to create it
     * @param items item ids {@code [B][T]}, 0 = padding
     * @return {@code [B, T]} float32
     */
    public static NDArray fromItems(NDManager manager, int[][] items) {
        float[][] w = new float[items.length][];
        for (int b = 0; b < items.length; b++) {
            w[b] = new float[items[b].length];
            for (int t = 0; t < items[b].length; t++) {
                w[b][t] = items[b][t] != 0 ? 1f : 0f;
            }
        }
        return create(manager, w);
    }

    static NDArray create(NDManager manager, float[][] w) {
        int bsz = w.length;
        int t = bsz == 0 ? 0 : w[0].length;
        float[] flat = new float[bsz * t];
        for (int b = 0; b < bsz; b++) {
            System.arraycopy(w[b], 0, flat, b * t, t);
        }
        return manager.create(flat, new Shape(bsz, t));
    }
}
