package io.seqcl.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.seqcl.nn.Gaussian;

/**
 * KL divergence of a diagonal Gaussian posterior from the standard normal prior,
 * {@code KL(N(mu, sigma^2) || N(0, I)) = -1/2 * sum_d (1 + ln sigma^2 - mu^2 - sigma^2)} per position, then
 * averaged over positions (Meta-SGCL Eq. 24–25 sign/scale-corrected, metasgcl.md §4; ContrastVAE,
 * contrastvae.md §4).
 *
 * <p>Reductions. Both reference designs sum over the latent axis and average over positions
 * ({@link Latent#SUM}, the default); {@link Latent#MEAN} averages over the latent axis instead (a {@code 1/d}
 * rescaling found in some other VAE codes). Positions: {@link #compute(Gaussian)} averages over all rows
 * (ContrastVAE: all {@code B*T} positions, padding included — metasgcl.md flag {@code klOverPadding});
 * {@link #compute(Gaussian, NDArray)} averages over the rows where the mask is 1 (Meta-SGCL default: valid,
 * non-padded positions). If the mask selects no row the result is 0. {@link #compute(Gaussian, NDArray, long)} sums
 * over the masked rows and divides by a given count (Meta-SGCL flag {@code klOverSlots}: the real positions' KL on
 * ContrastVAE's scale, divided by all {@code B*T} slots, without computing the padding positions).
 *
 * <p>Deviation from the Meta-SGCL paper: its Eq. 24–25 omit the factor 1/2 (equivalent to doubling beta) and are
 * written with the opposite sign; we use the exact Gaussian KL.
 *
 * @param latent how the latent axis is reduced
 */
public record GaussianKL(Latent latent) {

    /** Reduction over the latent (last) axis. */
    public enum Latent {
        /** Sum over the latent axis: the exact per-position KL (Meta-SGCL, ContrastVAE). */
        SUM,
        /** Mean over the latent axis (KL divided by the latent width). */
        MEAN
    }

    /** Checks the reduction is given. */
    public GaussianKL {
        if (latent == null) {
            throw new IllegalArgumentException("latent reduction must not be null");
        }
    }

    /** Creates the default: sum over the latent axis. */
    public GaussianKL() {
        this(Latent.SUM);
    }

    /**
     * Per-position KL, reduced over the latent axis only.
     *
     * @param g posterior with {@code mean}/{@code logVar} {@code [..., d]}
     * @return {@code [...]} (the leading axes of the posterior)
     */
    public NDArray perPosition(Gaussian g) {
        NDArray lv = g.logVar();
        NDArray mu = g.mean();
        NDArray terms = lv.add(io.seqcl.nn.Ops.scalar(lv, 1)).sub(mu.square()).sub(lv.exp());
        NDArray reduced = latent == Latent.SUM ? terms.sum(new int[] {-1}) : terms.mean(new int[] {-1});
        return io.seqcl.nn.Ops.scale(reduced, -0.5);
    }

    /**
     * KL averaged over every position (padding included: ContrastVAE's reduction).
     *
     * @param g posterior {@code [..., d]}
     * @return scalar
     */
    public NDArray compute(Gaussian g) {
        return perPosition(g).mean();
    }

    /**
     * KL averaged over the positions where {@code mask} is nonzero (Meta-SGCL default: valid positions, e.g.
     * {@link io.seqcl.nn.PositionMask#fromItems}).
     *
     * @param g posterior {@code [..., d]}
     * @param mask 0/1 weights with the posterior's leading shape {@code [...]} (any numeric type)
     * @return scalar; 0 if the mask selects no position
     */
    public NDArray compute(Gaussian g, NDArray mask) {
        NDArray kl = perPosition(g);
        NDArray w = weights(kl, mask);
        return kl.mul(w).sum().div(w.sum().maximum(io.seqcl.nn.Ops.scalar(w, 1)));
    }

    /** The mask in the KL's type, after checking it has the posterior's leading shape. */
    private static NDArray weights(NDArray kl, NDArray mask) {
        Shape lead = kl.getShape();
        if (!mask.getShape().equals(lead)) {
            throw new IllegalArgumentException("mask " + mask.getShape() + " must have the posterior's leading shape "
                    + lead);
        }
        return mask.toType(kl.getDataType(), false);
    }

    /**
     * KL summed over the positions where {@code mask} is nonzero and divided by {@code positions} (e.g. the
     * {@code B*T} slots of a batch: ContrastVAE's scale for the real positions, the padding left out).
     *
     * @param g posterior {@code [..., d]}
     * @param mask 0/1 weights with the posterior's leading shape {@code [...]} (any numeric type)
     * @param positions the divisor, at least 1
     * @return scalar
     * @throws IllegalArgumentException if {@code positions < 1} or the mask's shape differs
     */
    public NDArray compute(Gaussian g, NDArray mask, long positions) {
        if (positions < 1) {
            throw new IllegalArgumentException("positions must be >= 1, got " + positions);
        }
        NDArray kl = perPosition(g);
        return io.seqcl.nn.Ops.scale(kl.mul(weights(kl, mask)).sum(), 1.0 / positions);
    }

    /**
     * KL over the positions the flags of Meta-SGCL and ContrastVAE choose: every position when {@code valid} is
     * null ({@code klOverPadding}, {@link #compute(Gaussian)}), the valid positions summed and divided by
     * {@code slots} when it is positive ({@code klOverSlots}, {@link #compute(Gaussian, NDArray, long)}), else the
     * valid positions' mean ({@link #compute(Gaussian, NDArray)}).
     *
     * @param g posterior {@code [..., d]}
     * @param valid 0/1 weights of the valid positions, or null for every position
     * @param slots the divisor of the valid positions' sum (e.g. the batch's {@code B*T}), or 0 for their mean
     * @return scalar
     */
    public NDArray over(Gaussian g, NDArray valid, long slots) {
        if (valid == null) {
            return compute(g);
        }
        return slots > 0 ? compute(g, valid, slots) : compute(g, valid);
    }
}
