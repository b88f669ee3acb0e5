package io.seqcl.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.seqcl.nn.Ops;

/**
 * MCLRec's contrastive regulariser R, a margin loss that pushes every positive score above the hardest negative
 * and the negatives below the margin (mclrec.md §5).
 *
 * <p>Qin et al., "Meta-optimized Contrastive Learning for Sequential Recommendation", SIGIR 2023
 * (../shared/papers/002_8cbc21390195a073.txt), Eq. 11-13, and the authors' code ({@code meta_contrast_rl}). For two
 * views {@code a, b} ({@code [B, d]}) the scores are {@code S = [a;b][a;b]^T / tau} (dot product): row {@code r} of
 * the {@code 2B} rows has one positive {@code p_r} (its partner in the other view) and {@code 2B-2} negatives
 * {@code n_rj} (self and partner removed), exactly the NT-Xent layout of {@link InfoNCE}.
 * <ul>
 *   <li>{@link Margins#ROW} (code, default): per row {@code m_r = max_j n_rj}, {@code omin_r = min(p_r, m_r)},
 *   {@code omax_r = max(p_r, m_r)}; {@code R = mean_r [p_r - omin_r]_+ + mean_{r,j} [omax_r - n_rj]_+}.</li>
 *   <li>{@link Margins#BATCH} (paper Eq. 11-13): {@code omin = min(min_r p_r, max n)},
 *   {@code omax = max(min_r p_r, max n)} are batch scalars; {@code R = mean [p - omin]_+ + mean [omax - n]_+}.</li>
 * </ul>
 * Gradients flow through the margins (no stop-gradient), as in the code. A batch of one row has no negative; R is
 * then 0.
 *
 * <p>Deviations: none known for ROW; for BATCH the paper does not say whether the positives of both directions are
 * counted ({@code |sigma+|}); both directions are used (2B positives, duplicates), which gives the same mean.
 *
 * @param temperature tau &gt; 0
 * @param margins row (code) or batch (paper) margins
 */
public record ContrastiveRegularizer(double temperature, Margins margins) {

    /** Where the margins o_min, o_max come from. */
    public enum Margins {
        /** Per anchor row (authors' code). */
        ROW,
        /** Batch-level scalars (paper Eq. 12). */
        BATCH
    }

    /** Validates the fields. */
    public ContrastiveRegularizer {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number > 0, got " + temperature);
        }
        if (margins == null) {
            throw new IllegalArgumentException("margins must not be null");
        }
    }

    /**
     * Computes R for one pair of views.
     *
     * @param a view 1 {@code [B, d]}
     * @param b view 2 {@code [B, d]}; row i is the positive of row i of a
     * @return scalar
     */
    public NDArray compute(NDArray a, NDArray b) {
        Shape s = a.getShape();
        if (s.dimension() != 2 || !s.equals(b.getShape())) {
            throw new IllegalArgumentException("R expects two views of the same shape [B, d], got " + s + " and "
                    + b.getShape());
        }
        int bsz = Math.toIntExact(s.get(0));
        int n = 2 * bsz;
        if (bsz < 2) {
            return a.sum().mul(Ops.scalar(a, 0));
        }
        double inv = 1.0 / temperature;
        NDArray z = NDArrays.concat(new NDList(a, b), 0);                                  // [2B, d]
        NDArray scores = Ops.scale(z.matMul(z.transpose()), inv);                           // [2B, 2B]
        NDArray p1 = Ops.scale(a.mul(b).sum(new int[] {1}, true), inv);                      // [B, 1]
        NDArray pos = NDArrays.concat(new NDList(p1, p1), 0);                               // [2B, 1]
        float[] neg = new float[n * n];
        float[] penalty = new float[n * n];
        for (int r = 0; r < n; r++) {
            int partner = r < bsz ? r + bsz : r - bsz;
            for (int j = 0; j < n; j++) {
                boolean isNeg = j != r && j != partner;
                neg[r * n + j] = isNeg ? 1f : 0f;
                penalty[r * n + j] = isNeg ? 0f : -1e9f;
            }
        }
        NDArray negMask = a.getManager().create(neg, new Shape(n, n)).toType(a.getDataType(), false);
        NDArray pen = a.getManager().create(penalty, new Shape(n, n)).toType(a.getDataType(), false);
        NDArray masked = scores.add(pen);
        double negCount = (double) n * (n - 2);
        if (margins == Margins.ROW) {
            NDArray hardest = masked.max(new int[] {1}, true);                                 // [2B, 1]
            NDArray oMin = pos.minimum(hardest);
            NDArray oMax = pos.maximum(hardest);
            NDArray t1 = Activation.relu(pos.sub(oMin)).mean();
            NDArray t2 = Ops.scale(Activation.relu(oMax.sub(scores)).mul(negMask).sum(), 1.0 / negCount);
            return t1.add(t2);
        }
        NDArray minPos = pos.min();
        NDArray maxNeg = masked.max();
        NDArray oMin = minPos.minimum(maxNeg);
        NDArray oMax = minPos.maximum(maxNeg);
        NDArray t1 = Activation.relu(pos.sub(oMin)).mean();
        NDArray t2 = Ops.scale(Activation.relu(oMax.sub(scores)).mul(negMask).sum(), 1.0 / negCount);
        return t1.add(t2);
    }
}
