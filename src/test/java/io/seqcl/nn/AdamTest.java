package io.seqcl.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AdamTest {

    private static void backwardSquare(Params p) {
        try (NDScope s = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray w = p.get("w");
            gc.backward(w.square().sum()); // gradient 2w
        }
    }

    @Test
    void twoStepsMatchTheClosedForm() {
        try (Params p = new Params()) {
            p.add("w", new float[] {1f, -2f}, 2);
            Adam adam = new Adam(p, List.of("w"), 0.1, 0.9, 0.999, 1e-8, 0.0);
            double[] w = {1, -2};
            double[] m = new double[2];
            double[] v = new double[2];
            for (int t = 1; t <= 2; t++) {
                backwardSquare(p);
                adam.step();
                for (int i = 0; i < 2; i++) {
                    double g = 2 * w[i];
                    m[i] = 0.9 * m[i] + 0.1 * g;
                    v[i] = 0.999 * v[i] + 0.001 * g * g;
                    double mh = m[i] / (1 - Math.pow(0.9, t));
                    double vh = v[i] / (1 - Math.pow(0.999, t));
                    w[i] -= 0.1 * mh / (Math.sqrt(vh) + 1e-8);
                }
            }
            float[] got = p.get("w").toFloatArray();
            assertEquals(w[0], got[0], 1e-5);
            assertEquals(w[1], got[1], 1e-5);
            // the step zeroed the gradient
            assertArrayEquals(new float[] {0f, 0f}, p.get("w").getGradient().toFloatArray());
        }
    }

    @Test
    void stateRoundTripsExactly() {
        try (Params p = new Params(); Params q = new Params()) {
            p.add("w", new float[] {1f, -2f}, 2);
            q.add("w", new float[] {1f, -2f}, 2);
            Adam a = Adam.of(p, List.of("w"), 0.01);
            Adam b = Adam.of(q, List.of("w"), 0.01);
            backwardSquare(p);
            a.step();
            Map<String, float[]> s = a.state();
            b.loadState(s);
            q.restore(p.snapshot());
            backwardSquare(p);
            a.step();
            backwardSquare(q);
            b.step();
            assertArrayEquals(p.get("w").toFloatArray(), q.get("w").toFloatArray());
            assertEquals(2, b.steps());
        }
    }

    @Test
    void adamWTwoStepsMatchTheClosedFormWithDecoupledDecay() {
        try (Params p = new Params()) {
            p.add("w", new float[] {1f, -2f}, 2);
            double lr = 0.1;
            double wd = 0.5;
            Adam adam = new Adam(OptimizerKind.ADAMW, p, List.of("w"), lr, 0.9, 0.999, 1e-8, wd);
            double[] w = {1, -2};
            double[] m = new double[2];
            double[] v = new double[2];
            for (int t = 1; t <= 2; t++) {
                backwardSquare(p);
                adam.step();
                for (int i = 0; i < 2; i++) {
                    double g = 2 * w[i]; // the raw gradient: the decay does not enter the moments
                    w[i] *= 1 - lr * wd;
                    m[i] = 0.9 * m[i] + 0.1 * g;
                    v[i] = 0.999 * v[i] + 0.001 * g * g;
                    double mh = m[i] / (1 - Math.pow(0.9, t));
                    double vh = v[i] / (1 - Math.pow(0.999, t));
                    w[i] -= lr * mh / (Math.sqrt(vh) + 1e-8);
                }
            }
            float[] got = p.get("w").toFloatArray();
            assertEquals(w[0], got[0], 1e-5);
            assertEquals(w[1], got[1], 1e-5);
            assertArrayEquals(new float[] {0f, 0f}, p.get("w").getGradient().toFloatArray());
        }
    }

    @Test
    void adamWDiffersFromCoupledL2Adam() {
        // with the same weight decay, coupled L2 (Adam) and decoupled decay (AdamW) give different weights
        try (Params p = new Params(); Params q = new Params()) {
            p.add("w", new float[] {1f, -2f}, 2);
            q.add("w", new float[] {1f, -2f}, 2);
            Adam coupled = new Adam(OptimizerKind.ADAM, p, List.of("w"), 0.1, 0.9, 0.999, 1e-8, 0.5);
            Adam decoupled = new Adam(OptimizerKind.ADAMW, q, List.of("w"), 0.1, 0.9, 0.999, 1e-8, 0.5);
            backwardSquare(p);
            coupled.step();
            backwardSquare(q);
            decoupled.step();
            // Adam step 1 is sign(g) * lr whatever the L2 term: w0 = 1 - 0.1; AdamW: 1 * 0.95 - 0.1
            assertEquals(0.9, p.get("w").toFloatArray()[0], 1e-6);
            assertEquals(0.85, q.get("w").toFloatArray()[0], 1e-6);
        }
    }

    @Test
    void sgdStepMatchesTheClosedFormWithCoupledDecay() {
        try (Params p = new Params()) {
            p.add("w", new float[] {1f, -2f}, 2);
            double lr = 0.1;
            double wd = 0.3;
            Adam sgd = new Adam(OptimizerKind.SGD, p, List.of("w"), lr, 0.9, 0.999, 1e-8, wd);
            double[] w = {1, -2};
            for (int t = 1; t <= 2; t++) {
                backwardSquare(p);
                sgd.step();
                for (int i = 0; i < 2; i++) {
                    w[i] -= lr * (2 * w[i] + wd * w[i]);
                }
            }
            float[] got = p.get("w").toFloatArray();
            assertEquals(w[0], got[0], 1e-6);
            assertEquals(w[1], got[1], 1e-6);
            assertEquals((1 - 0.1 * 2.3) * (1 - 0.1 * 2.3), got[0], 1e-6); // w0 = 1 shrinks by 1 - lr (2 + wd) per step
            assertArrayEquals(new float[] {0f, 0f}, p.get("w").getGradient().toFloatArray());
            assertEquals(2, sgd.steps());
            assertEquals(List.of("t"), List.copyOf(sgd.state().keySet()));
        }
    }

    @Test
    void explicitAdamKindIsBitIdenticalToTheDefaultConstructor() {
        try (Params p = new Params(); Params q = new Params()) {
            p.add("w", new float[] {0.3f, -1.7f, 2.2f}, 3);
            q.add("w", new float[] {0.3f, -1.7f, 2.2f}, 3);
            Adam a = new Adam(p, List.of("w"), 0.01, 0.9, 0.98, 1e-8, 1e-3);
            Adam b = new Adam(OptimizerKind.ADAM, q, List.of("w"), 0.01, 0.9, 0.98, 1e-8, 1e-3);
            for (int t = 0; t < 5; t++) {
                backwardSquare(p);
                a.step();
                backwardSquare(q);
                b.step();
            }
            assertArrayEquals(p.get("w").toFloatArray(), q.get("w").toFloatArray());
        }
    }

    /** Three parameters of different shapes with distinct gradients: 2a, 3b^2 and exp(c). */
    private static void backwardMixed(Params p) {
        try (NDScope s = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = p.get("a").square().sum().add(p.get("b").pow(3).sum()).add(p.get("c").exp().sum());
            gc.backward(loss);
        }
    }

    private static Params mixed(boolean withFrozen) {
        Params p = new Params();
        p.add("a", new float[] {0.5f, -1.25f, 2f, 0.1f, -0.3f, 0.7f}, 2, 3);
        p.add("b", new float[] {0.2f, -0.4f, 1.1f}, 3);
        p.add("c", new float[] {-0.6f, 0.05f, 0.33f, -1.2f}, 2, 2);
        if (withFrozen) {
            p.add("frozen", new float[] {3f, 4f}, 2);
            p.setTrainable(n -> n.equals("frozen"), false);
        }
        return p;
    }

    @Test
    void groupUpdateOverConcatenatedGradientsIsBitIdenticalToPerParameterUpdates() {
        for (OptimizerKind kind : new OptimizerKind[] {OptimizerKind.ADAM, OptimizerKind.ADAMW}) {
            for (double wd : new double[] {0.0, 0.05}) {
                // p: every parameter has a gradient (one update over the whole group); q: a frozen parameter in the
                // group makes every step update the others one by one
                try (Params p = mixed(false); Params q = mixed(true)) {
                    Adam a = new Adam(kind, p, List.of("a", "b", "c"), 0.05, 0.9, 0.98, 1e-8, wd);
                    Adam b = new Adam(kind, q, List.of("a", "frozen", "b", "c"), 0.05, 0.9, 0.98, 1e-8, wd);
                    for (int t = 0; t < 6; t++) {
                        backwardMixed(p);
                        a.step();
                        backwardMixed(q);
                        b.step();
                    }
                    String what = kind + " wd " + wd;
                    for (String n : List.of("a", "b", "c")) {
                        assertArrayEquals(q.get(n).toFloatArray(), p.get(n).toFloatArray(), 0f, what + ": " + n);
                        assertArrayEquals(b.state().get("m/" + n), a.state().get("m/" + n), 0f, what + ": m/" + n);
                        assertArrayEquals(b.state().get("v/" + n), a.state().get("v/" + n), 0f, what + ": v/" + n);
                        assertArrayEquals(new float[(int) p.get(n).size()], p.get(n).getGradient().toFloatArray());
                    }
                    assertArrayEquals(new float[] {3f, 4f}, q.get("frozen").toFloatArray(), what);
                    assertArrayEquals(new float[2], b.state().get("m/frozen"), what);
                    // and the update moved the weights (a test of equality alone would pass with no update at all)
                    org.junit.jupiter.api.Assertions.assertNotEquals(0.5f, p.get("a").toFloatArray()[0], what);
                }
            }
        }
    }

    @Test
    void groupStateRoundTripsIntoAFreshOptimizer() {
        try (Params p = mixed(false); Params q = mixed(false)) {
            Adam a = Adam.of(p, List.of("a", "b", "c"), 0.02);
            for (int t = 0; t < 3; t++) {
                backwardMixed(p);
                a.step();
            }
            q.restore(p.snapshot());
            Adam b = Adam.of(q, List.of("a", "b", "c"), 0.02);
            b.loadState(a.state());
            assertEquals(3, b.steps());
            for (int t = 0; t < 2; t++) {
                backwardMixed(p);
                a.step();
                backwardMixed(q);
                b.step();
            }
            for (String n : List.of("a", "b", "c")) {
                assertArrayEquals(p.get(n).toFloatArray(), q.get(n).toFloatArray(), 0f, n);
            }
            Map<String, float[]> bad = new java.util.LinkedHashMap<>(a.state());
            bad.put("m/b", new float[2]);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> b.loadState(bad));
            assertEquals("optimizer state does not match parameter 'b'", e.getMessage());
        }
    }
}
