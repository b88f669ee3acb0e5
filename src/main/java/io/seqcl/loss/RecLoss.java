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

    /** @return whether {@link #compute} needs sampled negatives */
    default boolean needsNegatives() {
        return false;
    }
}
