package io.seqcl.optim;

import java.util.SplittableRandom;

/**
 * Information a model receives with each training batch.
 *
 * @param epoch 1-based epoch
 * @param step 1-based step within the epoch
 * @param rng a random stream for Java-side randomness (augmentations, noise); seeded per epoch
 * @param stepsPerEpoch steps in every epoch (0 if unknown, e.g. in hand-made contexts of tests)
 */
public record StepContext(int epoch, int step, SplittableRandom rng, int stepsPerEpoch) {

    /**
     * A context without the epoch length ({@link #globalStep()} is then the step within the epoch).
     *
     * @param epoch 1-based epoch
     * @param step 1-based step within the epoch
     * @param rng the random stream
     */
    public StepContext(int epoch, int step, SplittableRandom rng) {
        this(epoch, step, rng, 0);
    }

    /** @return the 1-based number of this optimizer step since training began ({@code (epoch-1) * stepsPerEpoch + step}) */
    public long globalStep() {
        return (long) (epoch - 1) * stepsPerEpoch + step;
    }
}
