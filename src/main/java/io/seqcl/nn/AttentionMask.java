package io.seqcl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Additive attention masks with the finite constant -10000 of the reference codes (sasrec_backbone.md A.2).
 *
 * <p>A query whose keys are all masked gets -10000 everywhere, which cancels in the softmax: such a row attends
 * over all keys, as in RecBole and ContrastVAE (with minus infinity it would be NaN).
 */
public final class AttentionMask {

    /** The additive value for a disallowed key. */
    public static final float MASKED = -10000f;

    private AttentionMask() {
    }

    /**
     * Causal + key-padding mask: key {@code k} is allowed for query {@code q} iff {@code items[k] != 0} and
     * {@code k <= q}.
     *
     * @param manager where to create the mask
     * @param items item ids {@code [B][T]} (0 = padding)
     * @return {@code [B, 1, T, T]} float32 with 0 (allowed) or -10000
     */
    public static NDArray causal(NDManager manager, int[][] items) {
        return build(manager, items, true);
    }

    /**
     * Key-padding mask only (bidirectional attention, e.g. BERT4Rec or a decoder over a whole sequence).
     *
     * @param manager where to create the mask
     * @param items item ids {@code [B][T]}
     * @return {@code [B, 1, T, T]} float32
     */
    public static NDArray bidirectional(NDManager manager, int[][] items) {
        return build(manager, items, false);
    }

    private static NDArray build(NDManager manager, int[][] items, boolean causal) {
        int b = items.length;
        int t = b == 0 ? 0 : items[0].length;
        float[] m = new float[b * t * t];
        for (int i = 0; i < b; i++) {
            int base = i * t * t;
            for (int q = 0; q < t; q++) {
                for (int k = 0; k < t; k++) {
                    boolean allowed = items[i][k] != 0 && (!causal || k <= q);
                    m[base + q * t + k] = allowed ? 0f : MASKED;
                }
            }
        }
        return manager.create(m, new Shape(b, 1, t, t));
    }
}
