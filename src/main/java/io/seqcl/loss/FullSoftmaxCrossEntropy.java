package io.seqcl.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

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
        return compute(h, itemTable, targets, true);
    }

    /**
     * {@inheritDoc} Skips the product {@code G^T h} that forms the table's gradient: one of the three
     * {@code [K, N]}-sized matrix products of a training step (Meta-SGCL's stage 2 on Toys: about 1,400 x 11,924).
     */
    @Override
    public NDArray computeFrozenTable(NDArray h, NDArray itemTable, long[] targets, long[] negatives) {
        // without the table term nothing reaches the table: the closed form uses it only detached otherwise
        return compute(h, itemTable, targets, false);
    }

    private NDArray compute(NDArray h, NDArray itemTable, long[] targets, boolean tableGradient) {
        // without row 0 the softmax runs over rows 1..N only: the same numbers as a -inf logit for row 0, without
        // one more [K, rows] tensor in the forward pass
        NDArray table = includePaddingRow ? itemTable : itemTable.get(new NDIndex("1:"));
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
        return meanNegLogSoftmax(h, table, cols, tableGradient);
    }

    /**
     * {@code mean_i -log softmax(h E^T)_i[cols_i]} with its gradient taken in closed form instead of through the
     * autograd graph of the {@code [K, N]} logits.
     *
     * <p>The gradient of the loss with respect to the logits is {@code (softmax - onehot) / K}, so
     * {@code dL/dh = G E / K} and {@code dL/dE = G^T h / K} with {@code G} the softmax less the one-hot targets.
     * Both are formed here with the weights detached, and the returned scalar is
     * {@code L + (S - stop(S))}, where {@code S = sum(h . dL/dh) + sum(E . dL/dE)} has exactly those gradients:
     * its value is {@code L} and its gradient is the loss's. The autograd path would instead keep the logits, the
     * log-softmax, the gathered log-probabilities and, in the backward pass, a zero-filled {@code [K, N]} tensor for
     * the gather and a log-softmax backward: about 40 % of a packed SASRec step on Beauty in a libtorch profile
     * (README "Packed execution"). The matrix products are the same three as autograd's. Only first derivatives
     * are correct (no model here takes second derivatives of a loss).
     *
     * @param h {@code [K, d]} hidden states
     * @param table {@code [N, d]} class embeddings
     * @param cols the target class of each row, in {@code 0..N-1}
     * @return the scalar mean cross-entropy
     */
    public static NDArray meanNegLogSoftmax(NDArray h, NDArray table, long[] cols) {
        return meanNegLogSoftmax(h, table, cols, true);
    }

    /**
     * {@link #meanNegLogSoftmax(NDArray, NDArray, long[])}, with the table's gradient term formed only if
     * {@code tableGradient}. Without it the table gets no gradient even if it requires one: for a table that is
     * frozen (libtorch's {@code requires_grad} is visible through DJL only on leaf arrays, so the caller says so).
     *
     * @param h {@code [K, d]} hidden states
     * @param table {@code [N, d]} class embeddings
     * @param cols the target class of each row, in {@code 0..N-1}
     * @param tableGradient whether the table receives its gradient
     * @return the scalar mean cross-entropy
     */
    public static NDArray meanNegLogSoftmax(NDArray h, NDArray table, long[] cols, boolean tableGradient) {
        // the products and the softmax below are a step's largest operators: io.seqcl.nn.WideThreads may give them
        // more threads than the small ones
        long entries = (long) cols.length * table.getShape().get(0);
        return io.seqcl.nn.WideThreads.run(entries, () -> closedForm(h, table, cols, tableGradient));
    }

    private static NDArray closedForm(NDArray h, NDArray table, long[] cols, boolean tableGradient) {
        NDManager m = h.getManager();
        int k = cols.length;
        NDArray hd = h.stopGradient();
        NDArray td = table.stopGradient();
        NDArray logits = hd.matMul(td.transpose());
        NDArray p = logits.softmax(1);
        NDArray idx = m.create(cols);
        NDArray pt = p.gather(idx.reshape(k, 1), 1).reshape(k);
        NDArray loss = meanNegLog(logits, p, pt, idx, k);
        if (!io.seqcl.nn.Devices.recordingGradients()) {
            return loss;
        }
        // G = softmax - onehot, formed in place on the detached probabilities; the table term only when the caller
        // says the table takes a gradient (DJL reports requires_grad only for leaf arrays, and the table here is
        // usually a slice of one)
        NDArray rows = m.arange(0, k, 1, ai.djl.ndarray.types.DataType.INT64);
        NDIndex at = new NDIndex("{}, {}", rows, idx);
        p.set(at, pt.sub(io.seqcl.nn.Ops.scalar(p, 1)));
        NDArray s = h.mul(p.matMul(td)).sum();
        if (tableGradient) {
            s = s.add(table.mul(p.transpose().matMul(hd)).sum());
        }
        // a manager-owned scalar: DJL's Number overloads free theirs on garbage collection (Ops.scalar)
        s = io.seqcl.nn.Ops.scale(s, 1.0 / k);
        return loss.add(s.sub(s.stopGradient()));
    }

    /** Below this a target probability is not used directly: its logarithm would lose precision or be infinite. */
    static final float SAFE_PROBABILITY = 1e-30f;

    /**
     * {@code mean_i -log p[i, t_i]} from the softmax {@code p} of {@code logits}, exact also where a target's
     * probability underflows.
     *
     * <p>When every target probability is at least {@link #SAFE_PROBABILITY} (every row's loss below about 69, which
     * is every step of a training run that has not diverged) the loss is {@code -log p_t} from {@code K} gathered
     * values. Otherwise, or for NaN, it is {@link #exactMeanNegLog}: {@code lse - l_t} with
     * {@code lse = max_j l_j - log max_j p_j}. The two agree to float precision; the shortcut skips the two
     * {@code [K, N]} row maxima, which libtorch computes with their indices, slowly: 23 % of a packed Meta-SGCL step
     * on Toys and 11 % of a SASRec step on Beauty in libtorch profiles (2026-12-01). Reading the {@code K} values
     * is a device synchronisation on a GPU; a training step ends with one anyway (its loss is read).
     *
     * @param pt {@code [K]} the target probabilities {@code p[i, t_i]}, gathered once by the caller, which also
     *     forms the gradient from them
     */
    static NDArray meanNegLog(NDArray logits, NDArray p, NDArray pt, NDArray idx, int k) {
        float min = Float.POSITIVE_INFINITY;
        for (float v : pt.toFloatArray()) {
            min = Math.min(min, v); // NaN stays NaN and fails the test below
        }
        if (min >= SAFE_PROBABILITY) {
            return pt.log().neg().mean();
        }
        return exactMeanNegLog(logits, p, idx, k);
    }

    /**
     * {@code mean_i (lse_i - l[i, t_i])} with {@code lse = max_j l_j - log max_j p_j}: the largest probability is at
     * least 1/N, so its logarithm is exact where {@code p_t} itself underflows.
     */
    static NDArray exactMeanNegLog(NDArray logits, NDArray p, NDArray idx, int k) {
        NDArray lse = logits.max(new int[] {1}).sub(p.max(new int[] {1}).log());
        return lse.sub(logits.gather(idx.reshape(k, 1), 1).reshape(k)).mean();
    }
}
