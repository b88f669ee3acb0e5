package io.seqcl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.Padding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The layout of a batch: which positions are computed, and the gathers between packed and padded states. */
class PackingTest {

    private static Batch batch(Padding padding, int[][] real, int t) {
        int[][] items = new int[real.length][];
        int[] lengths = new int[real.length];
        for (int b = 0; b < real.length; b++) {
            items[b] = Batch.pad(real[b], 0, real[b].length, t, padding);
            lengths[b] = real[b].length;
        }
        return new Batch(items, null, null, lengths, new int[real.length], padding);
    }

    @ParameterizedTest
    @EnumSource(Padding.class)
    void onlyRealPositionsArePackedAndUnpackRestoresThemWithZeroPadding(Padding padding) {
        try (NDManager m = NDManager.newBaseManager()) {
            Batch b = batch(padding, new int[][] {{1, 2}, {3}, {4, 5, 6, 7}}, 4);
            Packing p = Packing.causal(m, b, true);
            assertEquals(7, p.tokens());
            assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6, 7}, p.tokenIds());
            long[] expectPos = padding == Padding.RIGHT ? new long[] {0, 1, 0, 0, 1, 2, 3}
                    : new long[] {2, 3, 3, 0, 1, 2, 3};
            assertArrayEquals(expectPos, p.tokenPositions());
            float[] grid = new float[3 * 4];
            for (int i = 0; i < grid.length; i++) {
                grid[i] = i + 1;
            }
            NDArray x = m.create(grid).reshape(3, 4, 1);
            NDArray packed = p.pack(x);
            float[] back = p.unpack(packed).toFloatArray();
            for (int r = 0; r < 3; r++) {
                for (int q = 0; q < 4; q++) {
                    boolean real = b.items()[r][q] != 0;
                    assertEquals(real ? grid[r * 4 + q] : 0f, back[r * 4 + q], "row " + r + " position " + q);
                }
            }
            assertArrayEquals(new float[] {b.lastIndex(0) + 1, 4 + b.lastIndex(1) + 1, 8 + b.lastIndex(2) + 1},
                    p.last(packed).toFloatArray());
            assertThrows(IllegalStateException.class, () -> p.slot(1, padding == Padding.RIGHT ? 3 : 0));
        }
    }

    @ParameterizedTest
    @EnumSource(Padding.class)
    void attentionGridsGroupRowsOfSimilarLengthAndHoldEveryTokenOnce(Padding padding) {
        try (NDManager m = NDManager.newBaseManager()) {
            Batch b = batch(padding, new int[][] {{1, 2}, {3}, {4, 5, 6, 7, 8, 9, 1}}, 10);
            Packing p = Packing.causal(m, b, true);
            int cells = 0;
            for (Packing.Group g : p.groups()) {
                cells += g.rows().length * g.len();
            }
            assertEquals(2 * 2 + 7, cells, "rows of lengths 1-2 on a grid of 2, the row of length 7 on its own");
            long[] regroup = p.regroupIndex().toLongArray();
            assertEquals(p.tokens(), java.util.Arrays.stream(regroup).distinct().count());
        }
    }

    @ParameterizedTest
    @EnumSource(Padding.class)
    void rowsWhosePaddingCanMatterAreComputedInFull(Padding padding) {
        try (NDManager m = NDManager.newBaseManager()) {
            // first real item masked to 0 (its query attends over all T keys), and an ordinary row
            Batch b = batch(padding, new int[][] {{0, 2}, {3, 4}}, 5);
            assertEquals(4, Packing.causal(m, b, true).tokens(), "the masked position is not read: packed");
            assertEquals(5 + 2, Packing.causal(m, b, true, false).tokens(), "every real position is read: full row");
            int[][] targets = new int[2][5];
            targets[0][padding == Padding.RIGHT ? 0 : 3] = 7;
            Batch withTarget = new Batch(b.items(), targets, null, b.lengths(), b.users(), padding);
            assertEquals(5 + 2, Packing.causal(m, withTarget, true).tokens(), "a target at the masked position");
            Batch allMasked = batch(padding, new int[][] {{0, 0}, {3, 4}}, 5);
            assertEquals(5 + 2, Packing.causal(m, allMasked, true).tokens(), "the last position has no key");
            // a bidirectional mask only needs one nonzero real item
            assertEquals(4, Packing.bidirectional(m, b, true).tokens());
            assertEquals(10, Packing.causal(m, b, true, true).tokens(), "all positions on request");
            assertEquals(10, Packing.causal(m, b, false).tokens(), "padded layout");
            Batch empty = new Batch(new int[][] {{0, 0, 0}}, null, null, new int[] {0}, new int[1], padding);
            assertEquals(3, Packing.causal(m, empty, true).tokens(), "a row of length 0 is computed as padded");
        }
    }
}
