package io.seqcl.bench;

import ai.djl.engine.Engine;
import io.seqcl.data.Datasets;
import io.seqcl.data.SequenceDataset;
import io.seqcl.eval.HistoryMode;
import io.seqcl.eval.RankingEvaluator;
import io.seqcl.model.SASRec;
import io.seqcl.model.SASRecConfig;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.EvalSet;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.Padding;
import io.seqcl.optim.StepContext;
import io.seqcl.train.TrainConfig;
import io.seqcl.optim.TrainStep;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times one SASRec training step (forward, backward, Adam) and one full-ranking evaluation pass, and prints
 * milliseconds per step. Defaults match the reference measurement: batch 256, length 50, d 64, 12,102 item rows
 * (Beauty), full-softmax cross-entropy on the last position.
 *
 * <p>This is a benchmark, not a test: it asserts nothing and prints measured numbers.
 * {@code environment/bench/compare.sh} runs it beside the same step in PyTorch and prints the ratio.
 */
public final class StepBenchmark {

    private StepBenchmark() {
    }

    /**
     * The benchmark's parameters, validated on construction.
     *
     * @param steps timed steps ({@code >= 1})
     * @param warmup untimed steps first ({@code >= 0})
     * @param batch batch size ({@code >= 1})
     * @param len sequence length T ({@code >= 1})
     * @param dim hidden size d ({@code >= 1}, a multiple of the 2 attention heads)
     * @param items number of items N ({@code >= 1})
     * @param users users of the random evaluation set ({@code >= 1})
     */
    public record Settings(int steps, int warmup, int batch, int len, int dim, int items, int users) {

        /** Validates every parameter, naming the one that is wrong. */
        public Settings {
            positive("steps", steps);
            if (warmup < 0) {
                throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
            }
            positive("batch", batch);
            positive("len", len);
            positive("dim", dim);
            if (dim % 2 != 0) {
                throw new IllegalArgumentException("dim must be a multiple of the 2 attention heads, got " + dim);
            }
            positive("items", items);
            positive("users", users);
        }

        /** @return 20 steps after 5 warm-up steps, batch 256, T 50, d 64, Beauty's 12,101 items and 22,363 users */
        public static Settings defaults() {
            return new Settings(20, 5, 256, 50, 64, 12101, 22363);
        }
    }

    static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param opts options: steps, warmup, batch, len, dim, items, users, threads (libtorch intra-op threads; 0 =
     *     the engine's default), eval (0 skips the evaluation pass)
     * @param out where to print
     * @return exit code 0
     */
    public static int run(Map<String, String> opts, PrintStream out) {
        Settings d = Settings.defaults();
        int steps = io.seqcl.util.Options.intOpt(opts, "steps", d.steps());
        int warmup = io.seqcl.util.Options.intOpt(opts, "warmup", d.warmup());
        int batch = io.seqcl.util.Options.intOpt(opts, "batch", d.batch());
        int len = io.seqcl.util.Options.intOpt(opts, "len", d.len());
        int dim = io.seqcl.util.Options.intOpt(opts, "dim", d.dim());
        int items = io.seqcl.util.Options.intOpt(opts, "items", d.items());
        int users = io.seqcl.util.Options.intOpt(opts, "users", d.users());
        int threads = io.seqcl.util.Options.intOpt(opts, "threads", 0);
        int evalPass = io.seqcl.util.Options.intOpt(opts, "eval", 1);
        int evalThreads = io.seqcl.util.Options.intOpt(opts, "eval-threads", RankingEvaluator.defaultThreads());
        if (evalThreads < 1) {
            throw new IllegalArgumentException("--eval-threads must be >= 1, got " + evalThreads);
        }
        if (threads < 0 || evalPass < 0 || evalPass > 1) {
            throw new IllegalArgumentException("--threads must be >= 0 (0 = libtorch's default) and --eval 0 or 1, got "
                    + threads + ", " + evalPass);
        }
        if (!opts.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) for bench: " + opts.keySet());
        }
        return run(new Settings(steps, warmup, batch, len, dim, items, users), threads, evalPass, evalThreads, out);
    }

    /**
     * Runs the benchmark with validated settings, libtorch's default thread count and the evaluation pass.
     *
     * @param settings the parameters
     * @param out where to print
     * @return exit code 0
     */
    public static int run(Settings settings, PrintStream out) {
        return run(settings, 0, 1, out);
    }

