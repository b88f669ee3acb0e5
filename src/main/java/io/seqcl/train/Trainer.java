package io.seqcl.train;

import ai.djl.engine.Engine;
import io.seqcl.eval.EvalResult;
import io.seqcl.eval.RankingEvaluator;
import io.seqcl.model.InputSpec;
import io.seqcl.model.SequentialRecommender;
import io.seqcl.nn.Params;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.TrainingSamples;
import io.seqcl.util.AtomicFiles;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a model with validation every epoch, early stopping on a validation metric, restoring the best
 * weights ({@link EarlyStopping}), and testing them (common.md section 6).
 *
 * <p>Determinism: every random stream derives from {@link TrainConfig#seed()}: epoch {@code e} shuffles and
 * samples with {@code SplittableRandom(mix(seed, e))} and reseeds the engine (dropout) with a value derived
 * from the same pair. Resuming from a checkpoint after epoch {@code e} therefore continues exactly as an
 * uninterrupted run would.
 *
 * <p>Checkpoints (optional, {@link #withCheckpoint(Path)}) are written atomically after every epoch and hold the
 * parameters, the optimizer state, the best weights so far, the early-stopping counters and the curve.
 */
public final class Trainer {

    private static final int MAGIC = 0x5EC1C4B1;

    private final TrainConfig config;
    private final Path checkpoint;

    /**
     * Creates a trainer without checkpoints.
     *
     * @param config the settings
     */
    public Trainer(TrainConfig config) {
        this(config, null);
    }

    private Trainer(TrainConfig config, Path checkpoint) {
        this.config = config;
        this.checkpoint = checkpoint;
    }

    /**
     * Returns a trainer that saves a checkpoint after every epoch to {@code file} and, if the file already
     * exists for the same model, resumes from it.
     *
     * @param file the checkpoint file
     * @return a new trainer
     */
    public Trainer withCheckpoint(Path file) {
        return new Trainer(config, file);
    }

    /** @return the settings */
    public TrainConfig config() {
        return config;
    }

    /**
     * Fits, validates, selects and tests a model on a split.
     *
     * @param model the model (fitted in place)
     * @param split the leave-one-out split
     * @param listener progress receiver
     * @return the result
     * @throws TrainingDivergedException if the loss becomes NaN, infinite or too large
     */
    public TrainResult fit(SequentialRecommender model, LeaveOneOutSplit split, ProgressListener listener) {
        long start = System.nanoTime();
        io.seqcl.nn.Devices.noGradOnThisThread();
        RankingEvaluator evaluator = config.evaluator();
        model.prepare(split);
        Params params = model.params();
        String name = model.name();
        Curve curve = new Curve(name);
        if (params.isEmpty() || config.epochs() == 0) {
            listener.onRunStart(name, 0, 0);
            EvalResult valid = evaluator.evaluate(model, split.valid());
            EvalResult test = evaluator.evaluate(model, split.test());
            double secs = (System.nanoTime() - start) / 1e9;
            listener.onRunEnd(name, String.format(java.util.Locale.ROOT, "%s: no training; valid %s %.4f, %.1f s",
                    name, config.monitor(), valid.value(config.monitor()), secs));
            return new TrainResult(name, 0, 0, false, valid, test, curve.table(), secs);
        }
        InputSpec spec = model.inputSpec();
        TrainingSamples samples = new TrainingSamples(split, spec.sampleMode(), spec.maxLen(), spec.padding());
        TrainStep step = model.newTrainStep(config);
        int stepsPerEpoch = samples.batchesPerEpoch(config.batchSize());
        if (config.maxStepsPerEpoch() > 0) {
            stepsPerEpoch = Math.min(stepsPerEpoch, config.maxStepsPerEpoch());
        }
        State st = new State(config.patience());
        if (checkpoint != null && Files.exists(checkpoint)) {
            st = load(checkpoint, model, step, curve, config.patience());
        }
        listener.onRunStart(name, config.epochs(), stepsPerEpoch);
        boolean stopped = st.stopping.shouldStop();
        for (int epoch = st.epoch + 1; epoch <= config.epochs() && !stopped; epoch++) {
            long t0 = System.nanoTime();
            SplittableRandom rng = new SplittableRandom(mix(config.seed(), epoch));
            Engine.getInstance().setRandomSeed((int) mix(config.seed() + 1, epoch));
            List<Batch> batches = samples.epoch(config.batchSize(), rng, spec.needsNegatives());
            double lossSum = 0;
            int n = Math.min(stepsPerEpoch, batches.size());
            for (int s = 0; s < n; s++) {
                StepContext ctx = new StepContext(epoch, s + 1, rng, n);
                double loss = step.step(batches.get(s), ctx);
                lossSum += loss;
                listener.onBatch(name, epoch, s + 1, n, loss);
            }
            double value = evaluator.evaluate(model, split.valid()).value(config.monitor());
            st.stopping.observe(epoch, value, params::snapshot);
            st.epoch = epoch;
            double epochSecs = (System.nanoTime() - t0) / 1e9;
            curve.add(epoch, lossSum / n, value, epochSecs);
            double elapsed = curve.totalSeconds();
            double eta = epochSecs * (config.epochs() - epoch);
            listener.onEpochEnd(new EpochReport(name, epoch, config.epochs(), lossSum / n, config.monitor().toString(),
                    value, st.stopping.bestValue(), st.stopping.bestEpoch(), epochSecs, elapsed, eta));
            stopped = st.stopping.shouldStop();
            if (checkpoint != null) {
                save(checkpoint, model, step, st, curve);
            }
        }
        if (config.restoreBest() && st.stopping.bestWeights() != null) {
            params.restore(st.stopping.bestWeights());
        }
        EvalResult valid = evaluator.evaluate(model, split.valid());
        EvalResult test = evaluator.evaluate(model, split.test());
        double secs = (System.nanoTime() - start) / 1e9;
        listener.onRunEnd(name, String.format(java.util.Locale.ROOT,
                "%s: best epoch %d of %d, valid %s %.4f, test %s %.4f, %.1f s%s", name, st.stopping.bestEpoch(), st.epoch,
                config.monitor(), valid.value(config.monitor()), config.monitor(), test.value(config.monitor()), secs,
                stopped && st.epoch < config.epochs() ? " (early stop)" : ""));
        return new TrainResult(name, config.restoreBest() ? st.stopping.bestEpoch() : st.epoch, st.epoch,
                stopped && st.epoch < config.epochs(), valid, test, curve.table(), secs);
    }

    /**
     * Mixes a seed and a counter into a well-spread 64-bit value (SplitMix64 finaliser).
     *
     * @param seed the seed
     * @param i the counter
     * @return the mixed value
     */
    public static long mix(long seed, long i) {
        long z = seed * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Mutable training state: the last epoch and the early stopping. */
    private static final class State {
        final EarlyStopping stopping;
        int epoch;

        State(int patience) {
            stopping = new EarlyStopping(patience, 0);
        }
    }

    /** Accumulates the per-epoch curve. */
    private static final class Curve {
        final String model;
        final IntColumn epoch = IntColumn.create("epoch");
        final DoubleColumn loss = DoubleColumn.create("loss");
        final DoubleColumn valid = DoubleColumn.create("valid");
        final DoubleColumn seconds = DoubleColumn.create("seconds");

        Curve(String model) {
            this.model = model;
        }

        void add(int e, double l, double v, double s) {
            epoch.append(e);
            loss.append(l);
            valid.append(v);
            seconds.append(s);
        }

        double totalSeconds() {
            return seconds.sum();
        }

        Table table() {
            StringColumn m = StringColumn.create("model");
            for (int i = 0; i < epoch.size(); i++) {
                m.append(model);
            }
            return Table.create(model + " curve", m, epoch.copy(), loss.copy(), valid.copy(), seconds.copy());
        }
    }

    private static void save(Path file, SequentialRecommender model, TrainStep step, State st, Curve curve) {
        try {
            AtomicFiles.write(file, os -> {
                DataOutputStream out = new DataOutputStream(os);
                out.writeInt(MAGIC);
                out.writeUTF(model.name());
                out.writeUTF(String.valueOf(model.config()));
                out.writeInt(st.epoch);
                out.writeInt(st.stopping.bestEpoch());
                out.writeDouble(st.stopping.bestValue());
                out.writeInt(st.stopping.bad());
                out.writeInt(curve.epoch.size());
                for (int i = 0; i < curve.epoch.size(); i++) {
                    out.writeInt(curve.epoch.get(i));
                    out.writeDouble(curve.loss.get(i));
                    out.writeDouble(curve.valid.get(i));
                    out.writeDouble(curve.seconds.get(i));
                }
                model.params().write(out);
                Params.writeArrays(out, step.state());
                Map<String, float[]> best = st.stopping.bestWeights();
                out.writeBoolean(best != null);
                if (best != null) {
                    Params.writeArrays(out, best);
                }
                out.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + file, e);
        }
    }

    private static State load(Path file, SequentialRecommender model, TrainStep step, Curve curve, int patience) {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a seqcl checkpoint");
            }
            String name = in.readUTF();
            String cfg = in.readUTF();
            if (!name.equals(model.name()) || !cfg.equals(String.valueOf(model.config()))) {
                throw new IOException("checkpoint is for " + name + " " + cfg + ", not " + model.name() + " "
                        + model.config());
            }
            State st = new State(patience);
            st.epoch = in.readInt();
            int bestEpoch = in.readInt();
            double bestValue = in.readDouble();
            int bad = in.readInt();
            int rows = in.readInt();
            for (int i = 0; i < rows; i++) {
                curve.add(in.readInt(), in.readDouble(), in.readDouble(), in.readDouble());
            }
            model.params().read(in);
            step.loadState(Params.readArrays(in));
            Map<String, float[]> best = in.readBoolean() ? Params.readArrays(in) : null;
            st.stopping.restore(st.epoch, bestEpoch, bestValue, bad, best);
            return st;
        } catch (IOException e) {
            throw new UncheckedIOException("could not resume from checkpoint " + file + ": " + e.getMessage(), e);
        }
    }
}
