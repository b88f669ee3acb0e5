package io.seqcl.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Full-softmax cross-entropy over all item rows: {@code -log softmax(h E^T)[target]} (sasrec_backbone.md A.5.1).
 *
 * <p>By default the padding row 0 is excluded from the softmax (its logit is minus infinity), our documented
 * choice; {@code includePaddingRow = true} reproduces RecBole/MCLRec, which keep row 0 as a class.
 *
 * @param includePaddingRow whether row 0 takes part in the softmax
 */
public record FullSoftmaxCrossEntropy(boolean includePaddingRow) implements RecLoss {

    /** Creates the default variant (padding row excluded). */
    public FullSoftmaxCrossEntropy() {
        this(false);
    }

    @Override
    public NDArray compute(NDArray h, NDArray itemTable, long[] targets, long[] negatives) {
        NDManager m = h.getManager();
        NDArray logits = h.matMul(itemTable.transpose());
        if (!includePaddingRow) {
            float[] row = new float[(int) itemTable.getShape().get(0)];
            row[0] = Float.NEGATIVE_INFINITY;
            logits = logits.add(m.create(row));
        }
        NDArray logp = logits.logSoftmax(1);
        NDArray idx = m.create(targets, new Shape(targets.length, 1));
        return logp.gather(idx, 1).mean().neg();
    }
}
