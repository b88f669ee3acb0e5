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

    /** One user, items 0..5: train {0}, valid {5}, test_id {1, 3}. */
    private static CfDataset tieData() {
        Map<String, int[][]> s = new LinkedHashMap<>();
        s.put(CfDataset.VALID, new int[][] {{5}});
        s.put("test_id", new int[][] {{1, 3}});
        return new CfDataset("ties", "test", 1, 6, new int[][] {{0}}, s, Map.of());
    }

    @Test
    void tiedPositivesAreRankedBelowTiedCandidates() {
        // item:  0 (train) 1(pos) 2  3(pos) 4  5 (valid)
        float[] row = {9, 2, 2, 2, 3, 1};
        CfEvaluator.Scorer scorer = (u, out) -> System.arraycopy(row, 0, out, 0, row.length);
        // test_id candidates 1 2 3 4: item 4 first, then the tie {1, 2, 3} with the non-positive 2 ranked above
        // the positives -> positives at ranks 3 and 4 (the former lower-id rule gave ranks 2 and 4)
        Map<CfEvaluator.Metric, Double> m = CfEvaluator.evaluate(tieData(), "test_id", 2, scorer);
        assertEquals(0.0, m.get(R), 1e-12);
        assertEquals(0.0, m.get(N), 1e-12);
        assertEquals(0.0, m.get(H), 1e-12);
        m = CfEvaluator.evaluate(tieData(), "test_id", 3, scorer);
        assertEquals(0.5, m.get(R), 1e-12);
        assertEquals(lg(3) / (lg(1) + lg(2)), m.get(N), 1e-12);
        assertEquals(1.0, m.get(H), 1e-12);
        m = CfEvaluator.evaluate(tieData(), "test_id", 4, scorer);
        assertEquals(1.0, m.get(R), 1e-12);
        assertEquals((lg(3) + lg(4)) / (lg(1) + lg(2)), m.get(N), 1e-12);
    }

    @Test
    void constantScoresRankEveryPositiveLast() {
        CfEvaluator.Scorer constant = (u, out) -> java.util.Arrays.fill(out, 0.25f);
        // test_id: 4 candidates, 2 positives -> ranks 3 and 4; valid: 5 candidates, positive at rank 5
        assertEquals(0.0, CfEvaluator.evaluate(tieData(), "test_id", 2, constant).get(R), 1e-12);
        assertEquals(0.5, CfEvaluator.evaluate(tieData(), "test_id", 3, constant).get(R), 1e-12);
        assertEquals(0.0, CfEvaluator.evaluate(tieData(), CfDataset.VALID, 4, constant).get(H), 1e-12);
        assertEquals(lg(5), CfEvaluator.evaluate(tieData(), CfDataset.VALID, 5, constant).get(N), 1e-12);
    }

    @Test
    void singlePositiveRanksAgreeWithTheSequentialEvaluator() {
        // a hand-made score matrix with ties: 3 users, items 0..5; each user's valid split holds one positive and
        // the training item is excluded; the sequential evaluator sees item i as id i + 1 and the training item at
        // -inf (HistoryMode.NEG_INF); both must give the same rank, hence the same HR@K and NDCG@K
        float[][] scores = {{1, 1, 0.5f, 1, 0.2f, 1}, {0, 0, 0, 0, 0, 0}, {0.3f, 0.9f, 0.9f, 0.1f, 0.9f, 0.3f}};
        int[][] train = {{0}, {5}, {2}};
        int[][] valid = {{3}, {1}, {4}};
        Map<String, int[][]> s = new LinkedHashMap<>();
        s.put(CfDataset.VALID, valid);
        s.put("test_id", new int[][] {{}, {}, {}});
        CfDataset d = new CfDataset("parity", "test", 3, 6, train, s, Map.of());
        int[] expected = {3, 5, 2};
        for (int u = 0; u < 3; u++) {
            float[] seq = new float[7];
            seq[0] = 100f;
            for (int i = 0; i < 6; i++) {
                seq[i + 1] = i == train[u][0] ? Float.NEGATIVE_INFINITY : scores[u][i];
            }
            assertEquals(expected[u], io.seqcl.eval.RankingEvaluator.rank(seq, 0, 6, valid[u][0] + 1), "user " + u);
        }
        CfEvaluator.Scorer scorer = (u, out) -> System.arraycopy(scores[u], 0, out, 0, 6);
        for (int k = 1; k <= 5; k++) {
            Map<CfEvaluator.Metric, Double> m = CfEvaluator.evaluate(d, CfDataset.VALID, k, scorer);
            double hr = 0;
            double ndcg = 0;
            for (int r : expected) {
                hr += r <= k ? 1 : 0;
                ndcg += r <= k ? lg(r) : 0;
            }
            assertEquals(hr / 3, m.get(H), 1e-12, "HR@" + k);
            assertEquals(hr / 3, m.get(R), 1e-12, "Recall@" + k);
            assertEquals(ndcg / 3, m.get(N), 1e-12, "NDCG@" + k);
        }
    }

    @Test
    void popularityScoresAreTrainingCounts() {
        CfDataset d = CfTestData.threeUsers();
        float[] out = new float[4];
        CfEvaluator.popularity(d).score(0, out);
        assertArrayEquals(new float[] {1, 2, 1, 1}, out);
    }
}
