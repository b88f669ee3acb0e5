package io.seqcl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.seqcl.protocol.Batch;

/**
 * Reduces per-position states {@code [B, T, d]} to one vector per sequence {@code [B, d]}, e.g. the sequence
 * summary {@code z_u} fed to the contrastive loss (Meta-SGCL: "summarises the latent representations of all
 * tokens", metasgcl.md §4 flag {@code clPooling}; ContrastVAE sums the latent sequence, contrastvae.md §4).
 *
 * <p>{@link #pool(NDArray, Batch)} uses only the real positions given by the batch's lengths and padding side;
 * {@link #poolAllPositions(NDArray)} uses all {@code T} positions, padding included, which is what ContrastVAE's
 * code does ({@code z.sum(1)}); Meta-SGCL's default (our reading) is SUM over real positions.
 *
 * <p>Implemented as a batched product with a {@code [B, 1, T]} weight matrix built in Java, so gradients reach
 * exactly the pooled positions. A row of length 0 pools to the zero vector (MEAN included).
 *
 * <p>{@link #FLATTEN} is not a reduction: it returns {@code vec(H)}, the {@code T x d} states flattened
 * position-major into {@code [B, T*d]} (the CoSeRec family's contrastive representation, baselines.md §1.2). Its
 * {@link #poolAllPositions} keeps the padding rows' states, as the CoSeRec/ICLRec/SRMA code does; its
 * {@link #pool} writes zeros at the padding rows (only real positions contribute to dot products).
 */
public enum Pooling {
    /** Sum over real positions (Meta-SGCL default, metasgcl.md §4). */
    SUM,
    /** Mean over real positions. */
    MEAN,
    /** The state at {@link Batch#lastIndex(int)} (SASRec's sequence representation). */
    LAST,
    /** {@code vec(H)}: all {@code T} states concatenated position-major, {@code [B, T*d]} (CoSeRec family). */
    FLATTEN;

    /**
     * Pools the real (non-padding) positions of each row.
     *
     * @param h states {@code [B, T, d]}
     * @param batch the batch the states belong to (lengths and padding side)
     * @return {@code [B, d]} ({@code [B, T*d]} for FLATTEN, padding rows zero)
     * @throws IllegalArgumentException if {@code h} does not match the batch's {@code B} and {@code T}
     */
    public NDArray pool(NDArray h, Batch batch) {
        Shape s = h.getShape();
        if (s.dimension() != 3 || s.get(0) != batch.size() || s.get(1) != batch.maxLen()) {
            throw new IllegalArgumentException("states " + s + " do not match the batch [" + batch.size() + ", "
                    + batch.maxLen() + ", d]");
        }
        float[][] w = PositionMask.realPositions(batch);
        if (this == FLATTEN) {
            NDArray m = PositionMask.create(h.getManager(), w).toType(h.getDataType(), false)
                    .reshape(s.get(0), s.get(1), 1);
            return h.mul(m).reshape(s.get(0), s.get(1) * s.get(2));
        }
        for (int b = 0; b < w.length; b++) {
            int len = batch.lengths()[b];
            if (this == MEAN && len > 0) {
                for (int t = 0; t < w[b].length; t++) {
                    w[b][t] /= len;
                }
            } else if (this == LAST) {
                java.util.Arrays.fill(w[b], 0f);
                if (len > 0) {
                    w[b][batch.lastIndex(b)] = 1f;
                }
            }
        }
        return weighted(h, w);
    }

    /**
     * Pools over all {@code T} positions, padding included (ContrastVAE's {@code sum(1)}); LAST takes index
     * {@code T-1}; FLATTEN returns {@code vec(H)} {@code [B, T*d]} with the padding rows' states.
     *
     * @param h states {@code [B, T, d]}
     * @return {@code [B, d]}
     */
    public NDArray poolAllPositions(NDArray h) {
        Shape s = h.getShape();
        if (s.dimension() != 3) {
            throw new IllegalArgumentException("expected states [B, T, d], got " + s);
        }
        if (this == FLATTEN) {
            return h.reshape(s.get(0), s.get(1) * s.get(2));
        }
        int bsz = (int) s.get(0);
        int t = (int) s.get(1);
        float[][] w = new float[bsz][t];
        for (float[] row : w) {
            switch (this) {
                case SUM -> java.util.Arrays.fill(row, 1f);
                case MEAN -> java.util.Arrays.fill(row, 1f / t);
                case LAST -> {
                    if (t > 0) {
                        row[t - 1] = 1f;
                    }
                }
                default -> throw new IllegalStateException(name());
            }
        }
        return weighted(h, w);
    }

    private static NDArray weighted(NDArray h, float[][] w) {
        Shape s = h.getShape();
        NDArray wa = PositionMask.create(h.getManager(), w).toType(h.getDataType(), false)
                .reshape(s.get(0), 1, s.get(1));
        return wa.matMul(h).reshape(s.get(0), s.get(2));
    }
}
