package io.seqcl.protocol;

import io.seqcl.TestData;
import io.seqcl.data.SequenceDataset;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NoiseInjectionTest {

    @Test
    void insertionFollowsCoSeRecGivenTheSameRandomDraws() {
        int[] seq = {5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
        int[] before = seq.clone();
        long seed = 11;
        int[] out = NoiseInjection.insert(seq, 0.3, 40, new SplittableRandom(seed));
        assertArrayEquals(before, seq, "input untouched");
        // replay the draws by hand: k = 3 positions with replacement, then one new id per distinct position
        SplittableRandom r = new SplittableRandom(seed);
        boolean[] chosen = new boolean[10];
        for (int i = 0; i < 3; i++) {
            chosen[r.nextInt(10)] = true;
        }
        int[] expected = new int[10 + count(chosen)];
        int j = 0;
        for (int i = 0; i < 10; i++) {
            if (chosen[i]) {
                int item;
                do {
                    item = 1 + r.nextInt(40);
                } while (item >= 5 && item <= 14);
                expected[j++] = item;
            }
            expected[j++] = seq[i];
        }
        assertArrayEquals(expected, out);
        // the original items keep their order and every inserted id is new to the sequence
        int[] kept = Arrays.stream(out).filter(v -> v >= 5 && v <= 14).toArray();
        assertArrayEquals(seq, kept);
    }

    @Test
    void smallRatiosOnShortSequencesInsertNothingAndFullCataloguesFailClearly() {
        assertArrayEquals(new int[] {1, 2, 3}, NoiseInjection.insert(new int[] {1, 2, 3}, 0.2, 9,
                new SplittableRandom(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NoiseInjection.insert(new int[] {1, 2, 3}, 0.5, 3, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("all 3 items"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new NoiseInjection(1.5,
                NoiseInjection.Mode.TEST_INPUT)).getMessage().contains("noise ratio"));
    }

    @Test
    void trainHistoryModeCorruptsHistoriesKeepsTargetsAndIsSeeded() {
        SequenceDataset ds = TestData.smallSynthetic();
        int[] firstBefore = ds.sequence(0);
        LeaveOneOutSplit clean = LeaveOneOutSplit.of(ds);
        NoiseInjection n = new NoiseInjection(0.5, NoiseInjection.Mode.TRAIN_HISTORY);
        LeaveOneOutSplit a = n.split(ds, 3);
        LeaveOneOutSplit b = n.split(ds, 3);
        assertArrayEquals(firstBefore, ds.sequence(0), "stored data untouched");
        assertArrayEquals(clean.test().targets(), a.test().targets());
        assertArrayEquals(clean.valid().targets(), a.valid().targets());
        int longer = 0;
        for (int i = 0; i < clean.numUsers(); i++) {
            assertArrayEquals(a.trainSequence(i), b.trainSequence(i), "same seed, same noise");
            int[] noisy = a.trainSequence(i);
            int[] orig = clean.trainSequence(i);
            int inserted = noisy.length - orig.length;
            assertTrue(inserted >= (orig.length >= 2 ? 1 : 0) && inserted <= orig.length / 2,
                    "k = floor(0.5 n) draws give 1..k distinct insertions: " + inserted);
            if (noisy.length > orig.length) {
                longer++;
            }
            // the clean history is a subsequence of the noisy one, and the test input is the noisy history +
            // the clean validation item
            assertTrue(isSubsequence(orig, noisy));
            int[] testIn = a.test().inputs()[i];
            assertArrayEquals(noisy, Arrays.copyOf(testIn, testIn.length - 1));
            assertEquals(clean.valid().targets()[i], testIn[testIn.length - 1]);
        }
        assertTrue(longer > clean.numUsers() / 2, "most histories got noise: " + longer);
        assertNotEquals(Arrays.deepToString(a.test().inputs()),
                Arrays.deepToString(n.split(ds, 4).test().inputs()), "another seed, other noise");
    }

    @Test
    void testInputModeLeavesTrainingAndValidationCleanAndKeepsTheTargetLast() {
        SequenceDataset ds = TestData.smallSynthetic();
        LeaveOneOutSplit clean = LeaveOneOutSplit.of(ds);
        LeaveOneOutSplit s = new NoiseInjection(0.3, NoiseInjection.Mode.TEST_INPUT).split(ds, 5);
        assertArrayEquals(clean.valid().inputs()[0], s.valid().inputs()[0]);
        assertArrayEquals(clean.trainSequence(0), s.trainSequence(0));
        assertArrayEquals(clean.test().targets(), s.test().targets());
        int changed = 0;
        for (int i = 0; i < clean.numUsers(); i++) {
            int[] in = s.test().inputs()[i];
            assertTrue(isSubsequence(clean.test().inputs()[i], in));
            Set<Integer> seqItems = new HashSet<>();
            for (int v : clean.test().inputs()[i]) {
                seqItems.add(v);
            }
            seqItems.add(clean.test().targets()[i]);
            assertFalse(Arrays.stream(in).anyMatch(v -> v == 0));
            if (in.length > clean.test().inputs()[i].length) {
                changed++;
            }
        }
        assertTrue(changed > clean.numUsers() / 2);
        assertEquals(LeaveOneOutSplit.of(ds).numUsers(), NoiseInjection.none().split(ds, 1).numUsers());
    }

    private static int count(boolean[] b) {
        int c = 0;
        for (boolean v : b) {
            c += v ? 1 : 0;
        }
        return c;
    }

    private static boolean isSubsequence(int[] small, int[] big) {
        int j = 0;
        for (int v : big) {
            if (j < small.length && small[j] == v) {
                j++;
            }
        }
        return j == small.length;
    }
}
