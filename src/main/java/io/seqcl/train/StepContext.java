package io.seqcl.train;

import java.util.SplittableRandom;

/**
 * Information a model receives with each training batch.
 *
 * @param epoch 1-based epoch
 * @param step 1-based step within the epoch
 * @param rng a random stream for Java-side randomness (augmentations, noise); seeded per epoch
 */
public record StepContext(int epoch, int step, SplittableRandom rng) {
}
