package io.seqcl.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** R (both margin forms) and NT-Xent against closed-form computations on a 3 x 2 batch. */
class ContrastiveRegularizerTest {

    private static final double[][] A = {{1.0, 0.0}, {0.5, 1.0}, {-0.3, 0.4}};
    private static final double[][] B = {{0.8, 0.2}, {0.0, 0.9}, {0.6, -0.7}};

    private static NDArray nd(NDManager m, double[][] x) {
        float[] v = new float[x.length * x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                v[i * x[0].length + j] = (float) x[i][j];
            }
        }
        return m.create(v, new Shape(x.length, x[0].length));
    }

    /** S = [a;b][a;b]^T / tau. */
    private static double[][] scores(double tau) {
        int n = 2 * A.length;
        double[][] z = new double[n][];
        for (int i = 0; i < A.length; i++) {
            z[i] = A[i];
            z[i + A.length] = B[i];
        }
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s[i][j] = (z[i][0] * z[j][0] + z[i][1] * z[j][1]) / tau;
            }
        }
        return s;
    }

    private static int partner(int r, int bsz) {
        return r < bsz ? r + bsz : r - bsz;
    }

    private static double handR(double tau, boolean rowMargins) {
        int bsz = A.length;
        int n = 2 * bsz;
        double[][] s = scores(tau);
        double minPos = Double.POSITIVE_INFINITY;
        double maxNeg = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < n; r++) {
            minPos = Math.min(minPos, s[r][partner(r, bsz)]);
            for (int j = 0; j < n; j++) {
                if (j != r && j != partner(r, bsz)) {
                    maxNeg = Math.max(maxNeg, s[r][j]);
                }
            }
        }
        double t1 = 0;
        double t2 = 0;
        for (int r = 0; r < n; r++) {
            double p = s[r][partner(r, bsz)];
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (j != r && j != partner(r, bsz)) {
                    m = Math.max(m, s[r][j]);
                }
            }
            double oMin = rowMargins ? Math.min(p, m) : Math.min(minPos, maxNeg);
            double oMax = rowMargins ? Math.max(p, m) : Math.max(minPos, maxNeg);
            t1 += Math.max(0, p - oMin);
            for (int j = 0; j < n; j++) {
                if (j != r && j != partner(r, bsz)) {
                    t2 += Math.max(0, oMax - s[r][j]);
                }
            }
        }
        return t1 / n + t2 / (n * (n - 2.0));
    }

    private static double handNtXent(double tau) {
        int bsz = A.length;
        int n = 2 * bsz;
        double[][] s = scores(tau);
        double sum = 0;
        for (int r = 0; r < n; r++) {
            double p = s[r][partner(r, bsz)];
            double denom = Math.exp(p);
            for (int j = 0; j < n; j++) {
                if (j != r && j != partner(r, bsz)) {
                    denom += Math.exp(s[r][j]);
                }
            }
            sum += -Math.log(Math.exp(p) / denom);
        }
        return sum / n;
    }

    @Test
    void rowAndBatchMarginFormsMatchTheClosedForm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = nd(m, A);
            NDArray b = nd(m, B);
            for (double tau : new double[] {1.0, 0.5}) {
                double row = new ContrastiveRegularizer(tau, ContrastiveRegularizer.Margins.ROW).compute(a, b)
                        .getFloat();
                double batch = new ContrastiveRegularizer(tau, ContrastiveRegularizer.Margins.BATCH).compute(a, b)
                        .getFloat();
                assertEquals(handR(tau, true), row, 1e-5, "ROW tau " + tau);
                assertEquals(handR(tau, false), batch, 1e-5, "BATCH tau " + tau);
                assertTrue(Math.abs(row - batch) > 1e-3, "the two forms should differ on this batch");
            }
        }
    }

    @Test
    void ntXentMatchesTheClosedFormWithTwoBMinusTwoNegatives() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (double tau : new double[] {1.0, 0.5}) {
                double v = new InfoNCE(tau, InfoNCE.Similarity.DOT, InfoNCE.Negatives.BOTH_VIEWS)
                        .compute(nd(m, A), nd(m, B)).getFloat();
                assertEquals(handNtXent(tau), v, 1e-5, "tau " + tau);
            }
        }
    }

    @Test
    void aBatchOfOneRowHasNoNegativesAndZeroRegulariser() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2}, new Shape(1, 2));
            assertEquals(0f, new ContrastiveRegularizer(1, ContrastiveRegularizer.Margins.ROW).compute(a, a)
                    .getFloat());
        }
    }

    @Test
    void validationNamesTheParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ContrastiveRegularizer(0, ContrastiveRegularizer.Margins.ROW));
        assertTrue(e.getMessage().startsWith("temperature "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ContrastiveRegularizer(1, null));
        assertTrue(e.getMessage().startsWith("margins "), e.getMessage());
    }
}
