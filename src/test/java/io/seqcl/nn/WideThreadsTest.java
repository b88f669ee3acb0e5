package io.seqcl.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.seqcl.loss.FullSoftmaxCrossEntropy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WideThreads}: the thread count inside and after the wrapped work, the validation of the setting, and the
 * cross-entropy it wraps giving the same loss and gradients with the switch on as off.
 */
class WideThreadsTest {

    private int before;

    @BeforeEach
    void oneThread() {
        Engine.getInstance();
        before = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
    }

    @AfterEach
    void restore() {
        WideThreads.set(0);
        JniUtils.setNumThreads(before);
    }

    @Test
    void raisesTheCountInsideTheWorkAndRestoresItAfterwardsAlsoOnAnException() {
        WideThreads.set(3);
        assertEquals(3, WideThreads.run(WideThreads.MIN_ENTRIES, JniUtils::getNumThreads), "inside the wrapped work");
        assertEquals(1, JniUtils.getNumThreads(), "after it");
        assertThrows(IllegalStateException.class, () -> WideThreads.run(WideThreads.MIN_ENTRIES, () -> {
            throw new IllegalStateException("fails inside");
        }));
        assertEquals(1, JniUtils.getNumThreads(), "after an exception");
        // below the size threshold, off, or not above the current count: nothing is changed
        assertEquals(1, WideThreads.run(WideThreads.MIN_ENTRIES - 1, JniUtils::getNumThreads));
        WideThreads.set(0);
        assertEquals(1, WideThreads.run(WideThreads.MIN_ENTRIES, JniUtils::getNumThreads));
        JniUtils.setNumThreads(2);
        WideThreads.set(2);
        assertEquals(2, WideThreads.run(WideThreads.MIN_ENTRIES, JniUtils::getNumThreads));
        assertEquals(2, JniUtils.getNumThreads());
    }

    @Test
    void badSettingsAreRefusedNamingTheProperty() {
        assertEquals(0, WideThreads.parse(null));
        assertEquals(0, WideThreads.parse(" "));
        assertEquals(2, WideThreads.parse(" 2 "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WideThreads.parse("two"));
        assertTrue(e.getMessage().contains("-Dseqcl.wideThreads=two"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WideThreads.parse("-1"));
        assertThrows(IllegalArgumentException.class, () -> WideThreads.set(-1));
        // the property is read on first use, and a bad value fails there with the message, not in class loading
        try {
            System.setProperty(WideThreads.PROPERTY, "two");
            WideThreads.reread();
            IllegalArgumentException p = assertThrows(IllegalArgumentException.class, WideThreads::get);
            assertTrue(p.getMessage().contains("-Dseqcl.wideThreads=two"), p.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> WideThreads.run(WideThreads.MIN_ENTRIES, JniUtils::getNumThreads));
            System.setProperty(WideThreads.PROPERTY, "2");
            assertEquals(2, WideThreads.get());
        } finally {
            System.clearProperty(WideThreads.PROPERTY);
            WideThreads.reread();
        }
        assertEquals(0, WideThreads.get());
    }

    @Test
    void crossEntropyGivesTheSameLossAndGradientsWithTheSwitchOnAndOff() {
        float[][] off = crossEntropy(0);
        float[][] on = crossEntropy(2);
        assertEquals(off[2][0], on[2][0], 1e-5 * Math.abs(off[2][0]), "loss");
        for (int a = 0; a < 2; a++) {
            double scale = 0;
            for (float v : off[a]) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(scale > 1e-4);
            for (int i = 0; i < off[a].length; i++) {
                assertEquals(off[a][i], on[a][i], 1e-5 * scale, (a == 0 ? "dL/dh[" : "dL/dE[") + i + "]");
            }
        }
    }

    /** {h grad, table grad, {loss}} of the full-softmax cross-entropy at the given wide thread count. */
    private static float[][] crossEntropy(int wide) {
        assertTrue(1024L * 8200 >= WideThreads.MIN_ENTRIES, "the loss must be large enough to be widened");
        WideThreads.set(wide);
        Random rnd = new Random(5);
        int k = 1024;
        int n = 8200; // k x n just above WideThreads.MIN_ENTRIES
        int d = 16;
        try (NDManager m = NDManager.newBaseManager()) {
            float[] hv = new float[k * d];
            float[] tv = new float[n * d];
            for (int i = 0; i < hv.length; i++) {
                hv[i] = (float) rnd.nextGaussian();
            }
            for (int i = 0; i < tv.length; i++) {
                tv[i] = (float) rnd.nextGaussian() * 0.3f;
            }
            long[] cols = new long[k];
            for (int i = 0; i < k; i++) {
                cols[i] = rnd.nextInt(n);
            }
            NDArray h = m.create(hv, new Shape(k, d));
            NDArray t = m.create(tv, new Shape(n, d));
            h.setRequiresGradient(true);
            t.setRequiresGradient(true);
            float value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = FullSoftmaxCrossEntropy.meanNegLogSoftmax(h, t, cols);
                value = loss.getFloat();
                gc.backward(loss);
            }
            assertEquals(1, JniUtils.getNumThreads(), "the count is restored after the loss");
            return new float[][] {h.getGradient().toFloatArray(), t.getGradient().toFloatArray(), {value}};
        }
    }
}
