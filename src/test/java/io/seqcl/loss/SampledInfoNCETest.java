package io.seqcl.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Sampled-negative InfoNCE: closed forms written out by hand, the reference formula, and finite differences. */
class SampledInfoNCETest {

    private static final double[] POS = {1.0, -0.5};
    private static final double[][] NEG = {{0.2, -1.0, 0.5}, {0.0, 0.3, -0.2}};
    private static final double[][] P = {{0.5, 0.25, 0.25}, {0.2, 0.3, 0.5}};

    /** Mean over rows of -log(e^pos / (e^pos + sum_j w_j e^neg_j)) in plain doubles. */
    private static double reference(double[] pos, double[][] neg, double[][] w) {
        double total = 0;
        for (int b = 0; b < pos.length; b++) {
            double denom = Math.exp(pos[b]);
            for (int j = 0; j < neg[b].length; j++) {
                denom += w[b][j] * Math.exp(neg[b][j]);
            }
            total += -(pos[b] - Math.log(denom));
        }
        return total / pos.length;
    }

    private static double[][] weights(SampledInfoNCE loss, double[][] p) {
        double[][] w = new double[p.length][p[0].length];
        for (int b = 0; b < p.length; b++) {
            for (int j = 0; j < p[b].length; j++) {
                w[b][j] = switch (loss.weighting()) {
                    case NONE -> 1;
                    case TIMES_K -> loss.k();
                    case HARDNESS -> loss.k() * p[b].length * p[b][j];
                };
            }
        }
        return w;
    }

