package io.seqcl.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The shared ranking core: pessimistic ties, one and several targets, exclusions. */
class RankingTest {

    @Test
    void singleTargetTiesArePessimistic() {
        //            item: 0    1    2    3    4
        float[] s = {0.9f, 0.5f, 0.5f, 0.7f, 0.5f};
        assertEquals(5, Ranking.rank(s, 0, 0, 5, 1), "tied with 2 and 4, below 0 and 3");
        assertEquals(1, Ranking.rank(s, 0, 0, 5, 0));
        assertEquals(4, Ranking.rank(s, 0, 1, 5, 2), "candidates 1..4 only");
        // an offset row: the second row of a flat [2, 3] matrix
        float[] flat = {0f, 0f, 0f, 0.1f, 0.2f, 0.2f};
        assertEquals(2, Ranking.rank(flat, 3, 0, 3, 2));
        assertEquals(3, Ranking.rank(flat, 3, 0, 3, 0));
    }

    @Test
    void severalTargetsFormOneListWithTargetsBelowTiedCandidates() {
        //            item: 0    1    2    3    4    5
        float[] s = {0.9f, 0.5f, 0.5f, 0.5f, 0.7f, 0.1f};
        boolean[] excluded = {true, false, false, false, false, false};
        // candidates 1..5; targets 3 and 1 tie with the non-target 2 and sit below 4 and 2 -> ranks 3 and 4
        int[] r = Ranking.ranks(s, excluded, new int[] {3, 1});
        assertArrayEquals(new int[] {3, 4}, r, "tied targets keep their input order");
        // a higher target comes first; the lower one is pushed one place further by it
        assertArrayEquals(new int[] {4, 1}, Ranking.ranks(s, excluded, new int[] {1, 4}));
        assertArrayEquals(new int[] {5}, Ranking.ranks(s, excluded, new int[] {5}));
        assertArrayEquals(new int[] {6}, Ranking.ranks(s, null, new int[] {5}), "item 0 is a candidate now");
        assertArrayEquals(new int[0], Ranking.ranks(s, excluded, new int[0]));
    }

    @Test
    void oneTargetOfSeveralEqualsTheSingleTargetRank() {
        float[] s = {0.3f, 0.1f, 0.3f, 0.3f, 0.8f, 0.3f};
        for (int t = 0; t < s.length; t++) {
            assertEquals(Ranking.rank(s, 0, 0, s.length, t), Ranking.ranks(s, null, new int[] {t})[0], "item " + t);
        }
    }

    @Test
    void constantScoresPutEveryTargetLast() {
        float[] s = new float[5];
        assertArrayEquals(new int[] {4, 5}, Ranking.ranks(s, null, new int[] {0, 2}));
    }

    @Test
    void nanScoresNeverRankAboveATargetAndANanTargetIsLast() {
        float[] s = {Float.NaN, 0.5f, 0.2f, Float.NaN};
        assertArrayEquals(new int[] {1}, Ranking.ranks(s, null, new int[] {1}));
        assertEquals(1, Ranking.rank(s, 0, 0, 4, 1));
        assertArrayEquals(new int[] {1, 4}, Ranking.ranks(s, null, new int[] {1, 3}));
    }

    @Test
    void excludedOrRepeatedTargetsAreErrors() {
        float[] s = {1, 2, 3};
        assertThrows(IllegalArgumentException.class,
                () -> Ranking.ranks(s, new boolean[] {true, false, false}, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> Ranking.ranks(s, null, new int[] {1, 1}));
    }
}
