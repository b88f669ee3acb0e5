package io.seqcl.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GRU layer against baselines.md section 3's closed forms, and the fused engine GRU against the cell. */
class GruTest {

    private static final float[] IDENTITY_2 = {1, 0, 0, 1};

    /** A 2->2 GRU without biases whose weights are all zero except the named blocks. */
    private static Gru zeroGru(Params p) {
        Gru g = new Gru(p, "gru", 2, 2, false, Gru.Init.XAVIER_UNIFORM, false, new SplittableRandom(1));
        g.weightIh().set(new float[12]);
        g.weightHh().set(new float[12]);
        return g;
    }

    /** Sets one 2x2 gate block (0 = r, 1 = z, 2 = n) of W_ih. */
    private static void setIhBlock(Gru g, int gate, float[] block) {
        float[] w = g.weightIh().toFloatArray();
        System.arraycopy(block, 0, w, gate * 4, 4);
        g.weightIh().set(w);
    }

    private static float[] run(Params p, Gru g, float[] xs, int steps) {
        NDArray x = p.manager().create(xs, new Shape(1, steps, 2));
        return g.forward(x).toFloatArray();
    }

    @Test
    void closedFormWithOnlyTheCandidateInputWeight() {
        try (Params p = new Params()) {
            Gru g = zeroGru(p);
            setIhBlock(g, 2, IDENTITY_2);
            // x1 = (1, 0), x2 = (0, 0): h1 = 1/2 tanh 1, h2 = h1 / 2 (z = 1/2, n = 0)
            float[] h = run(p, g, new float[] {1, 0, 0, 0}, 2);
            assertArrayEquals(new float[] {0.380797f, 0, 0.190399f, 0}, h, 1e-6f);
        }
    }

    @Test
    void allZeroWeightsKeepTheStateAtZero() {
        try (Params p = new Params()) {
            Gru g = zeroGru(p);
            float[] h = run(p, g, new float[] {1, 2, -3, 4, 5, -6}, 3);
            assertArrayEquals(new float[6], h, 0f);
        }
    }

    @Test
    void gateOrderIsResetUpdateCandidate() {
        try (Params p = new Params()) {
            Gru g = zeroGru(p);
            setIhBlock(g, 2, IDENTITY_2);
            setIhBlock(g, 1, new float[] {10, 0, 0, 10});
            // the second block is the update gate z: h1 = (1 - sigma(10)) tanh 1; swapping r and z gives 0.380797
            float[] h = run(p, g, new float[] {1, 0}, 1);
            // float32 cancellation in 1 - sigma(10) costs ~1e-8 here; 1e-7 still separates it from 0.38
            assertEquals(3.4575e-5, h[0], 1e-7);
            assertEquals(0, h[1], 0f);
            // the first block is the reset gate, which scales W_hn h: with x = 0 and W_ir x = +-10 it decides
            // whether the previous state reaches the candidate
            try (Params p2 = new Params()) {
                Gru r = zeroGru(p2);
                float[] hh = new float[12];
                hh[8] = 1;
                hh[11] = 1; // W_hn = I
                r.weightHh().set(hh);
                setIhBlock(r, 0, new float[] {-10, 0, 0, -10});
                NDArray h0 = p2.manager().create(new float[] {1, 0}, new Shape(1, 2));
                NDArray x = p2.manager().create(new float[] {1, 0}, new Shape(1, 1, 2));
                // r = sigma(-10) ~ 0 kills W_hn h0, z = 1/2: h1 = 1/2 tanh(sigma(-10)) + 1/2 h0
                float[] out = r.forwardExplicit(x, h0, null).toFloatArray();
                double expected = 0.5 * Math.tanh(1 / (1 + Math.exp(10))) + 0.5;
                assertEquals(expected, out[0], 1e-6);
            }
        }
    }

    @Test
    void biasesEnterAsInPyTorch() {
        try (Params p = new Params()) {
            Gru g = new Gru(p, "g", 1, 1, true, Gru.Init.PYTORCH_DEFAULT, false, new SplittableRandom(2));
            // W_ih = (a_r, a_z, a_n), W_hh = (c_r, c_z, c_n), b_ih, b_hh; one step from h0 = 0.4, x = 0.7
            float[] wi = {0.3f, -0.2f, 0.5f};
            float[] wh = {0.1f, 0.4f, -0.6f};
            float[] bi = {0.05f, -0.1f, 0.2f};
            float[] bh = {-0.3f, 0.25f, 0.15f};
            g.weightIh().set(wi);
            g.weightHh().set(wh);
            g.biasIh().set(bi);
            g.biasHh().set(bh);
            double x = 0.7;
            double h = 0.4;
            double r = sigma(wi[0] * x + bi[0] + wh[0] * h + bh[0]);
            double z = sigma(wi[1] * x + bi[1] + wh[1] * h + bh[1]);
            double n = Math.tanh(wi[2] * x + bi[2] + r * (wh[2] * h + bh[2]));
            double expected = (1 - z) * n + z * h;
            NDArray in = p.manager().create(new float[] {(float) x}, new Shape(1, 1, 1));
            NDArray h0 = p.manager().create(new float[] {(float) h}, new Shape(1, 1));
            assertEquals(expected, g.forwardExplicit(in, h0, null).toFloatArray()[0], 1e-6);
            assertEquals(expected, g.forwardFused(in, h0).toFloatArray()[0], 1e-6);
        }
    }

