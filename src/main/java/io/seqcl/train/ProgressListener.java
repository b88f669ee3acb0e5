package io.seqcl.train;

/**
 * Receives training progress: one call per batch (implementations throttle what they show) and one per epoch.
 *
 * <p>The default methods do nothing, so an implementation overrides only what it needs. Implementations must
 * not keep references to native arrays; every value passed here is a plain Java number.
 */
public interface ProgressListener {

    /** A listener that ignores everything. */
    ProgressListener NONE = new ProgressListener() { };

    /**
     * Called once when a model starts training.
     *
     * @param run a short run name, for example "SASRec"
     * @param maxEpochs the epoch budget
     * @param stepsPerEpoch the number of batches in one epoch
     */
    default void onRunStart(String run, int maxEpochs, int stepsPerEpoch) { }

    /**
     * Called after every training batch.
     *
     * @param run the run name
     * @param epoch the 1-based epoch
     * @param step the 1-based step within the epoch
     * @param stepsPerEpoch batches per epoch
     * @param loss the batch loss
     */
    default void onBatch(String run, int epoch, int step, int stepsPerEpoch, double loss) { }

    /**
     * Called after each epoch's validation.
     *
     * @param report what happened in the epoch
     */
    default void onEpochEnd(EpochReport report) { }

    /**
     * Called once when a run ends (early stop, budget exhausted, or a model without trainable parameters).
     *
     * @param run the run name
     * @param message a one-line summary such as "best epoch 7, valid NDCG@10 0.0312, 41.2 s"
     */
    default void onRunEnd(String run, String message) { }
}
