package io.seqcl.loss;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A next-item recommendation loss on the representations taken at target positions.
 *
 * <p>In configuration files a loss is written with its type name, e.g. {@code {type: full-softmax-ce,
 * includePaddingRow: false}} or {@code {type: sampled-bce}}.
 *
 * <p>Models receive a loss object rather than a string switch, so new losses plug in without touching models.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = FullSoftmaxCrossEntropy.class, name = "full-softmax-ce"),
    @JsonSubTypes.Type(value = SampledBinaryCrossEntropy.class, name = "sampled-bce")
})
public interface RecLoss {

    /**
     * Computes the mean loss over {@code M} target positions.
     *
     * @param h representations {@code [M, d]}
     * @param itemTable the (tied) item embedding table {@code [V, d]}, row 0 = padding
     * @param targets target item ids, length M
     * @param negatives one sampled negative per target (length M), or {@code null} if not needed
     * @return a scalar
     */
    NDArray compute(NDArray h, NDArray itemTable, long[] targets, long[] negatives);

    /**
     * Computes the same loss for an item table that receives no gradient (a frozen leaf, e.g. Theta' in Meta-SGCL's
     * stage 2): the value and the gradient with respect to {@code h} are those of {@link #compute}; the table gets
     * none. A loss that forms the table's gradient by hand skips that work here (libtorch skips it by itself for
     * autograd losses). The default detaches the table and calls {@link #compute}.
     *
     * @param h representations {@code [M, d]}
     * @param itemTable the item table {@code [V, d]}, row 0 = padding; no gradient reaches it
     * @param targets target item ids, length M
     * @param negatives one sampled negative per target (length M), or {@code null} if not needed
     * @return a scalar
     */
    default NDArray computeFrozenTable(NDArray h, NDArray itemTable, long[] targets, long[] negatives) {
        return compute(h, itemTable.stopGradient(), targets, negatives);
    }

    /** @return whether {@link #compute} needs sampled negatives */
    default boolean needsNegatives() {
        return false;
    }
}
