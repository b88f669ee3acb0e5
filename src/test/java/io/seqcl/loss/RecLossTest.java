package io.seqcl.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecLossTest {

    private static double softplus(double x) {
        return Math.log1p(Math.exp(x));
    }

    @Test
    void fullSoftmaxMatchesHandComputation() {
        try (NDManager m = NDManager.newBaseManager()) {
            // table rows: pad, item1, item2, item3 (d = 2)
            NDArray table = m.create(new float[] {5, 5, 1, 0, 0, 1, 1, 1}, new Shape(4, 2));
            NDArray h = m.create(new float[] {1, 2, -1, 0}, new Shape(2, 2));
            // logits row0: pad 15, 1, 2, 3 ; row1: pad -5, -1, 0, -1
            double l0 = -(3 - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)));          // target 3
            double l1 = -(0 - Math.log(Math.exp(-1) + Math.exp(0) + Math.exp(-1)));         // target 2
            double expected = (l0 + l1) / 2;
            double got = new FullSoftmaxCrossEntropy().compute(h, table, new long[] {3, 2}, null).getFloat();
            assertEquals(expected, got, 1e-5);
            double withPad0 = -(3 - Math.log(Math.exp(15) + Math.exp(1) + Math.exp(2) + Math.exp(3)));
            double withPad1 = -(0 - Math.log(Math.exp(-5) + Math.exp(-1) + Math.exp(0) + Math.exp(-1)));
            double gotPad = new FullSoftmaxCrossEntropy(true).compute(h, table, new long[] {3, 2}, null).getFloat();
            assertEquals((withPad0 + withPad1) / 2, gotPad, 1e-4);
            // a target 200 logits below the best: its probability underflows in float32, the loss must not
            NDArray far = m.create(new float[] {0, 0, 100, 0, 0, 0}, new Shape(3, 2));
            NDArray h2 = m.create(new float[] {2, 0}, new Shape(1, 2));
            assertEquals(200.0, new FullSoftmaxCrossEntropy().compute(h2, far, new long[] {2}, null).getFloat(), 1e-3);
        }
    }

    /**
     * The loss from the gathered target probabilities ({@code -log p_t}) and the exact {@code lse - l_t} agree on
     * random logits of a realistic scale, and a batch with one underflowing target takes the exact path.
     */
    @Test
    void targetProbabilityShortcutAgreesWithTheExactLossAndFallsBackOnUnderflow() {
        try (NDManager m = NDManager.newBaseManager()) {
            Random rnd = new Random(11);
            int k = 64;
            int n = 500;
            float[] lv = new float[k * n];
            for (int i = 0; i < lv.length; i++) {
                lv[i] = (float) (4 * rnd.nextGaussian());
            }
            long[] t = new long[k];
            for (int i = 0; i < k; i++) {
                t[i] = rnd.nextInt(n);
            }
            NDArray logits = m.create(lv, new Shape(k, n));
            NDArray p = logits.softmax(1);
            NDArray idx = m.create(t);
            double fast = FullSoftmaxCrossEntropy.meanNegLog(logits, p, targetProbabilities(p, idx, k), idx, k).getFloat();
            double exact = FullSoftmaxCrossEntropy.exactMeanNegLog(logits, p, idx, k).getFloat();
            double plain = -logits.logSoftmax(1).gather(idx.reshape(k, 1), 1).mean().getFloat();
            assertEquals(exact, fast, 1e-5 * exact);
            assertEquals(plain, fast, 1e-5 * plain);
            assertTrue(fast > 3, "a realistic loss, not a degenerate one: " + fast);
            // one row's target 300 logits below its best: p_t underflows, the loss must still be exact
            lv[0] = 300f;
            t[0] = 1;
            lv[1] = 0f;
            NDArray l2 = m.create(lv, new Shape(k, n));
            NDArray p2 = l2.softmax(1);
            NDArray idx2 = m.create(t);
            double got = FullSoftmaxCrossEntropy.meanNegLog(l2, p2, targetProbabilities(p2, idx2, k), idx2, k).getFloat();
            double want = -l2.logSoftmax(1).gather(idx2.reshape(k, 1), 1).mean().getFloat();
            assertTrue(want > 300.0 / k, "row 0 alone adds 300/k: " + want);
            assertEquals(want, got, 1e-5 * want);
        }
    }

    private static NDArray targetProbabilities(NDArray p, NDArray idx, int k) {
        return p.gather(idx.reshape(k, 1), 1).reshape(k);
    }

    @Test
    void sampledBceMatchesHandComputation() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray table = m.create(new float[] {0, 0, 1, 0, 0, 1, 1, 1}, new Shape(4, 2));
            NDArray h = m.create(new float[] {1, 2, -1, 0}, new Shape(2, 2));
            // row0: pos item3 (3), neg item1 (1); row1: pos item1 (-1), neg item2 (0)
            double expected = ((softplus(-3) + softplus(1)) + (softplus(1) + softplus(0))) / 2;
            double got = new SampledBinaryCrossEntropy().compute(h, table, new long[] {3, 1}, new long[] {1, 2})
                    .getFloat();
            assertEquals(expected, got, 1e-5);
        }
    }

    /**
     * The closed-form gradient of the full-softmax cross-entropy ({@link FullSoftmaxCrossEntropy#meanNegLogSoftmax})
     * equals autograd's gradient of the plain formula {@code -mean(logSoftmax(h E^T)[t])}, for both padding-row
     * variants, a repeated target, and a nonlinear function of the loss (the value carries the gradient's chain rule).
     */
    @Test
    void fullSoftmaxGradientsEqualAutogradOfThePlainFormula() {
        for (int k : new int[] {7, 70}) {
            checkAgainstAutograd(k);
        }
    }

    private static void checkAgainstAutograd(int k) {
        Random rnd = new Random(3 + k);
        int rows = 13;
        int d = 5;
        float[] hv = gaussian(rnd, k * d);
        float[] tv = gaussian(rnd, rows * d);
        // the first seven fixed (a repeated target and both ends of the table), the rest drawn
        long[] targets = java.util.Arrays.copyOf(new long[] {3, 12, 1, 3, 7, 5, 3}, k);
        for (int i = 7; i < k; i++) {
            targets[i] = 1 + rnd.nextInt(rows - 1);
        }
        for (boolean pad : new boolean[] {false, true}) {
            for (int f = 0; f < 2; f++) {
                float[][] fused = grads(hv, tv, k, rows, d, targets, pad, false, f);
                float[][] plain = grads(hv, tv, k, rows, d, targets, pad, true, f);
                String at = "k " + k + ", pad " + pad + ", f " + f;
                assertEquals(plain[2][0], fused[2][0], 1e-5 * Math.abs(plain[2][0]), "loss value, " + at);
                for (int a = 0; a < 2; a++) {
                    double scale = maxAbs(plain[a]);
                    assertTrue(scale > 1e-3, "reference gradient is not zero");
                    for (int i = 0; i < plain[a].length; i++) {
                        assertEquals(plain[a][i], fused[a][i], 1e-5 * scale,
                                (a == 0 ? "dL/dh" : "dL/dE") + "[" + i + "], " + at);
                    }
                }
            }
        }
    }

    /** {h grad, table grad, {loss}} of f(L): f 0 is L, f 1 is L^2 + 3L. */
    private static float[][] grads(float[] hv, float[] tv, int k, int rows, int d, long[] targets, boolean pad,
                                   boolean plain, int f) {
        return gradients(hv, tv, k, rows, d, f, (h, table) -> {
            if (!plain) {
                return new FullSoftmaxCrossEntropy(pad).compute(h, table, targets, null);
            }
            NDArray t = pad ? table : table.get(new NDIndex("1:"));
            long[] cols = targets.clone();
            for (int i = 0; i < cols.length && !pad; i++) {
                cols[i]--;
            }
            return h.matMul(t.transpose()).logSoftmax(1).gather(h.getManager().create(cols, new Shape(k, 1)), 1)
                    .mean().neg();
        });
    }

    /** A scalar loss of the hidden states and the table. */
    private interface LossOf {
        NDArray apply(NDArray h, NDArray table);
    }

    /**
     * {h grad, table grad, {loss}} of f(loss) for {@code h [k, d]} and a table {@code [rows, d]}, both requiring a
     * gradient; f 0 is the loss, f 1 is L^2 + 3L.
     */
    private static float[][] gradients(float[] hv, float[] tv, int k, int rows, int d, int f, LossOf lossOf) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray h = m.create(hv, new Shape(k, d));
            NDArray table = m.create(tv, new Shape(rows, d));
            h.setRequiresGradient(true);
            table.setRequiresGradient(true);
            float value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = lossOf.apply(h, table);
                value = loss.getFloat();
                gc.backward(f == 0 ? loss : loss.mul(loss).add(loss.mul(3)));
            }
            return new float[][] {h.getGradient().toFloatArray(), table.getGradient().toFloatArray(), {value}};
        }
    }

    /**
     * {@link RecLoss#computeFrozenTable} gives the value and the gradient for {@code h} of {@link RecLoss#compute},
     * and nothing to the table, even when the table array requires a gradient; with {@code compute} the same table
     * gets a non-zero gradient (so the check on it can fail). Both losses: the hand-formed full softmax (which skips
     * the table's product) and the autograd sampled BCE (the interface's default, a detached table).
     */
    @Test
    void frozenTableGivesTheSameLossAndHiddenGradientAndNoTableGradient() {
        Random rnd = new Random(11);
        int k = 9;
        int rows = 17;
        int d = 6;
        float[] hv = gaussian(rnd, k * d);
        float[] tv = gaussian(rnd, rows * d);
        long[] targets = new long[k];
        long[] negatives = new long[k];
        for (int i = 0; i < k; i++) {
            targets[i] = 1 + rnd.nextInt(rows - 1);
            negatives[i] = 1 + rnd.nextInt(rows - 1);
        }
        for (RecLoss loss : new RecLoss[] {new FullSoftmaxCrossEntropy(), new FullSoftmaxCrossEntropy(true),
                new SampledBinaryCrossEntropy()}) {
            float[][] full = lossGrads(loss, false, hv, tv, k, rows, d, targets, negatives);
            float[][] frozen = lossGrads(loss, true, hv, tv, k, rows, d, targets, negatives);
            assertEquals(full[2][0], frozen[2][0], 1e-6 * Math.abs(full[2][0]), loss + ": loss value");
            double hScale = maxAbs(full[0]);
            double tScale = maxAbs(full[1]);
            assertTrue(hScale > 1e-3 && tScale > 1e-3, loss + ": reference gradients are not zero");
            for (int i = 0; i < full[0].length; i++) {
                assertEquals(full[0][i], frozen[0][i], 1e-6 * hScale, loss + ": dL/dh[" + i + "]");
            }
            for (int i = 0; i < frozen[1].length; i++) {
                assertEquals(0f, frozen[1][i], 0f, loss + ": the frozen table got a gradient at [" + i + "]");
            }
        }
    }

    /** {h grad, table grad, {loss}} of {@code compute} or {@code computeFrozenTable}; the table requires a gradient. */
    private static float[][] lossGrads(RecLoss loss, boolean frozen, float[] hv, float[] tv, int k, int rows, int d,
                                       long[] targets, long[] negatives) {
        return gradients(hv, tv, k, rows, d, 0, (h, table) -> frozen
                ? loss.computeFrozenTable(h, table, targets, negatives) : loss.compute(h, table, targets, negatives));
    }

    /**
     * The full-softmax cross-entropy gives the same loss and gradients with {@link io.seqcl.nn.WideThreads} on (2
     * threads around it, from 1) as off, on a loss large enough to be widened, and the count is back at 1 after it.
     */
    @Test
    void fullSoftmaxGivesTheSameLossAndGradientsWithWideThreadsOnAndOff() {
        int k = 1024;
        int n = 8200; // k x n just above WideThreads.MIN_ENTRIES
        int d = 16;
        assertTrue((long) k * n >= io.seqcl.nn.WideThreads.MIN_ENTRIES, "the loss must be large enough to be widened");
        Random rnd = new Random(5);
        float[] hv = gaussian(rnd, k * d);
        float[] tv = gaussian(rnd, n * d);
        long[] cols = new long[k];
        for (int i = 0; i < k; i++) {
            cols[i] = rnd.nextInt(n);
        }
        Engine.getInstance();
        int before = JniUtils.getNumThreads();
        float[][][] out = new float[2][][];
        try {
            JniUtils.setNumThreads(1);
            for (int wide : new int[] {0, 2}) {
                io.seqcl.nn.WideThreads.set(wide);
                out[wide / 2] = gradients(hv, tv, k, n, d, 0,
                        (h, table) -> FullSoftmaxCrossEntropy.meanNegLogSoftmax(h, table, cols));
                assertEquals(1, JniUtils.getNumThreads(), "the count is restored after the loss, wide " + wide);
            }
        } finally {
            io.seqcl.nn.WideThreads.set(0);
            JniUtils.setNumThreads(before);
        }
        float[][] off = out[0];
        float[][] on = out[1];
        assertEquals(off[2][0], on[2][0], 1e-5 * Math.abs(off[2][0]), "loss");
        for (int a = 0; a < 2; a++) {
            double scale = maxAbs(off[a]);
            assertTrue(scale > 1e-4);
            for (int i = 0; i < off[a].length; i++) {
                assertEquals(off[a][i], on[a][i], 1e-5 * scale, (a == 0 ? "dL/dh[" : "dL/dE[") + i + "]");
            }
        }
    }

    /** {@code n} standard normal draws. */
    private static float[] gaussian(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
