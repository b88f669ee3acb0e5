package io.seqcl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The causal convolution of ACVAE's encoder (baselines.md §7): closed form and causality. */
class CausalConv1dTest {

    private static final int B = 2;
    private static final int T = 7;
    private static final int IN = 3;
    private static final int OUT = 4;
    private static final int K = 5;

    private static float[] input(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[B * T * IN];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** {@code y[b, t, o] = bias[o] + sum_j sum_c W[o, c, j] x[b, t - K + 1 + j, c]}, zeros before step 0. */
    @Test
    void equalsTheDirectSumOfTorchsConv1dWithLeftPaddingKMinusOne() {
        try (Params p = new Params(); NDManager m = NDManager.newBaseManager()) {
            CausalConv1d conv = new CausalConv1d(p, "c", IN, OUT, K, new SplittableRandom(1));
            float[] x = input(2);
            float[] w = conv.weight().toFloatArray();
            float[] bias = conv.bias().toFloatArray();
            float[] y = conv.forward(m.create(x, new Shape(B, T, IN))).toFloatArray();
            double bound = 1 / Math.sqrt(IN * K);
            for (float v : w) {
                assertEquals(0, v, bound, "torch default init bound");
            }
            for (int b = 0; b < B; b++) {
                for (int t = 0; t < T; t++) {
                    for (int o = 0; o < OUT; o++) {
                        double s = bias[o];
                        for (int j = 0; j < K; j++) {
                            int src = t - K + 1 + j;
                            if (src < 0) {
                                continue;
                            }
                            for (int c = 0; c < IN; c++) {
                                s += w[(o * IN + c) * K + j] * x[(b * T + src) * IN + c];
                            }
                        }
                        assertEquals(s, y[(b * T + t) * OUT + o], 1e-5, "y[" + b + "," + t + "," + o + "]");
                    }
                }
            }
        }
    }

    @Test
    void outputAtTIsUnchangedWhenLaterInputsChange() {
        try (Params p = new Params(); NDManager m = NDManager.newBaseManager()) {
            CausalConv1d conv = new CausalConv1d(p, "c", IN, OUT, K, new SplittableRandom(1));
            float[] x = input(3);
            float[] x2 = x.clone();
            int t0 = 3;
            for (int b = 0; b < B; b++) {
                for (int t = t0 + 1; t < T; t++) {
                    for (int c = 0; c < IN; c++) {
                        x2[(b * T + t) * IN + c] += 5f;
                    }
                }
            }
            NDArray y1 = conv.forward(m.create(x, new Shape(B, T, IN)));
            NDArray y2 = conv.forward(m.create(x2, new Shape(B, T, IN)));
            float[] a = y1.toFloatArray();
            float[] c = y2.toFloatArray();
            for (int b = 0; b < B; b++) {
                for (int t = 0; t < T; t++) {
                    for (int o = 0; o < OUT; o++) {
                        int i = (b * T + t) * OUT + o;
                        if (t <= t0) {
                            assertEquals(a[i], c[i], 0f, "step " + t + " saw the future");
                        } else if (o == 0) {
                            assertNotEquals(a[i], c[i], "step " + t + " must see its own input");
                        }
                    }
                }
            }
        }
    }

    @Test
    void rejectsBadShapes() {
        try (Params p = new Params(); NDManager m = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> new CausalConv1d(p, "c", 0, 1, 1,
                    new SplittableRandom(1)));
            CausalConv1d conv = new CausalConv1d(p, "d", IN, OUT, K, new SplittableRandom(1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> conv.forward(m.zeros(new Shape(1, 4, IN + 1))));
            assertEquals(true, e.getMessage().contains("[B, T, 3]"), e.getMessage());
        }
    }
}
