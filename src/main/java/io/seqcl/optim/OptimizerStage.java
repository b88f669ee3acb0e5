package io.seqcl.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.seqcl.nn.Adam;
import io.seqcl.nn.Params;

import java.util.function.DoubleConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One optimizer stage: zero every gradient, freeze every parameter outside one group, compute a scalar objective
 * under a fresh {@link NDScope} and gradient collector, back-propagate it (descend) or its negation (ascend), and
 * take one step of the group's own {@link Adam}.
 *
 * <p>This is the single implementation of the stage used by {@link MultiStageStep} (MCLRec, Qin et al.,
 * SIGIR'23), {@link MetaTwoStageStep} (Meta-SGCL, Hao et al., arXiv 2310.13925) and the collaborative-filtering
 * trainer {@code io.seqcl.cf.CfTrainer}, whose adversarial phase (AdvInfoNCE, Zhang et al., NeurIPS'23,
 * advinfonce.md §5: gradient ascent on the loss w.r.t. the hardness model only) is a {@link Direction#ASCEND}
 * stage.
 *
 * <p>Exactness (engine-djl.md): before the backward pass all gradients are zeroed and the parameters outside the
 * group have {@code requiresGradient = false}, so a stage changes only its own group, bit for bit; the optimizer
 * step runs outside the stage's scope with autograd recording off on the calling thread. An ascend stage
 * back-propagates {@code -objective}, exactly as the AdvInfoNCE code's {@code loss = reg - L_adv} (the
 * regulariser has no gradient w.r.t. the hardness model).
 */
public final class OptimizerStage {

    /** Whether the stage minimises or maximises its objective. */
    public enum Direction {
        /** Gradient descent on the objective (sign +1). */
        DESCEND(1),
        /** Gradient ascent on the objective, i.e. descent on its negation (sign -1). */
        ASCEND(-1);

        private final int sign;

        Direction(int sign) {
            this.sign = sign;
        }

        /** @return +1 for descend, -1 for ascend */
        public int sign() {
            return sign;
        }
    }

    private final Params params;
    private final Predicate<String> frozen;
    private final Adam optimizer;
    private final Direction direction;

    /**
     * Creates a stage.
     *
     * @param params every parameter of the model
     * @param group selects the parameters this stage updates (all others are frozen during its backward pass)
     * @param optimizer the group's optimizer (built over exactly the group's parameters)
     * @param direction descend or ascend
     */
    public OptimizerStage(Params params, Predicate<String> group, Adam optimizer, Direction direction) {
        if (params == null || group == null || optimizer == null || direction == null) {
            throw new IllegalArgumentException("params, group, optimizer and direction must be set");
        }
        this.params = params;
        this.frozen = group.negate();
        this.optimizer = optimizer;
        this.direction = direction;
    }

    /** @return the group's optimizer */
    public Adam optimizer() {
        return optimizer;
    }

    /** @return descend or ascend */
    public Direction direction() {
        return direction;
    }

    /**
     * Runs the stage once.
     *
     * @param objective computes the scalar objective (called inside the open scope and gradient collector)
     * @param check receives the objective's value before the backward pass (e.g. throws on divergence)
     * @return the objective's value (before the sign is applied)
     */
    public double run(Supplier<NDArray> objective, DoubleConsumer check) {
        params.zeroGradients();
        params.setTrainable(frozen, false);
        try {
            double value;
            long t0 = System.nanoTime();
            long t1;
            try (NDScope scope = new NDScope();
                 GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = objective.get();
                value = l.toType(DataType.FLOAT64, false).getDouble();
                t1 = System.nanoTime();
                check.accept(value);
                gc.backward(direction == Direction.ASCEND ? l.neg() : l);
            }
            long t2 = System.nanoTime();
            io.seqcl.nn.Devices.noGradOnThisThread();
            optimizer.step();
            StepProfile.add(t1 - t0, t2 - t1, System.nanoTime() - t2);
            return value;
        } finally {
            params.setTrainable(frozen, true);
        }
    }
}
