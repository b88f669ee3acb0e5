package io.seqcl.train;

import io.soabase.recordbuilder.core.RecordBuilder;
import io.seqcl.eval.HistoryMode;
import io.seqcl.eval.MetricKey;
import io.seqcl.eval.RankingEvaluator;
import io.seqcl.optim.OptimConfig;

import java.util.Arrays;

/**
 * Training and evaluation settings; immutable, validated on construction, with {@code withX} copies.
 *
 * <p>Defaults follow RecBole's sequential settings (Adam 1e-3, betas 0.9/0.999, batch 256, validation every
 * epoch) with our documented choices: early stopping on valid NDCG@10 with patience 10, clean history
 * exclusion ({@link HistoryMode#NEG_INF}), cut-offs 5, 10, 20, seed 2020.
 *
 * @param epochs maximum number of epochs
 * @param batchSize training batch size
 * @param learningRate Adam learning rate
 * @param beta1 Adam first-moment decay
 * @param beta2 Adam second-moment decay
 * @param weightDecay Adam L2 weight decay (0 = none)
 * @param patience stop after this many consecutive epochs without strict improvement of {@code monitor}
 * @param monitor the validation metric used for early stopping and model selection
 * @param seed the one seed from which shuffling, sampling, dropout and initialisation streams derive
 * @param evalBatchSize users scored per evaluation call
 * @param history history handling in evaluation
 * @param ks cut-offs reported in metric tables
 * @param restoreBest whether the best validation checkpoint is restored before testing
 * @param maxLoss a batch loss above this (or NaN/infinite) stops training with an error
 * @param maxStepsPerEpoch if positive, each epoch uses at most this many batches of sequence samples (smoke runs,
 *     the quick budget); models trained on single interactions ({@code SampleMode.INTERACTIONS}: BPR-MF) always
 *     train whole epochs, which cost about as much as 20 sequence batches, because a capped epoch would update
 *     most user embeddings less than once
 * @param tieBreak if set, a validation whose {@code monitor} equals the best one exactly counts as an improvement
 *     when this metric is strictly higher (Meta-SGCL: NDCG@10 ties broken by HR@10, metasgcl.md section 1);
 *     null: none
 * @param shards how many parts of each batch are trained at once, on as many threads (data parallelism within a
 *     step, {@link io.seqcl.optim.ShardedStep}); 1 (the default) trains the batch as one. With more than one the
 *     model's loss must split into row ranges ({@code SequentialRecommender#splitLoss()}: SASRec, CL4SRec, DuoRec,
 *     ContrastVAE, Meta-SGCL, MCLRec) and dropout masks are drawn in Java, so the numbers differ from an unsharded
 *     run but repeat exactly with the same seed and shard count. Use with one libtorch thread per shard
 *     ({@code -Dai.djl.pytorch.num_threads=1}).
 */
