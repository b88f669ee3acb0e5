package io.seqcl.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The target accessors of {@link Batch} on hand-made batches with both padding sides. */
class BatchTest {

    @Test
    void lastTargetsAndNegativesReadTheLastRealPositionOnBothSides() {
        // right padding: rows of length 2 and 3
        Batch right = new Batch(new int[][] {{4, 5, 0, 0}, {1, 2, 3, 0}},
                new int[][] {{0, 9, 0, 0}, {0, 0, 7, 0}}, new int[][] {{0, 11, 0, 0}, {0, 0, 12, 0}},
                new int[] {2, 3}, new int[] {0, 1}, Padding.RIGHT);
        assertArrayEquals(new long[] {9, 7}, right.lastTargets());
        assertArrayEquals(new long[] {11, 12}, right.lastNegatives());
        // left padding: the last real position is T - 1
        Batch left = new Batch(new int[][] {{0, 0, 4, 5}}, new int[][] {{0, 0, 0, 8}}, null, new int[] {2},
                new int[] {0}, Padding.LEFT);
        assertArrayEquals(new long[] {8}, left.lastTargets());
        assertNull(left.lastNegatives());
    }

    @Test
    void targetSlotsListEveryTargetPositionInRowMajorOrder() {
        Batch all = new Batch(new int[][] {{1, 2, 3, 0}, {0, 0, 5, 6}},
                new int[][] {{2, 3, 4, 0}, {0, 0, 6, 7}}, new int[][] {{20, 30, 40, 0}, {0, 0, 60, 70}},
                new int[] {3, 2}, new int[] {0, 1}, Padding.RIGHT);
        Batch.TargetSlots s = all.targetSlots();
        assertEquals(5, s.size());
        assertArrayEquals(new int[] {0, 0, 0, 1, 1}, s.rows());
        assertArrayEquals(new int[] {0, 1, 2, 2, 3}, s.positions());
        assertArrayEquals(new long[] {2, 3, 4, 6, 7}, s.targets());
        assertArrayEquals(new long[] {20, 30, 40, 60, 70}, s.negatives());
        assertArrayEquals(new long[] {0, 1, 2, 6, 7}, s.flatIndices(4));
    }

    @Test
    void scoringBatchesHaveNoTargets() {
        Batch scoring = Batch.ofHistories(new int[][] {{1, 2}}, null, 3, Padding.RIGHT);
        IllegalStateException e = assertThrows(IllegalStateException.class, scoring::lastTargets);
        assertEquals("batch has no targets (a scoring batch)", e.getMessage());
        assertThrows(IllegalStateException.class, scoring::targetSlots);
    }
}
