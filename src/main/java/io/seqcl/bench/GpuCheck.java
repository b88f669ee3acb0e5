package io.seqcl.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import io.seqcl.data.Datasets;
import io.seqcl.data.SequenceDataset;
import io.seqcl.experiment.Budget;
import io.seqcl.experiment.ExperimentSpec;
import io.seqcl.experiment.MCLRecExperiments;
import io.seqcl.experiment.ModelSpec;
import io.seqcl.experiment.RunResult;
import io.seqcl.experiment.Runner;
import io.seqcl.model.SASRec;
import io.seqcl.model.SASRecConfig;
import io.seqcl.nn.Devices;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.TrainingSamples;
import io.seqcl.train.EpochReport;
import io.seqcl.train.ProgressListener;
import io.seqcl.optim.StepContext;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.TrainResult;
import io.seqcl.optim.TrainStep;
import io.seqcl.util.AtomicFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GPU check: on the chosen device, runs the SASRec step benchmark ({@link StepBenchmark}), the epoch
 * benchmark ({@link EpochBenchmark}) of SASRec and MCLRec on Beauty, a CPU-vs-device agreement check (same
 * weights, same batch: loss, scores and the weights after one Adam step), and one full-budget SASRec training on
 * Beauty under the MCLRec protocol ({@link MCLRecExperiments}), printing plain text and writing
 * {@code gpu-check.txt}, {@code summary.json} and {@code summary.csv} under the output directory.
 *
 * <p>A benchmark command, not a test: it prints measured numbers. The only verdict is the agreement check
 * (exit code 3 when it fails). On a machine without a GPU it runs on the CPU and says so; the agreement check then
 * compares the CPU with itself. The summary is rewritten after each part, so a run stopped by a time limit keeps
 * what finished. Options (all {@code --key value}):
 * <ul>
 *   <li>{@code device} cpu | gpu | gpu:N (default: {@code SEQCL_DEVICE}, else gpu when the engine sees one)</li>
 *   <li>{@code out} output directory (default {@code out/gpu-check})</li>
 *   <li>{@code parts} comma-separated subset of step,epoch,agree,train (default all, in that order)</li>
 *   <li>{@code dataset} default beauty (the synthetic dataset when missing, said in the output)</li>
 *   <li>{@code epochs} cap on the training epochs (default: the protocol's 100, patience 11 on MRR@10)</li>
 *   <li>{@code bench-steps} timed steps per benchmark (default 20), {@code bench-items}, {@code bench-users}
 *       (step benchmark sizes; defaults Beauty's)</li>
 *   <li>{@code agree-batch} rows of the agreement batch (default 64), {@code tol} its tolerance (default 1e-4)</li>
 * </ul>
 */
public final class GpuCheck {

    /** Default agreement tolerance: |a - b| &lt;= tol * max(1, |a|) for the loss and every score. */
    public static final double DEFAULT_TOL = 1e-4;

    private static final Set<String> PARTS = new LinkedHashSet<>(List.of("step", "epoch", "agree", "train"));

    private GpuCheck() {
    }

    /**
     * Command-line entry point: {@code java -cp ... io.seqcl.bench.GpuCheck --device gpu --out DIR}.
     *
     * @param args options as {@code --key value}
     */
    public static void main(String[] args) {
        int code;
        try {
            code = run(io.seqcl.util.Options.parse(java.util.List.of(args)), System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("gpu-check: " + e.getMessage());
            code = 2;
        }
        System.out.flush();
        System.exit(code);
    }

    /**
     * Runs the check.
     *
     * @param opts options (see the class comment); consumed keys are removed
     * @param console where to print
     * @return 0, or 3 if the agreement check failed
     * @throws IllegalArgumentException naming the option on a bad or unknown option
     */
    public static int run(Map<String, String> opts, PrintStream console) {
        Map<String, String> o = new LinkedHashMap<>(opts);
        String deviceOpt = o.remove("device");
        Path outDir = Path.of(o.getOrDefault("out", "out/gpu-check"));
        o.remove("out");
        Set<String> parts = parseParts(o.remove("parts"));
        String dataset = o.getOrDefault("dataset", "beauty");
        o.remove("dataset");
        int epochs = io.seqcl.util.Options.intOpt(o, "epochs", -1);
        int benchSteps = io.seqcl.util.Options.intOpt(o, "bench-steps", 20);
        String benchItems = o.remove("bench-items");
        String benchUsers = o.remove("bench-users");
        int agreeBatch = io.seqcl.util.Options.intOpt(o, "agree-batch", 64);
        double tol = doubleOpt(o, "tol", DEFAULT_TOL);
        if (!o.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) for gpu-check: " + o.keySet());
        }
        try {
            Datasets.isAvailable(dataset);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--dataset: " + e.getMessage(), e);
        }

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new Tee(console, log), true, StandardCharsets.UTF_8);
        Map<String, Object> summary = new LinkedHashMap<>();
        Device device = chooseDevice(deviceOpt);
        Engine engine = Engine.getInstance();
        int gpus = engine.getGpuCount();
        boolean onGpu = device.isGpu();
        summary.put("date", Instant.now().toString());
        summary.put("engine", engine.getEngineName() + " " + engine.getVersion());
        summary.put("djl", Engine.getDjlVersion());
        summary.put("libtorch", libtorchPath());
        summary.put("device", device.toString());
        summary.put("gpus_seen", gpus);
        summary.put("cores", Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "gpu-check: device %s, engine %s, DJL %s, libtorch %s, %d GPU(s) seen, %d cores%n",
                device, summary.get("engine"), Engine.getDjlVersion(), summary.get("libtorch"), gpus,
                Runtime.getRuntime().availableProcessors());
        if (onGpu) {
            String cc = computeCapability(device.getDeviceId());
            summary.put("compute_capability", cc);
            out.println("GPU " + device.getDeviceId() + ": compute capability " + cc);
        } else {
            out.println("NOTE: running on the CPU (" + (gpus == 0 ? "the engine sees no GPU" : "--device cpu")
                    + "): the numbers below are CPU numbers and the agreement check compares the CPU with itself");
        }
        int exit = 0;
        for (String part : parts) {
            long t0 = System.nanoTime();
            out.println();
            out.println("== " + part + " ==");
            try {
                switch (part) {
                    case "step" -> stepPart(benchSteps, benchItems, benchUsers, out, summary);
                    case "epoch" -> epochPart(dataset, benchSteps, out, summary);
                    case "agree" -> {
                        Agreement a = agreePart(dataset, device, agreeBatch, tol, out);
                        summary.put("agreement", a.toMap());
                        if (!a.passed()) {
                            exit = 3;
                        }
                    }
                    case "train" -> trainPart(dataset, epochs, outDir, out, summary, () -> write(outDir, summary, log));
                    default -> throw new AssertionError(part);
                }
            } catch (RuntimeException e) {
                out.println("part '" + part + "' FAILED: " + e);
                summary.put(part + "_error", String.valueOf(e));
                exit = exit == 0 ? 1 : exit;
            }
            summary.put(part + "_wall_s", round((System.nanoTime() - t0) / 1e9, 1));
            write(outDir, summary, log);
        }
        out.println();
        out.println("summary written to " + outDir.toAbsolutePath().resolve("summary.json"));
        write(outDir, summary, log);
        return exit;
    }

    /**
     * The result of an agreement check between a reference device and a target device.
     *
     * @param reference the reference device (the CPU)
     * @param target the device checked
     * @param lossReference loss on the reference (dropout off)
     * @param lossTarget loss on the target
     * @param maxScoreDiff largest |difference| over all scores of the batch
     * @param maxScore largest |score| on the reference (for the relative part of the tolerance)
     * @param maxWeightDiff largest |difference| of any weight after one Adam step on each device
     * @param tol tolerance: each difference must be at most {@code tol * max(1, |reference value|)}
     * @param passed whether all three comparisons are within the tolerance
     */
    public record Agreement(Device reference, Device target, double lossReference, double lossTarget,
                            double maxScoreDiff, double maxScore, double maxWeightDiff, double tol, boolean passed) {

        /** @return a one-line report */
        public String line() {
            return String.format(Locale.ROOT, "agreement %s vs %s: loss %.7f vs %.7f (|diff| %.2e), max |score diff| "
                            + "%.2e (max |score| %.2f), max |weight diff| after one Adam step %.2e; tol %.0e: %s",
                    reference, target, lossReference, lossTarget, Math.abs(lossReference - lossTarget), maxScoreDiff,
                    maxScore, maxWeightDiff, tol, passed ? "PASS" : "FAIL");
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reference", reference.toString());
            m.put("target", target.toString());
            m.put("same_device", reference.equals(target));
            m.put("loss_reference", lossReference);
            m.put("loss_target", lossTarget);
            m.put("max_score_diff", maxScoreDiff);
            m.put("max_abs_score", maxScore);
            m.put("max_weight_diff_after_step", maxWeightDiff);
            m.put("tol", tol);
            m.put("passed", passed);
            return m;
        }
    }

    /**
     * Builds the same SASRec (same seed, weights copied) on two devices and compares, on one batch, the loss with
     * dropout off, all item scores, and every weight after one Adam step on that loss.
     *
     * @param reference the reference device (normally the CPU)
     * @param target the device to check (the CPU too on a machine without a GPU)
     * @param numItems item count N (ids 1..N)
     * @param config SASRec settings; dropout is set to 0 so that both devices compute the same function
     * @param batch a training batch (with targets)
     * @param seed initialisation seed
     * @param tol tolerance
     * @return the comparison
     */
    public static Agreement agreement(Device reference, Device target, int numItems, SASRecConfig config, Batch batch,
                                      long seed, double tol) {
        SASRecConfig cfg = config.withDropout(0.0);
        Devices.noGradOnThisThread();
        try (SASRec ref = onDevice(reference, () -> new SASRec(numItems, cfg, seed));
             SASRec dev = onDevice(target, () -> new SASRec(numItems, cfg, seed))) {
            dev.params().restore(ref.params().snapshot());
            Batch scoring = new Batch(batch.items(), null, null, batch.lengths(), batch.users(), batch.padding());
            float[] sRef = scores(ref, scoring);
            float[] sDev = scores(dev, scoring);
            Diff scoresDiff = compare(sRef, sDev, tol);
            double maxAbs = 0;
            for (float v : sRef) {
                maxAbs = Math.max(maxAbs, Math.abs(v));
            }
            double lossRef = stepLoss(ref, batch, seed);
            double lossDev = stepLoss(dev, batch, seed);
            boolean lossOk = Math.abs(lossRef - lossDev) <= tol * Math.max(1.0, Math.abs(lossRef));
            Map<String, float[]> wRef = ref.params().snapshot();
            Map<String, float[]> wDev = dev.params().snapshot();
            double maxW = 0;
            boolean weightsOk = true;
            for (Map.Entry<String, float[]> e : wRef.entrySet()) {
                Diff d = compare(e.getValue(), wDev.get(e.getKey()), tol);
                maxW = Double.isNaN(d.maxAbsDiff()) || Double.isNaN(maxW) ? Double.NaN : Math.max(maxW, d.maxAbsDiff());
                weightsOk &= d.within();
            }
            return new Agreement(reference, target, lossRef, lossDev, scoresDiff.maxAbsDiff(), maxAbs, maxW, tol,
                    scoresDiff.within() && lossOk && weightsOk);
        }
    }

    /**
     * The outcome of an element-wise comparison.
     *
     * @param maxAbsDiff the largest |a_i - b_i| (NaN if any element is NaN)
     * @param within whether every |a_i - b_i| &lt;= tol * max(1, |a_i|)
     */
    record Diff(double maxAbsDiff, boolean within) {
    }

    /**
     * Compares two arrays element-wise: absolute tolerance for values up to 1 in magnitude, relative above.
     *
     * @param ref reference values
     * @param other values to check
     * @param tol tolerance
     * @return the largest difference and whether all are within the tolerance
     * @throws IllegalArgumentException if the lengths differ
     */
    static Diff compare(float[] ref, float[] other, double tol) {
        if (other == null || ref.length != other.length) {
            throw new IllegalArgumentException("cannot compare arrays of length " + ref.length + " and "
                    + (other == null ? "null" : other.length));
        }
        double max = 0;
        boolean ok = true;
        for (int i = 0; i < ref.length; i++) {
            double d = Math.abs((double) ref[i] - other[i]);
            if (Double.isNaN(d)) {
                return new Diff(Double.NaN, false);
            }
            if (d > tol * Math.max(1.0, Math.abs(ref[i]))) {
                ok = false;
            }
            max = Math.max(max, d);
        }
        return new Diff(max, ok);
    }

    /** Runs one training step (Adam on the loss) and returns the loss it saw. */
    private static double stepLoss(SASRec model, Batch batch, long seed) {
        TrainStep step = model.newTrainStep(TrainConfig.defaults().withSeed(seed).optim());
        return step.step(batch, new StepContext(1, 1, new SplittableRandom(seed)));
    }

    private static float[] scores(SASRec model, Batch batch) {
        try (ai.djl.ndarray.NDScope ignored = new ai.djl.ndarray.NDScope()) {
            NDArray sc = model.scoreAll(batch);
            return sc.toFloatArray();
        }
    }

    /**
     * Creates something while {@link Devices#current()} answers a given device (the models take their device
     * from it when built), then restores the previous setting.
     */
    static <T> T onDevice(Device device, Supplier<T> make) {
        String before = System.getProperty("seqcl.device");
        System.setProperty("seqcl.device", device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu");
        try {
            return make.get();
        } finally {
            if (before == null) {
                System.clearProperty("seqcl.device");
            } else {
                System.setProperty("seqcl.device", before);
            }
        }
    }

    private static Device chooseDevice(String opt) {
        if (opt != null) {
            String v = opt.trim().toLowerCase(Locale.ROOT);
            if (!v.equals("cpu") && !v.equals("gpu") && !v.matches("gpu:\\d+")) {
                throw new IllegalArgumentException("--device needs cpu, gpu or gpu:N, got '" + opt + "'");
            }
            System.setProperty("seqcl.device", v);
            return Devices.current();
        }
        String env = System.getProperty("seqcl.device", io.seqcl.Settings.get(io.seqcl.Settings.Variable.SEQCL_DEVICE).orElse(null));
        if (env != null && !env.isBlank()) {
            return Devices.current();
        }
        Device d = Engine.getInstance().getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
        System.setProperty("seqcl.device", d.isGpu() ? "gpu:0" : "cpu");
        return d;
    }

    private static void stepPart(int steps, String items, String users, PrintStream out,
                                 Map<String, Object> summary) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("steps", String.valueOf(steps));
        if (items != null) {
            o.put("items", items);
        }
        if (users != null) {
            o.put("users", users);
        }
        String text = capture(out, p -> StepBenchmark.run(o, p));
        summary.put("sasrec_step_ms", number(text, "median ([0-9.]+) ms/step"));
        summary.put("eval_pass_s", number(text, "full evaluation pass .*: ([0-9.]+) s"));
    }

    private static void epochPart(String dataset, int steps, PrintStream out, Map<String, Object> summary) {
        if (!Datasets.isAvailable(dataset)) {
            out.println("dataset '" + dataset + "' is not in " + Datasets.dataDir() + ": epoch benchmark skipped");
            summary.put("epoch_skipped", "dataset " + dataset + " missing");
            return;
        }
        for (String model : List.of("sasrec", "mclrec")) {
            Map<String, String> o = new LinkedHashMap<>();
            o.put("dataset", dataset);
            o.put("model", model);
            o.put("steps", String.valueOf(Math.max(3, steps / 2)));
            String text = capture(out, p -> EpochBenchmark.run(o, p));
            summary.put(model + "_train_step_ms", number(text, "train step .*: median ([0-9.]+) ms"));
            summary.put(model + "_epoch_s", number(text, "= ([0-9.]+) s \\("));
            summary.put(model + "_validation_s", number(text, "training \\+ ([0-9.]+) s validation"));
        }
    }

    private static Agreement agreePart(String dataset, Device device, int rows, double tol, PrintStream out) {
        SequenceDataset ds = Datasets.isAvailable(dataset) ? Datasets.load(dataset)
                : io.seqcl.data.SyntheticDataset.defaultDataset();
        SASRecConfig cfg = MCLRecExperiments.sasrec(Budget.FULL);
        Batch batch = firstBatch(ds, cfg, rows);
        Agreement a = agreement(Device.cpu(), device, ds.numItems(), cfg, batch, 2020, tol);
        out.printf(Locale.ROOT, "SASRec on %s (%d items), one batch of %d, dropout off%n", ds.name(), ds.numItems(),
                batch.size());
        if (!device.isGpu()) {
            out.println("NOTE: no GPU in use: this compares the CPU with the CPU (it checks the procedure only)");
        }
        out.println(a.line());
        return a;
    }

    /**
     * The first training batch of a dataset under a SASRec configuration.
     *
     * @param ds the dataset
     * @param cfg the configuration (T, padding, sample mode)
     * @param rows batch size
     * @return the batch
     */
    static Batch firstBatch(SequenceDataset ds, SASRecConfig cfg, int rows) {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(ds);
        TrainingSamples samples = new TrainingSamples(split, cfg.sampleMode(), cfg.maxLen(), cfg.padding());
        return samples.epoch(rows, new SplittableRandom(2020), false).get(0);
    }

    private static void trainPart(String dataset, int epochs, Path outDir, PrintStream out,
                                  Map<String, Object> summary, Runnable checkpoint) {
        SequenceDataset ds;
        if (Datasets.isAvailable(dataset)) {
            ds = Datasets.load(dataset);
        } else {
            out.println("dataset '" + dataset + "' is not in " + Datasets.dataDir() + ": training on the synthetic "
                    + "dataset instead");
            ds = io.seqcl.data.SyntheticDataset.defaultDataset();
        }
        TrainConfig tc = MCLRecExperiments.train(Budget.FULL, 2020);
        if (epochs > 0) {
            tc = tc.withEpochs(epochs);
        }
        ModelSpec sasrec = MCLRecExperiments.model("sasrec", ds, Budget.FULL);
        ExperimentSpec spec = new ExperimentSpec("gpu-check SASRec, MCLRec protocol (full budget"
                + (epochs > 0 ? ", epochs capped at " + epochs : "") + ")", List.of(sasrec), tc);
        out.println(spec.name() + " on " + ds.name() + ": " + tc);
        long t0 = System.nanoTime();
        RunResult r = Runner.run(ds, spec, new ProgressListener() {
            @Override
            public void onEpochEnd(EpochReport report) {
                out.println(report.line());
                // a run stopped by a time limit keeps the epochs that finished
                summary.put("train_sasrec_last_epoch", report.line());
                checkpoint.run();
            }

            @Override
            public void onRunEnd(String run, String message) {
                out.println(message);
            }
        });
        double secs = (System.nanoTime() - t0) / 1e9;
        out.println(r.summary("test").print());
        TrainResult tr = r.results().get(0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", ds.name());
        m.put("epochs_cap", tc.epochs());
        m.put("epochs_run", tr.epochsRun());
        m.put("best_epoch", tr.bestEpoch());
        m.put("stopped_early", tr.stoppedEarly());
        m.put("wall_s", round(secs, 1));
        for (String k : List.of("HR@5", "HR@10", "HR@20", "NDCG@5", "NDCG@10", "NDCG@20", "MRR@10")) {
            try {
                m.put("test_" + k, round(tr.test().value(k), 5));
            } catch (IllegalArgumentException e) {
                m.put("test_" + k, null);
            }
        }
        summary.put("train_sasrec", m);
        out.printf(Locale.ROOT, "SASRec training: %d epochs (best %d) in %.1f s (%s)%n", tr.epochsRun(),
                tr.bestEpoch(), secs, EpochReport.formatDuration(secs));
        try {
            r.save(outDir.resolve("train-sasrec"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write results to " + outDir.resolve("train-sasrec"), e);
        }
    }

    private static String capture(PrintStream out, java.util.function.Function<PrintStream, Integer> body) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(new Tee(out, buf), true, StandardCharsets.UTF_8);
        body.apply(p);
        p.flush();
        return buf.toString(StandardCharsets.UTF_8);
    }

    /**
     * Reads the first number a pattern captures from printed text.
     *
     * @param text printed text
     * @param regex a pattern with one group
     * @return the number, or null when the text does not contain it
     */
    static Double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.valueOf(m.group(1)) : null;
    }

    private static String libtorchPath() {
        try {
            return ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
        } catch (RuntimeException | LinkageError e) {
            return "unknown";
        }
    }

    private static String computeCapability(int id) {
        try {
            return ai.djl.util.cuda.CudaUtils.getComputeCapability(id);
        } catch (RuntimeException | LinkageError e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static Set<String> parseParts(String v) {
        if (v == null || v.isBlank()) {
            return PARTS;
        }
        Set<String> s = new LinkedHashSet<>();
        for (String p : v.split(",")) {
            String t = p.trim().toLowerCase(Locale.ROOT);
            if (!PARTS.contains(t)) {
                throw new IllegalArgumentException("--parts: unknown part '" + p + "'; known: " + PARTS);
            }
            s.add(t);
        }
        return s;
    }

    private static void write(Path dir, Map<String, Object> summary, ByteArrayOutputStream log) {
        try {
            AtomicFiles.writeString(dir.resolve("summary.json"), json(summary, "") + "\n");
            AtomicFiles.writeString(dir.resolve("summary.csv"), csv(summary));
            AtomicFiles.writeString(dir.resolve("gpu-check.txt"), log.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the gpu-check summary to " + dir, e);
        }
    }

    /**
     * Writes a flat or nested map of strings, numbers, booleans and maps as JSON.
     *
     * @param m the map
     * @param indent current indentation
     * @return JSON text
     */
    static String json(Map<String, Object> m, String indent) {
        StringBuilder b = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            b.append(indent).append("  ").append(quote(e.getKey())).append(": ").append(value(e.getValue(), indent + "  "));
            b.append(++i < m.size() ? ",\n" : "\n");
        }
        return b.append(indent).append('}').toString();
    }

    @SuppressWarnings("unchecked")
    private static String value(Object v, String indent) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map<?, ?> mm) {
            return json((Map<String, Object>) mm, indent);
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? quote(d.toString()) : d.toString();
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        return quote(v.toString());
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Flattens the summary to key,value rows (nested keys joined with '.'). */
    static String csv(Map<String, Object> m) {
        List<String> rows = new ArrayList<>();
        rows.add("key,value");
        flatten("", m, rows);
        return String.join("\n", rows) + "\n";
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> m, List<String> rows) {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String k = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof Map<?, ?> mm) {
                flatten(k, (Map<String, Object>) mm, rows);
            } else {
                String v = String.valueOf(e.getValue());
                rows.add(k + "," + (v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v));
            }
        }
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }


    private static double doubleOpt(Map<String, String> o, String key, double def) {
        String v = o.remove(key);
        if (v == null) {
            return def;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!(d > 0)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " needs a positive number, got '" + v + "'");
        }
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
