package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.seqcl.TestData;
import io.seqcl.config.Configs;
import io.seqcl.data.SequenceDataset;
import io.seqcl.experiment.Budget;
import io.seqcl.experiment.PaperSettings;
import io.seqcl.eval.HistoryMode;
import io.seqcl.nn.Devices;
import io.seqcl.nn.KMeans;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.Padding;
import io.seqcl.protocol.SampleMode;
import io.seqcl.train.ProgressListener;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ICLRec (baselines.md §10): k-means, intent NCE, padding in the means, live terms, packed exactness, purity. */
class ICLRecTest {

    private static final LeaveOneOutSplit SPLIT = LeaveOneOutSplit.of(TestData.smallSynthetic());

    @Test
    void kmeansClosedForm() {
        float[][] x = {{0, 0}, {0, 1}, {10, 10}, {10, 11}};
        KMeans.Result r = KMeans.fit(x, 2, 20, 5, 1);
        int[] a = r.assignment();
        assertEquals(a[0], a[1]);
        assertEquals(a[2], a[3]);
        assertNotEquals(a[0], a[2]);
        assertArrayEquals(new float[] {0, 0.5f}, r.centroids()[a[0]], 1e-6f);
        assertArrayEquals(new float[] {10, 10.5f}, r.centroids()[a[2]], 1e-6f);
        assertArrayEquals(new float[] {0, 1}, r.unitCentroids()[a[0]], 1e-6f);
        float s = (float) (1 / Math.sqrt(10 * 10 + 10.5 * 10.5));
        assertArrayEquals(new float[] {10 * s, 10.5f * s}, r.unitCentroids()[a[2]], 1e-6f);
        assertEquals(0.25 * 4, r.inertia(), 1e-5);
        assertArrayEquals(a, r.assign(x));
        // deterministic for a seed
        float[][] rnd = new float[300][3];
        SplittableRandom g = new SplittableRandom(4);
        for (float[] p : rnd) {
            for (int j = 0; j < 3; j++) {
                p[j] = (float) g.nextGaussian();
            }
        }
        KMeans.Result p = KMeans.fit(rnd, 7, 20, 5, 9);
        KMeans.Result q = KMeans.fit(rnd, 7, 20, 5, 9);
        assertArrayEquals(p.assignment(), q.assignment());
        assertEquals(p.inertia(), q.inertia());
        // more restarts never give a worse objective than the first restart alone
        assertTrue(p.inertia() <= KMeans.fit(rnd, 7, 20, 1, 9).inertia() + 1e-9);
    }

    private static ICLRecConfig small(BaselinePreset p) {
        return ICLRecConfig.defaults().withPreset(p).withMaxLen(20).withWidth(32).withDropout(0.2).withNumIntents(8);
    }

    @Test
    void intentNceWithOneRowIsZeroAndDuplicatedPrototypesActAsNegativesUnlessDeNoised() {
        try (ICLRec on = new ICLRec(10, small(BaselinePreset.SEQCL).withDeNoise(true), 1);
             ICLRec off = new ICLRec(10, small(BaselinePreset.SEQCL), 1);
             NDManager m = NDManager.newBaseManager()) {
            NDArray m1 = m.create(new float[] {0.3f, -1f, 0.5f, 2f}, new Shape(2, 2));
            NDArray m2 = m.create(new float[] {1f, 0.2f, -0.4f, 1f}, new Shape(2, 2));
            NDArray p = m.create(new float[] {0.6f, 0.8f, 0.6f, 0.8f}, new Shape(2, 2)); // K = 1: one prototype
            long[] sameIntent = {0, 0};
            assertEquals(0f, on.intentLoss(m1, m2, p, sameIntent).getFloat());
            assertTrue(off.intentLoss(m1, m2, p, null).getFloat() > 0.1f);
            NDArray one = m.create(new float[] {0.3f, -1f}, new Shape(1, 2));
            assertEquals(0f, off.intentLoss(one, one, m.create(new float[] {0.6f, 0.8f}, new Shape(1, 2)), null)
                    .getFloat());
        }
    }

