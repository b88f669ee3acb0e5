package io.seqcl.optim;

import ai.djl.ndarray.NDArray;
import io.seqcl.nn.Adam;
import io.seqcl.nn.Params;
import io.seqcl.protocol.Batch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Meta-optimised two-stage step: per batch, one Adam step of the main parameters on the main loss with the meta
 * group frozen, then one Adam step of the meta group on the meta loss with the main parameters frozen.
 *
 * <p>Meta-SGCL Sec. IV-E (Hao et al., arXiv 2310.13925, ../shared/papers/001_10888dff13463991.txt) as specified
 * in /work/shared/specs/metasgcl.md §5; MCLRec's training loop has the same shape. Stage 1 minimises {@code L}
 * over Theta (gradients still flow through the meta branch into shared weights); stage 2 runs a fresh forward
 * with the updated Theta' (new dropout masks and noise) and minimises {@code L'} over Phi; an optional third
 * stage repeats stage 1 (the MCLRec code's extra Theta step).
 *
 * <p>Exactness (engine-djl.md): before every backward all gradients are zeroed and the frozen group has
 * {@code requiresGradient = false}, so no stale or foreign gradient reaches an optimizer; each stage has its own
 * {@link Adam} over its own group, and updates run outside the per-stage scope. Both stages are
 * {@link OptimizerStage}s (descending).
 *
 * <p>Deviations: the paper does not state the stage-2 learning rate (default: the training learning rate,
 * from MCLRec) nor whether the alternation is per batch or per epoch (per batch, as MCLRec's code). A
 * {@code null} meta loss makes stage 2 a no-op (e.g. {@code metaLoss = CL} with {@code alpha = 0}, where Phi has
 * no gradient).
 */
public final class MetaTwoStageStep implements TrainStep {

    /** A differentiable scalar loss of a batch, computed inside an open gradient collector and scope. */
    @FunctionalInterface
    public interface StageLoss {
        /**
         * Computes the loss.
         *
         * @param batch the batch
         * @param ctx step information and random stream
         * @return a scalar
         */
        NDArray compute(Batch batch, StepContext ctx);
    }

    /** Key prefix of the stage-1 optimizer in {@link #state()}. */
    public static final String STAGE1 = "stage1/";
    /** Key prefix of the stage-2 optimizer in {@link #state()}. */
    public static final String STAGE2 = "stage2/";

    private final String name;
    private final StageLoss mainLoss;
    private final StageLoss metaLoss;
    private final Adam mainAdam;
    private final Adam metaAdam;
    private final OptimizerStage mainStage;
    private final OptimizerStage metaStage;
    private final boolean thirdStep;
    private final double maxLoss;
    private final SplitLoss mainSplit;
    private final SplitLoss metaSplit;
    private final int shards;

    /**
     * Creates the step.
     *
     * @param name model name for error messages
     * @param params every parameter of the model
     * @param metaGroup selects the meta parameters Phi; all others are Theta
     * @param mainLoss the stage-1 (and stage-3) loss L
     * @param metaLoss the stage-2 loss L', or {@code null} for no stage 2
     * @param config learning rate, betas, weight decay and loss limit
     * @param metaLearningRate Adam_Phi learning rate; 0 = {@code config.learningRate()}
     * @param thirdStep whether a second Theta step follows stage 2
     */
    public MetaTwoStageStep(String name, Params params, Predicate<String> metaGroup, StageLoss mainLoss,
                            StageLoss metaLoss, OptimConfig config, double metaLearningRate, boolean thirdStep) {
        this(name, params, metaGroup, mainLoss, metaLoss, config, metaLearningRate, thirdStep, null, null, 1);
    }

    /**
     * Creates the step with each stage's forward and backward passes on {@code shards} row ranges of the batch at
     * once ({@link ShardedStep#backward(SplitLoss, Batch, StepContext, int)}); with {@code shards = 1} it is the
     * unsharded step on {@link SplitLoss#loss}.
     *
     * @param name model name for error messages
     * @param params every parameter of the model
     * @param metaGroup selects the meta parameters Phi; all others are Theta
     * @param mainLoss the stage-1 (and stage-3) loss L, split by rows
     * @param metaLoss the stage-2 loss L' split by rows, or {@code null} for no stage 2
     * @param config learning rate, betas, weight decay and loss limit
     * @param metaLearningRate Adam_Phi learning rate; 0 = {@code config.learningRate()}
     * @param thirdStep whether a second Theta step follows stage 2
     * @param shards row ranges per batch, at least 1
     * @return the step
     */
    public static MetaTwoStageStep sharded(String name, Params params, Predicate<String> metaGroup,
                                           SplitLoss mainLoss, SplitLoss metaLoss, OptimConfig config,
                                           double metaLearningRate, boolean thirdStep, int shards) {
        if (mainLoss == null) {
            throw new IllegalArgumentException("params, metaGroup, mainLoss and config must be set");
        }
        ShardedStep.checkShards(shards);
        return new MetaTwoStageStep(name, params, metaGroup, mainLoss::loss, metaLoss == null ? null : metaLoss::loss,
                config, metaLearningRate, thirdStep, mainLoss, metaLoss, shards);
    }

    private MetaTwoStageStep(String name, Params params, Predicate<String> metaGroup, StageLoss mainLoss,
                             StageLoss metaLoss, OptimConfig config, double metaLearningRate, boolean thirdStep,
                             SplitLoss mainSplit, SplitLoss metaSplit, int shards) {
        if (params == null || metaGroup == null || mainLoss == null || config == null) {
            throw new IllegalArgumentException("params, metaGroup, mainLoss and config must be set");
        }
        if (!(metaLearningRate >= 0)) {
            throw new IllegalArgumentException("metaLearningRate must be >= 0, got " + metaLearningRate);
        }
        this.name = name;
        Predicate<String> mainGroup = metaGroup.negate();
        this.mainLoss = mainLoss;
        this.metaLoss = metaLoss;
        this.mainAdam = config.newAdam(params, params.names(mainGroup));
        double lr2 = metaLearningRate > 0 ? metaLearningRate : config.learningRate();
        this.metaAdam = config.newAdam(params, params.names(metaGroup), lr2);
        this.mainStage = new OptimizerStage(params, mainGroup, mainAdam, OptimizerStage.Direction.DESCEND);
        this.metaStage = new OptimizerStage(params, metaGroup, metaAdam, OptimizerStage.Direction.DESCEND);
        this.thirdStep = thirdStep;
        this.maxLoss = config.maxLoss();
        this.mainSplit = mainSplit;
        this.metaSplit = metaSplit;
        this.shards = shards;
    }

    @Override
    public double step(Batch batch, StepContext ctx) {
        double value = stage1(batch, ctx);
        stage2(batch, ctx);
        if (thirdStep) {
            stage1(batch, ctx);
        }
        return value;
    }

    /**
     * Stage 1: one Adam step of Theta on the main loss, Phi frozen.
     *
     * @param batch the batch
     * @param ctx step information
     * @return the main loss value
     */
    public double stage1(Batch batch, StepContext ctx) {
        return shards > 1 ? run(mainSplit, mainStage, batch, ctx) : run(mainLoss, mainStage, batch, ctx);
    }

    /**
     * Stage 2: one Adam step of Phi on the meta loss, Theta frozen (a no-op without a meta loss).
     *
     * @param batch the batch
     * @param ctx step information
     * @return the meta loss value, or NaN if there is no stage 2
     */
    public double stage2(Batch batch, StepContext ctx) {
        if (metaLoss == null) {
            return Double.NaN;
        }
        return shards > 1 ? run(metaSplit, metaStage, batch, ctx) : run(metaLoss, metaStage, batch, ctx);
    }

    private double run(StageLoss loss, OptimizerStage stage, Batch batch, StepContext ctx) {
        return stage.run(() -> loss.compute(batch, ctx), v -> SingleLossStep.check(name, v, ctx, maxLoss));
    }

    private double run(SplitLoss loss, OptimizerStage stage, Batch batch, StepContext ctx) {
        return stage.run(loss, batch, ctx, shards, v -> SingleLossStep.check(name, v, ctx, maxLoss));
    }

    /** @return both optimizer states, keys prefixed with {@link #STAGE1} and {@link #STAGE2} */
    @Override
    public Map<String, float[]> state() {
        Map<String, float[]> s = new LinkedHashMap<>();
        mainAdam.state().forEach((k, v) -> s.put(STAGE1 + k, v));
        metaAdam.state().forEach((k, v) -> s.put(STAGE2 + k, v));
        return s;
    }

    @Override
    public void loadState(Map<String, float[]> state) {
        mainAdam.loadState(strip(state, STAGE1));
        metaAdam.loadState(strip(state, STAGE2));
    }

    private static Map<String, float[]> strip(Map<String, float[]> state, String prefix) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : state.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                out.put(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        return out;
    }
}
