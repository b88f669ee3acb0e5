package io.seqcl.optim;

import ai.djl.ndarray.NDArray;
import io.seqcl.nn.Adam;
import io.seqcl.nn.Params;
import io.seqcl.protocol.Batch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A general multi-stage step: per batch, a Java-side preparation shared by all stages (e.g. the augmented views),
 * then a sequence of stages, each one Adam step of one parameter group on its own loss with every other parameter
 * frozen. Stages that name the same group share that group's optimizer. A stage descends its loss by default; a
 * stage with {@link OptimizerStage.Direction#ASCEND} ascends it (the adversarial phase of AdvInfoNCE, Zhang et al.,
 * NeurIPS'23, ascends its loss w.r.t. the hardness model). Every stage runs through {@link OptimizerStage}.
 *
 * <p>MCLRec's training loop (Qin et al., SIGIR'23, ../shared/papers/002_8cbc21390195a073.txt; mclrec.md §6.1) is
 * {@code [theta on L0, phi on L1, theta on L0]} with the views generated once per batch; its paper's Algorithm 1 is
 * the first two stages. {@link MetaTwoStageStep} is the two-group special case without a shared preparation.
 *
 * <p>Exactness (engine-djl.md): before every backward all gradients are zeroed and the parameters outside the
 * stage's group have {@code requiresGradient = false}, so a stage changes only its own group, bit for bit; updates
 * run outside the per-stage {@link NDScope}.
 *
 * @param <P> the type of the per-batch preparation (plain Java data; it must not hold NDArrays)
 */
public final class MultiStageStep<P> implements TrainStep {

    /** Builds the per-batch state shared by all stages (called once per batch, before stage 1). */
    @FunctionalInterface
    public interface Preparation<P> {
        /**
         * Prepares a batch.
         *
         * @param batch the batch
         * @param ctx step information and random stream
         * @return the shared state
         */
        P prepare(Batch batch, StepContext ctx);
    }

    /** A differentiable scalar loss, computed inside an open gradient collector and scope. */
    @FunctionalInterface
    public interface StageLoss<P> {
        /**
         * Computes the loss.
         *
         * @param batch the batch
         * @param prepared the batch's shared state
         * @param ctx step information and random stream
         * @return a scalar
         */
        NDArray compute(Batch batch, P prepared, StepContext ctx);
    }

    /**
     * A parameter group with its own optimizer.
     *
     * @param name group name (key prefix of its optimizer state)
     * @param members selects the group's parameters
     * @param learningRate its Adam learning rate; 0 = the training learning rate
     */
    public record Group(String name, Predicate<String> members, double learningRate) {

