package io.seqcl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class FiltersTest {

    static SequenceDataset ds(int numItems, int[]... seqs) {
        int[] ids = new int[seqs.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 10 + i;
        }
        return new SequenceDataset("t", ids, seqs, numItems, "test", null);
    }

    @Test
    void kCoreNeedsSeveralPasses() {
        // k = 2. Pass 1: all users have 2 items; items 3 and 5 occur once and go, leaving u3 = [4], u4 = [4].
        // Pass 2: u3 and u4 are now too short and go; item 4 loses its occurrences. Pass 3: stable.
        SequenceDataset d = ds(5,
                new int[] {1, 2},
                new int[] {2, 1},
                new int[] {3, 4},
                new int[] {4, 5});
        SequenceDataset onePass = onePass(d, 2);
        assertEquals(4, onePass.numUsers(), "a single pass leaves users of length 1");

        SequenceDataset k = Filters.kCore(d, 2);
        assertEquals(2, k.numUsers());
        assertArrayEquals(new int[] {1, 2}, k.sequence(0));
        assertArrayEquals(new int[] {2, 1}, k.sequence(1));
        assertEquals(10, k.userId(0));
        assertEquals(11, k.userId(1));
        assertEquals(5, k.numItems(), "filtering keeps ids; re-index separately");
        for (int u = 0; u < k.numUsers(); u++) {
            assertEquals(true, k.length(u) >= 2);
        }
        long[] c = k.itemCounts();
        for (int i = 1; i < c.length; i++) {
            assertEquals(true, c[i] == 0 || c[i] >= 2);
        }
    }

    @Test
    void kCoreCascadeOverThreeRounds() {
        // k = 3. Round 1: items 8 (once) and 9 (twice) go. Round 2: C = [7] is too short and goes, which leaves
        // item 7 with 2 occurrences, so it goes too. Round 3: nothing changes.
        SequenceDataset d = ds(9,
                new int[] {1, 2, 3, 1, 2, 3},  // A
                new int[] {1, 2, 3, 7},        // B
                new int[] {7, 8, 9},           // C  (8 occurs once)
                new int[] {7, 9, 1, 2, 3});    // D
        SequenceDataset k = Filters.kCore(d, 3);
        assertEquals(3, k.numUsers());
        assertArrayEquals(new int[] {1, 2, 3, 1, 2, 3}, k.sequence(0));
        assertArrayEquals(new int[] {1, 2, 3}, k.sequence(1));
        assertArrayEquals(new int[] {1, 2, 3}, k.sequence(2));
        assertEquals(13, k.userId(2));
    }

    @Test
    void kCoreOffReturnsSameInstance() {
        SequenceDataset d = ds(3, new int[] {1}, new int[] {2, 3});
        assertSame(d, Filters.kCore(d, 0));
        assertSame(d, Filters.kCore(d, 1));
    }

    @Test
    void kCoreIsNoOpOnAlreadyCoredData() {
        SequenceDataset d = ds(2, new int[] {1, 2}, new int[] {2, 1});
        assertEquals(d, Filters.kCore(d, 2));
    }

    @Test
    void reindexCompactsIdsKeepingOrder() {
        SequenceDataset d = ds(9, new int[] {9, 4, 7}, new int[] {4, 9});
        int[] map = Filters.itemIdMap(d);
        assertEquals(1, map[4]);
        assertEquals(2, map[7]);
        assertEquals(3, map[9]);
        assertEquals(0, map[5]);
        SequenceDataset r = Filters.reindexItems(d);
        assertEquals(3, r.numItems());
        assertArrayEquals(new int[] {3, 1, 2}, r.sequence(0));
        assertArrayEquals(new int[] {1, 3}, r.sequence(1));
        assertEquals(11, r.userId(1));
        // contiguous ids: identity
        SequenceDataset c = ds(3, new int[] {1, 2, 3});
        assertEquals(c, Filters.reindexItems(c));
    }

    /** One users-then-items pass, to show why iteration is needed. */
    private static SequenceDataset onePass(SequenceDataset d, int k) {
        long[] c = d.itemCounts();
        java.util.List<int[]> out = new java.util.ArrayList<>();
        for (int u = 0; u < d.numUsers(); u++) {
            if (d.length(u) < k) {
                continue;
            }
            out.add(java.util.Arrays.stream(d.sequence(u)).filter(i -> c[i] >= k).toArray());
        }
        int[] ids = new int[out.size()];
        return new SequenceDataset("p", ids, out.toArray(new int[0][]), d.numItems(), "p", null);
    }

    @Test
    void kCoreThatRemovesEveryUserNamesTheThreshold() {
        SequenceDataset d = ds(3, new int[] {1, 2}, new int[] {2, 3});
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Filters.kCore(d, 5));
        assertEquals(true, e.getMessage().contains("threshold 5") && e.getMessage().contains("every user"),
                e.getMessage());
    }
}
