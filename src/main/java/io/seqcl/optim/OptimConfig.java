package io.seqcl.optim;

import io.seqcl.nn.Adam;
import io.seqcl.nn.OptimizerKind;
import io.seqcl.nn.Params;

import java.util.List;

/**
 * The optimizer settings a training step needs: the update rule (Adam, AdamW or SGD), learning rate, betas and
 * weight decay, and the loss limit above which training is stopped as diverged. Built by
 * {@code io.seqcl.train.TrainConfig#optim()}; Adam is the default.
 *
 * @param learningRate learning rate
 * @param beta1 Adam/AdamW first-moment decay (unused by SGD, still validated)
 * @param beta2 Adam/AdamW second-moment decay (unused by SGD, still validated)
 * @param weightDecay weight decay (0 = none): coupled L2 for Adam and SGD, decoupled for AdamW
 * @param maxLoss a batch loss above this (or NaN/infinite) stops training with an error
 * @param optimizer the update rule ({@link OptimizerKind})
 */
public record OptimConfig(double learningRate, double beta1, double beta2, double weightDecay, double maxLoss,
                          OptimizerKind optimizer) {

    /** Validates the fields, naming the one that is wrong. */
    public OptimConfig {
        if (optimizer == null) {
            throw new IllegalArgumentException("optimizer must be one of ADAM, ADAMW, SGD, got null");
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
        }
        if (optimizer == OptimizerKind.ADAMW && !(learningRate * weightDecay < 1)) {
            throw new IllegalArgumentException("AdamW needs learningRate * weightDecay < 1 (the per-step shrink factor "
                    + "1 - lr*wd must stay positive), got " + learningRate + " * " + weightDecay);
        }
        if (!(maxLoss > 0)) {
            throw new IllegalArgumentException("maxLoss must be > 0, got " + maxLoss);
        }
    }

    /**
     * Adam settings (the default update rule).
     *
     * @param learningRate learning rate
     * @param beta1 first-moment decay
     * @param beta2 second-moment decay
     * @param weightDecay coupled L2 weight decay
     * @param maxLoss divergence limit
     */
    public OptimConfig(double learningRate, double beta1, double beta2, double weightDecay, double maxLoss) {
        this(learningRate, beta1, beta2, weightDecay, maxLoss, OptimizerKind.ADAM);
    }

    /**
     * @param kind the update rule
     * @return a copy with another update rule
     */
    public OptimConfig withOptimizer(OptimizerKind kind) {
        return new OptimConfig(learningRate, beta1, beta2, weightDecay, maxLoss, kind);
    }

    /**
     * @param wd weight decay
     * @return a copy with another weight decay
     */
    public OptimConfig withWeightDecay(double wd) {
        return new OptimConfig(learningRate, beta1, beta2, wd, maxLoss, optimizer);
    }

    /**
     * @param lr learning rate
     * @return a copy with another learning rate
     */
    public OptimConfig withLearningRate(double lr) {
        return new OptimConfig(lr, beta1, beta2, weightDecay, maxLoss, optimizer);
    }

    /**
     * Creates an optimizer with these settings over a parameter group (Adam, AdamW or SGD as configured).
     *
     * @param params the store
     * @param names the group
     * @return the optimizer
     */
    public Adam newAdam(Params params, List<String> names) {
        return newAdam(params, names, learningRate);
    }

    /**
     * Creates an optimizer with these settings but its own learning rate (per-group learning rates).
     *
     * @param params the store
     * @param names the group
     * @param lr the group's learning rate
     * @return the optimizer
     */
    public Adam newAdam(Params params, List<String> names, double lr) {
        return new Adam(optimizer, params, names, lr, beta1, beta2, 1e-8, weightDecay);
    }
}
