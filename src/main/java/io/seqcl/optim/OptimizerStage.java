package io.seqcl.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.seqcl.nn.Adam;
import io.seqcl.nn.Params;
import io.seqcl.protocol.Batch;

import java.util.List;
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
    private final List<Adam> optimizers;
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
        this.optimizers = List.of(optimizer);
        this.direction = direction;
    }

    /**
     * Creates a stage whose one backward pass feeds several optimizers in turn: each steps its own parameters with
     * the gradients of that backward pass (restored for it if an earlier optimizer already stepped and zeroed them),
     * on the weights as the earlier ones left them. ACVAE (Xie et al., WWW'21, baselines.md §7) steps AdamW on the
     * whole VAE and then SGD on the encoder and the contrastive discriminator after one {@code loss.backward()}, so
     * its encoder is updated twice with the same gradient.
     *
     * @param params every parameter of the model
     * @param group selects the parameters that receive gradient (all others are frozen during the backward pass)
     * @param optimizers the optimizers in order (at least one), each over parameters of the group
     * @param direction descend or ascend
     */
    public OptimizerStage(Params params, Predicate<String> group, List<Adam> optimizers, Direction direction) {
        if (params == null || group == null || optimizers == null || optimizers.isEmpty() || direction == null) {
            throw new IllegalArgumentException("params, group, at least one optimizer and direction must be set");
        }
        for (Adam a : optimizers) {
            for (String n : a.names()) {
                if (!group.test(n)) {
                    throw new IllegalArgumentException("optimizer parameter " + n + " is outside the stage's group");
                }
            }
        }
        this.params = params;
        this.frozen = group.negate();
        this.optimizer = optimizers.get(0);
        this.optimizers = List.copyOf(optimizers);
        this.direction = direction;
    }

    /** @return the stage's optimizers in the order they step */
    public List<Adam> optimizers() {
        return optimizers;
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
            if (optimizers.size() == 1) {
                optimizer.step();
            } else {
                stepAll();
            }
            StepProfile.add(t1 - t0, t2 - t1, System.nanoTime() - t2);
            return value;
        } finally {
            params.setTrainable(frozen, true);
        }
    }

    /**
     * Runs the stage once with its objective's forward and backward passes on {@code shards} row ranges of the
     * batch at once ({@link ShardedStep#backward(SplitLoss, Batch, StepContext, int)}); descending stages only.
     *
     * @param objective the objective, split by rows
     * @param batch the batch
     * @param ctx the step (its stream is advanced by one draw)
     * @param shards number of row ranges, at least 1
     * @param check receives the objective's value after the backward pass and before the optimizer steps
     * @return the objective's value
     * @throws IllegalStateException for an ascending stage
     */
    public double run(SplitLoss objective, Batch batch, StepContext ctx, int shards, DoubleConsumer check) {
        if (direction != Direction.DESCEND) {
            throw new IllegalStateException("a stage trained in row ranges must descend");
        }
        params.zeroGradients();
        params.setTrainable(frozen, false);
        try {
            long t0 = System.nanoTime();
            double value = ShardedStep.backward(objective, batch, ctx, shards);
            long t1 = System.nanoTime();
            check.accept(value);
            io.seqcl.nn.Devices.noGradOnThisThread();
            if (optimizers.size() == 1) {
                optimizer.step();
            } else {
                stepAll();
            }
            StepProfile.add(t1 - t0, 0, System.nanoTime() - t1);
            return value;
        } finally {
            params.setTrainable(frozen, true);
        }
    }

    /** Steps every optimizer on the same gradients (each {@link Adam#step()} zeroes its own group's). */
    private void stepAll() {
        java.util.Map<String, NDArray> saved = new java.util.LinkedHashMap<>();
        try {
            for (int i = 1; i < optimizers.size(); i++) {
                for (String n : optimizers.get(i).names()) {
                    NDArray w = params.get(n);
                    if (w.hasGradient() && !saved.containsKey(n)) {
                        try (NDArray g = w.getGradient()) {
                            NDArray copy = g.duplicate();
                            copy.detach();
                            saved.put(n, copy);
                        }
                    }
                }
            }
            for (int i = 0; i < optimizers.size(); i++) {
                if (i > 0) {
                    for (String n : optimizers.get(i).names()) {
                        NDArray copy = saved.get(n);
                        if (copy != null) {
                            try (NDArray g = params.get(n).getGradient()) {
                                g.subi(g).addi(copy);
                            }
                        }
                    }
                }
                optimizers.get(i).step();
            }
        } finally {
            saved.values().forEach(NDArray::close);
        }
    }
}
