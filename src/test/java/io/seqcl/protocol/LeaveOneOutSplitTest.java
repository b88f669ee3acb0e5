package io.seqcl.protocol;

import io.seqcl.TestData;
import io.seqcl.data.SequenceDataset;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LeaveOneOutSplitTest {

    @Test
    void lastItemIsTestSecondLastIsValidAndTestInputIncludesValidItem() {
        LeaveOneOutSplit s = LeaveOneOutSplit.of(TestData.tiny());
        assertEquals(3, s.numUsers());
        assertArrayEquals(new int[] {1, 2, 3, 4}, s.trainSequence(0));
        assertArrayEquals(new int[] {1, 2, 3, 4}, s.valid().inputs()[0]);
        assertEquals(5, s.valid().targets()[0]);
        assertArrayEquals(new int[] {1, 2, 3, 4, 5}, s.test().inputs()[0]);
        assertEquals(6, s.test().targets()[0]);
        assertArrayEquals(new int[] {7, 8}, s.trainSequence(1));
        assertEquals(9, s.valid().targets()[1]);
        assertEquals(10, s.test().targets()[1]);
        assertArrayEquals(new int[] {2, 4, 6, 8, 10, 3}, s.test().inputs()[2]);
    }

    @Test
    void trainCountsUseOnlyTrainingParts() {
        long[] c = LeaveOneOutSplit.of(TestData.tiny()).trainItemCounts();
        // user1 1..4, user2 7 8, user3 2 4 6 8 10
        assertArrayEquals(new long[] {0, 1, 2, 1, 2, 0, 1, 1, 2, 0, 1}, c);
    }

    @Test
    void shortUsersAreDroppedAndCounted() {
        SequenceDataset d = new SequenceDataset("d", new int[] {1, 2}, new int[][] {{1, 2}, {1, 2, 3}}, 3, "t", null);
        LeaveOneOutSplit s = LeaveOneOutSplit.of(d);
        assertEquals(1, s.numUsers());
        assertEquals(1, s.droppedUsers());
        SequenceDataset tooShort = new SequenceDataset("d", new int[] {1}, new int[][] {{1, 2}}, 3, "t", null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LeaveOneOutSplit.of(tooShort));
        assertEquals(true, e.getMessage().contains("at least 3"));
    }
}
