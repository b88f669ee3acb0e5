package io.seqcl.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.seqcl.TestData;
import io.seqcl.data.SequenceDataset;
import io.seqcl.optim.StepContext;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.Padding;
import io.seqcl.protocol.SampleMode;
import io.seqcl.protocol.TrainingSamples;
import io.seqcl.train.ProgressListener;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.TrainResult;
import io.seqcl.train.Trainer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BPR-MF against baselines.md section 2: closed form, order invariance, the sampler, learning on communities. */
class BPRMFTest {

    @Test
    void closedFormLossAndGradient() {
        for (double eps : new double[] {0, 1e-10}) {
            try (BPRMF m = new BPRMF(2, BPRMFConfig.defaults().withEmbeddingSize(2).withLogEpsilon(eps), 1)) {
                SequenceDataset one = new SequenceDataset("one", new int[] {1}, new int[][] {{1, 1, 2, 2}}, 2, "t", null);
                m.prepare(LeaveOneOutSplit.of(one));
                m.userEmbedding().set(new float[] {1, 0});
                m.itemEmbedding().set(new float[] {0, 0, 2, 0, 0, 0}); // q_1 = (2, 0), q_2 = (0, 0)
                Batch b = new Batch(new int[][] {{0}}, new int[][] {{1}}, new int[][] {{2}}, new int[] {0},
                        new int[] {0}, Padding.RIGHT);
                try (NDScope s = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = m.loss(b, new StepContext(1, 1, new SplittableRandom(1), 1));
                    assertEquals(0.126928, loss.getFloat(), 1e-6, "eps " + eps);
                    gc.backward(loss);
                }
                // d/du = -(1 - sigma(2)) (q_i - q_j)
                assertArrayEquals(new float[] {-0.238406f, 0}, m.userEmbedding().getGradient().toFloatArray(), 1e-6f);
            }
        }
    }

    @Test
    void scoresDependOnTheUserOnlyNotOnTheHistory() {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(TestData.smallSynthetic());
        try (BPRMF m = new BPRMF(split.numItems(), BPRMFConfig.defaults(), 3); NDScope s = new NDScope()) {
            m.prepare(split);
            int[] h = split.test().inputs()[0];
            int u = split.test().users()[0];
            int[] reversed = h.clone();
            for (int i = 0; i < h.length / 2; i++) {
                int t = reversed[i];
                reversed[i] = reversed[h.length - 1 - i];
                reversed[h.length - 1 - i] = t;
            }
            float[] a = m.scoreAll(Batch.ofHistories(new int[][] {h}, new int[] {u}, 1, Padding.RIGHT)).toFloatArray();
            float[] b = m.scoreAll(Batch.ofHistories(new int[][] {reversed, Arrays.copyOf(h, 2)}, new int[] {u, u}, 50,
                    Padding.LEFT)).toFloatArray();
            assertArrayEquals(a, Arrays.copyOf(b, a.length), 1e-6f); // B = 1 vs B = 2 matmul rounding
            assertArrayEquals(a, Arrays.copyOfRange(b, a.length, 2 * a.length), 1e-6f);
        }
    }

