package io.seqcl.augment;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CoSeRec family's crop/reorder start rule {@code c ~ U{0..len-k-1}} (baselines.md §1.2). */
class CoSeRecStartRuleTest {

    private static final int[] SEQ = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

    @Test
    void cropNeverDrawsTheLastWindow() {
        Set<Integer> starts = new HashSet<>();
        Set<Integer> seqclStarts = new HashSet<>();
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 2000; i++) {
            int[] v = Crop.coserec(0.2).apply(SEQ, 10, rng); // k = 2, start in 0..7
            assertEquals(2, v.length);
            assertEquals(v[0] + 1, v[1]);
            starts.add(v[0] - 1);
            seqclStarts.add(new Crop(0.2).apply(SEQ, 10, rng)[0] - 1); // start in 0..8
        }
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7), starts);
        assertTrue(seqclStarts.contains(8));
    }

    @Test
    void cropBelowOneItemReturnsOneItemFromAnywhere() {
        Set<Integer> items = new HashSet<>();
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < 500; i++) {
            int[] v = Crop.coserec(0.2).apply(SEQ, 4, rng); // floor(0.8) = 0: one item at U{0..3}
            assertEquals(1, v.length);
            items.add(v[0]);
        }
        assertEquals(Set.of(1, 2, 3, 4), items);
        // k = len: the whole sequence (the reference's randint(0, -1) would fail; we take start 0)
        assertArrayEquals(new int[] {1, 2, 3}, Crop.coserec(1.0).apply(SEQ, 3, rng));
    }

    @Test
    void reorderNeverTouchesTheLastWindowAlone() {
        // r = 2 of 4: windows start in 0..1 (seqcl: 0..2), so item 4 never moves under the CoSeRec rule
        SplittableRandom rng = new SplittableRandom(3);
        boolean seqclMovedLast = false;
        for (int i = 0; i < 2000; i++) {
            int[] v = Reorder.coserec(0.5).apply(SEQ, 4, rng);
            assertEquals(4, v[3]);
            seqclMovedLast |= new Reorder(0.5).apply(SEQ, 4, rng)[3] != 4;
        }
        assertTrue(seqclMovedLast);
        assertArrayEquals(new int[0], Reorder.coserec(0.5).apply(SEQ, 0, rng));
    }
}
