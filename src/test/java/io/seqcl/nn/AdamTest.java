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
}
