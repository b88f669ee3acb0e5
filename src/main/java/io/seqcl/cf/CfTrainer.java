package io.seqcl.cf;

import ai.djl.ndarray.types.DataType;
import io.seqcl.util.DataStreams;
import io.seqcl.nn.Adam;
import io.seqcl.nn.Params;
import io.seqcl.train.EarlyStopping;
import io.seqcl.train.EpochReport;
import io.seqcl.optim.OptimizerStage;
import io.seqcl.train.ProgressListener;
import io.seqcl.optim.TrainingDivergedException;

import io.seqcl.train.CheckpointMismatchException;
import io.seqcl.train.RunKey;
import io.seqcl.util.AtomicFiles;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * same seed gives the same batches and numbers.
 *
 * <p>Checkpoints ({@link #withCheckpoint}): after every validated epoch, after any epoch once
 * {@link #CHECKPOINT_SECONDS} have passed since the last save, and after the last epoch, the trainer writes
 * atomically ({@link AtomicFiles}) the parameters, both Adam states (main and adversarial), the number of
 * adversarial passes, the early-stopping state with the best weights, the curve so far and the wall time so far,
 * keyed by a {@link RunKey} (configuration, seed, dataset). The sampling stream needs no state of its own: epoch
 * e's streams are the e-th pair of splits of {@code SplittableRandom(seed)}, so a resumed run re-splits the root
 * 2e times and continues exactly as an uninterrupted one (CfCheckpointTest). A checkpoint of a finished run
 * restores its best weights without training. Only the number of epochs may change between sittings (as in
 * {@link io.seqcl.train.Trainer}): a run resumed with more epochs continues training unless early stopping had
 * fired, one with fewer stops there. Deviation from the code: the adversarial phase's ascent loss
 * omits {@code reg_loss_prob} (it has no gradient w.r.t. the hardness model, advinfonce.md §4).
 */
public final class CfTrainer {

    /**
     * One epoch of a training curve.
     *
     * @param epoch 1-based epoch
     * @param loss mean main loss
     * @param kl mean KL of the hardness distribution to uniform (0 without hardness)
     * @param adversarial whether adversarial passes ran before the epoch's main steps
     * @param validRecall valid Recall@K, NaN when not validated
     * @param seconds wall time of the epoch
     * @param ended when the epoch ended (UTC, ISO-8601, to the millisecond; empty for epochs resumed from checkpoints
     *     written before it was recorded)
     */
    public record EpochRow(int epoch, double loss, double kl, boolean adversarial, double validRecall,
                           double seconds, String ended) {
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
    private Path checkpoint;

    /** Seconds after which an epoch that was not validated is checkpointed too. */
    public static final double CHECKPOINT_SECONDS = 300;

    private static final int MAGIC = 0x53434643; // "SCFC"

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
     * Makes {@link #fit} checkpoint to {@code file} and resume from it when it exists (see the class comment); a
     * checkpoint of another run (configuration, seed or dataset differ) is a {@link CheckpointMismatchException}.
     *
     * @param file the checkpoint file (null: none)
     * @return this trainer
     */
    public CfTrainer withCheckpoint(Path file) {
        this.checkpoint = file;
        return this;
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
        RunKey key = checkpoint == null ? null : runKey();
        State st = new State();
        if (checkpoint != null) {
            try {
                AtomicFiles.removeStaleTemporaries(checkpoint);
            } catch (IOException e) {
                throw new UncheckedIOException("could not list the directory of checkpoint " + checkpoint, e);
            }
            if (Files.exists(checkpoint)) {
                st = load(checkpoint, key, curve, stopping);
                for (int e = 0; e < st.epochs; e++) { // epoch e took the e-th pair of splits
                    root.split();
                    root.split();
                }
            }
        }
        double before = st.seconds;
        int advDone = st.advDone;
        boolean stop = st.epochs > 0 && stopping.shouldStop();
        long lastSave = System.nanoTime();
        for (int e = st.epochs; e < c.epochs() && !stop; e++) {
            long te = System.nanoTime();
            SplittableRandom advRng = root.split();
            SplittableRandom mainRng = root.split();
            boolean adv = false;
            if (model.hasHardness() && (e + c.advOffset()) % c.advInterval() == 0 && e > c.warmUpEpochs()
                    && advDone < c.etaEpochs()) {
                adv = true;
                for (int a = 0; a < c.advEpochs() && advDone < c.etaEpochs(); a++) {
                    for (CfBatch b : sampler.epoch(c.batchSize(), c.negatives(), c.maxStepsPerEpoch(), advRng)) {
                        io.seqcl.train.StopRequest.check(run + " (adversarial step)", e + 1, 0, 0,
                                checkpoint == null ? -1 : st.epochs);
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
                io.seqcl.train.StopRequest.check(run, e + 1, k + 1, batches.size(),
                        checkpoint == null ? -1 : st.epochs);
                double[] r = mainStep(b);
                lossSum += r[0];
                klSum += r[1];
                k++;
                listener.onBatch(run, e + 1, k, batches.size(), r[0]);
            }
            double valid = Double.NaN;
            boolean last = e == c.epochs() - 1;
            if ((e + 1) % c.evalEvery() == 0 || last) {
                valid = validRecall();
                stopping.observe(e + 1, valid, model.params()::snapshot);
                st.lastValidated = e + 1;
                stop = stopping.shouldStop();
            }
            double secs = (System.nanoTime() - te) / 1e9;
            double elapsed = before + (System.nanoTime() - t0) / 1e9;
            curve.add(new EpochRow(e + 1, lossSum / k, klSum / k, adv, valid, secs,
                    java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString()));
            if (checkpoint != null && (!Double.isNaN(valid) || stop || last
                    || (System.nanoTime() - lastSave) / 1e9 >= CHECKPOINT_SECONDS)) {
                st.epochs = e + 1;
                st.advDone = advDone;
                st.seconds = elapsed;
                save(checkpoint, key, st, curve, stopping);
                lastSave = System.nanoTime();
            }
            listener.onEpochEnd(new EpochReport(run, e + 1, c.epochs(), lossSum / k,
                    CfEvaluator.Metric.RECALL.at(c.topK()),
                    Double.isNaN(valid) ? Math.max(stopping.bestValue(), 0) : valid,
                    Math.max(stopping.bestValue(), 0), stopping.bestEpoch(), secs, elapsed,
                    elapsed / (e + 1) * (c.epochs() - e - 1), stopping.stopEpoch(c.evalEvery())));
        }
        CfModel.noGrad();
        if (stopping.bestWeights() != null) {
            model.params().restore(stopping.bestWeights());
        }
        int bestEpoch = stopping.bestEpoch();
        double best = stopping.bestValue();
        double seconds = before + (System.nanoTime() - t0) / 1e9;
        listener.onRunEnd(run, String.format(java.util.Locale.ROOT, "best epoch %d, valid %s %.4f, %.1f s",
                bestEpoch, CfEvaluator.Metric.RECALL.at(c.topK()), best, seconds));
        return new Result(bestEpoch, best, List.copyOf(curve), advDone, seconds);
    }

    /** Training state kept in a checkpoint besides the model, optimizers, stopping and curve. */
    private static final class State {
        int epochs;
        int advDone;
        int lastValidated;
        double seconds;
    }

    /** @return what a checkpoint must match: configuration, seeds, dataset */
    private RunKey runKey() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("format", "cf-trainer-1");
        f.put("config", model.config().toString());
        f.put("seed.sampling", String.valueOf(seed));
        f.put("dataset", data.name());
        f.put("dataset.size", data.numUsers() + " users, " + data.numItems() + " items, " + data.numTrain()
                + " training pairs");
        f.put("dataset.sha256", data.sha256().toString());
        return new RunKey(f);
    }

    private void save(Path file, RunKey key, State st, List<EpochRow> curve, EarlyStopping stopping) {
        try {
            AtomicFiles.write(file, os -> {
                DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(os));
                out.writeInt(MAGIC);
                out.writeInt(key.fields().size());
                for (Map.Entry<String, String> e : key.fields().entrySet()) {
                    out.writeUTF(e.getKey());
                    DataStreams.writeString(out, e.getValue());
                }
                out.writeInt(st.epochs);
                out.writeInt(st.advDone);
                out.writeInt(st.lastValidated);
                out.writeDouble(st.seconds);
                out.writeInt(stopping.bestEpoch());
                out.writeDouble(stopping.bestValue());
                out.writeInt(stopping.bad());
                out.writeInt(curve.size());
                for (EpochRow r : curve) {
                    out.writeInt(r.epoch());
                    out.writeDouble(r.loss());
                    out.writeDouble(r.kl());
                    out.writeBoolean(r.adversarial());
                    out.writeDouble(r.validRecall());
                    out.writeDouble(r.seconds());
                }
                model.params().write(out);
                Params.writeArrays(out, main.optimizer().state());
                out.writeBoolean(adversarial != null);
                if (adversarial != null) {
                    Params.writeArrays(out, adversarial.optimizer().state());
                }
                Map<String, float[]> best = stopping.bestWeights();
                out.writeBoolean(best != null);
                if (best != null) {
                    Params.writeArrays(out, best);
                }
                out.writeInt(MAGIC); // end marker
                out.writeInt(curve.size()); // trailing: when every epoch ended (absent in older checkpoints)
                for (EpochRow r : curve) {
                    DataStreams.writeString(out, r.ended());
                }
                out.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not write CF checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private State load(Path file, RunKey key, List<EpochRow> curve, EarlyStopping stopping) {
        String part = "the header";
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a seqcl CF checkpoint");
            }
            part = "the run key";
            int n = in.readInt();
            if (n < 0 || n > 1000) {
                throw new IOException("corrupt run key (" + n + " fields)");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                fields.put(in.readUTF(), DataStreams.readString(in));
            }
            String stored = fields.get("config");
            if (stored != null) { // the number of epochs may change: compare as if it had not
                fields.put("config", stored.replaceFirst(", epochs=\\d+,",
                        ", epochs=" + model.config().epochs() + ","));
            }
            List<String> diff = key.differences(new RunKey(fields));
            if (!diff.isEmpty()) {
                throw new CheckpointMismatchException("CF checkpoint " + file + " was written by another run; "
                        + "differing fields: " + String.join("; ", diff) + ". Resume with the same settings, or "
                        + "delete the file to start over");
            }
            State st = new State();
            part = "the training state";
            st.epochs = in.readInt();
            st.advDone = in.readInt();
            st.lastValidated = in.readInt();
            st.seconds = in.readDouble();
            int bestEpoch = in.readInt();
            double bestValue = in.readDouble();
            int bad = in.readInt();
            part = "the curve";
            int rows = in.readInt();
            if (rows < 0 || rows > 1_000_000) {
                throw new IOException("corrupt curve length " + rows);
            }
            for (int i = 0; i < rows; i++) {
                curve.add(new EpochRow(in.readInt(), in.readDouble(), in.readDouble(), in.readBoolean(),
                        in.readDouble(), in.readDouble(), ""));
            }
            part = "the model parameters";
            model.params().read(in);
            part = "the main optimizer state";
            main.optimizer().loadState(Params.readArrays(in));
            part = "the adversarial optimizer state";
            boolean hasAdv = in.readBoolean();
            if (hasAdv != (adversarial != null)) {
                throw new IOException("the checkpoint " + (hasAdv ? "has" : "lacks") + " an adversarial optimizer");
            }
            if (hasAdv) {
                adversarial.optimizer().loadState(Params.readArrays(in));
            }
            part = "the best weights";
            Map<String, float[]> best = in.readBoolean() ? Params.readArrays(in) : null;
            if (in.readInt() != MAGIC) {
                throw new IOException("no end marker");
            }
            part = "the end times of the epochs";
            byte[] rest = in.readAllBytes();
            if (rest.length > 0) {
                DataInputStream tail = new DataInputStream(new java.io.ByteArrayInputStream(rest));
                int ends = tail.readInt();
                if (ends != rows) {
                    throw new IOException("the end times of " + ends + " epochs for a curve of " + rows);
                }
                for (int i = 0; i < rows; i++) {
                    EpochRow r = curve.get(curve.size() - rows + i);
                    curve.set(curve.size() - rows + i, new EpochRow(r.epoch(), r.loss(), r.kl(), r.adversarial(),
                            r.validRecall(), r.seconds(), DataStreams.readString(tail)));
                }
                if (tail.available() != 0) {
                    throw new IOException("unexpected data after the end times of the epochs");
                }
            }
            stopping.restore(st.lastValidated, bestEpoch, bestValue, bad, best);
            return st;
        } catch (java.io.EOFException e) {
            throw new UncheckedIOException("could not resume from CF checkpoint " + file + ": the file is truncated"
                    + " (it ends inside " + part + "); delete it to start over", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not resume from CF checkpoint " + file + " (reading " + part
                    + "): " + e.getMessage() + "; delete it to start over", e);
        }
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