    /**
     * Runs the benchmark with validated settings.
     *
     * @param settings the parameters
     * @param threads libtorch intra-op threads (0 = its default)
     * @param evalPass 1 to time one full evaluation pass, 0 to skip it
     * @param out where to print
     * @return exit code 0
     */
    public static int run(Settings settings, int threads, int evalPass, PrintStream out) {
        return run(settings, threads, evalPass, RankingEvaluator.defaultThreads(), out);
    }

    /**
     * Runs the benchmark with validated settings, scoring the evaluation's batches on {@code evalThreads} threads.
     *
     * @param settings the parameters
     * @param threads libtorch intra-op threads (0 = its default)
     * @param evalPass 1 to time one full evaluation pass, 0 to skip it
     * @param evalThreads evaluation threads ({@link RankingEvaluator#withThreads(int)})
     * @param out where to print
     * @return exit code 0
     */
    public static int run(Settings settings, int threads, int evalPass, int evalThreads, PrintStream out) {
        int steps = settings.steps();
        int warmup = settings.warmup();
        int batch = settings.batch();
        int len = settings.len();
        int dim = settings.dim();
        int items = settings.items();
        int users = settings.users();
        Engine engine = Engine.getInstance();
        int torchThreads = io.seqcl.nn.Devices.setThreads(threads);
        out.printf(Locale.ROOT, "engine %s %s, DJL %s, device %s, %d cores, %d libtorch intra-op thread(s), %s%n",
                engine.getEngineName(), engine.getVersion(), Engine.getDjlVersion(), io.seqcl.nn.Devices.current(),
                Runtime.getRuntime().availableProcessors(), torchThreads, io.seqcl.Settings.processSettings());
        SASRecConfig cfg = SASRecConfig.defaults().withMaxLen(len).withWidth(dim);
        SplittableRandom rng = new SplittableRandom(7);
        try (SASRec model = new SASRec(items, cfg, 7)) {
            TrainStep step = model.newTrainStep(TrainConfig.defaults().optim());
            Batch b = randomBatch(rng, batch, len, items);
            double[] ms = new double[steps];
            for (int i = 0; i < warmup + steps; i++) {
                long t0 = System.nanoTime();
                step.step(b, new StepContext(1, i + 1, rng));
                if (i >= warmup) {
                    ms[i - warmup] = (System.nanoTime() - t0) / 1e6;
                }
            }
            Arrays.sort(ms);
            out.printf(Locale.ROOT, "SASRec train step (B=%d, T=%d, d=%d, N=%d, CE last position): "
                            + "median %.1f ms/step, min %.1f, max %.1f over %d steps%n",
                    batch, len, dim, items + 1, ms[steps / 2], ms[0], ms[steps - 1], steps);
            double flops = stepFlops(batch, len, dim, items + 1, cfg.transformer().layers(),
                    cfg.transformer().innerSize());
            out.printf(Locale.ROOT, "seqcl step %.2f GFLOP: %.1f GFLOP/s achieved; plain float32 matmul of the step's "
                            + "shapes %.1f GFLOP/s (%d threads)%n", flops / 1e9, flops / ms[steps / 2] / 1e6,
                    matmulRate(model.params().manager(), batch, len, dim, items + 1, cfg.transformer().innerSize()),
                    torchThreads);
            if (evalPass == 0) {
                return 0;
            }

            EvalSet eval = evalSet(rng, users, len, items);
            int evalBatch = io.seqcl.train.TrainConfig.DEFAULT_EVAL_BATCH;
            RankingEvaluator ev = new RankingEvaluator(HistoryMode.NEG_INF, RankingEvaluator.DEFAULT_KS, evalBatch)
                    .withThreads(evalThreads);
            ev.evaluate(model, eval.subset("warmup", new int[] {0, 1, 2}));
            long t0 = System.nanoTime();
            long c0 = EpochBenchmark.cpuNanos();
            ev.evaluate(model, eval);
            double secs = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "full evaluation pass (%s, %d users x %d items, batch %d, %d evaluation "
                    + "thread%s): %.2f s (process CPU time %.2f s, all threads)%n", eval.name(), eval.size(), items,
                    evalBatch, ev.threads(), ev.threads() == 1 ? "" : "s", secs,
                    (EpochBenchmark.cpuNanos() - c0) / 1e9);
            // a training run evaluates every epoch: later passes reuse memory the first one had to fault in
            double[] again = new double[2];
            for (int i = 0; i < again.length; i++) {
                long a0 = System.nanoTime();
                ev.evaluate(model, eval);
                again[i] = (System.nanoTime() - a0) / 1e9;
            }
            out.printf(Locale.ROOT, "  the next two passes (same process, as in training): %.2f s, %.2f s%n", again[0],
                    again[1]);
            // the same batches, scores only (encoder and item product, no ranking), to show where the pass goes
            long s0 = System.nanoTime();
            scoresOnly(model, eval, evalBatch);
            out.printf(Locale.ROOT, "  of which scores alone (encoder + item product, same batches): %.2f s%n",
                    (System.nanoTime() - s0) / 1e9);
        }
        return 0;
    }

    /**
     * Computes the score matrix of every batch of an evaluation set and discards it (the evaluator's batching).
     *
     * @param model the model
     * @param set the evaluation set
     * @param batchSize users per batch
     */
    static void scoresOnly(io.seqcl.model.SequentialRecommender model, EvalSet set, int batchSize) {
        io.seqcl.nn.Devices.noGradOnThisThread();
        for (int start = 0; start < set.size(); start += batchSize) {
            int end = Math.min(set.size(), start + batchSize);
            Batch b = Batch.ofHistories(Arrays.copyOfRange(set.inputs(), start, end),
                    Arrays.copyOfRange(set.users(), start, end), model.inputSpec().maxLen(),
                    model.inputSpec().padding());
            try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
                model.scoreAll(b).getShape();
            }
        }
    }

    /**
     * FLOPs (2 per multiply-add) of one training step: per-token projections and feed-forward, attention products
     * and last-position scores, forward plus backward (x3). environment/bench/sasrec_step_torch.py uses the same
     * formula.
     *
     * @param b batch size
     * @param t length
     * @param d width
     * @param rows score rows
     * @param layers blocks
     * @param inner feed-forward width
     * @return FLOPs
     */
    public static double stepFlops(int b, int t, int d, int rows, int layers, int inner) {
        double tokens = (double) b * t;
        double perToken = 2.0 * (4.0 * d * d + 2.0 * d * inner);
        double attention = 2.0 * 2.0 * b * t * (double) t * d;
        double scores = 2.0 * b * d * (double) rows;
        return 3 * (layers * (tokens * perToken + attention) + scores);
    }

    private static double matmulRate(ai.djl.ndarray.NDManager parent, int b, int t, int d, int rows, int inner) {
        long[][] shapes = {{(long) b * t, d, d}, {(long) b * t, d, d}, {(long) b * t, d, d}, {(long) b * t, d, d},
            {(long) b * t, d, inner}, {(long) b * t, inner, d}, {b, d, rows}};
        try (ai.djl.ndarray.NDManager m = parent.newSubManager()) {
            ai.djl.ndarray.NDArray[][] mats = new ai.djl.ndarray.NDArray[shapes.length][];
            double flops = 0;
            for (int i = 0; i < shapes.length; i++) {
                long[] s = shapes[i];
                mats[i] = new ai.djl.ndarray.NDArray[] {m.randomNormal(new ai.djl.ndarray.types.Shape(s[0], s[1])),
                    m.randomNormal(new ai.djl.ndarray.types.Shape(s[1], s[2]))};
                flops += 2.0 * s[0] * s[1] * s[2];
            }
            double best = Double.MAX_VALUE;
            for (int r = 0; r < 6; r++) {
                long t0 = System.nanoTime();
                for (ai.djl.ndarray.NDArray[] xy : mats) {
                    xy[0].matMul(xy[1]).close();
                }
                if (r > 0) {
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                }
            }
            return flops / best / 1e9;
        }
    }

    private static Batch randomBatch(SplittableRandom rng, int batch, int len, int items) {
        int[][] x = new int[batch][len];
        int[][] y = new int[batch][len];
        int[] lengths = new int[batch];
        int[] users = new int[batch];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < len; t++) {
                x[b][t] = 1 + rng.nextInt(items);
            }
            y[b][len - 1] = 1 + rng.nextInt(items);
            lengths[b] = len;
            users[b] = b;
        }
        return new Batch(x, y, null, lengths, users, Padding.RIGHT);
    }

    private static EvalSet evalSet(SplittableRandom rng, int users, int len, int items) {
        if (items == 12101 && Datasets.isAvailable("beauty")) {
            SequenceDataset ds = Datasets.load("beauty");
            return LeaveOneOutSplit.of(ds).test();
        }
        int[][] in = new int[users][];
        int[] t = new int[users];
        int[] u = new int[users];
        for (int i = 0; i < users; i++) {
            int n = 4 + rng.nextInt(len);
            in[i] = new int[n];
            for (int j = 0; j < n; j++) {
                in[i][j] = 1 + rng.nextInt(items);
            }
            t[i] = 1 + rng.nextInt(items);
            u[i] = i;
        }
        return new EvalSet("random", u, in, t);
    }
}
