package io.seqcl.optim;

import io.seqcl.protocol.Batch;

import java.util.Map;

/**
 * One optimisation step on a batch, with optimizer state that checkpoints can save and restore.
 *
 * <p>The default is {@link SingleLossStep}; meta-optimised models provide multi-stage steps.
 */
public interface TrainStep {

    /**
     * Runs one step.
     *
     * @param batch the training batch
     * @param ctx step information
     * @return the loss value reported for the step (the main loss for multi-stage steps)
     * @throws TrainingDivergedException if a loss is NaN or infinite
     */
    double step(Batch batch, StepContext ctx);

    /** @return a heap copy of the optimizer state(s) */
    Map<String, float[]> state();

    /**
     * Restores state from {@link #state()}.
     *
     * @param state saved state
     */
    void loadState(Map<String, float[]> state);
}
