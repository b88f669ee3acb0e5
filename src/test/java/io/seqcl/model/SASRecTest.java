package io.seqcl.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.Padding;
import io.seqcl.optim.StepContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SASRecTest {

    private static SASRecConfig tinyConfig(double dropout) {
        return SASRecConfig.defaults().withMaxLen(4).withWidth(8).withDropout(dropout);
    }

    private static float[] scores(SASRec m, int[][] hist, Padding padding) {
        try (NDScope s = new NDScope()) {
            return m.scoreAll(Batch.ofHistories(hist, null, 4, padding)).toFloatArray();
        }
    }

    private static double loss(SASRec m, Batch b) {
        try (NDScope s = new NDScope()) {
            return m.loss(b, new StepContext(1, 1, new SplittableRandom(1))).getFloat();
        }
    }

    private static Batch trainBatch() {
        int[][] items = {{1, 2, 3, 0}, {4, 5, 0, 0}};
        int[][] targets = {{0, 0, 4, 0}, {0, 6, 0, 0}};
        return new Batch(items, targets, null, new int[] {3, 2}, new int[] {0, 1}, Padding.RIGHT);
    }

    @Test
    void scoresHaveOneColumnPerItemPlusPaddingAndAreDeterministicInEvalMode() {
        try (SASRec m = new SASRec(6, tinyConfig(0.5), 3)) {
            float[] a = scores(m, new int[][] {{1, 2}, {3}}, Padding.RIGHT);
            float[] b = scores(m, new int[][] {{1, 2}, {3}}, Padding.RIGHT);
            assertEquals(2 * 7, a.length);
            assertArrayEquals(a, b);
        }
    }

    @Test
    void sameSeedSameWeightsDifferentSeedDifferentWeights() {
        try (SASRec a = new SASRec(6, tinyConfig(0.1), 3); SASRec b = new SASRec(6, tinyConfig(0.1), 3);
             SASRec c = new SASRec(6, tinyConfig(0.1), 4)) {
            assertArrayEquals(scores(a, new int[][] {{1, 2}}, Padding.RIGHT), scores(b, new int[][] {{1, 2}}, Padding.RIGHT));
            assertFalse(java.util.Arrays.equals(scores(a, new int[][] {{1, 2}}, Padding.RIGHT),
                    scores(c, new int[][] {{1, 2}}, Padding.RIGHT)));
        }
    }

    @Test
    void attentionIsCausal() {
        try (SASRec m = new SASRec(6, tinyConfig(0.0), 3)) {
            // hidden state at position 1 must not depend on the item at position 2
            Batch x = new Batch(new int[][] {{1, 2, 3, 4}}, null, null, new int[] {4}, new int[] {0}, Padding.RIGHT);
            Batch y = new Batch(new int[][] {{1, 2, 5, 6}}, null, null, new int[] {4}, new int[] {0}, Padding.RIGHT);
            try (NDScope s = new NDScope()) {
                NDArray hx = m.encode(x, false).get("0, 1");
                NDArray hy = m.encode(y, false).get("0, 1");
                assertArrayEquals(hx.toFloatArray(), hy.toFloatArray(), 1e-6f);
                assertFalse(java.util.Arrays.equals(m.encode(x, false).get("0, 3").toFloatArray(),
                        m.encode(y, false).get("0, 3").toFloatArray()));
            }
        }
    }

    @Test
    void dropoutIsActiveOnlyInTraining() {
        try (SASRec m = new SASRec(6, tinyConfig(0.5), 3)) {
            Engine.getInstance().setRandomSeed(1);
            double a = loss(m, trainBatch());
            double b = loss(m, trainBatch());
            assertTrue(a != b, "two training forwards with dropout 0.5 gave the same loss");
        }
        try (SASRec m = new SASRec(6, tinyConfig(0.0), 3)) {
            assertEquals(loss(m, trainBatch()), loss(m, trainBatch()));
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        try (SASRec m = new SASRec(6, tinyConfig(0.0), 11)) {
            Batch b = trainBatch();
            String[] names = {SASRec.ITEM_EMBEDDING, "position_embedding", "encoder.layer0.attn.q.weight",
                    "encoder.layer1.ff2.weight", "ln_in.weight"};
            float[][] analytic = new float[names.length][];
            try (NDScope s = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(m.loss(b, new StepContext(1, 1, new SplittableRandom(1))));
            }
            for (int i = 0; i < names.length; i++) {
                analytic[i] = m.params().get(names[i]).getGradient().toFloatArray();
            }
            m.params().zeroGradients();
            SplittableRandom pick = new SplittableRandom(2);
            float eps = 1e-2f;
            int checked = 0;
            for (int i = 0; i < names.length; i++) {
                NDArray w = m.params().get(names[i]);
                float[] base = w.toFloatArray();
                for (int r = 0; r < 4; r++) {
                    int j = pick.nextInt(base.length);
                    float[] plus = base.clone();
                    plus[j] += eps;
                    w.set(plus);
                    double lp = loss(m, b);
                    float[] minus = base.clone();
                    minus[j] -= eps;
                    w.set(minus);
                    double lm = loss(m, b);
                    w.set(base);
                    double numeric = (lp - lm) / (2 * eps);
                    assertEquals(numeric, analytic[i][j], 2e-3 + 2e-2 * Math.abs(numeric),
                            names[i] + "[" + j + "]");
                    checked++;
                }
            }
            assertEquals(20, checked);
            // item 5 occurs once as input and item 4 as input and target: both receive gradient; unused item 2? no:
            // the padding row 0 never receives gradient (it is masked as key and excluded from the softmax)
            float[] g0 = java.util.Arrays.copyOfRange(analytic[0], 0, 8);
            assertArrayEquals(new float[8], g0, 1e-7f);
        }
    }

}