@RecordBuilder
public record TrainConfig(int epochs, int batchSize, double learningRate, double beta1, double beta2,
                          double weightDecay, int patience, MetricKey monitor, long seed, int evalBatchSize,
                          HistoryMode history, int[] ks, boolean restoreBest, double maxLoss,
                          int maxStepsPerEpoch, MetricKey tieBreak, int shards)
        implements TrainConfigBuilder.With {

    /**
     * Users scored per evaluation call by default: 1024. A full Beauty test pass (22,363 users x 12,101 items,
     * SASRec) took 1.33-1.70 s with 1024 against 1.96-3.85 s with 256 (fewer libtorch calls per user; README
     * "Packed execution"). Memory: a {@code [1024, N + 1]} float score matrix, 50 MB for Beauty.
     */
    public static final int DEFAULT_EVAL_BATCH = 1024;

    /** Validates every field, naming the one that is wrong. */
    public TrainConfig {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        new OptimConfig(learningRate, beta1, beta2, weightDecay, maxLoss); // validates the optimizer fields in one place
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        }
        if (monitor == null || history == null) {
            throw new IllegalArgumentException("monitor and history must be set");
        }
        if (evalBatchSize < 1) {
            throw new IllegalArgumentException("evalBatchSize must be >= 1, got " + evalBatchSize);
        }
        if (ks == null || ks.length == 0 || Arrays.stream(ks).anyMatch(k -> k < 1)) {
            throw new IllegalArgumentException("ks must hold at least one cut-off >= 1, got " + Arrays.toString(ks));
        }
        if (maxStepsPerEpoch < 0) {
            throw new IllegalArgumentException("maxStepsPerEpoch must be >= 0 (0 = whole epoch), got "
                    + maxStepsPerEpoch);
        }
        if (shards < 1 || shards > 64) {
            throw new IllegalArgumentException("shards must be in 1..64 (1 = the batch as one), got " + shards);
        }
        if (tieBreak != null && tieBreak.equals(monitor)) {
            throw new IllegalArgumentException("tieBreak must differ from monitor " + monitor);
        }
        ks = ks.clone();
    }

    /**
     * The defaults described in the class documentation (50 epochs).
     *
     * @return the defaults
     */
    public static TrainConfig defaults() {
        return new TrainConfig(50, 256, 1e-3, 0.9, 0.999, 0.0, 10, MetricKey.parse("NDCG@10"), 2020, DEFAULT_EVAL_BATCH,
                HistoryMode.NEG_INF, RankingEvaluator.DEFAULT_KS, true, 1e4, 0, null, 1);
    }

    /**
     * The training protocol of the S3-Rec lineage trainer shared by CoSeRec, ICLRec and SRMA (baselines.md §1.2,
     * "CoSeRec family"): Adam 1e-3 (betas 0.9/0.999, no weight decay), batch 256, at most 300 epochs, validation every
     * epoch, early stopping on valid NDCG@20 (strictly greater is better) with patience 40, the best checkpoint
     * tested, history scores set to 0 ({@link HistoryMode#ZERO}), cut-offs 5, 10, 20, seed 1. The model side of the
     * protocol (left padding, one sample per user, BCE with one negative per position) is the model configuration's
     * ({@code SASRecConfig.bceAllPositions()}).
     *
     * @return the preset
     */
    public static TrainConfig coserecFamily() {
        return new TrainConfig(300, 256, 1e-3, 0.9, 0.999, 0.0, 40, MetricKey.parse("NDCG@20"), 1, DEFAULT_EVAL_BATCH,
                HistoryMode.ZERO, RankingEvaluator.DEFAULT_KS, true, 1e4, 0, null, 1);
    }

    @Override
    public int[] ks() {
        return ks.clone();
    }

    /** @return an evaluator with this configuration's history mode, cut-offs and batch size */
    public RankingEvaluator evaluator() {
        return new RankingEvaluator(history, ks, evalBatchSize);
    }

    /** @return the optimizer settings of a training step (learning rate, betas, weight decay, loss limit) */
    public OptimConfig optim() {
        return new OptimConfig(learningRate, beta1, beta2, weightDecay, maxLoss);
    }





    /** @param v monitored metric, e.g. "MRR@10" @return a copy */
    public TrainConfig withMonitor(String v) {
        return new TrainConfig(epochs, batchSize, learningRate, beta1, beta2, weightDecay, patience,
                MetricKey.parse(v), seed, evalBatchSize, history, ks, restoreBest, maxLoss, maxStepsPerEpoch, tieBreak,
                shards);
    }






    @Override
    public boolean equals(Object o) {
        return o instanceof TrainConfig c && c.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "TrainConfig[epochs=" + epochs + ", batchSize=" + batchSize + ", learningRate=" + learningRate
                + ", beta1=" + beta1 + ", beta2=" + beta2 + ", weightDecay=" + weightDecay + ", patience=" + patience
                + ", monitor=" + monitor + ", seed=" + seed + ", evalBatchSize=" + evalBatchSize + ", history="
                + history + ", ks=" + Arrays.toString(ks) + ", restoreBest=" + restoreBest + ", maxLoss=" + maxLoss
                + ", maxStepsPerEpoch=" + maxStepsPerEpoch + (tieBreak == null ? "" : ", tieBreak=" + tieBreak)
                + (shards == 1 ? "" : ", shards=" + shards) + "]"; // as written before the optional fields existed
    }
}