    @Test
    void scoringWithoutUsersFailsFastNamingTheRow() {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(TestData.tiny());
        try (BPRMF m = new BPRMF(split.numItems(), BPRMFConfig.defaults(), 3); NDScope s = new NDScope()) {
            assertThrows(IllegalStateException.class,
                    () -> m.scoreAll(Batch.ofHistories(new int[][] {{1, 2}}, new int[] {0}, 1, Padding.RIGHT)));
            m.prepare(split);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.scoreAll(Batch.ofHistories(new int[][] {{1, 2}, {3}}, null, 1, Padding.RIGHT)));
            assertTrue(e.getMessage().contains("row 0") && e.getMessage().contains("Batch.users()"), e.getMessage());
        }
    }

    @Test
    void interactionSamplesCoverEveryTrainingInteractionOnce() {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(TestData.tiny());
        TrainingSamples ts = new TrainingSamples(split, SampleMode.INTERACTIONS, 1, Padding.RIGHT);
        // training parts: 1..4, 7 8, 2 4 6 8 10 -> 11 interactions
        assertEquals(11, ts.size());
        List<Batch> epoch = ts.epoch(4, new SplittableRandom(2), true);
        int[] counts = new int[11];
        int rows = 0;
        for (Batch b : epoch) {
            for (int r = 0; r < b.size(); r++) {
                assertEquals(0, b.lengths()[r]);
                int target = b.targets()[r][0];
                int user = b.users()[r];
                int[] train = Arrays.copyOf(split.dataset().sequence(user), split.dataset().length(user) - 2);
                assertTrue(Arrays.stream(train).anyMatch(i -> i == target), "target " + target + " of user " + user);
                counts[target]++;
                rows++;
            }
        }
        assertEquals(11, rows);
        assertArrayEquals(new int[] {0, 1, 2, 1, 2, 0, 1, 1, 2, 0, 1}, counts);
    }

    @Test
    void negativesAvoidTheTrainingItemsOnlyAndAreUniformOverTheRest() {
        // user 1: 1 2 3 4 5 6 -> training part 1..4; the valid/test items 5, 6 may be drawn
        SequenceDataset data = new SequenceDataset("one", new int[] {1}, new int[][] {{1, 2, 3, 4, 5, 6}}, 12, "t",
                null);
        TrainingSamples ts = new TrainingSamples(LeaveOneOutSplit.of(data), SampleMode.INTERACTIONS, 1, Padding.RIGHT);
        int[] counts = new int[13];
        int draws = 0;
        SplittableRandom rng = new SplittableRandom(5);
        while (draws < 10_000) {
            for (Batch b : ts.epoch(4, rng, true)) {
                for (int r = 0; r < b.size(); r++) {
                    counts[b.negatives()[r][0]]++;
                    draws++;
                }
            }
        }
        for (int i = 1; i <= 4; i++) {
            assertEquals(0, counts[i], "training item " + i + " drawn as a negative");
        }
        double p = 1.0 / 8;
        double sigma = Math.sqrt(draws * p * (1 - p));
        for (int i = 5; i <= 12; i++) {
            assertEquals(draws * p, counts[i], 3 * sigma, "item " + i + ": " + Arrays.toString(counts));
        }
    }

    @Test
    void learnsUserCommunitiesTwiceAsWellAsPop() {
        SequenceDataset data = TestData.smallCommunities();
        LeaveOneOutSplit split = LeaveOneOutSplit.of(data);
        TrainConfig tc = TrainConfig.defaults().withEpochs(10).withPatience(100).withBatchSize(128)
                .withLearningRate(3e-3).withSeed(5);
        TrainResult bpr;
        try (BPRMF m = new BPRMF(data.numItems(), BPRMFConfig.defaults(), 5)) {
            bpr = new Trainer(tc).fit(m, split, ProgressListener.NONE);
        }
        TrainResult pop;
        try (Pop p = new Pop(data.numItems())) {
            pop = new Trainer(tc.withEpochs(1)).fit(p, split, ProgressListener.NONE);
        }
        double hr = bpr.test().value("HR@10");
        double popHr = pop.test().value("HR@10");
        System.out.printf("communities test HR@10: Pop %.4f, BPR-MF %.4f%n", popHr, hr);
        assertTrue(hr > 2 * popHr, "BPR-MF " + hr + " vs Pop " + popHr);
    }

    @Test
    void userTableIsKeptWhenPreparedAgainAndCheckedAgainstTheDataset() {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(TestData.smallSynthetic());
        try (BPRMF m = new BPRMF(split.numItems(), BPRMFConfig.defaults(), 3)) {
            m.prepare(split);
            NDArray u = m.userEmbedding();
            m.prepare(split);
            assertTrue(u == m.userEmbedding());
            assertEquals(new Shape(600, 64), u.getShape());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.prepare(LeaveOneOutSplit.of(TestData.tiny())));
            assertTrue(e.getMessage().contains("600 users"), e.getMessage());
        }
    }

    /** The step cap of smoke runs and the quick budget applies to sequence batches, not to BPR-MF's interactions. */
    @Test
    void trainsWholeEpochsUnderAStepCap() {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(TestData.smallSynthetic());
        int[] steps = new int[1];
        ProgressListener l = new ProgressListener() {
            @Override
            public void onRunStart(String run, int maxEpochs, int stepsPerEpoch) {
                steps[0] = stepsPerEpoch;
            }
        };
        TrainConfig tc = TrainConfig.defaults().withEpochs(1).withBatchSize(64).withMaxStepsPerEpoch(2);
        try (BPRMF m = new BPRMF(split.numItems(), BPRMFConfig.defaults(), 3)) {
            new Trainer(tc).fit(m, split, l);
        }
        int whole = new TrainingSamples(split, SampleMode.INTERACTIONS, 1, Padding.RIGHT).batchesPerEpoch(64);
        assertTrue(whole > 2, "more than the cap: " + whole);
        assertEquals(whole, steps[0]);
        try (io.seqcl.model.SASRec m = new io.seqcl.model.SASRec(split.numItems(),
                io.seqcl.model.SASRecConfig.defaults(), 3)) {
            new Trainer(tc).fit(m, split, l);
        }
        assertEquals(2, steps[0], "a sequence model keeps the cap");
    }

    @Test
    void invalidSettingsNameTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BPRMFConfig.defaults().withLogEpsilon(-1));
        assertTrue(e.getMessage().contains("logEpsilon"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BPRMFConfig.defaults().withEmbeddingSize(0));
        assertTrue(e.getMessage().contains("embeddingSize"), e.getMessage());
    }
}
