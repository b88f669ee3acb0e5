package io.seqcl.train;

import io.seqcl.util.DataStreams;
import io.seqcl.optim.TrainingDivergedException;
import io.seqcl.optim.StepContext;
import io.seqcl.optim.TrainStep;
import ai.djl.engine.Engine;
import io.seqcl.eval.EvalResult;
import io.seqcl.eval.HistoryMode;
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
 * {@link RunKey} of the run, the parameters, the optimizer state, the best weights so far, the early-stopping
 * counters and the curve. A resume whose key differs (another learning rate, seed, dataset, model configuration,
 * library version...) fails naming the differing fields, unless the trainer was asked to start fresh in that
 * case ({@link #withCheckpoint(Path, boolean)}). Only the number of epochs may change between runs, so a run can
 * be extended.
 *
 * <p>The curve (one row per epoch: {@code epoch, loss, valid, seconds, build, ended}) is kept in checkpoints, so a
 * resumed run's curve covers all its sittings; {@code ended} is when the epoch ended (UTC, ISO-8601, to the
 * millisecond), from which a run's provenance says when it began ({@link io.seqcl.experiment.Provenance#startedAt}).
 */
public final class Trainer {

    private static final int MAGIC = 0x5EC1C4B1;
    /** Format 2: the run key follows the magic. */
    private static final int MAGIC2 = 0x5EC1C4B2;

    private final TrainConfig config;
    private final Path checkpoint;
    private final boolean freshOnMismatch;
    private final String protocol;
    private final String build;

    /**
     * Creates a trainer without checkpoints.
     *
     * @param config the settings
     */
    public Trainer(TrainConfig config) {
        this(config, null);
    }

    private Trainer(TrainConfig config, Path checkpoint, boolean freshOnMismatch, String protocol, String build) {
        if (config == null) {
            throw new IllegalArgumentException("config is null; use TrainConfig.defaults()");
        }
        this.config = config;
        this.checkpoint = checkpoint;
        this.freshOnMismatch = freshOnMismatch;
        this.protocol = protocol;
        this.build = build == null ? "" : build;
    }

    private Trainer(TrainConfig config, Path checkpoint) {
        this(config, checkpoint, false, RunKey.DEFAULT_PROTOCOL, "");
    }

    /**
     * Returns a trainer that saves a checkpoint after every epoch to {@code file} and, if the file already
     * exists, resumes from it; a checkpoint of another run (see {@link RunKey}) is an error naming the fields
     * that differ.
     *
     * @param file the checkpoint file
     * @return a new trainer
     */
    public Trainer withCheckpoint(Path file) {
        return new Trainer(config, file, false, protocol, build);
    }

    /**
     * Returns a trainer that checkpoints to {@code file} and resumes from it, choosing what happens when the file
     * was written by another run.
     *
     * @param file the checkpoint file
     * @param startFreshOnMismatch if true, a checkpoint of another run is ignored (with a warning on the
     *        {@code io.seqcl.train} logger) and overwritten after the first epoch; if false it is an error
     * @return a new trainer
     */
    public Trainer withCheckpoint(Path file, boolean startFreshOnMismatch) {
        return new Trainer(config, file, startFreshOnMismatch, protocol, build);
    }

    /**
     * Returns a trainer that records an evaluation protocol in its checkpoints' {@link RunKey}.
     *
     * @param name the protocol, e.g. "leave-one-out" (the default) or a protocol's own description
     * @return a new trainer
     */
    public Trainer withProtocol(String name) {
        return new Trainer(config, checkpoint, freshOnMismatch, name == null ? RunKey.DEFAULT_PROTOCOL : name, build);
    }

    /**
     * Returns a trainer that labels every epoch it runs with the software build that ran it (e.g. the git commit):
     * the curve's {@code build} column, kept in checkpoints, so that a run resumed across several sittings and
     * builds says which build trained which epochs. Epochs resumed from a checkpoint written before builds were
     * recorded have an empty label. Not part of the {@link RunKey}: a run may resume under another build.
     *
     * @param label e.g. a commit hash (null: empty)
     * @return a new trainer
     */
    public Trainer withBuild(String label) {
        return new Trainer(config, checkpoint, freshOnMismatch, protocol, label);
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
     * @throws IllegalArgumentException if the model was built for fewer items than the data has
     * @throws CheckpointMismatchException if the checkpoint was written by another run (see {@link RunKey})
     * @throws UncheckedIOException if the checkpoint cannot be read (truncated, not a checkpoint) or written
     */
    public TrainResult fit(SequentialRecommender model, LeaveOneOutSplit split, ProgressListener listener) {
        long start = System.nanoTime();
        if (model.numItems() < split.numItems()) {
            throw new IllegalArgumentException("model " + model.name() + " was built for " + model.numItems()
                    + " items but the data has " + split.numItems() + " (item ids 1.." + split.numItems()
                    + " of dataset " + split.dataset().name() + "); create it with the dataset's numItems()");
        }
        io.seqcl.nn.Devices.noGradOnThisThread();
        checkShards(model, config); // before any preparation work
        RankingEvaluator evaluator = config.evaluator();
        RunKey key = checkpoint == null ? null : RunKey.of(model, config, split, protocol);
        if (checkpoint != null) {
            try {
                AtomicFiles.removeStaleTemporaries(checkpoint);
            } catch (IOException e) {
                throw new UncheckedIOException("could not list the directory of checkpoint " + checkpoint, e);
            }
        }
        // a checkpoint of another run fails (or is set aside) before any preparation work
        int checkpointEpoch = checkpoint != null && Files.exists(checkpoint)
                ? checkedEpoch(checkpoint, key, freshOnMismatch) : -1;
        boolean resume = checkpointEpoch >= 0;
        model.prepare(split, checkpointEpoch >= 1);
        Params params = model.params();
        String name = model.name();
        Curve curve = new Curve(name);
        if (params.isEmpty() || config.epochs() == 0) {
            listener.onRunStart(name, 0, 0);
            EvalResult valid = evaluator.evaluate(model, split.valid());
            EvalResult test = evaluator.evaluate(model, split.test());
            Map<HistoryMode, EvalResult> modes = testInAllModes(model, split, test);
            double secs = (System.nanoTime() - start) / 1e9;
            listener.onRunEnd(name, String.format(java.util.Locale.ROOT, "%s: no training; valid %s %.4f, %.1f s",
                    name, config.monitor(), valid.value(config.monitor()), secs));
            return new TrainResult(name, 0, 0, false, valid, test, curve.table(), secs, modes);
        }
        InputSpec spec = model.inputSpec();
        TrainingSamples samples = new TrainingSamples(split, spec.sampleMode(), spec.maxLen(), spec.padding());
        TrainStep step = newStep(model, config);
        int stepsPerEpoch = samples.batchesPerEpoch(config.batchSize());
        if (config.maxStepsPerEpoch() > 0 && spec.sampleMode() != io.seqcl.protocol.SampleMode.INTERACTIONS) {
            stepsPerEpoch = Math.min(stepsPerEpoch, config.maxStepsPerEpoch());
        }
        State st = new State(config.patience());
        if (resume) {
            State loaded = load(checkpoint, key, freshOnMismatch, model, step, curve, config.patience());
            if (loaded != null) {
                st = loaded;
            }
        }
        listener.onRunStart(name, config.epochs(), stepsPerEpoch);
        boolean stopped = st.stopping.shouldStop();
        for (int epoch = st.epoch + 1; epoch <= config.epochs() && !stopped; epoch++) {
            long t0 = System.nanoTime();
            model.onEpochStart(epoch, split, mix(config.seed() + 2, epoch));
            SplittableRandom rng = new SplittableRandom(mix(config.seed(), epoch));
            Engine.getInstance().setRandomSeed((int) mix(config.seed() + 1, epoch));
            // a capped epoch builds only the batches it uses; a whole epoch is built up front as before
            int n = stepsPerEpoch;
            java.util.Iterator<Batch> batches = n < samples.batchesPerEpoch(config.batchSize())
                    ? samples.lazyEpoch(config.batchSize(), rng, spec.needsNegatives(), n)
                    : samples.epoch(config.batchSize(), rng, spec.needsNegatives()).iterator();
            double lossSum = 0;
            for (int s = 0; s < n; s++) {
                StopRequest.check(name, epoch, s + 1, n, checkpoint == null ? -1 : st.epoch);
                StepContext ctx = new StepContext(epoch, s + 1, rng, n);
                double loss = step.step(batches.next(), ctx);
                lossSum += loss;
                listener.onBatch(name, epoch, s + 1, n, loss);
            }
            EvalResult validation = evaluator.evaluate(model, split.valid());
            double value = validation.value(config.monitor());
            st.stopping.observe(epoch, value,
                    config.tieBreak() == null ? Double.NaN : validation.value(config.tieBreak()), params::snapshot);
            st.epoch = epoch;
            double epochSecs = (System.nanoTime() - t0) / 1e9;
            curve.add(epoch, lossSum / n, value, epochSecs, build,
                    java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
            double elapsed = curve.totalSeconds();
            double eta = epochSecs * (config.epochs() - epoch);
            listener.onEpochEnd(new EpochReport(name, epoch, config.epochs(), lossSum / n, config.monitor().toString(),
                    value, st.stopping.bestValue(), st.stopping.bestEpoch(), epochSecs, elapsed, eta,
                    st.stopping.stopEpoch(1)));
            stopped = st.stopping.shouldStop();
            if (checkpoint != null) {
                save(checkpoint, key, model, step, st, curve);
            }
        }
        if (config.restoreBest() && st.stopping.bestWeights() != null) {
            params.restore(st.stopping.bestWeights());
        }
        EvalResult valid = evaluator.evaluate(model, split.valid());
        EvalResult test = evaluator.evaluate(model, split.test());
        Map<HistoryMode, EvalResult> modes = testInAllModes(model, split, test);
        double secs = (System.nanoTime() - start) / 1e9;
        listener.onRunEnd(name, String.format(java.util.Locale.ROOT,
                "%s: best epoch %d of %d, valid %s %.4f, test %s %.4f, %.1f s%s", name, st.stopping.bestEpoch(), st.epoch,
                config.monitor(), valid.value(config.monitor()), config.monitor(), test.value(config.monitor()), secs,
                stopped && st.epoch < config.epochs() ? " (early stop)" : ""));
        return new TrainResult(name, config.restoreBest() ? st.stopping.bestEpoch() : st.epoch, st.epoch,
                stopped && st.epoch < config.epochs(), valid, test, curve.table(), secs, modes);
    }

    /**
     * The training step of a model under a configuration: the model's own, or with {@code shards > 1} its step in
     * row ranges ({@link SequentialRecommender#newTrainStep(io.seqcl.optim.OptimConfig, int)}).
     *
     * @param model the model
     * @param config the settings
     * @return the step
     * @throws IllegalArgumentException for {@code shards > 1} on a model whose loss does not split by rows
     */
    public static TrainStep newStep(SequentialRecommender model, TrainConfig config) {
        if (config.shards() == 1) {
            return model.newTrainStep(config.optim());
        }
        checkShards(model, config);
        return model.newTrainStep(config.optim(), config.shards());
    }

    /**
     * Checks that a model can be trained with the configuration's {@code shards}.
     *
     * @param model the model
     * @param config the settings
     * @throws IllegalArgumentException naming {@code train.shards} and the model if it cannot
     */
    public static void checkShards(SequentialRecommender model, TrainConfig config) {
        // a model without parameters (Pop) or no epochs trains nothing, whatever the shards
        if (config.shards() > 1 && model.splitLoss() == null && !model.params().isEmpty() && config.epochs() > 0) {
            throw new IllegalArgumentException("train.shards=" + config.shards() + ": " + model.name() + "'s loss "
                    + "does not split into row ranges (SequentialRecommender.splitLoss() is null: several optimizers "
                    + "or stages, or terms that mix rows); use shards=1");
        }
    }

    /** The test result in every history mode (the configured one is {@code test} itself). */
    private Map<HistoryMode, EvalResult> testInAllModes(SequentialRecommender model, LeaveOneOutSplit split,
                                                        EvalResult test) {
        Map<HistoryMode, EvalResult> out = new java.util.EnumMap<>(HistoryMode.class);
        for (HistoryMode m : HistoryMode.values()) {
            out.put(m, m == config.history() ? test
                    : new RankingEvaluator(m, config.ks(), config.evalBatchSize()).evaluate(model, split.test()));
        }
        return out;
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
        final StringColumn build = StringColumn.create("build");
        /** When each epoch ended (UTC, to the millisecond; empty for epochs resumed from older checkpoints). */
        final StringColumn ended = StringColumn.create("ended");

        Curve(String model) {
            this.model = model;
        }

        void add(int e, double l, double v, double s, String b, String end) {
            epoch.append(e);
            loss.append(l);
            valid.append(v);
            seconds.append(s);
            build.append(b);
            ended.append(end);
        }

        double totalSeconds() {
            return seconds.sum();
        }

        Table table() {
            StringColumn m = StringColumn.create("model");
            for (int i = 0; i < epoch.size(); i++) {
                m.append(model);
            }
            return Table.create(model + " curve", m, epoch.copy(), loss.copy(), valid.copy(), seconds.copy(),
                    build.copy(), ended.copy());
        }
    }

    private static void save(Path file, RunKey key, SequentialRecommender model, TrainStep step, State st,
                             Curve curve) {
        try {
            AtomicFiles.write(file, os -> {
                DataOutputStream out = new DataOutputStream(os);
                out.writeInt(MAGIC2);
                out.writeInt(key.fields().size());
                for (Map.Entry<String, String> e : key.fields().entrySet()) {
                    DataStreams.writeString(out, e.getKey());
                    DataStreams.writeString(out, e.getValue());
                }
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
                out.writeDouble(st.stopping.bestTieBreak()); // trailing field (absent in older checkpoints)
                out.writeInt(curve.build.size()); // trailing: the build of every epoch (absent in older ones)
                for (int i = 0; i < curve.build.size(); i++) {
                    DataStreams.writeString(out, curve.build.get(i));
                }
                out.writeInt(curve.ended.size()); // trailing: when every epoch ended (absent in older ones)
                for (int i = 0; i < curve.ended.size(); i++) {
                    DataStreams.writeString(out, curve.ended.get(i));
                }
                out.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + file, e);
        }
    }

    /**
     * Reads a checkpoint's run key and last epoch without its weights.
     *
     * @return the last epoch of the checkpoint, or -1 when it is of another run and {@code fresh} allows starting
     *     over (otherwise that is a {@link CheckpointMismatchException})
     */
    private static int checkedEpoch(Path file, RunKey key, boolean fresh) {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            if (!keyMatches(file, in, key, fresh)) {
                return -1;
            }
            return in.readInt();
        } catch (java.io.EOFException e) {
            throw new UncheckedIOException("could not resume from checkpoint " + file + ": the file is truncated ("
                    + "it ends inside its header). Delete it to start over", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not resume from checkpoint " + file + " (reading its header): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    /**
     * Reads the magic number and run key of a checkpoint and compares the key with this run's.
     *
     * @return true if they match; false if they differ and {@code fresh} allows starting over (logged)
     * @throws CheckpointMismatchException if they differ and starting over is not allowed, or the checkpoint
     *     predates run keys
     * @throws IOException if the file is not a checkpoint
     */
    private static boolean keyMatches(Path file, DataInputStream in, RunKey key, boolean fresh) throws IOException {
        int magic = in.readInt();
        if (magic == MAGIC) {
            throw new CheckpointMismatchException(file + " was written by an older seqcl whose checkpoints carry "
                    + "no run key, so it cannot be checked against this run; delete it to start over, or use "
                    + "Trainer.withCheckpoint(file, true) to overwrite it");
        }
        if (magic != MAGIC2) {
            throw new IOException("not a seqcl checkpoint (it starts with 0x" + Integer.toHexString(magic) + ")");
        }
        int n = in.readInt();
        if (n < 0 || n > 10_000) {
            throw new IOException("corrupt run key (" + n + " fields)");
        }
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            fields.put(DataStreams.readString(in), DataStreams.readString(in));
        }
        List<String> diff = key.differences(new RunKey(fields));
        if (diff.isEmpty()) {
            return true;
        }
        String what = "checkpoint " + file + " was written by another run; differing fields: "
                + String.join("; ", diff);
        if (fresh) {
            System.getLogger("io.seqcl.train").log(System.Logger.Level.WARNING, what
                    + ". Starting fresh as asked; the checkpoint is overwritten after the first epoch");
            return false;
        }
        throw new CheckpointMismatchException(what + ". Resume with the same settings, use another"
                + " checkpoint path, delete the file, or use Trainer.withCheckpoint(file, true) to start fresh");
    }

    /** @return the state, or null to start fresh (key mismatch with {@code fresh}) */
    private static State load(Path file, RunKey key, boolean fresh, SequentialRecommender model, TrainStep step,
                              Curve curve, int patience) {
        String part = "the header";
        long size = -1;
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            size = Files.size(file);
            part = "the run key";
            if (!keyMatches(file, in, key, fresh)) {
                return null;
            }
            State st = new State(patience);
            part = "the early-stopping state";
            st.epoch = in.readInt();
            int bestEpoch = in.readInt();
            double bestValue = in.readDouble();
            int bad = in.readInt();
            part = "the curve";
            int rows = in.readInt();
            if (rows < 0 || rows > 1_000_000) {
                throw new IOException("corrupt curve length " + rows);
            }
            for (int i = 0; i < rows; i++) {
                curve.add(in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(), "", "");
            }
            part = "the model parameters";
            model.params().read(in);
            part = "the optimizer state";
            step.loadState(Params.readArrays(in));
            part = "the best weights";
            Map<String, float[]> best = in.readBoolean() ? Params.readArrays(in) : null;
            part = "the tie-break value";
            byte[] rest = in.readAllBytes();
            if (rest.length != 0 && rest.length < Double.BYTES) {
                throw new IOException("the file is truncated or has unexpected data after the best weights ("
                        + rest.length + " bytes where the tie-break value takes " + Double.BYTES + ")");
            }
            double bestTieBreak = rest.length == 0 ? Double.NaN : java.nio.ByteBuffer.wrap(rest).getDouble();
            if (rest.length > Double.BYTES) {
                part = "the builds of the epochs";
                DataInputStream tail = new DataInputStream(new java.io.ByteArrayInputStream(rest, Double.BYTES,
                        rest.length - Double.BYTES));
                int labels = tail.readInt();
                if (labels != rows) {
                    throw new IOException("the checkpoint names the builds of " + labels + " epochs but its curve has "
                            + rows);
                }
                for (int i = 0; i < rows; i++) {
                    curve.build.set(i, DataStreams.readString(tail));
                }
                if (tail.available() != 0) {
                    part = "the end times of the epochs";
                    int ends = tail.readInt();
                    if (ends != rows) {
                        throw new IOException("the checkpoint has the end times of " + ends + " epochs but its curve"
                                + " has " + rows);
                    }
                    for (int i = 0; i < rows; i++) {
                        curve.ended.set(i, DataStreams.readString(tail));
                    }
                }
                if (tail.available() != 0) {
                    throw new IOException("unexpected data after the epochs' builds and end times (" + tail.available()
                            + " bytes)");
                }
            }
            st.stopping.restore(st.epoch, bestEpoch, bestValue, bestTieBreak, bad, best);
            return st;
        } catch (java.io.EOFException e) {
            throw new UncheckedIOException("could not resume from checkpoint " + file + ": the file is truncated ("
                    + size + " bytes; it ends inside " + part + "), e.g. by a kill or a full disk during a write"
                    + " by a program other than seqcl (seqcl writes checkpoints atomically). Delete it to start"
                    + " over", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not resume from checkpoint " + file + " (reading " + part + "): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }
}
