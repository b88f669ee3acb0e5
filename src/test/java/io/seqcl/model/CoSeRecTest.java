package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.seqcl.TestData;
import io.seqcl.augment.Augmentation;
import io.seqcl.augment.Insert;
import io.seqcl.augment.Substitute;
import io.seqcl.config.Configs;
import io.seqcl.data.SequenceDataset;
import io.seqcl.experiment.Budget;
import io.seqcl.experiment.PaperSettings;
import io.seqcl.nn.Devices;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.Padding;
import io.seqcl.protocol.SampleMode;
import io.seqcl.eval.HistoryMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CoSeRec (baselines.md §9): similarity models, augmenter, NCE closed form, live CL term, packed exactness. */
class CoSeRecTest {

    private static final int[][] CF = {{1, 2}, {1, 2, 3}, {2, 3}};

    @Test
    void itemCfIufMatchesTheClosedForm() {
        assertEquals(0.666093, ItemSimilarity.itemCfIufPair(CF, 1, 2), 1e-6);
        assertEquals(0.666093, ItemSimilarity.itemCfIufPair(CF, 2, 3), 1e-6);
        assertEquals(0.360674, ItemSimilarity.itemCfIufPair(CF, 1, 3), 1e-6);
        ItemSimilarity s = ItemSimilarity.itemCfIuf(3, CF, 1);
        assertEquals(2, s.top1(1));
        assertEquals(2, s.top1(3));
        assertEquals(1, s.top1(2)); // tie sim(2,1) = sim(2,3) broken by the first co-occurrence
        assertEquals(1f, s.score(1), 1e-6f); // normalised by the max over all pairs
        // an item without co-occurrence gets a (seeded) random item with score -1
        ItemSimilarity t = ItemSimilarity.itemCfIuf(4, CF, 1);
        assertEquals(-1f, t.score(4));
        assertEquals(t.top1(4), ItemSimilarity.itemCfIuf(4, CF, 1).top1(4));
    }

    @Test
    void onlineSimilarityExcludesSelfAndPaddingUnlessAsked() {
        try (NDManager m = NDManager.newBaseManager()) {
            // row 0 (padding) is the largest vector: only the PAPER_TABLE quirk may pick it
            NDArray e = m.create(new float[] {5, 5, 1, 0, 0.9f, 0.1f, 0, 1}, new Shape(4, 2));
            ItemSimilarity clean = ItemSimilarity.online(e, 3, false);
            assertEquals(2, clean.top1(1));
            assertEquals(1, clean.top1(2));
            assertEquals(2, clean.top1(3)); // 0.1 > 0 (item 1)
            ItemSimilarity quirk = ItemSimilarity.online(e, 3, true);
            assertEquals(0, quirk.top1(1));
            // min-max normalised over rows i = 1..N against the candidates (self pairs included): clean pairs lie
            // in [0, 1] with e1.e2 = 0.9; with the padding row the maximum is e1.e0 = 5
            assertEquals(0.9f, clean.score(1), 1e-6f);
            assertEquals(1f, quirk.score(1), 1e-6f);
        }
    }

    @Test
    void hybridWithOnlineScoresBelowOfflineIsOffline() {
        ItemSimilarity off = ItemSimilarity.of(new int[] {0, 2, 3, 1}, new float[] {0, 0.9f, 0.8f, 0.7f});
        ItemSimilarity on = ItemSimilarity.of(new int[] {0, 3, 1, 2}, new float[] {0, 0.5f, 0.4f, 0.3f});
        ItemSimilarity h = off.hybrid(on);
        for (int i = 1; i <= 3; i++) {
            assertEquals(off.top1(i), h.top1(i));
        }
        ItemSimilarity on2 = ItemSimilarity.of(new int[] {0, 3, 1, 2}, new float[] {0, 0.95f, 0.4f, 0.3f});
        assertEquals(3, off.hybrid(on2).top1(1));
        assertEquals(3, off.hybrid(on2).top1(2));
    }

    @Test
    void insertAndSubstituteKeepTheirShape() {
        int[] seq = {1, 2, 3, 4, 5};
        SplittableRandom rng = new SplittableRandom(1);
        for (int rep = 0; rep < 50; rep++) {
            int[] out = new Insert(0.4, i -> i + 100).apply(seq, 5, rng);
            assertEquals(7, out.length);
            assertArrayEquals(seq, Arrays.stream(out).filter(x -> x < 100).toArray()); // original order kept
            for (int k = 0; k < out.length; k++) {
                if (out[k] > 100) {
                    assertEquals(out[k] - 100, out[k + 1]); // the inserted item precedes its source
                }
            }
            int[] ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
            int[] sub = new Substitute(0.1, i -> i + 100).apply(ten, 20, rng);
            assertEquals(20, sub.length);
            assertEquals(2, Arrays.stream(sub).filter(x -> x > 100).count());
            assertEquals(1, Arrays.stream(new Substitute(0.1, i -> i + 100).apply(seq, 5, rng))
                    .filter(x -> x > 100).count());
        }
    }

    @Test
    void shortSequencesNeverGetCropOrReorderUnderSim() {
        Augmentation a = CoSeRecConfig.defaults().augmenter(i -> i + 100); // threshold 4, SIM
        int[] shortSeq = {1, 2, 3, 4};
        int[] longSeq = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        SplittableRandom rng = new SplittableRandom(3);
        boolean longCropOrReorder = false;
        for (int rep = 0; rep < 400; rep++) {
            int[] v = a.apply(shortSeq, 4, rng);
            assertTrue(!isCropOrReorder(shortSeq, v), Arrays.toString(v));
            longCropOrReorder |= isCropOrReorder(longSeq, a.apply(longSeq, 10, rng));
        }
        assertTrue(longCropOrReorder);
    }

