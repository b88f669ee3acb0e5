package io.seqcl.protocol;

import io.seqcl.TestData;
import io.seqcl.data.SequenceDataset;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingSamplesTest {

    private static Set<String> rows(List<Batch> batches) {
        Set<String> s = new HashSet<>();
        for (Batch b : batches) {
            for (int i = 0; i < b.size(); i++) {
                s.add(Arrays.toString(b.items()[i]) + "->" + Arrays.toString(b.targets()[i]));
            }
        }
        return s;
    }

    @Test
    void prefixExpansionGivesOneSamplePerPrefixWithRightPadding() {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(TestData.tiny());
        TrainingSamples ts = new TrainingSamples(split, SampleMode.PREFIX, 3, Padding.RIGHT);
        // sum (n - 3) = 3 + 1 + 4
        assertEquals(8, ts.size());
        Set<String> got = rows(ts.epoch(100, new SplittableRandom(1), false));
        assertTrue(got.contains("[1, 0, 0]->[2, 0, 0]"));
        assertTrue(got.contains("[1, 2, 3]->[0, 0, 4]"));
        assertTrue(got.contains("[7, 0, 0]->[8, 0, 0]"));
        // window keeps the most recent 3 items before the target 10
        assertTrue(got.contains("[4, 6, 8]->[0, 0, 10]"));
        assertEquals(8, got.size());
    }

    @Test
    void leftPaddingPutsItemsAtTheEnd() {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(TestData.tiny());
        Set<String> got = rows(new TrainingSamples(split, SampleMode.PREFIX, 3, Padding.LEFT)
                .epoch(100, new SplittableRandom(1), false));
        assertTrue(got.contains("[0, 0, 1]->[0, 0, 2]"));
        assertTrue(got.contains("[0, 1, 2]->[0, 0, 3]"));
    }

    @Test
    void allPositionsGivesOneSamplePerUser() {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(TestData.tiny());
        TrainingSamples ts = new TrainingSamples(split, SampleMode.ALL_POSITIONS, 3, Padding.LEFT);
        assertEquals(3, ts.size());
        Set<String> got = rows(ts.epoch(2, new SplittableRandom(3), false));
        // user1 train 1 2 3 4: x = 1 2 3, y = 2 3 4
        assertTrue(got.contains("[1, 2, 3]->[2, 3, 4]"));
        // user2 train 7 8: x = 7, y = 8
        assertTrue(got.contains("[0, 0, 7]->[0, 0, 8]"));
        // user3 train 2 4 6 8 10: most recent 3 positions: x = 4 6 8, y = 6 8 10
        assertTrue(got.contains("[4, 6, 8]->[6, 8, 10]"));
    }

    @Test
    void lastIndexFollowsPadding() {
        Batch right = Batch.ofHistories(new int[][] {{5, 6}}, null, 4, Padding.RIGHT);
        Batch left = Batch.ofHistories(new int[][] {{5, 6}}, null, 4, Padding.LEFT);
        assertArrayEquals(new int[] {5, 6, 0, 0}, right.items()[0]);
        assertArrayEquals(new int[] {0, 0, 5, 6}, left.items()[0]);
        assertEquals(1, right.lastIndex(0));
        assertEquals(3, left.lastIndex(0));
        Batch cut = Batch.ofHistories(new int[][] {{1, 2, 3, 4, 5, 6}}, null, 4, Padding.RIGHT);
        assertArrayEquals(new int[] {3, 4, 5, 6}, cut.items()[0]);
    }

    @Test
    void shufflingIsSeededAndNegativesAvoidTheWholeSequence() {
        SequenceDataset ds = TestData.smallSynthetic();
        LeaveOneOutSplit split = LeaveOneOutSplit.of(ds);
        TrainingSamples ts = new TrainingSamples(split, SampleMode.ALL_POSITIONS, 20, Padding.LEFT);
        List<Batch> a = ts.epoch(64, new SplittableRandom(5), true);
        List<Batch> b = ts.epoch(64, new SplittableRandom(5), true);
        List<Batch> c = ts.epoch(64, new SplittableRandom(6), true);
        assertTrue(Arrays.deepEquals(a.get(0).items(), b.get(0).items()));
        assertTrue(Arrays.deepEquals(a.get(0).negatives(), b.get(0).negatives()));
        assertNotEquals(Arrays.deepToString(a.get(0).items()), Arrays.deepToString(c.get(0).items()));
        for (Batch batch : a) {
            for (int i = 0; i < batch.size(); i++) {
                Set<Integer> seen = new HashSet<>();
                for (int item : ds.sequence(batch.users()[i])) {
                    seen.add(item);
                }
                for (int t = 0; t < batch.maxLen(); t++) {
                    int neg = batch.negatives()[i][t];
                    if (batch.targets()[i][t] == 0) {
                        assertEquals(0, neg);
                    } else {
                        assertTrue(neg >= 1 && neg <= ds.numItems() && !seen.contains(neg),
                                "negative " + neg + " is in the user's sequence");
                    }
                }
            }
        }
    }

    @Test
    void storedSequencesAreNeverModified() {
        SequenceDataset ds = TestData.tiny();
        LeaveOneOutSplit split = LeaveOneOutSplit.of(ds);
        for (Batch b : new TrainingSamples(split, SampleMode.PREFIX, 3, Padding.RIGHT)
                .epoch(4, new SplittableRandom(1), false)) {
            for (int[] row : b.items()) {
                Arrays.fill(row, 99);
            }
        }
        assertArrayEquals(new int[] {1, 2, 3, 4}, split.trainSequence(0));
        assertEquals(TestData.tiny(), ds);
    }

    @Test
    void lazyEpochBuildsOnlyTheBatchesAStepCapUses() {
        SequenceDataset d = TestData.smallSynthetic();
        LeaveOneOutSplit split = LeaveOneOutSplit.of(d);
        TrainingSamples eager = new TrainingSamples(split, SampleMode.PREFIX, 20, Padding.LEFT);
        List<Batch> all = eager.epoch(16, new SplittableRandom(3), false);
        assertEquals(all.size(), eager.batchesBuilt());
        assertTrue(all.size() > 10);
        TrainingSamples lazy = new TrainingSamples(split, SampleMode.PREFIX, 20, Padding.LEFT);
        java.util.Iterator<Batch> it = lazy.lazyEpoch(16, new SplittableRandom(3), false, 3);
        assertEquals(0, lazy.batchesBuilt(), "nothing is built before it is asked for");
        for (int k = 0; k < 3; k++) {
            Batch b = it.next();
            assertEquals(k + 1, lazy.batchesBuilt());
            assertArrayEquals(all.get(k).items(), b.items(), "same shuffle: the first batches of the epoch");
            assertArrayEquals(all.get(k).targets(), b.targets());
        }
        assertTrue(!it.hasNext());
        assertEquals(3, lazy.batchesBuilt());
    }
}
