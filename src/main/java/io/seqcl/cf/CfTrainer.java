package io.seqcl.cf;

import ai.djl.ndarray.types.DataType;
import io.seqcl.nn.Adam;
import io.seqcl.nn.Params;
import io.seqcl.train.EarlyStopping;
import io.seqcl.train.EpochReport;
import io.seqcl.optim.OptimizerStage;
import io.seqcl.train.ProgressListener;
import io.seqcl.optim.TrainingDivergedException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a {@link CfModel} with the AdvInfoNCE schedule (advinfonce.md §5): before the main pass of epoch e,
 * an adversarial phase runs when {@code (e + advOffset) mod advInterval = 0}, {@code e > warmUpEpochs} and
 * fewer than {@code etaEpochs} adversarial passes were done; it freezes the backbone and takes Adam_adv steps
 * that ascend the AdvInfoNCE loss w.r.t. the hardness model only. The main pass freezes the hardness model
 * and minimises loss + reg w.r.t. the backbone only (Adam_main). Every {@code evalEvery} epochs valid
 * Recall@K is computed; early stopping ({@link EarlyStopping}, shared with {@link io.seqcl.train.Trainer}) after
 * {@code patience} validations without strict improvement (never before {@code minEpochs} epochs, a budget option
 * that is 0, i.e. off, in the authors' code), then the best-valid weights are restored. InfoNCE and
 * InfoNCE×k have no hardness model and no adversarial phase.
 *
 * <p>Both phases are {@link OptimizerStage}s, the stage mechanism of {@link io.seqcl.train.MultiStageStep}: the
 * main phase descends {@code loss + reg} over the backbone group, the adversarial phase is an
 * {@link OptimizerStage.Direction#ASCEND} stage over the hardness group.
 *
 * <p>Randomness: epoch e's main pass draws from {@code SplittableRandom(seed)} split per (epoch, phase), so the
 * same seed gives the same batches and numbers. Deviation from the code: the adversarial phase's ascent loss
 * omits {@code reg_loss_prob} (it has no gradient w.r.t. the hardness model, advinfonce.md §4).
 */
public final class CfTrainer {

    /** One epoch of a training curve. */
    public record EpochRow(int epoch, double loss, double kl, boolean adversarial, double validRecall,
                           double seconds) {
    }

    /**
     * What training produced.
     *
     * @param bestEpoch epoch (1-based) with the best valid Recall@K (the restored weights)
     * @param bestValid that valid Recall@K
     * @param curve one row per epoch (validRecall NaN when not validated)
     * @param adversarialPasses adversarial passes done
     * @param seconds wall time
     */
    public record Result(int bestEpoch, double bestValid, List<EpochRow> curve, int adversarialPasses,
                         double seconds) {
    }

    private final CfModel model;
    private final CfDataset data;
    private final CfSampler sampler;
    private final OptimizerStage main;
    private final OptimizerStage adversarial;
    private final long seed;

    /**
     * @param model the model
     * @param data its dataset
     * @param seed sampling seed
     */
    public CfTrainer(CfModel model, CfDataset data, long seed) {
        this.model = model;
        this.data = data;
        this.sampler = new CfSampler(data);
        this.seed = seed;
        Params p = model.params();
        this.main = new OptimizerStage(p, CfModel.BACKBONE,
                Adam.of(p, p.names(CfModel.BACKBONE), model.config().learningRate()), OptimizerStage.Direction.DESCEND);
        this.adversarial = model.hasHardness() ? new OptimizerStage(p, CfModel.HARDNESS,
                Adam.of(p, p.names(CfModel.HARDNESS), model.config().advLearningRate()),
                OptimizerStage.Direction.ASCEND) : null;
    }

    /**
     * One main step: minimise loss + reg w.r.t. the backbone; the hardness model is frozen.
     *
     * @param batch the batch
     * @return {loss, kl}
     */
    public double[] mainStep(CfBatch batch) {
        return stage(batch, main);
    }

    /**
     * One adversarial step: ascend the AdvInfoNCE loss w.r.t. the hardness model; the backbone is frozen.
     *
     * @param batch the batch
     * @return {loss, kl}
     * @throws IllegalStateException if the model has no hardness model
     */
    public double[] adversarialStep(CfBatch batch) {
        if (adversarial == null) {
            throw new IllegalStateException("loss " + model.config().loss() + " has no hardness model to train");
        }
        return stage(batch, adversarial);
    }

    private double[] stage(CfBatch batch, OptimizerStage stage) {
        CfModel.noGrad();
        double[] out = new double[2];
        stage.run(() -> {
            CfModel.Terms t = model.terms(batch);
            out[0] = t.loss().toType(DataType.FLOAT64, false).getDouble();
            out[1] = t.kl();
            // ascend: maximise the loss alone (the regulariser has no gradient w.r.t. the hardness model)
            return stage.direction() == OptimizerStage.Direction.ASCEND ? t.loss() : t.loss().add(t.reg());
        }, v -> {
            if (!Double.isFinite(out[0])) {
                throw new TrainingDivergedException("CF training diverged: loss " + out[0] + " ("
                        + model.config().loss() + ", " + model.config().backbone() + ")");
            }
        });
        return out;
    }

    /**
     * Trains to the end of the budget or early stop and restores the best-valid weights.
     *
     * @param run run name for progress
     * @param listener progress callbacks
     * @return the curve and best epoch
     */
    public Result fit(String run, ProgressListener listener) {
        CfConfig c = model.config();
        long t0 = System.nanoTime();
        int steps = sampler.batchesPerEpoch(Math.min(c.batchSize(), (int) Math.min(Integer.MAX_VALUE,
                data.numTrain())));
        if (c.maxStepsPerEpoch() > 0) {
            steps = Math.min(steps, c.maxStepsPerEpoch());
        }
        listener.onRunStart(run, c.epochs(), steps);
        SplittableRandom root = new SplittableRandom(seed);
        List<EpochRow> curve = new ArrayList<>();
        EarlyStopping stopping = new EarlyStopping(c.patience(), c.minEpochs());
        int advDone = 0;
        for (int e = 0; e < c.epochs(); e++) {
            long te = System.nanoTime();
            SplittableRandom advRng = root.split();
            SplittableRandom mainRng = root.split();
            boolean adv = false;
            if (model.hasHardness() && (e + c.advOffset()) % c.advInterval() == 0 && e > c.warmUpEpochs()
                    && advDone < c.etaEpochs()) {
                adv = true;
                for (int a = 0; a < c.advEpochs() && advDone < c.etaEpochs(); a++) {
                    for (CfBatch b : sampler.epoch(c.batchSize(), c.negatives(), c.maxStepsPerEpoch(), advRng)) {
                        adversarialStep(b);
                    }
                    advDone++;
                }
            }
            double lossSum = 0;
            double klSum = 0;
            int k = 0;
            List<CfBatch> batches = sampler.epoch(c.batchSize(), c.negatives(), c.maxStepsPerEpoch(), mainRng);
            for (CfBatch b : batches) {
                double[] r = mainStep(b);
                lossSum += r[0];
                klSum += r[1];
                k++;
                listener.onBatch(run, e + 1, k, batches.size(), r[0]);
            }
            double valid = Double.NaN;
            boolean last = e == c.epochs() - 1;
            boolean stop = false;
            if ((e + 1) % c.evalEvery() == 0 || last) {
                valid = validRecall();
                stopping.observe(e + 1, valid, model.params()::snapshot);
                stop = stopping.shouldStop();
            }
            double secs = (System.nanoTime() - te) / 1e9;
            double elapsed = (System.nanoTime() - t0) / 1e9;
            curve.add(new EpochRow(e + 1, lossSum / k, klSum / k, adv, valid, secs));
            listener.onEpochEnd(new EpochReport(run, e + 1, c.epochs(), lossSum / k,
                    CfEvaluator.Metric.RECALL.at(c.topK()),
                    Double.isNaN(valid) ? Math.max(stopping.bestValue(), 0) : valid,
                    Math.max(stopping.bestValue(), 0), stopping.bestEpoch(), secs, elapsed, elapsed / (e + 1) * (c.epochs() - e - 1)));
            if (stop) {
                break;
            }
        }
        CfModel.noGrad();
        if (stopping.bestWeights() != null) {
            model.params().restore(stopping.bestWeights());
        }
        int bestEpoch = stopping.bestEpoch();
        double best = stopping.bestValue();
        double seconds = (System.nanoTime() - t0) / 1e9;
        listener.onRunEnd(run, String.format(java.util.Locale.ROOT, "best epoch %d, valid %s %.4f, %.1f s",
                bestEpoch, CfEvaluator.Metric.RECALL.at(c.topK()), best, seconds));
        return new Result(bestEpoch, best, List.copyOf(curve), advDone, seconds);
    }

    /** @return valid Recall@K of the current weights */
    public double validRecall() {
        return evaluate(CfDataset.VALID).get(CfEvaluator.Metric.RECALL);
    }

    /**
     * Evaluates the current weights on a split.
     *
     * @param split split name
     * @return metrics
     */
    public Map<CfEvaluator.Metric, Double> evaluate(String split) {
        float[] emb = model.rankingEmbeddings();
        return CfEvaluator.evaluate(data, split, model.config().topK(),
                CfEvaluator.dot(emb, model.numUsers(), model.numItems(), model.config().dim()));
    }
}
