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
import io.seqcl.train.StepContext;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.TrainStep;

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
     * Runs the benchmark.
     *
     * @param opts options: steps, warmup, batch, len, dim, items, users, threads (libtorch intra-op threads; 0 =
     *     the engine's default), eval (0 skips the evaluation pass)
     * @param out where to print
     * @return exit code 0
     */
    public static int run(Map<String, String> opts, PrintStream out) {
        int steps = io.seqcl.cli.Main.intOpt(opts, "steps", 20);
        int warmup = io.seqcl.cli.Main.intOpt(opts, "warmup", 5);
        int batch = io.seqcl.cli.Main.intOpt(opts, "batch", 256);
        int len = io.seqcl.cli.Main.intOpt(opts, "len", 50);
        int dim = io.seqcl.cli.Main.intOpt(opts, "dim", 64);
        int items = io.seqcl.cli.Main.intOpt(opts, "items", 12101);
        int users = io.seqcl.cli.Main.intOpt(opts, "users", 22363);
        int threads = io.seqcl.cli.Main.intOpt(opts, "threads", 0);
        int evalPass = io.seqcl.cli.Main.intOpt(opts, "eval", 1);
        if (!opts.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) for bench: " + opts.keySet());
        }
        Engine engine = Engine.getInstance();
        int torchThreads = io.seqcl.nn.Devices.setThreads(threads);
        out.printf(Locale.ROOT, "engine %s %s, DJL %s, device %s, %d cores, %d libtorch intra-op thread(s)%n",
                engine.getEngineName(), engine.getVersion(), Engine.getDjlVersion(), io.seqcl.nn.Devices.current(),
                Runtime.getRuntime().availableProcessors(), torchThreads);
        SASRecConfig cfg = SASRecConfig.defaults().withMaxLen(len).withHiddenSize(dim);
        SplittableRandom rng = new SplittableRandom(7);
        try (SASRec model = new SASRec(items, cfg, 7)) {
            TrainStep step = model.newTrainStep(TrainConfig.defaults());
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
            RankingEvaluator ev = new RankingEvaluator(HistoryMode.NEG_INF, RankingEvaluator.DEFAULT_KS, 256);
            ev.evaluate(model, eval.subset("warmup", new int[] {0, 1, 2}));
            long t0 = System.nanoTime();
            ev.evaluate(model, eval);
            double secs = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "full evaluation pass (%s, %d users x %d items, batch 256): %.2f s%n",
                    eval.name(), eval.size(), items, secs);
        }
        return 0;
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
