package io.seqcl.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.seqcl.nn.Params;
import io.seqcl.nn.Adam;
import io.seqcl.protocol.Batch;

import java.util.Map;

/**
 * The standard step: forward the model's loss, backpropagate, one Adam update of every parameter.
 *
 * <p>The forward pass runs inside an {@link NDScope} so intermediates are freed every step, and the optimizer
 * update runs after the scope (engine-djl.md: memory and released-resource traps).
 */
public final class SingleLossStep implements TrainStep {

    /** A scalar training loss of a batch (e.g. a model's {@code loss} method). */
    @FunctionalInterface
    public interface Loss {
        /**
         * @param batch the batch
         * @param ctx step information
         * @return scalar loss
         */
        NDArray compute(Batch batch, StepContext ctx);
    }

    private final String name;
    private final Loss loss;
    private final Adam adam;
    private final double maxLoss;

    /**
     * Creates the step.
     *
     * @param name model name for error messages
     * @param params the parameters, all updated by one Adam
     * @param loss the loss
     * @param config learning rate, betas, weight decay and loss limit
     */
    public SingleLossStep(String name, Params params, Loss loss, OptimConfig config) {
        this.name = name;
        this.loss = loss;
        this.adam = config.newAdam(params, params.names());
        this.maxLoss = config.maxLoss();
    }

    @Override
    public double step(Batch batch, StepContext ctx) {
        double value = backward(name, loss, batch, ctx, maxLoss);
        long t0 = System.nanoTime();
        adam.step();
        StepProfile.add(0, 0, System.nanoTime() - t0);
        return value;
    }

    /**
     * Runs forward and backward of a loss and checks the value; gradients accumulate on the parameters.
     *
     * @param name model name for error messages
     * @param lossFn the loss
     * @param batch the batch
     * @param ctx step information
     * @param maxLoss losses above this are divergence
     * @return the loss value
     */
    public static double backward(String name, Loss lossFn, Batch batch, StepContext ctx, double maxLoss) {
        double value;
        long t0 = System.nanoTime();
        long t1;
        try (NDScope scope = new NDScope();
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = lossFn.compute(batch, ctx);
            value = loss.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            t1 = System.nanoTime();
            check(name, value, ctx, maxLoss);
            gc.backward(loss);
        }
        StepProfile.add(t1 - t0, System.nanoTime() - t1, 0);
        return value;
    }

    /**
     * Throws if a loss value is NaN, infinite or above the limit.
     *
     * @param what model or loss name
     * @param value the loss
     * @param ctx where it happened
     * @param maxLoss the limit
     */
    public static void check(String what, double value, StepContext ctx, double maxLoss) {
        if (!Double.isFinite(value) || value > maxLoss) {
            throw new TrainingDivergedException(what + ": loss is " + value + " at epoch " + ctx.epoch() + " step "
                    + ctx.step() + (Double.isFinite(value) ? " (above the limit maxLoss=" + maxLoss + ")" : "")
                    + "; training stopped. Try a smaller learning rate or check the inputs.");
        }
    }

    @Override
    public Map<String, float[]> state() {
        return adam.state();
    }

    @Override
    public void loadState(Map<String, float[]> state) {
        adam.loadState(state);
    }
}
