package io.seqcl.model;

import ai.djl.ndarray.NDScope;
import io.seqcl.TestData;
import io.seqcl.data.SequenceDataset;
import io.seqcl.loss.FullSoftmaxCrossEntropy;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.Padding;
import io.seqcl.train.ProgressListener;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.TrainResult;
import io.seqcl.train.Trainer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GRU4Rec against baselines.md section 3 (the GRU cell itself is checked in {@code GruTest}). */
class GRU4RecTest {

    private static final LeaveOneOutSplit SPLIT = LeaveOneOutSplit.of(TestData.smallSynthetic());

    @Test
    void rightPaddingDoesNotChangeTheRepresentation() {
        try (GRU4Rec m = new GRU4Rec(SPLIT.numItems(), GRU4RecConfig.defaults().withMaxLen(12), 1);
             NDScope s = new NDScope()) {
            int[] h = {5, 9, 2, 7};
            float[] alone = m.represent(Batch.ofHistories(new int[][] {h}, null, 12, Padding.RIGHT), false)
                    .toFloatArray();
            // the same row in a batch whose longest row is longer (more GRU steps), and with T = 4 (no padding)
            float[] inBatch = m.represent(Batch.ofHistories(new int[][] {{1, 2, 3, 4, 5, 6, 7, 8, 9}, h}, null, 12,
                    Padding.RIGHT), false).toFloatArray();
            float[] exact = m.represent(Batch.ofHistories(new int[][] {h}, null, 4, Padding.RIGHT), false)
                    .toFloatArray();
            assertArrayEquals(alone, Arrays.copyOfRange(inBatch, 64, 128), 1e-6f);
            assertArrayEquals(alone, exact, 1e-6f);
        }
    }

    @Test
    void reversingTheHistoryChangesTheScores() {
        try (GRU4Rec m = new GRU4Rec(SPLIT.numItems(), GRU4RecConfig.defaults(), 1); NDScope s = new NDScope()) {
            float[] a = m.scoreAll(Batch.ofHistories(new int[][] {{5, 9, 2, 7}}, null, 50, Padding.RIGHT))
                    .toFloatArray();
            float[] b = m.scoreAll(Batch.ofHistories(new int[][] {{7, 2, 9, 5}}, null, 50, Padding.RIGHT))
                    .toFloatArray();
            double d = 0;
            for (int i = 0; i < a.length; i++) {
                d = Math.max(d, Math.abs(a[i] - b[i]));
            }
            assertTrue(d > 1e-4, "max score difference " + d);
        }
    }

    @Test
    void fusedAndExplicitGruGiveTheSameScores() {
        int[][] hs = Arrays.copyOf(SPLIT.test().inputs(), 16);
        float[] fused;
        float[] explicit;
        try (GRU4Rec m = new GRU4Rec(SPLIT.numItems(), GRU4RecConfig.defaults(), 4); NDScope s = new NDScope()) {
            fused = m.scoreAll(Batch.ofHistories(hs, null, 50, Padding.RIGHT)).toFloatArray();
        }
        try (GRU4Rec m = new GRU4Rec(SPLIT.numItems(), GRU4RecConfig.defaults().withFused(false), 4);
             NDScope s = new NDScope()) {
            explicit = m.scoreAll(Batch.ofHistories(hs, null, 50, Padding.RIGHT)).toFloatArray();
        }
        assertArrayEquals(explicit, fused, 1e-5f);
    }

    @Test
    void parametersFollowRecBole() {
        try (GRU4Rec m = new GRU4Rec(SPLIT.numItems(), GRU4RecConfig.defaults(), 4)) {
            assertEquals(java.util.List.of("item_embedding", "gru.weight_ih", "gru.weight_hh", "dense.weight",
                    "dense.bias"), m.params().names());
            assertEquals(121L * 64 + 384 * 64 + 384 * 128 + 64 * 128 + 64, m.params().count());
        }
        assertTrue(((FullSoftmaxCrossEntropy) GRU4RecConfig.paperTable().loss()).includePaddingRow());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GRU4RecConfig.defaults().withDropout(1));
        assertTrue(e.getMessage().contains("dropout"), e.getMessage());
    }

    @Test
    void beatsPopThreefoldAndBprMfOnMarkovData() {
        SequenceDataset data = TestData.smallSynthetic();
        TrainConfig tc = TrainConfig.defaults().withEpochs(3).withPatience(100).withBatchSize(128)
                .withLearningRate(3e-3).withSeed(5);
        TrainResult gru;
        try (GRU4Rec m = new GRU4Rec(data.numItems(), GRU4RecConfig.defaults().withMaxLen(20), 5)) {
            gru = new Trainer(tc).fit(m, SPLIT, ProgressListener.NONE);
        }
        TrainResult bpr;
        try (BPRMF m = new BPRMF(data.numItems(), BPRMFConfig.defaults(), 5)) {
            bpr = new Trainer(tc.withEpochs(10)).fit(m, SPLIT, ProgressListener.NONE);
        }
        TrainResult pop;
        try (Pop p = new Pop(data.numItems())) {
            pop = new Trainer(tc.withEpochs(1)).fit(p, SPLIT, ProgressListener.NONE);
        }
        double g = gru.test().value("HR@10");
        double b = bpr.test().value("HR@10");
        double p = pop.test().value("HR@10");
        System.out.printf("synthetic test HR@10: Pop %.4f, BPR-MF %.4f, GRU4Rec %.4f%n", p, b, g);
        assertTrue(g >= 3 * p, "GRU4Rec " + g + " vs Pop " + p);
        assertTrue(g >= b, "GRU4Rec " + g + " vs BPR-MF " + b);
    }
}
