package io.seqcl.bench;

import io.seqcl.data.Datasets;
import io.seqcl.data.SequenceDataset;
import io.seqcl.experiment.ModelSpec;
import io.seqcl.experiment.PaperSettings;
import io.seqcl.model.CL4SRecConfig;
import io.seqcl.model.ContrastVAEConfig;
import io.seqcl.model.TransformerModelConfig;
import io.seqcl.model.DuoRecConfig;
import io.seqcl.model.InputSpec;
import io.seqcl.model.MCLRecConfig;
import io.seqcl.model.MetaSGCLConfig;
import io.seqcl.model.SASRecConfig;
import io.seqcl.model.SequentialRecommender;
import io.seqcl.nn.Devices;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.TrainingSamples;
import io.seqcl.optim.StepContext;
import io.seqcl.optim.StepProfile;
import io.seqcl.train.TrainConfig;
import io.seqcl.optim.TrainStep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Measures one full-budget training epoch of a model on a real dataset, packed and padded in the same run
 * (issue 11): both models (same seed, same weights) take the same real training batches, alternating step by
 * step so that load from other jobs hits both alike; the epoch time is the median step time times the epoch's
 * number of batches (a step sample, not a full epoch), plus the time to draw the epoch's batches. Prints both
 * epoch times and their ratio, the share of forward, backward, optimizer and data preparation, the peak resident
 * memory of the process and the resident memory after each round (growth check), and optionally one validation
 * pass per layout.
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
     * @param opts options: dataset (default toys), model (default metasgcl), steps per layout (20), warmup (3),
     *     batch (256), threads (libtorch intra-op threads, default the engine's), eval (1 = time one validation
     *     pass per layout, default 0), layouts (both, packed or padded), rounds (sample rounds, default 2),
     *     hook-epoch (the epoch number passed to the timed epoch-start hook, default 1000: after every warm-up),
     *     over-padding (0: ContrastVAE's KL and pooling over real positions only instead of the code's all T),
     *     wide-threads (libtorch threads for the large operators, {@link io.seqcl.nn.WideThreads}; default: the
     *     {@code seqcl.wideThreads} property, 0 = off), shards (N &gt; 1: also time the first layout's model trained
     *     in N shards at once, {@link io.seqcl.optim.ShardedStep}, and print its epoch ratio to the unsharded one)
     * @param out where to print
     * @return exit code 0
     */
    public static int run(Map<String, String> opts, PrintStream out) {
        String dataset = opts.getOrDefault("dataset", "toys");
        String modelName = opts.getOrDefault("model", "metasgcl");
        String layouts = opts.getOrDefault("layouts", "both");
        String stage = opts.getOrDefault("stage", "finetune");
        String profile = opts.remove("profile");
        opts.remove("stage");
        opts.remove("dataset");
        opts.remove("model");
        opts.remove("layouts");
        int steps = io.seqcl.util.Options.intOpt(opts, "steps", 20);
        int warmup = io.seqcl.util.Options.intOpt(opts, "warmup", 3);
        int batchSize = io.seqcl.util.Options.intOpt(opts, "batch", 256);
        int threads = io.seqcl.util.Options.intOpt(opts, "threads", 0);
        int eval = io.seqcl.util.Options.intOpt(opts, "eval", 0);
        int rounds = Math.max(1, io.seqcl.util.Options.intOpt(opts, "rounds", 2));
        int overPadding = io.seqcl.util.Options.intOpt(opts, "over-padding", 1);
        int hookEpoch = io.seqcl.util.Options.intOpt(opts, "hook-epoch", 1000);
        int wide = io.seqcl.util.Options.intOpt(opts, "wide-threads", -1);
        int shards = io.seqcl.util.Options.intOpt(opts, "shards", 1);
        if (!opts.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) for bench-epoch: " + opts.keySet());
        }
        new Settings(dataset, modelName, steps, warmup, batchSize);
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = libtorch's default), got " + threads);
        }
        boolean[] modes = switch (layouts) {
            case "both" -> new boolean[] {true, false};
            case "packed" -> new boolean[] {true};
            case "padded" -> new boolean[] {false};
            default -> throw new IllegalArgumentException("--layouts must be both, packed or padded, got " + layouts);
        };
        if (wide < -1) {
            throw new IllegalArgumentException("--wide-threads must be >= 0 (0 = off), got " + wide);
        }
        if (wide >= 0) {
            io.seqcl.nn.WideThreads.set(wide);
        }
        int torchThreads = Devices.setThreads(threads);
        SequenceDataset ds = Datasets.load(dataset);
        LeaveOneOutSplit split = LeaveOneOutSplit.of(ds);
        ModelSpec base = PaperSettings.model(modelName, ds, io.seqcl.experiment.Budget.FULL);
        if (overPadding == 0 && base.config() instanceof ContrastVAEConfig c) {
            base = ModelSpec.contrastvae(c.withClOverPadding(false).withKlOverPadding(false));
        }
        base = s3recStage(base, stage, out);
        TrainConfig tc = TrainConfig.defaults().withBatchSize(batchSize);
        // models without a Transformer (GRU4Rec, Caser, BPR-MF) have one layout: time it alone
        boolean packable = base.config() instanceof TransformerModelConfig<?>;
        if (!packable) {
            modes = new boolean[] {false};
            out.printf(Locale.ROOT, "%s has no Transformer: not packable, timing its single layout%n", base.name());
        }
        if (shards < 1) {
            throw new IllegalArgumentException("--shards must be >= 1, got " + shards);
        }
        int[] shardsOf = new int[modes.length + (shards > 1 ? 1 : 0)];
        java.util.Arrays.fill(shardsOf, 1);
        if (shards > 1) { // one more entry: the first layout's model trained in shards (TrainConfig.shards)
            modes = java.util.Arrays.copyOf(modes, modes.length + 1);
            modes[modes.length - 1] = modes[0];
            shardsOf[modes.length - 1] = shards;
        }
        String[] label = new String[modes.length];
        for (int i = 0; i < modes.length; i++) {
            label[i] = (!packable ? "single" : modes[i] ? "packed" : "padded")
                    + (shardsOf[i] > 1 ? " x" + shardsOf[i] + " shards" : "");
        }
        int k = modes.length;
        SequentialRecommender[] models = new SequentialRecommender[k];
        TrainStep[] stepsOf = new TrainStep[k];
        try {
            for (int i = 0; i < k; i++) {
                models[i] = (packable ? withPacked(base, modes[i]) : base).create(ds.numItems(), 2020);
                models[i].prepare(split);
                stepsOf[i] = io.seqcl.train.Trainer.newStep(models[i], tc.withShards(shardsOf[i]));
            }
            double[] hookSecs = new double[k];
            for (int i = 0; i < k; i++) {
                // per-epoch model state (ICLRec's k-means, CoSeRec's online similarity), timed once; the default
                // epoch 1000 lies after every warm-up
                long h0 = System.nanoTime();
                models[i].onEpochStart(hookEpoch, split, 2020);
                hookSecs[i] = (System.nanoTime() - h0) / 1e9;
            }
            InputSpec in = models[0].inputSpec();
            TrainingSamples samples = new TrainingSamples(split, in.sampleMode(), in.maxLen(), in.padding());
            long d0 = System.nanoTime();
            List<Batch> batches = samples.epoch(batchSize, new SplittableRandom(2020), in.needsNegatives());
            double prepSecs = (System.nanoTime() - d0) / 1e9;
            long realTokens = 0;
            for (Batch b : batches) {
                for (int l : b.lengths()) {
                    realTokens += l;
                }
            }
            out.printf(Locale.ROOT, "%s on %s (%d users, %d items), %s%n", base.name(), ds.name(), split.numUsers(),
                    ds.numItems(), base.config());
            out.printf(Locale.ROOT, "%d cores, libtorch intra-op threads %d, %s; epoch = %d batches "
                            + "of %d %s samples, T=%d, real/padded tokens %.3f; timing: median of %d steps per layout "
                            + "(after %d warm-up), layouts alternating on the same batches, x batches per epoch%n",
                    Runtime.getRuntime().availableProcessors(), torchThreads, io.seqcl.Settings.processSettings(),
                    batches.size(), batchSize, in.sampleMode(), in.maxLen(),
                    realTokens / (double) ((long) batches.stream().mapToInt(Batch::size).sum() * in.maxLen()),
                    steps * rounds, warmup);
            double[][] ms = new double[k][steps * rounds];
            double[][] cpu = new double[k][steps * rounds];
            long[][] phase = new long[k][4];
            SplittableRandom[] rng = new SplittableRandom[k];
            for (int i = 0; i < k; i++) {
                rng[i] = new SplittableRandom(7);
            }
            for (int w = 0; w < warmup; w++) {
                for (int i = 0; i < k; i++) {
                    stepsOf[i].step(batches.get(w % batches.size()), new StepContext(1, w + 1, rng[i],
                            batches.size()));
                }
            }
            int next = warmup;
            for (int r = 0; r < rounds; r++) {
                for (int s = 0; s < steps; s++) {
                    Batch b = batches.get(next % batches.size());
                    for (int i = 0; i < k; i++) {
                        StepProfile.reset();
                        io.seqcl.nn.Packing.resetPreparationNanos();
                        long c0 = cpuNanos();
                        long t0 = System.nanoTime();
                        stepsOf[i].step(b, new StepContext(1, next + 1, rng[i], batches.size()));
                        ms[i][r * steps + s] = (System.nanoTime() - t0) / 1e6;
                        cpu[i][r * steps + s] = (cpuNanos() - c0) / 1e6;
                        phase[i][0] += StepProfile.forwardNanos();
                        phase[i][1] += StepProfile.backwardNanos();
                        phase[i][2] += StepProfile.optimizerNanos();
                        phase[i][3] += io.seqcl.nn.Packing.preparationNanos();
                    }
                    next++;
                }
                out.printf(Locale.ROOT, "round %d: resident memory %s%n", r + 1, memory());
            }
            double[] epochSecs = new double[k];
            double[] cpuMedian = new double[k];
            for (int i = 0; i < k; i++) {
                double[] c = cpu[i].clone();
                Arrays.sort(c);
                cpuMedian[i] = c[c.length / 2];
                double[] sorted = ms[i].clone();
                Arrays.sort(sorted);
                double median = sorted[sorted.length / 2];
                epochSecs[i] = median * batches.size() / 1000 + prepSecs + hookSecs[i];
                // shares of the measured steps plus the epoch's batching scaled to the same number of steps
                double measured = Arrays.stream(ms[i]).sum() / 1000;
                double batching = prepSecs * ms[i].length / batches.size();
                double all = measured + batching;
                double layout = phase[i][3] / 1e9;
                double f = phase[i][0] / 1e9 - layout;
                double bw = phase[i][1] / 1e9;
                double o = phase[i][2] / 1e9;
                // the ranges of a sharded step run forward and backward together: both are counted as forward
                out.printf(Locale.ROOT, "%-6s step median %.1f ms (min %.1f, max %.1f); epoch %.1f s; time shares: "
                                + (shardsOf[i] > 1 ? "forward+backward in ranges" : "forward")
                                + " %.0f%%, backward %.0f%%, optimizer %.0f%%, data preparation %.1f%% "
                                + "(batching %.1f%%, layouts and masks %.1f%%), other %.0f%%%n",
                        label[i], median, sorted[0], sorted[sorted.length - 1], epochSecs[i],
                        100 * f / all, 100 * bw / all, 100 * o / all, 100 * (batching + layout) / all,
                        100 * batching / all, 100 * layout / all, 100 * (measured - f - bw - o - layout) / all);
                out.printf(Locale.ROOT, "%-6s process CPU time per step: median %.1f ms (all threads; less sensitive to "
                        + "other jobs than wall time)%n", label[i], cpuMedian[i]);
            }
            for (int i = 0; i < k; i++) {
                if (hookSecs[i] > 0.01) {
                    out.printf(Locale.ROOT, "%-6s epoch-start hook (as at epoch %d): %.1f s, included in the epoch%n",
                            label[i], hookEpoch, hookSecs[i]);
                }
            }
            int single = shards > 1 ? k - 1 : k;
            if (single == 2) {
                out.printf(Locale.ROOT, "packed/padded epoch ratio %.3f (same run); CPU-time ratio per step %.3f%n",
                        epochSecs[0] / epochSecs[1], cpuMedian[0] / cpuMedian[1]);
            }
            if (shards > 1) {
                out.printf(Locale.ROOT, "%s / %s epoch ratio %.3f (same run); CPU-time ratio per step %.3f%n",
                        label[k - 1], label[0], epochSecs[k - 1] / epochSecs[0], cpuMedian[k - 1] / cpuMedian[0]);
            }
            if (profile != null) {
                Path trace = Path.of(profile);
                ai.djl.pytorch.jni.JniUtils.startProfile(false, true, false);
                for (int s = 0; s < steps; s++) {
                    Batch b = batches.get(next++ % batches.size());
                    stepsOf[0].step(b, new StepContext(1, next, rng[0], batches.size()));
                }
                ai.djl.pytorch.jni.JniUtils.stopProfile(trace.toAbsolutePath().toString());
                out.printf(Locale.ROOT, "%s: libtorch trace of %d %s steps; operators by self time:%n", trace, steps,
                        label[0]);
                try {
                    out.print(OperatorProfile.read(trace).table(25, steps));
                } catch (IOException e) {
                    out.println("could not read the trace back: " + e.getMessage());
                }
            }
            for (int i = 0; i < k && eval > 0; i++) {
                long e0 = System.nanoTime();
                long c0 = cpuNanos();
                tc.evaluator().evaluate(models[i], split.valid());
                out.printf(Locale.ROOT, "%-6s validation pass (%d users): %.1f s (process CPU time %.1f s)%n",
                        label[i], split.valid().size(), (System.nanoTime() - e0) / 1e9,
                        (cpuNanos() - c0) / 1e9);
            }
            out.printf(Locale.ROOT, "peak resident memory %s (other jobs may be running on these cores)%n",
                    peakMemory());
        } finally {
            for (SequentialRecommender m : models) {
                if (m != null) {
                    m.close();
                }
            }
        }
        return 0;
    }

    /**
     * S3-Rec's stages as benchmark epochs: its MIP pre-training (run by {@code prepare} before the trainer's epochs)
     * is skipped, and {@code pretrain} times the MIP step instead of the fine-tuning step (on the trainer's prefix
     * samples; the pre-training epoch of the code has one more sample per user and batch 100: use {@code --batch 100}).
     *
     * @param spec the model
     * @param stage {@code finetune} (the trainer's step of every model) or {@code pretrain} (S3-Rec only)
     * @param out where to print a note
     * @return the spec to time
     */
    static ModelSpec s3recStage(ModelSpec spec, String stage, PrintStream out) {
        if (!stage.equals("finetune") && !stage.equals("pretrain")) {
            throw new IllegalArgumentException("--stage must be finetune or pretrain, got " + stage);
        }
        if (spec.config() instanceof io.seqcl.model.S3RecConfig s) {
            out.println("S3-Rec: MIP pre-training before the epochs skipped; timing the "
                    + (stage.equals("pretrain") ? "MIP pre-training step" : "fine-tuning step"));
            return new ModelSpec(spec.name(), stage.equals("pretrain")
                    ? s.withStage(io.seqcl.model.S3RecConfig.Stage.PRETRAIN_ONLY).withPretrainEpochs(0)
                    : s.withPretrainEpochs(0));
        }
        if (stage.equals("pretrain")) {
            throw new IllegalArgumentException("--stage pretrain is only for s3rec, not " + spec.key());
        }
        return spec;
    }

    /**
     * The same model spec with packed execution switched on or off.
     *
     * @param spec a Transformer model's spec
     * @param packed whether to run packed
     * @return the spec
     * @throws IllegalArgumentException for a model without a Transformer
     */
    public static ModelSpec withPacked(ModelSpec spec, boolean packed) {
        if (spec.config() instanceof TransformerModelConfig<?> t) {
            return new ModelSpec(spec.name(), t.withTransformer(t.transformer().withPacked(packed)));
        }
        throw new IllegalArgumentException(spec.name() + " has no Transformer to pack");
    }

    /** @return this process's CPU time in nanoseconds (all threads), 0 if the JVM cannot tell */
    static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }

    private static String memory() {
        return status("VmRSS");
    }

    private static String peakMemory() {
        return status("VmHWM");
    }

    private static String status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.0f MB", kb / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
        return "unknown";
    }
}
