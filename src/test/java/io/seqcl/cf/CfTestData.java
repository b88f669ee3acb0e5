package io.seqcl.cf;

import java.util.LinkedHashMap;
import java.util.Map;

/** Small CF datasets for the tests. */
final class CfTestData {

    private CfTestData() {
    }

    /**
     * 3 users, 4 items: u0 = {0, 1}, u1 = {1, 2}, u2 = {3}; valid u0 = {2}; test u0 = {3}, u1 = {0}.
     *
     * @return the dataset
     */
    static CfDataset threeUsers() {
        Map<String, int[][]> s = new LinkedHashMap<>();
        s.put(CfDataset.VALID, new int[][] {{2}, {}, {}});
        s.put("test_id", new int[][] {{3}, {0}, {}});
        s.put("test_ood", new int[][] {{3}, {0}, {}});
        return new CfDataset("three", "test", 3, 4, new int[][] {{0, 1}, {1, 2}, {3}}, s, Map.of());
    }

    /** @return 400 users, 120 items in 6 clusters, 20 items per user, affinity 0.85 */
    static CfDataset synthetic() {
        return CfDatasets.synthetic(400, 120, 6, 20, 0.85, 11L);
    }

    /** @return a fast training configuration for the synthetic data */
    static CfConfig fast(CfConfig.Backbone b, CfConfig.Loss l) {
        return CfConfig.defaults().withBackbone(b).withLoss(l).withDim(32).withTemperature(0.2)
                .withLearningRate(5e-3).withBatchSize(256).withNegatives(32).withSchedule(12, 4, 100, 0)
                .withAdv(1e-3, 3, 3);
    }
}
