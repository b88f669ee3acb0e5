package io.seqcl.bench;

import io.seqcl.data.Datasets;
import io.seqcl.data.SequenceDataset;
import io.seqcl.eval.RankingEvaluator;
import io.seqcl.experiment.ModelSpec;
import io.seqcl.experiment.PaperSettings;
import io.seqcl.model.InputSpec;
import io.seqcl.model.SequentialRecommender;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.TrainingSamples;
import io.seqcl.optim.StepContext;
import io.seqcl.train.TrainConfig;
import io.seqcl.optim.TrainStep;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Measures how long one full-budget training epoch of a model takes on a real dataset: times a number of real
 * training steps (after warm-up) and one validation pass, and extrapolates to the epoch's number of batches.
 *
 * <p>A benchmark, not a test: it prints measured numbers and asserts nothing. The model is built with the
 * paper's full-budget settings for the dataset ({@link PaperSettings}).
 */
public final class EpochBenchmark {

    private EpochBenchmark() {
    }

    /**
     * The benchmark's parameters, validated on construction.
     *
     * @param dataset a registry name (default "toys")
     * @param model a model name (default "metasgcl")
     * @param steps timed steps ({@code >= 1})
     * @param warmup untimed steps first ({@code >= 0})
     * @param batch batch size ({@code >= 1})
     */
    public record Settings(String dataset, String model, int steps, int warmup, int batch) {

        /** Validates every parameter, naming the one that is wrong. */
        public Settings {
            if (dataset == null || dataset.isBlank()) {
                throw new IllegalArgumentException("dataset must be a dataset name, got " + dataset);
            }
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("model must be a model name, got " + model);
            }
            StepBenchmark.positive("steps", steps);
            if (warmup < 0) {
                throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
            }
            StepBenchmark.positive("batch", batch);
        }

        /** @return Meta-SGCL on Toys, 10 steps after 3 warm-up steps, batch 256 */
        public static Settings defaults() {
            return new Settings("toys", "metasgcl", 10, 3, 256);
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param opts options: dataset (default toys), model (default metasgcl), steps (10), warmup (3), batch (256)
     * @param out where to print
     * @return exit code 0
     */
    public static int run(Map<String, String> opts, PrintStream out) {
        Settings d = Settings.defaults();
        String dataset = opts.getOrDefault("dataset", d.dataset());
        String modelName = opts.getOrDefault("model", d.model());
        opts.remove("dataset");
        opts.remove("model");
        int steps = io.seqcl.util.Options.intOpt(opts, "steps", d.steps());
        int warmup = io.seqcl.util.Options.intOpt(opts, "warmup", d.warmup());
        int batchSize = io.seqcl.util.Options.intOpt(opts, "batch", d.batch());
        if (!opts.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) for bench-epoch: " + opts.keySet());
        }
        return run(new Settings(dataset, modelName, steps, warmup, batchSize), out);
    }

    /**
     * Runs the benchmark with validated settings.
     *
     * @param settings the parameters
     * @param out where to print
     * @return exit code 0
     */
    public static int run(Settings settings, PrintStream out) {
        String dataset = settings.dataset();
        String modelName = settings.model();
        int steps = settings.steps();
        int warmup = settings.warmup();
        int batchSize = settings.batch();
        SequenceDataset ds = Datasets.load(dataset);
        LeaveOneOutSplit split = LeaveOneOutSplit.of(ds);
        ModelSpec spec = PaperSettings.model(modelName, ds, io.seqcl.experiment.Budget.FULL);
        TrainConfig tc = TrainConfig.defaults().withBatchSize(batchSize);
        try (SequentialRecommender model = spec.create(ds.numItems(), 2020)) {
            model.prepare(split);
            InputSpec in = model.inputSpec();
            TrainingSamples samples = new TrainingSamples(split, in.sampleMode(), in.maxLen(), in.padding());
            SplittableRandom rng = new SplittableRandom(2020);
            List<Batch> batches = samples.epoch(batchSize, rng, in.needsNegatives());
            TrainStep step = model.newTrainStep(tc.optim());
            double[] ms = new double[steps];
            for (int i = 0; i < warmup + steps; i++) {
                long t0 = System.nanoTime();
                step.step(batches.get(i % batches.size()), new StepContext(1, i + 1, rng));
                if (i >= warmup) {
                    ms[i - warmup] = (System.nanoTime() - t0) / 1e6;
                }
            }
            Arrays.sort(ms);
            double median = ms[steps / 2];
            long e0 = System.nanoTime();
            tc.evaluator().evaluate(model, split.valid());
            double evalSecs = (System.nanoTime() - e0) / 1e9;
            out.printf(Locale.ROOT, "%s on %s (%d users, %d items), %s%n", spec.name(), ds.name(), split.numUsers(),
                    ds.numItems(), spec.config());
            out.printf(Locale.ROOT, "train step (batch %d, %s): median %.1f ms, min %.1f, max %.1f over %d steps%n",
                    batchSize, in.sampleMode(), median, ms[0], ms[steps - 1], steps);
            out.printf(Locale.ROOT, "one epoch = %d batches: %.1f s training + %.1f s validation = %.1f s "
                            + "(%d cores)%n", batches.size(), median * batches.size() / 1000, evalSecs,
                    median * batches.size() / 1000 + evalSecs, Runtime.getRuntime().availableProcessors());
        }
        return 0;
    }
}
