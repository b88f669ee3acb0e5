package io.seqcl.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.seqcl.nn.Ops;

/**
 * InfoNCE / NT-Xent contrastive loss between two views with in-batch negatives (cl4srec_duorec.md §2; used by
 * CL4SRec, DuoRec, MCLRec, ContrastVAE and Meta-SGCL, metasgcl.md §4).
 *
 * <p>Row {@code i} of {@code z1} and row {@code i} of {@code z2} form the positive pair. With
 * {@code s(a, b) = sim(a, b) / temperature}, the loss of anchor {@code a} with positive {@code p} is
 * {@code -log(e^{s(a,p)} / (e^{s(a,p)} + sum_{n in negatives} e^{s(a,n)}))}; the negatives depend on
 * {@link Negatives}. The result is the mean over anchors.
 *
 * <p>Defaults ({@link #InfoNCE()}): temperature 1, {@link Similarity#DOT}, {@link Negatives#BOTH_VIEWS} — the
 * DuoRec/MCLRec/CL4SRec code settings and Meta-SGCL's best configuration (Tables V, VII). ContrastVAE uses
 * {@link Similarity#COSINE} with temperature 0.5.
 *
 * <p>Deviations from reference code: cosine similarity normalises each row by {@code max(||x||, 1e-8)}, whereas
 * PyTorch's {@code cosine_similarity} clamps the product of the norms (identical unless a norm is below 1e-8).
 * MCLRec's paper Eq. 8 sums the two directions; its code (and this class) averages them.
 *
 * @param temperature the temperature {@code tau > 0}
 * @param similarity dot product or cosine
 * @param negatives which in-batch samples serve as negatives
 */
public record InfoNCE(double temperature, Similarity similarity, Negatives negatives) {

    /** Similarity between two representations. */
    public enum Similarity {
        /** Dot product {@code a . b} (DuoRec, MCLRec, CL4SRec code default; Meta-SGCL best). */
        DOT,
        /** Cosine {@code a . b / (|a| |b|)} (ContrastVAE; Meta-SGCL Table VII "cos"). */
        COSINE
    }

    /** Which in-batch samples are negatives of an anchor. */
    public enum Negatives {
        /**
         * NT-Xent of SimCLR as coded in CL4SRec/DuoRec/MCLRec/ContrastVAE (cl4srec_duorec.md §2): both views are
         * anchors ({@code 2B} rows); the negatives of a row are the other {@code 2B - 2} representations (both views of
         * the other samples); mean over the {@code 2B} rows = mean of the two directions. Default.
         */
        BOTH_VIEWS,
        /**
         * Meta-SGCL paper-literal Eq. 26 (metasgcl.md §4 flag {@code clNegatives = SAME_VIEW}): one direction,
         * anchors are the rows of {@code z1}, negatives are the other rows of {@code z1} ({@code B - 1}); mean over
         * {@code B} rows.
         */
        SAME_VIEW,
        /**
         * Cross-view InfoNCE, i.e. cross-entropy over {@code z1 z2^T} with the diagonal as targets: one direction,
         * anchors are the rows of {@code z1}, negatives are the other rows of {@code z2} ({@code B - 1}). Not used by
         * the reference codes of this project; provided as the common alternative (e.g. CLIP-style one direction).
         */
        CROSS_VIEW
    }

    /**
     * Validates the configuration.
     *
     * @throws IllegalArgumentException if the temperature is not a finite positive number or an enum is null
     */
    public InfoNCE {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("InfoNCE temperature must be a finite number > 0, got " + temperature);
        }
        if (similarity == null || negatives == null) {
            throw new IllegalArgumentException("InfoNCE similarity and negatives must not be null");
        }
    }

    /** Creates the default: temperature 1, dot product, {@link Negatives#BOTH_VIEWS}. */
    public InfoNCE() {
        this(1.0, Similarity.DOT, Negatives.BOTH_VIEWS);
    }

    /**
     * Computes the mean contrastive loss.
     *
     * @param z1 view 1 {@code [B, d]}
     * @param z2 view 2 {@code [B, d]}; row {@code i} is the positive of {@code z1} row {@code i}
     * @return scalar
     */
    public NDArray compute(NDArray z1, NDArray z2) {
        return compute(z1, z2, null);
    }

    /**
     * Computes the mean contrastive loss, additionally removing from the negatives of row {@code i} every sample
     * {@code j} with {@code groups[j] == groups[i]} (cl4srec_duorec.md §2 option {@code maskSameTarget}, with
     * the target item as group; off in the reference codes). A row left without negatives has loss 0.
     *
     * @param z1 view 1 {@code [B, d]}
     * @param z2 view 2 {@code [B, d]}
     * @param groups one key per row (e.g. target item ids), or {@code null} for plain in-batch negatives
     * @return scalar
     */
    public NDArray compute(NDArray z1, NDArray z2, long[] groups) {
        Shape s = z1.getShape();
        if (s.dimension() != 2 || !s.equals(z2.getShape())) {
            throw new IllegalArgumentException("InfoNCE expects two views of the same shape [B, d], got " + s + " and "
                    + z2.getShape());
        }
        int bsz = Math.toIntExact(s.get(0));
        if (bsz < 1) {
            throw new IllegalArgumentException("InfoNCE needs a batch of at least one row");
        }
        if (groups != null && groups.length != bsz) {
            throw new IllegalArgumentException("groups has " + groups.length + " keys for a batch of " + bsz);
        }
        NDArray a = z1;
        NDArray b = z2;
        if (similarity == Similarity.COSINE) {
            a = Ops.l2Normalize(a, 1e-8);
            b = Ops.l2Normalize(b, 1e-8);
        }
        float inv = (float) (1.0 / temperature);
        NDArray excluded = negativeMask(z1, bsz, groups);
        NDArray pos = a.mul(b).sum(new int[] {1}, true).mul(io.seqcl.nn.Ops.scalar(a, inv));              // [B, 1]
        NDArray rows1 = switch (negatives) {
            case BOTH_VIEWS -> NDArrays.concat(new NDList(pos, scores(a, a, inv, excluded),
                    scores(a, b, inv, excluded)), 1);
            case SAME_VIEW -> NDArrays.concat(new NDList(pos, scores(a, a, inv, excluded)), 1);
            case CROSS_VIEW -> NDArrays.concat(new NDList(pos, scores(a, b, inv, excluded)), 1);
        };
        NDArray nll = rows1.logSoftmax(1).get(":, 0").neg();
        if (negatives == Negatives.BOTH_VIEWS) {
            NDArray rows2 = NDArrays.concat(new NDList(pos, scores(b, b, inv, excluded),
                    scores(b, a, inv, excluded)), 1);
            nll = nll.concat(rows2.logSoftmax(1).get(":, 0").neg());
        }
        return nll.mean();
    }

    private static NDArray scores(NDArray x, NDArray y, float inv, NDArray excluded) {
        return x.matMul(y.transpose()).mul(io.seqcl.nn.Ops.scalar(x, inv)).add(excluded);
    }

    /** Additive {@code [B, B]} mask: minus infinity on the diagonal (self / partner) and within a group. */
    private static NDArray negativeMask(NDArray like, int bsz, long[] groups) {
        float[] m = new float[bsz * bsz];
        for (int i = 0; i < bsz; i++) {
            for (int j = 0; j < bsz; j++) {
                boolean drop = i == j || (groups != null && groups[i] == groups[j]);
                m[i * bsz + j] = drop ? Float.NEGATIVE_INFINITY : 0f;
            }
        }
        return like.getManager().create(m, new Shape(bsz, bsz)).toType(like.getDataType(), false);
    }
}
