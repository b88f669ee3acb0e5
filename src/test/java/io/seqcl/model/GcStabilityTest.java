package io.seqcl.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.Padding;
import io.seqcl.optim.StepContext;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Garbage collection between forward and backward must not change the gradients.
 *
 * <p>Regression test: DJL's {@code Number} overloads ({@code x.div(8f)}) create scalars whose Java-owned
 * buffers the GC may free while the autograd graph still holds them; before {@code Ops.scalar} replaced them,
 * this test saw gradients of 8e12 and NaN at the first repetition.
 */
class GcStabilityTest {

    @Test
    void gradientsDoNotDependOnGarbageCollection() {
        SplittableRandom r = new SplittableRandom(3);
        int bsz = 128;
        int t = 20;
        int n = 300;
        int[][] x = new int[bsz][t];
        int[][] y = new int[bsz][t];
        int[] len = new int[bsz];
        for (int b = 0; b < bsz; b++) {
            len[b] = 2 + r.nextInt(t - 1);
            for (int i = 0; i < len[b]; i++) {
                x[b][i] = 1 + r.nextInt(n);
            }
            y[b][len[b] - 1] = 1 + r.nextInt(n);
        }
        Batch batch = new Batch(x, y, null, len, new int[bsz], Padding.RIGHT);
        try (SASRec m = new SASRec(n, SASRecConfig.defaults().withMaxLen(t).withWidth(32).withDropout(0.0), 1)) {
            float[] ref = null;
            for (int rep = 0; rep < 20; rep++) {
                try (NDScope s = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = m.loss(batch, new StepContext(1, 1, new SplittableRandom(1)));
                    for (int i = 0; i < 3; i++) {
                        System.gc();
                        byte[][] junk = new byte[200][];
                        for (int j = 0; j < junk.length; j++) {
                            junk[j] = new byte[1 << 16];
                        }
                    }
                    gc.backward(loss);
                }
                float[] g;
                try (NDArray gg = m.params().get(SASRec.ITEM_EMBEDDING).getGradient()) {
                    g = gg.toFloatArray();
                }
                m.params().zeroGradients();
                if (ref == null) {
                    ref = g;
                } else {
                    assertArrayEquals(ref, g, "repetition " + rep + " differs (NaN: "
                            + (Arrays.toString(g).contains("NaN")) + ")");
                }
            }
        }
    }
}
