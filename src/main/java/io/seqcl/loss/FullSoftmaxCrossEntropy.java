package io.seqcl.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
        // without row 0 the softmax runs over rows 1..N only: the same numbers as a -inf logit for row 0, without
        // one more [K, rows] tensor in the forward pass
        NDArray table = includePaddingRow ? itemTable : itemTable.get(new NDIndex("1:"));
        NDArray logp = h.matMul(table.transpose()).logSoftmax(1);
        long[] cols = targets;
        if (!includePaddingRow) {
            cols = new long[targets.length];
            for (int i = 0; i < targets.length; i++) {
                if (targets[i] < 1) {
                    throw new IllegalArgumentException("target " + targets[i] + " at index " + i
                            + " is the padding row, which is excluded from the softmax");
                }
                cols[i] = targets[i] - 1;
            }
        }
        NDArray idx = m.create(cols, new Shape(cols.length, 1));
        return logp.gather(idx, 1).mean().neg();
    }
}
