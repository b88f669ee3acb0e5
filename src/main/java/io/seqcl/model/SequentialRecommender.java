package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import io.seqcl.nn.Params;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.optim.StepContext;
import io.seqcl.optim.OptimConfig;
import io.seqcl.optim.SingleLossStep;
import io.seqcl.optim.TrainStep;

/**
 * The one model contract of seqcl: a loss for a training batch, and scores over all items for a batch of
 * histories (RecBole's {@code calculate_loss} and {@code full_sort_predict}).
 *
 * <p>Models with no trainable parameters (Pop) fit themselves in {@link #prepare} and have an empty
 * {@link #params()}; the trainer then skips gradient training. A model with a custom optimisation schedule
 * (e.g. meta-optimised two-step training) overrides {@link #newTrainStep}.
 *
 * <p>Models extend {@link AbstractRecommender}, which holds name, item count, configuration, input conventions and
 * parameters; each model is registered once in {@link ModelRegistry} (see README, "Adding a model").
 */
public interface SequentialRecommender extends AutoCloseable {

    /** @return a display name, e.g. "SASRec" */
    String name();

    /** @return the number of items N; scores have N+1 columns (column 0 = padding) */
    int numItems();

    /** @return the model's input conventions */
    InputSpec inputSpec();

    /** @return the trainable parameters (empty for statistical models) */
    Params params();

    /** @return the model's configuration, logged with every run */
    ModelConfig config();

    /**
     * Fits non-gradient state (counts, graphs) from the training part of a split; called once before training.
     *
     * @param split the leave-one-out split
     */
    default void prepare(LeaveOneOutSplit split) {
    }

    /**
     * As {@link #prepare(LeaveOneOutSplit)}, told whether the trainer is about to resume from a checkpoint that
     * holds the parameters after at least one training epoch: a model whose preparation trains parameters that the
     * checkpoint then overwrites (S3-Rec's pre-training) may skip that work. The default prepares as usual.
     *
     * @param split the leave-one-out split
     * @param resuming whether the parameters will be loaded from a checkpoint right after
     */
    default void prepare(LeaveOneOutSplit split, boolean resuming) {
        prepare(split);
    }

    /**
     * Called by the trainer at the start of every training epoch, before its batches are drawn, with gradient
     * recording off: the place for per-epoch state computed from the current parameters (ICLRec's k-means over all
     * training users, CoSeRec's online item similarity). The state must be a function of the parameters, the
     * split, the epoch and the seed only, so that a run resumed from a checkpoint continues exactly.
     *
     * @param epoch the epoch about to start (1-based)
     * @param split the leave-one-out split being trained on
     * @param seed a seed for this epoch's randomness (derived from the training seed and the epoch)
     */
    default void onEpochStart(int epoch, LeaveOneOutSplit split, long seed) {
    }

    /**
     * Computes the training loss of a batch with dropout active. Called inside an open gradient collector and
     * an {@code NDScope}; must return a scalar.
     *
     * @param batch training batch
     * @param ctx step information and the random stream for Java-side randomness
     * @return scalar loss
     */
    NDArray loss(Batch batch, StepContext ctx);

    /**
     * Scores every item for each history in evaluation mode (no dropout).
     *
     * @param batch histories (targets {@code null})
     * @return {@code [B, N+1]} scores; column 0 is ignored by evaluators
     */
    NDArray scoreAll(Batch batch);

    /**
     * Creates the per-batch optimisation procedure; the default is one Adam step on {@link #loss}.
     *
     * @param config optimizer settings
     * @return the step
     */
    default TrainStep newTrainStep(OptimConfig config) {
        return new SingleLossStep(name(), params(), this::loss, config);
    }

    /**
     * Creates the per-batch optimisation procedure with each batch trained in {@code shards} row ranges at once
     * ({@link io.seqcl.train.TrainConfig#shards()}); the default is {@link #newTrainStep(OptimConfig)} for one
     * range and a {@link io.seqcl.optim.ShardedStep} on {@link #splitLoss()} for more. A model with its own
     * procedure and a split loss (Meta-SGCL's two stages) overrides both.
     *
     * @param config optimizer settings
     * @param shards row ranges per batch, at least 1
     * @return the step
     * @throws IllegalArgumentException for {@code shards > 1} when {@link #splitLoss()} is null
     */
    default TrainStep newTrainStep(OptimConfig config, int shards) {
        if (shards == 1) {
            return newTrainStep(config);
        }
        io.seqcl.optim.SplitLoss split = splitLoss();
        if (split == null) {
            throw new IllegalArgumentException(name() + " cannot be trained in row ranges (splitLoss() is null)");
        }
        return new io.seqcl.optim.ShardedStep(name(), params(), split, config, shards);
    }

    /**
     * {@link #loss} written as row-range parts and a joint term ({@link io.seqcl.optim.SplitLoss}): then a batch may
     * be cut into row ranges trained at the same time ({@link io.seqcl.train.TrainConfig#shards()},
     * {@link #newTrainStep(OptimConfig, int)}). Null by default: models with per-batch state, or losses whose terms mix
     * rows other than through per-row representations, do not split; a model with several optimizers or stages
     * returns null unless it also overrides {@link #newTrainStep(OptimConfig, int)}.
     *
     * @return the split loss, or null when sharded training does not apply
     */
    default io.seqcl.optim.SplitLoss splitLoss() {
        return null;
    }

    /**
     * Whether {@link #scoreAll} may run on several threads at once (it reads the model and writes nothing shared),
     * so that an evaluator scores batches in parallel ({@link io.seqcl.eval.RankingEvaluator#withThreads(int)}).
     * False by default.
     *
     * @return whether concurrent scoring is safe
     */
    default boolean concurrentScoring() {
        return false;
    }

    /** Frees native memory. */
    @Override
    void close();
}