    private static double sigma(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    @Test
    void fusedEngineGruEqualsTheExplicitCellInValuesAndGradients() {
        for (boolean bias : new boolean[] {false, true}) {
            try (Params p = new Params()) {
                Gru g = new Gru(p, "g", 5, 6, bias, bias ? Gru.Init.PYTORCH_DEFAULT : Gru.Init.XAVIER_UNIFORM,
                        true, new SplittableRandom(7));
                NDArray x = VariationalHead.standardNormal(p.manager(), new Shape(4, 7, 5), new SplittableRandom(8));
                NDArray w = VariationalHead.standardNormal(p.manager(), new Shape(4, 7, 6), new SplittableRandom(9));
                float[][] explicit = valueAndGrads(p, g, x, w, false);
                float[][] fused = valueAndGrads(p, g, x, w, true);
                for (int i = 0; i < explicit.length; i++) {
                    assertArrayEquals(explicit[i], fused[i], 1e-5f, "bias " + bias + ", array " + i);
                }
                assertTrue(explicit[0].length == 4 * 7 * 6);
            }
        }
    }

    /** Outputs, then the gradients of sum(out * w) wrt every parameter. */
    private static float[][] valueAndGrads(Params p, Gru g, NDArray x, NDArray w, boolean fused) {
        List<String> names = p.names();
        float[][] out = new float[1 + names.size()][];
        p.zeroGradients();
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = fused ? g.forwardFused(x, null) : g.forwardExplicit(x, null, null);
            out[0] = y.toFloatArray();
            gc.backward(y.mul(w).sum());
        }
        for (int i = 0; i < names.size(); i++) {
            out[1 + i] = p.get(names.get(i)).getGradient().toFloatArray();
        }
        return out;
    }

    @Test
    void maskKeepsTheStateThroughLeftPadding() {
        try (Params p = new Params()) {
            Gru g = new Gru(p, "g", 3, 4, true, Gru.Init.PYTORCH_DEFAULT, false, new SplittableRandom(3));
            NDArray seq = VariationalHead.standardNormal(p.manager(), new Shape(1, 3, 3), new SplittableRandom(4));
            NDArray padded = p.manager().zeros(new Shape(1, 2, 3)).concat(seq, 1);
            NDArray mask = p.manager().create(new float[] {0, 0, 1, 1, 1}, new Shape(1, 5));
            float[] plain = g.forward(seq).toFloatArray();
            float[] masked = g.forward(padded, mask).toFloatArray();
            float[] tail = java.util.Arrays.copyOfRange(masked, 2 * 4, 5 * 4);
            assertArrayEquals(plain, tail, 1e-6f);
            assertArrayEquals(new float[8], java.util.Arrays.copyOfRange(masked, 0, 8), 0f);
        }
    }

    @Test
    void parametersHavePyTorchLayoutAndInitBounds() {
        try (Params p = new Params()) {
            new Gru(p, "rec", 64, 128, false, Gru.Init.XAVIER_UNIFORM, true, new SplittableRandom(5));
            assertEquals(List.of("rec.weight_ih", "rec.weight_hh"), p.names());
            assertEquals(new Shape(384, 64), p.get("rec.weight_ih").getShape());
            assertEquals(new Shape(384, 128), p.get("rec.weight_hh").getShape());
            double bound = Math.sqrt(6.0 / (384 + 64));
            float[] w = p.get("rec.weight_ih").toFloatArray();
            double max = 0;
            double sq = 0;
            for (float v : w) {
                max = Math.max(max, Math.abs(v));
                sq += v * v;
            }
            assertTrue(max <= bound && max > 0.95 * bound, "max |w| " + max + " vs bound " + bound);
            // the variance of U(-a, a) is a^2 / 3
            assertEquals(bound * bound / 3, sq / w.length, 0.05 * bound * bound / 3);
        }
        try (Params p = new Params()) {
            new Gru(p, "d", 3, 16, true, Gru.Init.PYTORCH_DEFAULT, false, new SplittableRandom(5));
            assertEquals(List.of("d.weight_ih", "d.weight_hh", "d.bias_ih", "d.bias_hh"), p.names());
            for (String n : p.names()) {
                for (float v : p.get(n).toFloatArray()) {
                    assertTrue(Math.abs(v) <= 0.25f, n);
                }
            }
        }
    }

    @Test
    void wrongInputWidthNamesTheShape() {
        try (Params p = new Params()) {
            Gru g = new Gru(p, "g", 3, 4, false, Gru.Init.XAVIER_UNIFORM, false, new SplittableRandom(3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> g.forward(p.manager().zeros(new Shape(2, 5, 4))));
            assertTrue(e.getMessage().contains("[B, T, 3]"), e.getMessage());
        }
    }
}
