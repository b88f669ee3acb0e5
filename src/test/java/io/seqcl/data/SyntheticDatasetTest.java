package io.seqcl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SyntheticDatasetTest {

    private static final SyntheticDataset GEN = SyntheticDataset.create(SyntheticConfig.defaults());

    @Test
    void sameSeedGivesIdenticalDataset() {
        SequenceDataset a = SyntheticDataset.create(SyntheticConfig.defaults()).dataset();
        SequenceDataset b = SyntheticDataset.create(SyntheticConfig.defaults()).dataset();
        assertEquals(a, b);
        assertEquals(a, SyntheticDataset.defaultDataset());
        SequenceDataset c = SyntheticDataset.create(SyntheticConfig.defaults().withSeed(7)).dataset();
        assertNotEquals(a, c);
    }

    @Test
    void shapeFollowsConfig() {
        SequenceDataset d = GEN.dataset();
        SyntheticConfig cfg = GEN.config();
        assertEquals(2000, d.numUsers());
        assertEquals(500, d.numItems());
        assertEquals("synthetic", d.name());
        for (int u = 0; u < d.numUsers(); u++) {
            assertTrue(d.length(u) >= cfg.minLength() && d.length(u) <= cfg.maxLength());
            assertEquals(u + 1, d.userId(u));
        }
        DatasetStats s = DatasetStats.of(d);
        assertEquals(5, s.minLength());
        assertEquals(30, s.maxLength());
    }

    @Test
    void transitionsAreProperDistributions() {
        for (int from : new int[] {1, 17, 500}) {
            double sum = 0;
            for (int to = 1; to <= 500; to++) {
                sum += GEN.transitionProbability(from, to);
            }
            assertEquals(1.0, sum, 1e-9);
            int[] succ = GEN.successors(from);
            assertEquals(3, succ.length);
            assertEquals(3, Arrays.stream(succ).distinct().count());
            assertTrue(Arrays.stream(succ).noneMatch(s -> s == from));
        }
        double[] w = GEN.successorWeights();
        assertArrayEquals(new double[] {4 / 7.0, 2 / 7.0, 1 / 7.0}, w, 1e-12);
        assertTrue(GEN.popularity(1) > GEN.popularity(2) && GEN.popularity(2) > GEN.popularity(500));
    }

    @Test
    void observedTopSuccessorMatchesChainForPopularItems() {
        SequenceDataset d = GEN.dataset();
        int n = d.numItems();
        long[][] follow = new long[n + 1][n + 1];
        long[] from = new long[n + 1];
        for (int u = 0; u < d.numUsers(); u++) {
            int[] s = d.sequence(u);
            for (int t = 0; t + 1 < s.length; t++) {
                follow[s[t]][s[t + 1]]++;
                from[s[t]]++;
            }
        }
        Integer[] byFreq = IntStream.rangeClosed(1, n).boxed().toArray(Integer[]::new);
        Arrays.sort(byFreq, Comparator.comparingLong((Integer i) -> -from[i]));
        for (int r = 0; r < 20; r++) {
            int item = byFreq[r];
            assertTrue(from[item] >= 100, "popular item " + item + " seen " + from[item] + " times");
            int observedTop = 1;
            for (int j = 2; j <= n; j++) {
                if (follow[item][j] > follow[item][observedTop]) {
                    observedTop = j;
                }
            }
            assertEquals(GEN.successors(item)[0], observedTop, "top successor of item " + item);
        }
    }

    @Test
    void chainBeatsPopularityWhichBeatsRandom() {
        SequenceDataset d = GEN.dataset();
        int n = d.numItems();
        long[] counts = new long[n + 1];
        for (int u = 0; u < d.numUsers(); u++) {
            int[] s = d.sequence(u);
            for (int t = 0; t + 1 < s.length; t++) {
                counts[s[t]]++;
            }
        }
        Integer[] pop = IntStream.rangeClosed(1, n).boxed().toArray(Integer[]::new);
        Arrays.sort(pop, Comparator.comparingLong((Integer i) -> -counts[i]));
        java.util.Set<Integer> top10 = new java.util.HashSet<>(Arrays.asList(pop).subList(0, 10));
        int popHits = 0;
        int chainHits = 0;
        for (int u = 0; u < d.numUsers(); u++) {
            int[] s = d.sequence(u);
            int target = s[s.length - 1];
            int prev = s[s.length - 2];
            popHits += top10.contains(target) ? 1 : 0;
            double pt = GEN.transitionProbability(prev, target);
            int better = 0;
            for (int j = 1; j <= n; j++) {
                if (j != target && GEN.transitionProbability(prev, j) >= pt) {
                    better++;
                }
            }
            chainHits += better < 10 ? 1 : 0;
        }
        double users = d.numUsers();
        double popHr = popHits / users;
        double chainHr = chainHits / users;
        double randomHr = 10.0 / n;
        assertTrue(popHr > 2.5 * randomHr, "popularity HR@10 " + popHr + " vs random " + randomHr);
        assertTrue(chainHr > popHr + 0.5, "chain HR@10 " + chainHr + " vs popularity " + popHr);
    }

    @Test
    void invalidConfigsNameTheParameter() {
        assertMessage("users", () -> new SyntheticConfig(0, 10, 1, 2, 1, 0.1, 1, 1));
        assertMessage("items", () -> new SyntheticConfig(1, 1, 1, 2, 1, 0.1, 1, 1));
        assertMessage("minLength", () -> new SyntheticConfig(1, 10, 0, 2, 1, 0.1, 1, 1));
        assertMessage("maxLength", () -> new SyntheticConfig(1, 10, 5, 4, 1, 0.1, 1, 1));
        assertMessage("successors", () -> new SyntheticConfig(1, 10, 1, 2, 0, 0.1, 1, 1));
        assertMessage("successors", () -> new SyntheticConfig(1, 10, 1, 2, 10, 0.1, 1, 1));
        assertMessage("jumpProbability", () -> new SyntheticConfig(1, 10, 1, 2, 1, 1.5, 1, 1));
        assertMessage("zipfExponent", () -> new SyntheticConfig(1, 10, 1, 2, 1, 0.1, Double.NaN, 1));
    }

    @Test
    void extremeButValidConfigs() {
        SequenceDataset d = SyntheticDataset.create(new SyntheticConfig(3, 2, 1, 1, 1, 1.0, 0.0, 5)).dataset();
        assertEquals(3, d.numInteractions());
        SyntheticDataset g = SyntheticDataset.create(new SyntheticConfig(5, 3, 4, 4, 2, 0.0, 2.0, 5));
        SequenceDataset e = g.dataset();
        for (int u = 0; u < e.numUsers(); u++) {
            int[] s = e.sequence(u);
            for (int t = 0; t + 1 < s.length; t++) {
                assertTrue(g.transitionProbability(s[t], s[t + 1]) > 0, "no jumps: only chain moves");
            }
        }
    }

    private static void assertMessage(String param, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(param), ex.getMessage());
    }
}