    @Test
    void paperTableMeansIncludeThePaddingRows() {
        try (ICLRec paper = new ICLRec(SPLIT.numItems(), small(BaselinePreset.PAPER_TABLE).withMaxLen(10), 1);
             ICLRec clean = new ICLRec(SPLIT.numItems(), small(BaselinePreset.SEQCL).withMaxLen(10), 1)) {
            Devices.noGradOnThisThread();
            float[][] a = paper.sequenceMeans(SPLIT);
            float[][] b = clean.sequenceMeans(SPLIT);
            int[][] inputs = CoSeRec.trainingInputs(SPLIT);
            int shortUser = -1;
            int fullUser = -1;
            for (int u = 0; u < inputs.length; u++) {
                if (inputs[u].length < 10 && inputs[u].length > 0 && shortUser < 0) {
                    shortUser = u;
                }
                if (inputs[u].length >= 10 && fullUser < 0) {
                    fullUser = u;
                }
            }
            assertTrue(shortUser >= 0 && fullUser >= 0);
            // a full row: both means are over the same 10 real states
            assertArrayEquals(b[fullUser], a[fullUser], 1e-5f);
            // a short row: the paper mean is not (len / T) x the real mean, the padding states add to it
            double len = Math.min(10, inputs[shortUser].length);
            double diff = 0;
            for (int j = 0; j < a[shortUser].length; j++) {
                diff = Math.max(diff, Math.abs(a[shortUser][j] - b[shortUser][j] * len / 10));
            }
            assertTrue(diff > 1e-3, "padding rows did not change the mean");
        }
    }

    /** Gradients of one loss evaluation after an E-step, with fixed streams. */


    private static Map<String, float[]> grads(ICLRecConfig c) {
        try (ICLRec m = new ICLRec(SPLIT.numItems(), c, 3)) {
            m.prepare(SPLIT);
            Devices.noGradOnThisThread();
            m.onEpochStart(1, SPLIT, 5);
            return TermGradients.of(m, TermGradients.firstBatch(SPLIT, c, 32), m::loss);
        }
    }

    private static double maxDiff(Map<String, float[]> a, Map<String, float[]> b) {
        return TermGradients.maxDiff(a, b);
    }

    @ParameterizedTest
    @EnumSource(BaselinePreset.class)
    void intentAndInstanceTermsAreAlive(BaselinePreset p) {
        Map<String, float[]> both = grads(small(p));
        Map<String, float[]> noIntent = grads(small(p).withBeta(0));
        Map<String, float[]> noInstance = grads(small(p).withLambda(0));
        Map<String, float[]> recOnly = grads(small(p).withLambda(0).withBeta(0));
        assertTrue(maxDiff(both, noIntent) > 1e-6, "the intent term is dead");
        assertTrue(maxDiff(both, noInstance) > 1e-6, "the instance term is dead");
        assertTrue(maxDiff(noInstance, recOnly) > 1e-6, "the intent term alone is dead");
    }

    @Test
    void eStepIsSkippedDuringTheWarmUpAndWithTooFewUsers() {
        try (ICLRec m = new ICLRec(SPLIT.numItems(), small(BaselinePreset.SEQCL).withWarmUpEpochs(1), 1)) {
            Devices.noGradOnThisThread();
            m.onEpochStart(1, SPLIT, 3);
            assertNull(m.intents());
            m.onEpochStart(2, SPLIT, 3);
            assertNotNull(m.intents());
            assertEquals(8, m.intents().centroids().length);
        }
        try (ICLRec m = new ICLRec(SPLIT.numItems(), small(BaselinePreset.SEQCL).withNumIntents(5000), 1)) {
            m.onEpochStart(1, SPLIT, 3);
            assertNull(m.intents());
        }
    }

