package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.seqcl.nn.Params;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.optim.StepContext;

/**
 * Popularity baseline: the score of an item is its frequency in the training part of the split
 * (sasrec_backbone.md D; RecBole's Pop counts training interactions only).
 */
public final class Pop extends AbstractRecommender<PopConfig> {

    private float[] counts;

    /**
     * Creates an unfitted popularity model.
     *
     * @param numItems number of items N
     */
    public Pop(int numItems) {
        super("Pop", numItems, new PopConfig(), new Params());
    }

    @Override
    public void prepare(LeaveOneOutSplit split) {
        if (split.numItems() != numItems()) {
            throw new IllegalArgumentException("Pop was built for " + numItems() + " items but the split has "
                    + split.numItems());
        }
        long[] c = split.trainItemCounts();
        counts = new float[c.length];
        for (int i = 0; i < c.length; i++) {
            counts[i] = c[i];
        }
    }

    @Override
    public NDArray loss(Batch batch, StepContext ctx) {
        throw new UnsupportedOperationException("Pop has no trainable parameters; it is fitted by prepare()");
    }

    @Override
    public NDArray scoreAll(Batch batch) {
        if (counts == null) {
            throw new IllegalStateException("Pop.scoreAll called before prepare(split)");
        }
        NDArray row = params().manager().create(counts, new Shape(1, counts.length));
        return row.broadcast(new Shape(batch.size(), counts.length));
    }
}
