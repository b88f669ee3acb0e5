package io.seqcl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.Padding;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link Pooling#FLATTEN}: vec(H) position-major, with or without the padding rows (baselines.md §1.2). */
class PoolingFlattenTest {

    @Test
    void flattenIsPositionMajorAndKeepsOrZeroesPaddingRows() {
        try (NDManager m = NDManager.newBaseManager()) {
            // B = 2, T = 3, d = 2, left padding; row 0 has 2 real items (position 0 is padding)
            Batch b = new Batch(new int[][] {{0, 4, 5}, {1, 2, 3}}, null, null, new int[] {2, 3}, new int[] {0, 1},
                    Padding.LEFT);
            NDArray h = m.create(new float[] {1, -1, 2, -2, 3, -3, 11, -11, 12, -12, 13, -13}, new Shape(2, 3, 2));
            NDArray all = Pooling.FLATTEN.poolAllPositions(h);
            assertEquals(new Shape(2, 6), all.getShape());
            assertArrayEquals(new float[] {1, -1, 2, -2, 3, -3, 11, -11, 12, -12, 13, -13}, all.toFloatArray(), 0f);
            NDArray real = Pooling.FLATTEN.pool(h, b);
            assertArrayEquals(new float[] {0, 0, 2, -2, 3, -3, 11, -11, 12, -12, 13, -13}, real.toFloatArray(), 0f);
        }
    }
}
