package io.seqcl.optim;

import io.seqcl.nn.Adam;
import io.seqcl.nn.Params;

import java.util.List;

/**
 * The optimizer settings a training step needs: Adam's learning rate, betas and weight decay, and the loss limit
 * above which training is stopped as diverged. Built by {@code io.seqcl.train.TrainConfig#optim()}.
 *
 * @param learningRate Adam learning rate
 * @param beta1 Adam first-moment decay
 * @param beta2 Adam second-moment decay
 * @param weightDecay Adam L2 weight decay (0 = none)
 * @param maxLoss a batch loss above this (or NaN/infinite) stops training with an error
 */
public record OptimConfig(double learningRate, double beta1, double beta2, double weightDecay, double maxLoss) {

    /** Validates the fields, naming the one that is wrong. */
    public OptimConfig {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
        }
        if (!(maxLoss > 0)) {
            throw new IllegalArgumentException("maxLoss must be > 0, got " + maxLoss);
        }
    }

    /**
     * Creates an Adam optimizer with these settings over a parameter group.
     *
     * @param params the store
     * @param names the group
     * @return the optimizer
     */
    public Adam newAdam(Params params, List<String> names) {
        return new Adam(params, names, learningRate, beta1, beta2, 1e-8, weightDecay);
    }
}
