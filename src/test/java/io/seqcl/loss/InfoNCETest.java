package io.seqcl.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.seqcl.loss.InfoNCE.Negatives;
import io.seqcl.loss.InfoNCE.Similarity;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InfoNCETest {

    private static final double[][] Z1 = {{1.0, 0.5}, {-0.3, 0.8}, {0.2, -1.1}};
    private static final double[][] Z2 = {{0.7, 0.9}, {-0.6, 0.1}, {0.4, -0.5}};

    private static double sim(double[] a, double[] b, Similarity s) {
        double dot = a[0] * b[0] + a[1] * b[1];
        if (s == Similarity.DOT) {
            return dot;
        }
        return dot / (Math.hypot(a[0], a[1]) * Math.hypot(b[0], b[1]));
    }

    /** -log(e^pos / (e^pos + sum e^neg)) for one anchor, in plain doubles. */
    private static double term(double[] anchor, double[] positive, List<double[]> negs, Similarity s, double tau) {
        double pos = sim(anchor, positive, s) / tau;
        double denom = Math.exp(pos);
        for (double[] n : negs) {
            denom += Math.exp(sim(anchor, n, s) / tau);
        }
        return -(pos - Math.log(denom));
    }

    /** The loss written out row by row from the definitions in cl4srec_duorec.md §2 and metasgcl.md §4. */
    private static double reference(double[][] z1, double[][] z2, Negatives neg, Similarity s, double tau) {
        int b = z1.length;
        double total = 0;
        int rows = 0;
        for (int i = 0; i < b; i++) {
            List<double[]> negs = new ArrayList<>();
            for (int j = 0; j < b; j++) {
                if (j == i) {
                    continue;
                }
                if (neg == Negatives.BOTH_VIEWS || neg == Negatives.SAME_VIEW) {
                    negs.add(z1[j]);
                }
                if (neg == Negatives.BOTH_VIEWS || neg == Negatives.CROSS_VIEW) {
                    negs.add(z2[j]);
                }
            }
            total += term(z1[i], z2[i], negs, s, tau);
            rows++;
        }
        if (neg == Negatives.BOTH_VIEWS) {
            for (int i = 0; i < b; i++) {
                List<double[]> negs = new ArrayList<>();
                for (int j = 0; j < b; j++) {
                    if (j != i) {
                        negs.add(z1[j]);
                        negs.add(z2[j]);
                    }
                }
                total += term(z2[i], z1[i], negs, s, tau);
                rows++;
            }
        }
        return total / rows;
    }

    private static double[] flat(double[][] z) {
        double[] f = new double[z.length * z[0].length];
        for (int i = 0; i < z.length; i++) {
            System.arraycopy(z[i], 0, f, i * z[0].length, z[0].length);
        }
        return f;
    }

    private static double run(InfoNCE loss, NDManager m, double[][] z1, double[][] z2) {
        NDArray a = m.create(flat(z1), new Shape(z1.length, 2));
        NDArray b = m.create(flat(z2), new Shape(z2.length, 2));
        return loss.compute(a, b).getDouble();
    }

    @Test
    void matchesHandComputationForEverySchemeAndSimilarity() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (Negatives neg : Negatives.values()) {
                for (Similarity s : Similarity.values()) {
                    for (double tau : new double[] {1.0, 0.5}) {
                        InfoNCE loss = new InfoNCE(tau, s, neg);
                        double expected = reference(Z1, Z2, neg, s, tau);
                        assertEquals(expected, run(loss, m, Z1, Z2), 1e-12, neg + " " + s + " tau " + tau);
                        // float32 inputs give the same value to float precision
                        NDArray a = m.create(flat(Z1), new Shape(3, 2)).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
                        NDArray b = m.create(flat(Z2), new Shape(3, 2)).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
                        assertEquals(expected, loss.compute(a, b).getFloat(), 1e-5, neg + " " + s + " float32");
                    }
                }
            }
        }
    }

    @Test
    void referenceHelperMatchesWrittenOutRow() {
        // checks the reference helper itself on one fully written-out row: view 1 row 0, dot, tau 1
        double pos = 1.0 * 0.7 + 0.5 * 0.9;                                      // z1_0 . z2_0 = 1.15
        double[] negs = {-0.3 + 0.4, 0.2 - 0.55, -0.6 + 0.05, 0.4 - 0.25};       // z1_1, z1_2, z2_1, z2_2
        double denom = Math.exp(pos);
        for (double n : negs) {
            denom += Math.exp(n);
        }
        double row0 = -(pos - Math.log(denom));
        List<double[]> list = List.of(Z1[1], Z1[2], Z2[1], Z2[2]);
        double ref = term(Z1[0], Z2[0], list, Similarity.DOT, 1.0);
        assertEquals(row0, ref, 1e-12);
    }

    @Test
    void defaultsAreDotTemperatureOneBothViews() {
        InfoNCE d = new InfoNCE();
        assertEquals(1.0, d.temperature());
        assertEquals(Similarity.DOT, d.similarity());
        assertEquals(Negatives.BOTH_VIEWS, d.negatives());
    }

    @Test
    void rejectsBadTemperatureWithClearMessage() {
        for (double t : new double[] {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new InfoNCE(t, Similarity.DOT, Negatives.BOTH_VIEWS));
            assertTrue(e.getMessage().contains("temperature"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new InfoNCE(1.0, null, Negatives.BOTH_VIEWS));
    }

    @Test
    void rejectsMismatchedViews() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class,
                    () -> new InfoNCE().compute(m.zeros(new Shape(3, 2)), m.zeros(new Shape(2, 2))));
        }
    }

    @Test
    void singleRowHasNoNegativesAndZeroLoss() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (Negatives neg : Negatives.values()) {
                assertEquals(0.0, run(new InfoNCE(1.0, Similarity.DOT, neg), m, new double[][] {{1, 2}},
                        new double[][] {{3, 4}}), 1e-12, neg.name());
            }
        }
    }

    @Test
    void groupsRemoveSameTargetNegatives() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(flat(Z1), new Shape(3, 2));
            NDArray b = m.create(flat(Z2), new Shape(3, 2));
            InfoNCE loss = new InfoNCE();
            // rows 0 and 1 share a target: each loses the other as negative; row 2 keeps both
            double got = loss.compute(a, b, new long[] {7, 7, 9}).getDouble();
            double expected = (term(Z1[0], Z2[0], List.of(Z1[2], Z2[2]), Similarity.DOT, 1)
                    + term(Z1[1], Z2[1], List.of(Z1[2], Z2[2]), Similarity.DOT, 1)
                    + term(Z1[2], Z2[2], List.of(Z1[0], Z2[0], Z1[1], Z2[1]), Similarity.DOT, 1)
                    + term(Z2[0], Z1[0], List.of(Z1[2], Z2[2]), Similarity.DOT, 1)
                    + term(Z2[1], Z1[1], List.of(Z1[2], Z2[2]), Similarity.DOT, 1)
                    + term(Z2[2], Z1[2], List.of(Z1[0], Z2[0], Z1[1], Z2[1]), Similarity.DOT, 1)) / 6;
            assertEquals(expected, got, 1e-12);
            // distinct groups = plain in-batch negatives
            assertEquals(loss.compute(a, b).getDouble(), loss.compute(a, b, new long[] {1, 2, 3}).getDouble(), 1e-15);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        for (Negatives neg : Negatives.values()) {
            for (Similarity s : Similarity.values()) {
                InfoNCE loss = new InfoNCE(0.5, s, neg);
                double[] f1 = flat(Z1);
                double[] f2 = flat(Z2);
                double[] g1;
                double[] g2;
                try (NDManager m = NDManager.newBaseManager();
                     GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray a = m.create(f1, new Shape(3, 2));
                    NDArray b = m.create(f2, new Shape(3, 2));
                    a.setRequiresGradient(true);
                    b.setRequiresGradient(true);
                    gc.backward(loss.compute(a, b));
                    g1 = a.getGradient().toDoubleArray();
                    g2 = b.getGradient().toDoubleArray();
                }
                double h = 1e-6;
                for (int k = 0; k < 6; k++) {
                    double[] p = f1.clone();
                    double[] q = f1.clone();
                    p[k] += h;
                    q[k] -= h;
                    double num = (reference(unflat(p), Z2, neg, s, 0.5) - reference(unflat(q), Z2, neg, s, 0.5)) / (2 * h);
                    assertEquals(num, g1[k], 1e-7, neg + " " + s + " dz1[" + k + "]");
                    p = f2.clone();
                    q = f2.clone();
                    p[k] += h;
                    q[k] -= h;
                    num = (reference(Z1, unflat(p), neg, s, 0.5) - reference(Z1, unflat(q), neg, s, 0.5)) / (2 * h);
                    assertEquals(num, g2[k], 1e-7, neg + " " + s + " dz2[" + k + "]");
                }
            }
        }
    }

    private static double[][] unflat(double[] f) {
        return new double[][] {{f[0], f[1]}, {f[2], f[3]}, {f[4], f[5]}};
    }
}
