package io.seqcl.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VariationalHeadTest {

    @Test
    void registersMeanAndLogVarParameters() {
        try (Params p = new Params()) {
            new VariationalHead(p, "vae", 4, 0.02, new SplittableRandom(1));
            assertEquals(List.of("vae.mean.weight", "vae.mean.bias", "vae.logvar.weight", "vae.logvar.bias"), p.names());
            assertEquals(new Shape(4, 4), p.get("vae.logvar.weight").getShape());
            assertEquals(2 * (16 + 4), p.count());
        }
    }

    @Test
    void forwardIsTwoAffineMaps() {
        try (Params p = new Params()) {
            VariationalHead head = new VariationalHead(p, "v", 2, 0.02, new SplittableRandom(1));
            // y = x W^T + b with W = [out, in]
            p.get("v.mean.weight").set(new float[] {1, 2, 3, 4});
            p.get("v.mean.bias").set(new float[] {0.5f, -0.5f});
            p.get("v.logvar.weight").set(new float[] {0, 1, -1, 0});
            p.get("v.logvar.bias").set(new float[] {0.1f, 0.2f});
            NDArray h = p.manager().create(new float[] {1, -1, 2, 0.5f}, new Shape(1, 2, 2));
            Gaussian g = head.forward(h);
            assertArrayEquals(new float[] {1 - 2 + 0.5f, 3 - 4 - 0.5f, 2 + 1 + 0.5f, 6 + 2 - 0.5f},
                    g.mean().toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {-1 + 0.1f, -1 + 0.2f, 0.5f + 0.1f, -2 + 0.2f},
                    g.logVar().toFloatArray(), 1e-6f);
            assertEquals(new Shape(1, 2, 2), g.mean().getShape());
        }
    }

    @Test
    void sharedMeanProjectionGivesSameMeanAndOwnLogVar() {
        try (Params p = new Params()) {
            SplittableRandom rng = new SplittableRandom(3);
            VariationalHead view1 = new VariationalHead(p, "vae", 4, 0.5, rng);
            VariationalHead view2 = new VariationalHead(view1.meanProjection(),
                    new Dense(p, "meta.logvar", 4, 4, 0.5, rng));
            NDArray h = VariationalHead.standardNormal(p.manager(), new Shape(2, 4), new SplittableRandom(9));
            Gaussian a = view1.forward(h);
            Gaussian b = view2.forward(h);
            assertArrayEquals(a.mean().toFloatArray(), b.mean().toFloatArray(), 0f);
            assertFalse(java.util.Arrays.equals(a.logVar().toFloatArray(), b.logVar().toFloatArray()));
        }
    }

    @Test
    void reparameterizeIsMeanPlusStdTimesEps() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] mu = {0.5f, -1f, 2f};
            float[] lv = {0f, 1f, -2f};
            float[] eps = {1f, -0.5f, 0.25f};
            Gaussian g = new Gaussian(m.create(mu), m.create(lv));
            float[] z = VariationalHead.reparameterize(g, m.create(eps)).toFloatArray();
            for (int i = 0; i < 3; i++) {
                assertEquals(mu[i] + Math.exp(0.5 * lv[i]) * eps[i], z[i], 1e-6);
            }
            assertArrayEquals(new float[] {1f, (float) Math.exp(0.5), (float) Math.exp(-1)}, g.std().toFloatArray(), 1e-6f);
            // zero noise gives the mean (the inference latent)
            assertArrayEquals(mu, VariationalHead.reparameterize(g, m.zeros(new Shape(3))).toFloatArray(), 0f);
            assertThrows(IllegalArgumentException.class, () -> VariationalHead.reparameterize(g, m.zeros(new Shape(2))));
            assertThrows(IllegalArgumentException.class, () -> new Gaussian(m.zeros(new Shape(3)), m.zeros(new Shape(1, 3))));
        }
    }

    @Test
    void reparameterizeGradients() {
        try (NDManager m = NDManager.newBaseManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray mu = m.create(new float[] {0.5f, -1f});
            NDArray lv = m.create(new float[] {0.4f, -0.6f});
            mu.setRequiresGradient(true);
            lv.setRequiresGradient(true);
            float[] eps = {0.3f, -2f};
            gc.backward(VariationalHead.reparameterize(new Gaussian(mu, lv), m.create(eps)).sum());
            assertArrayEquals(new float[] {1f, 1f}, mu.getGradient().toFloatArray(), 1e-6f);
            float[] expected = {(float) (0.5 * Math.exp(0.2) * 0.3), (float) (0.5 * Math.exp(-0.3) * -2)};
            assertArrayEquals(expected, lv.getGradient().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void standardNormalIsSeededJavaNoise() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape s = new Shape(2, 3);
            float[] a = VariationalHead.standardNormal(m, s, new SplittableRandom(42)).toFloatArray();
            float[] b = VariationalHead.standardNormal(m, s, new SplittableRandom(42)).toFloatArray();
            float[] c = VariationalHead.standardNormal(m, s, new SplittableRandom(43)).toFloatArray();
            assertArrayEquals(a, b, 0f);
            assertFalse(java.util.Arrays.equals(a, c));
            SplittableRandom r = new SplittableRandom(42);
            for (float v : a) {
                assertEquals((float) r.nextGaussian(), v, 0f);
            }
            NDArray e = VariationalHead.standardNormal(m, s, new SplittableRandom(1));
            assertEquals(s, e.getShape());
            assertFalse(e.hasGradient());
        }
    }

    @Test
    void sampleUsesTheStreamAndMatchesReparameterize() {
        try (NDManager m = NDManager.newBaseManager()) {
            Gaussian g = new Gaussian(m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2)),
                    m.create(new float[] {0, -1, 1, 0.5f}, new Shape(2, 2)));
            float[] z = VariationalHead.sample(g, new SplittableRandom(5)).toFloatArray();
            NDArray eps = VariationalHead.standardNormal(m, new Shape(2, 2), new SplittableRandom(5));
            assertArrayEquals(VariationalHead.reparameterize(g, eps).toFloatArray(), z, 0f);
        }
    }
}
