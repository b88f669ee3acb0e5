package io.seqcl.cf;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CfEvaluatorTest {

    private static final CfEvaluator.Metric R = CfEvaluator.Metric.RECALL;
    private static final CfEvaluator.Metric N = CfEvaluator.Metric.NDCG;
    private static final CfEvaluator.Metric H = CfEvaluator.Metric.HR;

    /**
     * One user, 8 items, scores 7 - item (item 0 best). train {0}, valid {2}, test_id {3, 6}, test_ood {4}.
     * A second user with only train {7} and valid {1}, test_id {5}.
     */
    private static CfDataset data() {
        Map<String, int[][]> s = new LinkedHashMap<>();
        s.put(CfDataset.VALID, new int[][] {{2}, {1}});
        s.put("test_id", new int[][] {{3, 6}, {5}});
        s.put("test_ood", new int[][] {{4}, {}});
        return new CfDataset("eval", "test", 2, 8, new int[][] {{0}, {7}}, s, Map.of());
    }

    private static final CfEvaluator.Scorer DESC = (u, out) -> {
        for (int i = 0; i < out.length; i++) {
            out[i] = 7 - i;
        }
    };

    private static double lg(int rank) {
        return 1 / (Math.log(rank + 1) / Math.log(2));
    }

    @Test
    void testSplitExcludesTrainValidAndOtherTestsButNotItsOwnPositives() {
        // user 0, test_id: candidates 1 3 5 6 (0 train, 2 valid, 4 other test) -> ranks: 1, 3, 5, 6
        // top-3 = [1, 3, 5]: hit item 3 at rank 2; |P| = 2
        // user 1, test_id: candidates 0 2 3 4 5 6 (7 train, 1 valid) -> top-3 [0, 2, 3]: no hit
        Map<CfEvaluator.Metric, Double> m = CfEvaluator.evaluate(data(), "test_id", 3, DESC);
        assertEquals((0.5 + 0) / 2, m.get(R), 1e-12);
        assertEquals((lg(2) / (lg(1) + lg(2)) + 0) / 2, m.get(N), 1e-12);
        assertEquals(0.5, m.get(H), 1e-12);
        // test_ood has user 0 only: candidates 1 4 5 6 -> item 4 at rank 2
        m = CfEvaluator.evaluate(data(), "test_ood", 3, DESC);
        assertEquals(1.0, m.get(R), 1e-12);
        assertEquals(lg(2), m.get(N), 1e-12);
        assertEquals(1.0, m.get(H), 1e-12);
    }

    @Test
    void validExcludesOnlyTrainingItems() {
        // user 0: candidates 1..7 -> item 2 at rank 2; user 1: candidates 0..6 -> item 1 at rank 2
        Map<CfEvaluator.Metric, Double> m = CfEvaluator.evaluate(data(), CfDataset.VALID, 1, DESC);
        assertEquals(0.0, m.get(R), 1e-12);
        m = CfEvaluator.evaluate(data(), CfDataset.VALID, 2, DESC);
        assertEquals(1.0, m.get(R), 1e-12);
        assertEquals(lg(2), m.get(N), 1e-12);
        assertEquals(1.0, m.get(H), 1e-12);
    }

    @Test
    void topKBreaksTiesByLowerIdAndSkipsExcluded() {
        float[] s = {1, 3, 3, 2, 3};
        boolean[] ex = {false, false, true, false, false};
        assertArrayEquals(new int[] {1, 4, 3}, CfEvaluator.topK(s, ex, 3));
        assertArrayEquals(new int[] {1, 4, 3, 0}, CfEvaluator.topK(s, ex, 10));
    }

    @Test
    void popularityScoresAreTrainingCounts() {
        CfDataset d = CfTestData.threeUsers();
        float[] out = new float[4];
        CfEvaluator.popularity(d).score(0, out);
        assertArrayEquals(new float[] {1, 2, 1, 1}, out);
    }
}