    /** A crop (shorter, only original items) or a reorder (a different permutation of the same items). */
    private static boolean isCropOrReorder(int[] in, int[] out) {
        boolean onlyOriginal = Arrays.stream(out).allMatch(x -> x > 0 && x < 100);
        if (!onlyOriginal) {
            return false;
        }
        if (out.length < in.length) {
            return true;
        }
        int[] sorted = out.clone();
        Arrays.sort(sorted);
        return out.length == in.length && Arrays.equals(sorted, in) && !Arrays.equals(out, in);
    }

    @Test
    void nceClosedForm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            double v = CoSeRecConfig.defaults().infoNCE().compute(z, z, null).getFloat();
            assertEquals(Math.log(Math.E + 2) - 1, v, 1e-5);
            assertEquals(0.551445, v, 1e-5);
        }
    }

    @Test
    void configRoundTripsAndValidates() {
        CoSeRecConfig c = CoSeRecConfig.forBeauty(CoSeRecConfig.paperTable());
        assertEquals(c, Configs.parse(CoSeRecConfig.class, Configs.toJson(c), "test"));
        assertEquals(c, Configs.parse(CoSeRecConfig.class, Configs.toYaml(c), "test"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.withShortOps("XYZ")).getMessage()
                .contains("shortOps"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.withAugmentThreshold(-2)).getMessage()
                .contains("augmentThreshold"));
        assertEquals(Padding.LEFT, c.encoder().padding());
        assertEquals(SampleMode.ALL_POSITIONS, c.sampleMode());
        // the registry preset for Beauty and the CoSeRec-family protocol for the PAPER_TABLE preset
        SequenceDataset ds = TestData.smallSynthetic();
        assertEquals(12, ((CoSeRecConfig) PaperSettings.config("coserec", "beauty", 50)).augmentThreshold());
        assertEquals(HistoryMode.ZERO, PaperSettings.trainFor(c, PaperSettings.Paper.MCLREC, Budget.FULL, 1).history());
        // the clean default is trained and evaluated under the table's paper's protocol (MCLRec: history NONE)
        assertEquals(PaperSettings.Paper.MCLREC.protocol().history(), PaperSettings.trainFor(CoSeRecConfig.defaults(),
                PaperSettings.Paper.MCLREC, Budget.FULL, 1).history());
        assertEquals("CoSeRec", PaperSettings.model("coserec", ds, Budget.QUICK).name());
    }

    private static final LeaveOneOutSplit SPLIT = LeaveOneOutSplit.of(TestData.smallSynthetic());

    private static CoSeRecConfig small(BaselinePreset p) {
        return CoSeRecConfig.defaults().withPreset(p).withMaxLen(20).withWidth(32).withDropout(0.2);
    }

    @Test
    void epochHookSwitchesToTheHybridAfterTheWarmUp() {
        try (CoSeRec m = new CoSeRec(SPLIT.numItems(), small(BaselinePreset.SEQCL).withWarmUpEpochs(2), 1)) {
            m.prepare(SPLIT);
            ItemSimilarity off = m.currentSimilarity();
            Devices.noGradOnThisThread();
            m.onEpochStart(2, SPLIT, 5);
            assertSame(off, m.currentSimilarity());
            m.onEpochStart(3, SPLIT, 5);
            ItemSimilarity h = m.currentSimilarity();
            assertNotEquals(off, h);
            int changed = 0;
            for (int i = 1; i <= SPLIT.numItems(); i++) {
                assertTrue(h.score(i) >= off.score(i));
                changed += h.top1(i) != off.top1(i) ? 1 : 0;
            }
            assertTrue(changed > 0, "the online model never won");
        }
        try (CoSeRec m = new CoSeRec(SPLIT.numItems(), small(BaselinePreset.SEQCL).withWarmUpEpochs(0)
                .withSimilarityModel(CoSeRecConfig.SimilarityModel.OFFLINE), 1)) {
            m.prepare(SPLIT);
            ItemSimilarity off = m.currentSimilarity();
            m.onEpochStart(9, SPLIT, 5);
            assertSame(off, m.currentSimilarity());
        }
    }

    /** Gradients of one loss evaluation with fixed streams. */
    private static Map<String, float[]> grads(CoSeRecConfig c, boolean clOnly) {
        try (CoSeRec m = new CoSeRec(SPLIT.numItems(), c, 3)) {
            m.prepare(SPLIT);
            return TermGradients.of(m, TermGradients.firstBatch(SPLIT, c, 32), clOnly ? m::contrastive : m::loss);
        }
    }

    @ParameterizedTest
    @EnumSource(BaselinePreset.class)
    void contrastiveTermIsAlive(BaselinePreset p) {
        Map<String, float[]> on = grads(small(p), false);
        Map<String, float[]> off = grads(small(p).withLambda(0), false);
        Map<String, float[]> cl = grads(small(p), true);
        TermGradients.assertContrastiveAlive(on, off, cl);
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
            CoSeRecConfig c = CoSeRecConfig.defaults().withPreset(preset).withBackbone(
                    b.withSampleMode(SampleMode.ALL_POSITIONS).withLoss(SASRecConfig.bceAllPositions().loss()));
            CoSeRec m = new CoSeRec(n, c, 3);
            m.prepare(split);
            return m;
        }, train, Padding.LEFT, "CoSeRec " + preset);
    }
}