        /** Validates the fields. */
        public Group {
            if (name == null || name.isBlank() || name.contains("/") || members == null) {
                throw new IllegalArgumentException("a group needs a name without '/' and a member predicate");
            }
            if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learningRate must be >= 0 (0 = training rate), got "
                        + learningRate);
            }
        }
    }

    /**
     * One stage: an Adam step of a group on a loss.
     *
     * @param group the name of the group updated
     * @param loss the loss minimised (or maximised when {@code direction} is ascend)
     * @param direction descend (the default) or ascend
     * @param split the loss split by rows from the batch's preparation, or null (needed when the step is sharded)
     * @param <P> preparation type
     */
    public record Stage<P>(String group, StageLoss<P> loss, OptimizerStage.Direction direction,
                           java.util.function.Function<P, SplitLoss> split) {

        /** Validates the fields. */
        public Stage {
            if (group == null || loss == null || direction == null) {
                throw new IllegalArgumentException("a stage needs a group, a loss and a direction");
            }
        }

        /**
         * A stage without a split loss.
         *
         * @param group the name of the group updated
         * @param loss the loss minimised (or maximised when {@code direction} is ascend)
         * @param direction descend or ascend
         */
        public Stage(String group, StageLoss<P> loss, OptimizerStage.Direction direction) {
            this(group, loss, direction, null);
        }

        /**
         * The same stage with its loss also split by rows, for a step trained in row ranges.
         *
         * @param splitOf the batch's split loss from its preparation; {@code splitOf.apply(p).loss(b, ctx)} must
         *     equal {@code loss.compute(b, p, ctx)}
         * @return the stage
         */
        public Stage<P> withSplit(java.util.function.Function<P, SplitLoss> splitOf) {
            return new Stage<>(group, loss, direction, splitOf);
        }

        /**
         * A descending stage.
         *
         * @param group the name of the group updated
         * @param loss the loss minimised
         */
        public Stage(String group, StageLoss<P> loss) {
            this(group, loss, OptimizerStage.Direction.DESCEND);
        }
    }

    private final String name;
    private final Preparation<P> preparation;
    private final List<Stage<P>> stages;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Adam> optimizers = new LinkedHashMap<>();
    private final List<OptimizerStage> runners = new ArrayList<>();
    private final double maxLoss;
    private final int shards;

    /**
     * Creates the step.
     *
     * @param name model name for error messages
     * @param params every parameter of the model
     * @param groups the parameter groups (disjoint; parameters in no group are never updated)
     * @param preparation the per-batch preparation
     * @param stages the stages in order (at least one); each names a group
     * @param config learning rate, betas, weight decay and loss limit
     */
    public MultiStageStep(String name, Params params, List<Group> groups, Preparation<P> preparation,
                          List<Stage<P>> stages, OptimConfig config) {
        this(name, params, groups, preparation, stages, config, 1);
    }

    /**
     * Creates the step with every stage's forward and backward passes on {@code shards} row ranges of the batch at
     * once ({@link ShardedStep#backward(SplitLoss, Batch, StepContext, int)}; the preparation is made once per batch
     * and shared by the ranges).
     *
     * @param name model name for error messages
     * @param params every parameter of the model
     * @param groups the parameter groups (disjoint; parameters in no group are never updated)
     * @param preparation the per-batch preparation
     * @param stages the stages in order (at least one); each names a group, and with {@code shards > 1} each has a
     *     split loss and descends
     * @param config learning rate, betas, weight decay and loss limit
     * @param shards row ranges per batch, at least 1
     */
    public MultiStageStep(String name, Params params, List<Group> groups, Preparation<P> preparation,
                          List<Stage<P>> stages, OptimConfig config, int shards) {
        ShardedStep.checkShards(shards);
        if (shards > 1 && stages != null) {
            for (Stage<P> s : stages) {
                if (s.split() == null || s.direction() != OptimizerStage.Direction.DESCEND) {
                    throw new IllegalArgumentException("stage " + s.group() + " cannot run in row ranges: it needs a "
                            + "split loss and must descend");
                }
            }
        }
        this.shards = shards;
        if (params == null || groups == null || preparation == null || stages == null || config == null) {
            throw new IllegalArgumentException("params, groups, preparation, stages and config must be set");
        }
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("stages must hold at least one stage");
        }
        this.name = name;
        this.preparation = preparation;
        this.stages = List.copyOf(stages);
        Set<String> seen = new HashSet<>();
        for (Group g : groups) {
            if (this.groups.put(g.name(), g) != null) {
                throw new IllegalArgumentException("duplicate group " + g.name());
            }
            List<String> names = params.names(g.members());
            for (String n : names) {
                if (!seen.add(n)) {
                    throw new IllegalArgumentException("parameter " + n + " is in more than one group");
                }
            }
            double lr = g.learningRate() > 0 ? g.learningRate() : config.learningRate();
            optimizers.put(g.name(), config.newAdam(params, names, lr));
        }
        for (Stage<P> s : this.stages) {
            if (!this.groups.containsKey(s.group())) {
                throw new IllegalArgumentException("stage names unknown group " + s.group());
            }
            runners.add(new OptimizerStage(params, this.groups.get(s.group()).members(), optimizers.get(s.group()),
                    s.direction()));
        }
        this.maxLoss = config.maxLoss();
    }

    /** @return the number of stages per batch */
    public int numStages() {
        return stages.size();
    }

    /**
     * Prepares a batch (exposed so tests can run stages one at a time).
     *
     * @param batch the batch
     * @param ctx step information
     * @return the shared state
     */
    public P prepare(Batch batch, StepContext ctx) {
        return preparation.prepare(batch, ctx);
    }

    /** @return the loss value of the first stage */
    @Override
    public double step(Batch batch, StepContext ctx) {
        P prepared = preparation.prepare(batch, ctx);
        double first = Double.NaN;
        for (int i = 0; i < stages.size(); i++) {
            double v = runStage(i, batch, prepared, ctx);
            if (i == 0) {
                first = v;
            }
        }
        return first;
    }

    /**
     * Runs one stage ({@link OptimizerStage#run}): zero all gradients, freeze everything outside the stage's group,
     * forward, backward (of the negated loss for an ascending stage), Adam.
     *
     * @param index the stage index
     * @param batch the batch
     * @param prepared its shared state
     * @param ctx step information
     * @return the stage's loss value
     */
    public double runStage(int index, Batch batch, P prepared, StepContext ctx) {
        Stage<P> stage = stages.get(index);
        if (shards > 1) {
            return runners.get(index).run(stage.split().apply(prepared), batch, ctx, shards,
                    v -> SingleLossStep.check(name, v, ctx, maxLoss));
        }
        return runners.get(index).run(() -> stage.loss().compute(batch, prepared, ctx),
                v -> SingleLossStep.check(name, v, ctx, maxLoss));
    }

    /** @return every group's optimizer state, keys prefixed with {@code group + "/"} */
    @Override
    public Map<String, float[]> state() {
        Map<String, float[]> s = new LinkedHashMap<>();
        optimizers.forEach((g, adam) -> adam.state().forEach((k, v) -> s.put(g + "/" + k, v)));
        return s;
    }

    @Override
    public void loadState(Map<String, float[]> state) {
        for (Map.Entry<String, Adam> e : optimizers.entrySet()) {
            String prefix = e.getKey() + "/";
            Map<String, float[]> sub = new LinkedHashMap<>();
            for (Map.Entry<String, float[]> s : state.entrySet()) {
                if (s.getKey().startsWith(prefix)) {
                    sub.put(s.getKey().substring(prefix.length()), s.getValue());
                }
            }
            e.getValue().loadState(sub);
        }
    }

    /** @return the group names in order */
    public List<String> groupNames() {
        return new ArrayList<>(groups.keySet());
    }
}
