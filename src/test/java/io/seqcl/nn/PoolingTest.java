package io.seqcl.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.Padding;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PoolingTest {

    // B = 2, T = 3, d = 2; row 0 has 2 real items, row 1 has 3
    private static Batch batch(Padding padding) {
        int[][] items = padding == Padding.RIGHT ? new int[][] {{4, 5, 0}, {1, 2, 3}} : new int[][] {{0, 4, 5}, {1, 2, 3}};
        return new Batch(items, null, null, new int[] {2, 3}, new int[] {0, 1}, padding);
    }

    private static NDArray states(NDManager m) {
        // h[b][t] = (10b + t + 1, -(10b + t + 1)) with a large value so a stray padding term would show
        return m.create(new float[] {1, -1, 2, -2, 3, -3, 11, -11, 12, -12, 13, -13}, new Shape(2, 3, 2));
    }

    @Test
    void rightPadding() {
        try (NDManager m = NDManager.newBaseManager()) {
            Batch b = batch(Padding.RIGHT);
            NDArray h = states(m);
            assertArrayEquals(new float[] {3, -3, 36, -36}, Pooling.SUM.pool(h, b).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {1.5f, -1.5f, 12, -12}, Pooling.MEAN.pool(h, b).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {2, -2, 13, -13}, Pooling.LAST.pool(h, b).toFloatArray(), 0f);
            assertArrayEquals(new float[] {1, 1, 0, 1, 1, 1}, PositionMask.fromLengths(m, b).toFloatArray(), 0f);
            assertArrayEquals(new float[] {1, 1, 0, 1, 1, 1}, PositionMask.fromItems(m, b.items()).toFloatArray(), 0f);
        }
    }

    @Test
    void leftPadding() {
        try (NDManager m = NDManager.newBaseManager()) {
            Batch b = batch(Padding.LEFT);
            NDArray h = states(m);
            assertArrayEquals(new float[] {5, -5, 36, -36}, Pooling.SUM.pool(h, b).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {2.5f, -2.5f, 12, -12}, Pooling.MEAN.pool(h, b).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {3, -3, 13, -13}, Pooling.LAST.pool(h, b).toFloatArray(), 0f);
            assertArrayEquals(new float[] {0, 1, 1, 1, 1, 1}, PositionMask.fromLengths(m, b).toFloatArray(), 0f);
        }
    }

    @Test
    void allPositionsIncludePadding() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray h = states(m);
            assertArrayEquals(new float[] {6, -6, 36, -36}, Pooling.SUM.poolAllPositions(h).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {2, -2, 12, -12}, Pooling.MEAN.poolAllPositions(h).toFloatArray(), 1e-5f);
            assertArrayEquals(new float[] {3, -3, 13, -13}, Pooling.LAST.poolAllPositions(h).toFloatArray(), 0f);
        }
    }

    @Test
    void emptyRowPoolsToZeroAndBadInputsAreRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            Batch b = new Batch(new int[][] {{0, 0, 0}, {1, 2, 3}}, null, null, new int[] {0, 3}, new int[] {0, 1},
                    Padding.RIGHT);
            for (Pooling p : Pooling.values()) {
                float[] out = p.pool(states(m), b).toFloatArray();
                assertArrayEquals(new float[] {0, 0}, new float[] {out[0], out[1]}, 0f, p.name());
            }
            assertThrows(IllegalArgumentException.class, () -> Pooling.SUM.pool(m.zeros(new Shape(2, 4, 2)), b));
            Batch bad = new Batch(new int[][] {{1, 2, 3}}, null, null, new int[] {4}, new int[] {0}, Padding.RIGHT);
            assertThrows(IllegalArgumentException.class, () -> Pooling.SUM.pool(m.zeros(new Shape(1, 3, 2)), bad));
        }
    }

    @Test
    void gradientReachesOnlyPooledPositions() {
        for (Padding pad : Padding.values()) {
            try (NDManager m = NDManager.newBaseManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray h = states(m);
                h.setRequiresGradient(true);
                gc.backward(Pooling.MEAN.pool(h, batch(pad)).sum());
                float[] g = h.getGradient().toFloatArray();
                float third = 1f / 3;
                float[] expected = pad == Padding.RIGHT
                        ? new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0, 0, third, third, third, third, third, third}
                        : new float[] {0, 0, 0.5f, 0.5f, 0.5f, 0.5f, third, third, third, third, third, third};
                assertArrayEquals(expected, g, 1e-6f, pad.name());
            }
        }
    }
}