    @Test
    void configRoundTripsAndPresets() {
        ICLRecConfig c = ICLRecConfig.forToys(ICLRecConfig.paperTable()).withDeNoise(true);
        assertEquals(c, Configs.parse(ICLRecConfig.class, Configs.toJson(c), "test"));
        assertEquals(c, Configs.parse(ICLRecConfig.class, Configs.toYaml(c), "test"));
        assertEquals(3, c.encoder().transformer().layers());
        assertEquals(1, ((ICLRecConfig) PaperSettings.config("iclrec", "beauty", 50)).encoder().transformer().layers());
        assertEquals(0.0, ((ICLRecConfig) PaperSettings.config("iclrec", "ml-1m", 200)).lambda());
        assertEquals(HistoryMode.ZERO, PaperSettings.trainFor(c, PaperSettings.Paper.MCLREC, Budget.FULL, 1).history());
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> c.withNumIntents(0)).getMessage().contains("numIntents"));
    }

    @ParameterizedTest
    @EnumSource(BaselinePreset.class)
    void packedEqualsPadded(BaselinePreset preset) {
        int n = PackedExactnessTest.N;
        int[][] seqs = new int[12][];
        SplittableRandom r = new SplittableRandom(2);
        for (int u = 0; u < seqs.length; u++) {
            seqs[u] = new int[5 + r.nextInt(6)];
            for (int i = 0; i < seqs[u].length; i++) {
                seqs[u][i] = 1 + r.nextInt(n);
            }
        }
        int[] ids = new int[seqs.length];
        Arrays.setAll(ids, i -> i + 1);
        LeaveOneOutSplit split = LeaveOneOutSplit.of(new SequenceDataset("exact", ids, seqs, n, "test", null));
        Batch train = PackedExactnessTest.trainBatch(Padding.LEFT, SampleMode.ALL_POSITIONS, true, 3);
        PackedExactnessTest.compare(packed -> {
            SASRecConfig b = PackedExactnessTest.backbone(Padding.LEFT, packed);
            ICLRecConfig c = ICLRecConfig.defaults().withPreset(preset).withNumIntents(3).withBackbone(
                    b.withSampleMode(SampleMode.ALL_POSITIONS).withLoss(SASRecConfig.bceAllPositions().loss()));
            ICLRec m = new ICLRec(n, c, 3);
            m.prepare(split);
            Devices.noGradOnThisThread();
            m.onEpochStart(1, split, 4);
            assertNotNull(m.intents());
            return m;
        }, train, Padding.LEFT, "ICLRec " + preset);
    }

    @Test
    void intentsRecoverFourDisjointItemCommunities() {
        // 4 communities of 50 items; each user draws 6..8 items within one community (an untrained encoder's
        // means separate them only partly)
        int users = 400;
        int[][] seqs = new int[users][];
        int[] ids = new int[users];
        int[] community = new int[users];
        SplittableRandom r = new SplittableRandom(6);
        for (int u = 0; u < users; u++) {
            community[u] = u % 4;
            seqs[u] = new int[6 + r.nextInt(3)];
            for (int i = 0; i < seqs[u].length; i++) {
                seqs[u][i] = 1 + community[u] * 50 + r.nextInt(50);
            }
            ids[u] = u + 1;
        }
        LeaveOneOutSplit split = LeaveOneOutSplit.of(new SequenceDataset("communities", ids, seqs, 200, "test", null));
        ICLRecConfig c = ICLRecConfig.defaults().withMaxLen(12).withWidth(32).withDropout(0.1).withNumIntents(4)
                .withLayers(1);
        try (ICLRec m = new ICLRec(200, c, 2)) {
            Devices.noGradOnThisThread();
            m.onEpochStart(1, split, 11);
            double before = purity(m.intents().assignment(), community, split);
            new Trainer(TrainConfig.defaults().withEpochs(6).withBatchSize(64).withLearningRate(3e-3).withSeed(3)
                    .withPatience(100)).fit(m, split, ProgressListener.NONE);
            Devices.noGradOnThisThread();
            m.onEpochStart(7, split, 11);
            double purity = purity(m.intents().assignment(), community, split);
            System.out.printf("ICLRec cluster purity on 4 communities: %.3f after training, %.3f before%n", purity,
                    before);
            assertTrue(purity >= 0.9, "purity " + purity);
            assertTrue(purity > before + 0.05, "training did not improve the intents: " + before + " -> " + purity);
        }
    }

    private static double purity(int[] a, int[] community, LeaveOneOutSplit split) {
        int[][] counts = new int[4][4];
        for (int i = 0; i < a.length; i++) {
            counts[a[i]][community[split.datasetUser(i)]]++;
        }
        int pure = 0;
        for (int[] row : counts) {
            pure += Arrays.stream(row).max().orElse(0);
        }
        return pure / (double) a.length;
    }
}
