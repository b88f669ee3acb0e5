package io.seqcl.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.seqcl.nn.Ops;

/**
 * Binary cross-entropy with one sampled negative per target position (sasrec_backbone.md A.5.2):
 * {@code -log sigma(h.e_pos) - log(1 - sigma(h.e_neg))}, averaged over target positions.
 *
 * <p>Deviation: computed as {@code softplus(-x)} / {@code softplus(x)} for numerical stability instead of the
 * reference codes' {@code log(sigma + 1e-24)}; equal up to that epsilon.
 */
public record SampledBinaryCrossEntropy() implements RecLoss {

    @Override
    public NDArray compute(NDArray h, NDArray itemTable, long[] targets, long[] negatives) {
        if (negatives == null || negatives.length != targets.length) {
            throw new IllegalArgumentException("SampledBinaryCrossEntropy needs one negative per target");
        }
        NDArray pos = h.mul(Ops.rows(itemTable, targets)).sum(new int[] {1});
        NDArray neg = h.mul(Ops.rows(itemTable, negatives)).sum(new int[] {1});
        return Activation.softPlus(pos.neg()).add(Activation.softPlus(neg)).mean();
    }

    @Override
    public boolean needsNegatives() {
        return true;
    }
}