    private static double[] flat(double[][] m) {
        double[] f = new double[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, f, i * m[0].length, m[0].length);
        }
        return f;
    }

    private static double[][] unflat(double[] f, int cols) {
        double[][] m = new double[f.length / cols][cols];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(f, i * cols, m[i], 0, cols);
        }
        return m;
    }

    private static double[][] log(double[][] p) {
        double[][] l = new double[p.length][p[0].length];
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < p[i].length; j++) {
                l[i][j] = Math.log(p[i][j]);
            }
        }
        return l;
    }

    private static double value(SampledInfoNCE loss, double[] pos, double[][] neg, double[][] logp) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(pos, new Shape(pos.length, 1));
            NDArray n = m.create(flat(neg), new Shape(neg.length, neg[0].length));
            NDArray r = loss.weighting() == SampledInfoNCE.Weighting.HARDNESS
                    ? loss.compute(a, n, m.create(flat(logp), new Shape(neg.length, neg[0].length)))
                    : loss.compute(a, n);
            return r.getDouble();
        }
    }

    @Test
    void writtenOutClosedForms() {
        double[] pos = {0};
        double[][] neg = {{0, 0}};
        // e^0 / (e^0 + 1 + 1) -> ln 3
        assertEquals(Math.log(3), value(SampledInfoNCE.plain(), pos, neg, null), 1e-12);
        // k = 2: 1 / (1 + 2 + 2) -> ln 5
        assertEquals(Math.log(5), value(SampledInfoNCE.timesK(2), pos, neg, null), 1e-12);
        // k = 1, N = 2, p = (0.75, 0.25): weights 1.5 and 0.5 -> 1 / (1 + 1.5 + 0.5) -> ln 3
        assertEquals(Math.log(3), value(SampledInfoNCE.hardness(1), pos, neg, log(new double[][] {{0.75, 0.25}})),
                1e-12);
        // positive logit ln 2 and one negative logit 0: 2 / (2 + 1) -> ln 1.5; a [B] positive works too
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray r = SampledInfoNCE.plain().compute(m.create(new double[] {Math.log(2)}),
                    m.create(new double[] {0}, new Shape(1, 1)));
            assertEquals(Math.log(1.5), r.getDouble(), 1e-12);
        }
    }

    @Test
    void matchesTheReferenceFormulaForEveryWeighting() {
        for (SampledInfoNCE loss : new SampledInfoNCE[] {SampledInfoNCE.plain(), SampledInfoNCE.timesK(64),
                SampledInfoNCE.hardness(64)}) {
            assertEquals(reference(POS, NEG, weights(loss, P)), value(loss, POS, NEG, log(P)), 1e-12, loss.toString());
        }
    }

    @Test
    void uniformHardnessEqualsTimesK() {
        double[][] uniform = {{1 / 3.0, 1 / 3.0, 1 / 3.0}, {1 / 3.0, 1 / 3.0, 1 / 3.0}};
        assertEquals(value(SampledInfoNCE.timesK(8), POS, NEG, null),
                value(SampledInfoNCE.hardness(8), POS, NEG, log(uniform)), 1e-12);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        for (SampledInfoNCE loss : new SampledInfoNCE[] {SampledInfoNCE.plain(), SampledInfoNCE.timesK(4),
                SampledInfoNCE.hardness(4)}) {
            boolean hard = loss.weighting() == SampledInfoNCE.Weighting.HARDNESS;
            double[] gPos;
            double[] gNeg;
            double[] gLogp = null;
            try (NDManager m = NDManager.newBaseManager();
                 GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray a = m.create(POS, new Shape(2, 1));
                NDArray n = m.create(flat(NEG), new Shape(2, 3));
                NDArray l = m.create(flat(log(P)), new Shape(2, 3));
                a.setRequiresGradient(true);
                n.setRequiresGradient(true);
                l.setRequiresGradient(true);
                gc.backward(hard ? loss.compute(a, n, l) : loss.compute(a, n));
                gPos = a.getGradient().toDoubleArray();
                gNeg = n.getGradient().toDoubleArray();
                if (hard) {
                    gLogp = l.getGradient().toDoubleArray();
                }
            }
            double h = 1e-6;
            double[][] logp = log(P);
            for (int b = 0; b < 2; b++) {
                double[] p = POS.clone();
                double[] q = POS.clone();
                p[b] += h;
                q[b] -= h;
                double num = (value(loss, p, NEG, logp) - value(loss, q, NEG, logp)) / (2 * h);
                assertEquals(num, gPos[b], 1e-7, loss + " dpos[" + b + "]");
            }
            for (int k = 0; k < 6; k++) {
                double[] p = flat(NEG);
                double[] q = flat(NEG);
                p[k] += h;
                q[k] -= h;
                double num = (value(loss, POS, unflat(p, 3), logp) - value(loss, POS, unflat(q, 3), logp)) / (2 * h);
                assertEquals(num, gNeg[k], 1e-7, loss + " dneg[" + k + "]");
                if (hard) {
                    p = flat(logp);
                    q = flat(logp);
                    p[k] += h;
                    q[k] -= h;
                    num = (value(loss, POS, NEG, unflat(p, 3)) - value(loss, POS, NEG, unflat(q, 3))) / (2 * h);
                    assertEquals(num, gLogp[k], 1e-7, loss + " dlogp[" + k + "]");
                }
            }
        }
    }

    @Test
    void misuseFailsWithAClearMessage() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray pos = m.create(new double[] {0, 0}, new Shape(2, 1));
            NDArray neg = m.create(new double[6], new Shape(2, 3));
            assertThrows(IllegalStateException.class, () -> SampledInfoNCE.hardness(2).compute(pos, neg));
            assertThrows(IllegalStateException.class, () -> SampledInfoNCE.plain().compute(pos, neg, neg));
            assertThrows(IllegalArgumentException.class, () -> SampledInfoNCE.hardness(2).compute(pos, neg,
                    m.create(new double[4], new Shape(2, 2))));
            assertThrows(IllegalArgumentException.class, () -> SampledInfoNCE.plain().compute(
                    m.create(new double[3], new Shape(3, 1)), neg));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SampledInfoNCE.timesK(0));
        assertEquals("kNeg must be > 0 and finite, got 0.0", e.getMessage());
    }
}
