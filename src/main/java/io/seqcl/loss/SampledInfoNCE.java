package io.seqcl.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.seqcl.nn.Ops;

/**
 * InfoNCE over one positive and N sampled negatives per row, optionally with weighted negatives: plain InfoNCE,
 * InfoNCE×k (every negative counted k times) and the hardness-weighted form of AdvInfoNCE.
 *
 * <p>AdvInfoNCE: Zhang et al., "Empowering Collaborative Filtering with Principled Adversarial Contrastive Loss",
 * NeurIPS'23 (../shared/papers/004_d175cd9068ec927a.txt), as read from the LehengTHU/AdvInfoNCE code in
 * advinfonce.md §3-§4. With logits {@code s+} (positive) and {@code s_j} (negatives, already divided by the
 * temperature), the loss of a row is
 * <ul>
 *   <li>{@link Weighting#NONE}: {@code -log(e^{s+} / (e^{s+} + Σ_j e^{s_j}))} (the code's INFONCE);</li>
 *   <li>{@link Weighting#TIMES_K}: {@code -log(e^{s+} / (e^{s+} + k Σ_j e^{s_j}))} (AdvInfoNCE with uniform
 *       hardness, the fair control);</li>
 *   <li>{@link Weighting#HARDNESS}: {@code -log(e^{s+} / (e^{s+} + k N Σ_j p_j e^{s_j}))} with the hardness
 *       distribution {@code p} over the row's negatives given as {@code log p}.</li>
 * </ul>
 * The result is the mean over rows. It is computed in log space as
 * {@code -log softmax([s+, s_j + log w_j])[0]} with {@code log w_j = 0}, {@code ln k} or {@code log p_j + ln(kN)},
 * which equals the forms above exactly (no overflow for large logits).
 *
 * <p>Deviation from the reference code: none in value; the code multiplies {@code exp} terms and takes the log,
 * this class adds log-weights inside a log-softmax.
 */
public final class SampledInfoNCE {

    /** How the negatives of a row are weighted. */
    public enum Weighting {
        /** Plain InfoNCE: every negative has weight 1. */
        NONE,
        /** InfoNCE×k: every negative has weight k. */
        TIMES_K,
        /** AdvInfoNCE: negative j has weight {@code k N p_j}. */
        HARDNESS
    }

    private final Weighting weighting;
    private final double k;

    private SampledInfoNCE(Weighting weighting, double k) {
        if (!(k > 0) || Double.isInfinite(k)) {
            throw new IllegalArgumentException("kNeg must be > 0 and finite, got " + k);
        }
        this.weighting = weighting;
        this.k = k;
    }

    /** @return plain sampled InfoNCE */
    public static SampledInfoNCE plain() {
        return new SampledInfoNCE(Weighting.NONE, 1);
    }

    /**
     * @param k the negative weight kNeg (&gt; 0)
     * @return InfoNCE with every negative weighted by k
     */
    public static SampledInfoNCE timesK(double k) {
        return new SampledInfoNCE(Weighting.TIMES_K, k);
    }

    /**
     * @param k the negative weight kNeg (&gt; 0)
     * @return AdvInfoNCE's hardness-weighted InfoNCE (negative j weighted by {@code k N p_j})
     */
    public static SampledInfoNCE hardness(double k) {
        return new SampledInfoNCE(Weighting.HARDNESS, k);
    }

    /** @return the weighting */
    public Weighting weighting() {
        return weighting;
    }

    /** @return the negative weight k (1 for {@link #plain()}) */
    public double k() {
        return k;
    }

    /**
     * The loss with unweighted ({@link Weighting#NONE}) or k-weighted ({@link Weighting#TIMES_K}) negatives.
     *
     * @param positive positive logits {@code [B, 1]} or {@code [B]}
     * @param negatives negative logits {@code [B, N]}
     * @return the mean loss (scalar)
     * @throws IllegalStateException if this is the hardness-weighted form (it needs {@code log p})
     */
    public NDArray compute(NDArray positive, NDArray negatives) {
        if (weighting == Weighting.HARDNESS) {
            throw new IllegalStateException("the hardness-weighted InfoNCE needs the log hardness of the negatives");
        }
        NDArray neg = weighting == Weighting.TIMES_K ? negatives.add(constant(negatives, Math.log(k))) : negatives;
        return of(positive, negatives, neg);
    }

    /**
     * The hardness-weighted loss ({@link Weighting#HARDNESS}).
     *
     * @param positive positive logits {@code [B, 1]} or {@code [B]}
     * @param negatives negative logits {@code [B, N]}
     * @param logHardness {@code log p_j} of each row's hardness distribution over its negatives {@code [B, N]}
     *                    (e.g. a log-softmax of hardness logits)
     * @return the mean loss (scalar)
     * @throws IllegalStateException if this is not the hardness-weighted form
     */
    public NDArray compute(NDArray positive, NDArray negatives, NDArray logHardness) {
        if (weighting != Weighting.HARDNESS) {
            throw new IllegalStateException("a " + weighting + " InfoNCE takes no hardness");
        }
        if (!logHardness.getShape().equals(negatives.getShape())) {
            throw new IllegalArgumentException("logHardness has shape " + logHardness.getShape()
                    + ", negatives " + negatives.getShape());
        }
        long n = negatives.getShape().get(1);
        NDArray neg = negatives.add(logHardness).add(constant(negatives, Math.log(k * n)));
        return of(positive, negatives, neg);
    }

    /** A 0-d constant in the precision of {@code like} (float32 via {@link Ops#scalar}, float64 exact). */
    private static NDArray constant(NDArray like, double v) {
        return like.getDataType() == DataType.FLOAT64 ? like.getManager().create(v) : Ops.scalar(like, v);
    }

    private static NDArray of(NDArray positive, NDArray negatives, NDArray weighted) {
        if (negatives.getShape().dimension() != 2) {
            throw new IllegalArgumentException("negatives must be [B, N], got " + negatives.getShape());
        }
        NDArray pos = positive.getShape().dimension() == 1 ? positive.expandDims(1) : positive;
        if (pos.getShape().dimension() != 2 || pos.getShape().get(1) != 1
                || pos.getShape().get(0) != negatives.getShape().get(0)) {
            throw new IllegalArgumentException("positive must be [B, 1] or [B] with B = "
                    + negatives.getShape().get(0) + ", got " + positive.getShape());
        }
        return pos.concat(weighted, 1).logSoftmax(1).get(new NDIndex(":, 0")).neg().mean();
    }

    @Override
    public String toString() {
        return "SampledInfoNCE[" + weighting + (weighting == Weighting.NONE ? "" : ", k=" + k) + "]";
    }
}
