package io.seqcl.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.seqcl.loss.GaussianKL.Latent;
import io.seqcl.nn.Gaussian;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GaussianKLTest {

    // B = 2, T = 2, d = 3
    private static final double[] MU = {0.5, -1.0, 0.0, 0.2, 0.3, -0.4, 1.5, 0.0, 0.1, -0.7, 0.8, 0.25};
    private static final double[] LV = {0.0, 0.3, -0.5, 1.0, -1.2, 0.1, 0.0, 0.0, 0.0, 0.4, -0.2, 0.6};
    private static final double[] MASK = {0, 1, 1, 1}; // position (0,0) is padding

    /** Closed form per position: 1/2 sum_d (sigma^2 + mu^2 - 1 - ln sigma^2), or its mean over d. */
    private static double[] perPosition(double[] mu, double[] lv, boolean sum) {
        double[] kl = new double[4];
        for (int r = 0; r < 4; r++) {
            double s = 0;
            for (int k = 0; k < 3; k++) {
                int i = r * 3 + k;
                s += Math.exp(lv[i]) + mu[i] * mu[i] - 1 - lv[i];
            }
            kl[r] = 0.5 * (sum ? s : s / 3);
        }
        return kl;
    }

    private static double masked(double[] mu, double[] lv, double[] mask) {
        double[] kl = perPosition(mu, lv, true);
        double num = 0;
        double den = 0;
        for (int r = 0; r < 4; r++) {
            num += kl[r] * mask[r];
            den += mask[r];
        }
        return num / den;
    }

    private static Gaussian gaussian(NDManager m, double[] mu, double[] lv) {
        return new Gaussian(m.create(mu, new Shape(2, 2, 3)), m.create(lv, new Shape(2, 2, 3)));
    }

    @Test
    void matchesClosedFormWithAndWithoutMask() {
        try (NDManager m = NDManager.newBaseManager()) {
            Gaussian g = gaussian(m, MU, LV);
            double[] sum = perPosition(MU, LV, true);
            double[] mean = perPosition(MU, LV, false);
            assertArrayEquals(sum, new GaussianKL().perPosition(g).toDoubleArray(), 1e-12);
            assertArrayEquals(mean, new GaussianKL(Latent.MEAN).perPosition(g).toDoubleArray(), 1e-12);
            double all = (sum[0] + sum[1] + sum[2] + sum[3]) / 4;
            assertEquals(all, new GaussianKL().compute(g).getDouble(), 1e-12);
            NDArray mask = m.create(MASK, new Shape(2, 2));
            assertEquals((sum[1] + sum[2] + sum[3]) / 3, new GaussianKL().compute(g, mask).getDouble(), 1e-12);
            // an int mask works too, and float32 posteriors agree to float precision
            NDArray intMask = m.create(new int[] {0, 1, 1, 1}, new Shape(2, 2));
            assertEquals((sum[1] + sum[2] + sum[3]) / 3, new GaussianKL().compute(g, intMask).getDouble(), 1e-12);
            Gaussian g32 = new Gaussian(g.mean().toType(ai.djl.ndarray.types.DataType.FLOAT32, false),
                    g.logVar().toType(ai.djl.ndarray.types.DataType.FLOAT32, false));
            assertEquals((sum[1] + sum[2] + sum[3]) / 3, new GaussianKL().compute(g32, intMask).getFloat(), 1e-5);
            // masked rows summed over a given count (klOverSlots: the real positions over all slots)
            // (the divisor is applied in float precision)
            assertEquals((sum[1] + sum[2] + sum[3]) / 4, new GaussianKL().compute(g, mask, 4).getDouble(), 1e-7);
            // the flags' choice: every position (valid null), the valid ones' mean (slots 0), their sum over slots
            assertEquals(new GaussianKL().compute(g).getDouble(), new GaussianKL().over(g, null, 4).getDouble(), 0);
            assertEquals((sum[1] + sum[2] + sum[3]) / 3, new GaussianKL().over(g, mask, 0).getDouble(), 1e-7);
            assertEquals((sum[1] + sum[2] + sum[3]) / 4, new GaussianKL().over(g, mask, 4).getDouble(), 1e-7);
            assertEquals((sum[1] + sum[2] + sum[3]) / 10, new GaussianKL().compute(g, intMask, 10).getDouble(),
                    1e-7);
        }
    }

    @Test
    void standardNormalHasZeroKlAndEmptyMaskGivesZero() {
        try (NDManager m = NDManager.newBaseManager()) {
            Gaussian g = gaussian(m, new double[12], new double[12]);
            assertEquals(0.0, new GaussianKL().compute(g).getDouble(), 0.0);
            Gaussian h = gaussian(m, MU, LV);
            assertEquals(0.0, new GaussianKL().compute(h, m.zeros(new Shape(2, 2))).getDouble(), 0.0);
        }
    }

    @Test
    void rejectsMaskOfWrongShape() {
        try (NDManager m = NDManager.newBaseManager()) {
            Gaussian g = gaussian(m, MU, LV);
            assertThrows(IllegalArgumentException.class, () -> new GaussianKL().compute(g, m.ones(new Shape(2, 3))));
            assertThrows(IllegalArgumentException.class,
                    () -> new GaussianKL().compute(g, m.ones(new Shape(2, 3)), 6));
            assertThrows(IllegalArgumentException.class, () -> new GaussianKL().compute(g, m.ones(new Shape(2, 2)), 0));
            assertThrows(IllegalArgumentException.class, () -> new GaussianKL(null));
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        double[] gMu;
        double[] gLv;
        try (NDManager m = NDManager.newBaseManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray mu = m.create(MU, new Shape(2, 2, 3));
            NDArray lv = m.create(LV, new Shape(2, 2, 3));
            mu.setRequiresGradient(true);
            lv.setRequiresGradient(true);
            gc.backward(new GaussianKL().compute(new Gaussian(mu, lv), m.create(MASK, new Shape(2, 2))));
            gMu = mu.getGradient().toDoubleArray();
            gLv = lv.getGradient().toDoubleArray();
        }
        double h = 1e-6;
        for (int i = 0; i < 12; i++) {
            double[] p = MU.clone();
            double[] q = MU.clone();
            p[i] += h;
            q[i] -= h;
            assertEquals((masked(p, LV, MASK) - masked(q, LV, MASK)) / (2 * h), gMu[i], 1e-8, "dmu[" + i + "]");
            p = LV.clone();
            q = LV.clone();
            p[i] += h;
            q[i] -= h;
            assertEquals((masked(MU, p, MASK) - masked(MU, q, MASK)) / (2 * h), gLv[i], 1e-8, "dlv[" + i + "]");
        }
        // padding position (0,0) gets no gradient
        assertArrayEquals(new double[3], java.util.Arrays.copyOfRange(gMu, 0, 3), 0.0);
    }
}
