package io.seqcl.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.seqcl.TestData;
import io.seqcl.config.Configs;
import io.seqcl.eval.HistoryMode;
import io.seqcl.experiment.Budget;
import io.seqcl.experiment.PaperSettings;
import io.seqcl.nn.Devices;
import io.seqcl.optim.StepContext;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.Padding;
import io.seqcl.protocol.SampleMode;
import io.seqcl.train.ProgressListener;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SRMA (baselines.md §11): layer drop, neuron masking, encoder complementing, live CL term, packed exactness. */
class SRMATest {

    private static final LeaveOneOutSplit SPLIT = LeaveOneOutSplit.of(TestData.smallSynthetic());

    private static SRMAConfig small(BaselinePreset p) {
        return SRMAConfig.defaults().withPreset(p).withMaxLen(20).withWidth(32).withDropout(0.2);
    }

    private static Batch batch(SRMAConfig c, int size) {
        return TermGradients.firstBatch(SPLIT, c, size);
    }

    private static float[] states(SRMA m, boolean training, boolean[] keep, Batch b) {
        try (NDScope scope = new NDScope()) {
            return m.states(training, false, keep, b).toFloatArray();
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    @Test
    void configRoundTripsAndValidates() {
        SRMAConfig c = SRMAConfig.paperTable().withComplementCheckpoint("run1/srma.bin")
                .withViewMode(SRMAConfig.ViewMode.DISTINCT);
        assertEquals(c, Configs.parse(SRMAConfig.class, Configs.toJson(c), "test"));
        assertEquals(c, Configs.parse(SRMAConfig.class, Configs.toYaml(c), "test"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.withLayerDrop(3)).getMessage()
                .contains("layerDrop"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.withAugLayers(-1)).getMessage()
                .contains("augLayers"));
        assertEquals(0.0, c.enWeight());
        SRMAConfig d = SRMAConfig.defaults();
        assertEquals(BaselinePreset.SEQCL, d.preset());
        assertEquals(2, d.augLayers());
        assertEquals(1, d.layerDrop());
        assertEquals(0.5, d.enWeight());
        assertEquals(0.1, d.encoder().transformer().attnDropout());
        assertEquals(0.5, d.encoder().transformer().hiddenDropout());
        assertEquals(Padding.LEFT, d.encoder().padding());
        assertEquals(d, ModelRegistry.get("srma").defaults());
        // the CoSeRec-family protocol follows the preset; the registry names the model
        assertEquals(PaperSettings.coserecFamilyTrain(Budget.FULL, 1),
                PaperSettings.trainFor(c, PaperSettings.Paper.MCLREC, Budget.FULL, 1));
        assertEquals(HistoryMode.ZERO, PaperSettings.trainFor(c, PaperSettings.Paper.MCLREC, Budget.FULL, 1)
                .history());
        assertEquals(PaperSettings.train(PaperSettings.Paper.MCLREC, Budget.FULL, 1),
                PaperSettings.trainFor(d, PaperSettings.Paper.MCLREC, Budget.FULL, 1));
        assertEquals("SRMA", PaperSettings.model("srma", TestData.smallSynthetic(), Budget.QUICK).name());
    }

    @Test
    void nceClosedForm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            assertEquals(0.551445, SRMAConfig.defaults().infoNCE().compute(z, z, null).getFloat(), 1e-5);
        }
    }

    @Test
    void layerDropDrawsMOfKUniformly() {
        SRMAConfig c = small(BaselinePreset.SEQCL).withAugLayers(4).withLayerDrop(2);
        try (SRMA m = new SRMA(SPLIT.numItems(), c, 1)) {
            SplittableRandom r = new SplittableRandom(3);
            int[] dropped = new int[4];
            int n = 4000;
            for (int i = 0; i < n; i++) {
                boolean[] keep = m.drawKeep(r);
                int off = 0;
                for (int k = 0; k < 4; k++) {
                    if (!keep[k]) {
                        off++;
                        dropped[k]++;
                    }
                }
                assertEquals(2, off);
            }
            for (int k = 0; k < 4; k++) {
                assertEquals(0.5, dropped[k] / (double) n, 0.03, "layer " + k);
            }
        }
    }

    @Test
    void trainingForwardIsOneOfTheSingleLayerForwardsAndEvalUsesBoth() {
        Devices.noGradOnThisThread();
        SRMAConfig c = small(BaselinePreset.SEQCL).withDropout(0.0);
        try (SRMA m = new SRMA(SPLIT.numItems(), c, 1)) {
            Batch b = batch(c, 16);
            float[] only0 = states(m, false, new boolean[] {true, false}, b);
            float[] only1 = states(m, false, new boolean[] {false, true}, b);
            float[] both = states(m, false, m.allLayers(), b);
            float[] none = states(m, false, null, b);
            assertTrue(maxDiff(only0, only1) > 1e-3, "the two layers are not distinguishable");
            assertTrue(maxDiff(both, only0) > 1e-3 && maxDiff(both, none) > 1e-3);
            SplittableRandom r = new SplittableRandom(8);
            int[] seen = new int[2];
            for (int i = 0; i < 10; i++) {
                float[] t = states(m, true, m.drawKeep(r), b);
                boolean is0 = maxDiff(t, only0) < 1e-6;
                boolean is1 = maxDiff(t, only1) < 1e-6;
                assertTrue(is0 ^ is1, "a training forward is not one single-layer forward");
                seen[is0 ? 0 : 1]++;
            }
            assertTrue(seen[0] > 0 && seen[1] > 0, Arrays.toString(seen));
            // shapes are kept whatever is dropped
            try (NDScope scope = new NDScope()) {
                Shape s = m.states(true, false, new boolean[] {false, false}, b).getShape();
                assertEquals(new Shape(b.size(), c.encoder().maxLen(), 32), s);
                assertEquals(s, m.states(true, false, m.allLayers(), b).getShape());
            }
            // scoreAll applies all K layers: its scores equal the last state of the two-layer composition
            Batch h = Batch.ofHistories(Arrays.copyOf(SPLIT.test().inputs(), 8), Arrays.copyOf(SPLIT.test().users(), 8),
                    c.encoder().maxLen(), c.encoder().padding());
            try (NDScope scope = new NDScope()) {
                NDArray last = SASRec.lastHidden(m.states(false, false, m.allLayers(), h), h);
                NDArray expect = last.matMul(m.params().get(SASRec.ITEM_EMBEDDING).transpose());
                assertTrue(maxDiff(expect.toFloatArray(), m.scoreAll(h).toFloatArray()) < 1e-4);
            }
        }
    }

    @Test
    void withoutDropAndDropoutTrainingEqualsEvaluation() {
        Devices.noGradOnThisThread();
        SRMAConfig c = small(BaselinePreset.SEQCL).withDropout(0.0).withLayerDrop(0);
        try (SRMA m = new SRMA(SPLIT.numItems(), c, 1)) {
            Batch b = batch(c, 16);
            assertEquals(0.0, maxDiff(states(m, true, m.drawKeep(new SplittableRandom(1)), b),
                    states(m, false, m.allLayers(), b)), 1e-7);
        }
    }

    @Test
    void neuronMaskingDropsTheConfiguredRate() {
        Devices.noGradOnThisThread();
        SRMAConfig c = small(BaselinePreset.SEQCL).withDropout(0.5);
        try (SRMA m = new SRMA(SPLIT.numItems(), c, 1); NDManager nd = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            NDArray x = nd.randomNormal(new Shape(400, 32)).add(nd.create(3f));
            float[] eval = m.branch(0, x, false).toFloatArray();
            float[] train = m.branch(0, x, true).toFloatArray();
            int zero = 0;
            int nonzeroEval = 0;
            for (int i = 0; i < eval.length; i++) {
                if (eval[i] == 0) {
                    continue;
                }
                nonzeroEval++;
                if (train[i] == 0) {
                    zero++;
                } else {
                    assertEquals(eval[i] * 2.0, train[i], 1e-4 * Math.max(1, Math.abs(train[i])));
                }
            }
            assertEquals(0.5, zero / (double) nonzeroEval, 0.02);
        }
    }

    @ParameterizedTest
    @EnumSource(SRMAConfig.ViewMode.class)
    void sameModeSharesOneDrawDistinctModeDrawsPerView(SRMAConfig.ViewMode mode) {
        Devices.noGradOnThisThread();
        // identity views (crop keeps all, no mask, no reorder) and no dropout: only the layer drop tells them apart
        SRMAConfig c = small(BaselinePreset.SEQCL).withDropout(0.0).withCropKeep(1.0).withMaskRatio(0.0)
                .withReorderRatio(0.0).withViewMode(mode);
        try (SRMA m = new SRMA(SPLIT.numItems(), c, 1)) {
            List<boolean[]> draws = new ArrayList<>();
            m.onDraw(draws::add);
            Batch b = batch(c, 16);
            int differ = 0;
            for (int step = 0; step < 8; step++) {
                try (NDScope scope = new NDScope()) {
                    NDArray[] z = m.viewEmbeddings(b, new StepContext(1, step, new SplittableRandom(step), 10));
                    if (maxDiff(z[0].toFloatArray(), z[1].toFloatArray()) > 1e-5) {
                        differ++;
                    }
                }
            }
            if (mode == SRMAConfig.ViewMode.SAME) {
                assertEquals(8, draws.size());
                assertEquals(0, differ, "the two views saw different layers in SAME mode");
            } else {
                assertEquals(16, draws.size());
                assertTrue(differ > 0, "DISTINCT mode never drew different layers");
            }
        }
    }

    private static Map<String, float[]> grads(SRMAConfig c, boolean clOnly) {
        try (SRMA m = new SRMA(SPLIT.numItems(), c, 3)) {
            m.prepare(SPLIT);
            return grads(m, batch(c, 32), clOnly);
        }
    }

    /** Gradients of one loss evaluation with fixed streams. */
    private static Map<String, float[]> grads(SRMA m, Batch b, boolean clOnly) {
        return TermGradients.of(m, b, clOnly ? m::contrastive : m::loss);
    }

    private static double maxDiff(Map<String, float[]> a, Map<String, float[]> b) {
        return TermGradients.maxDiff(a, b);
    }

    @ParameterizedTest
    @EnumSource(BaselinePreset.class)
    void contrastiveTermIsAlive(BaselinePreset p) {
        Map<String, float[]> on = grads(small(p), false);
        Map<String, float[]> off = grads(small(p).withLambda(0), false);
        Map<String, float[]> cl = grads(small(p), true);
        TermGradients.assertContrastiveAlive(on, off, cl);
    }

    @Test
    void complementingUsesTheFrozenEncoderAndNeverTrainsIt(@TempDir Path dir) throws Exception {
        SRMAConfig c = small(BaselinePreset.SEQCL);
        Path file = dir.resolve("run1.bin");
        try (SRMA run1 = new SRMA(SPLIT.numItems(), c, 7)) {
            run1.saveWeights(file);
            try (SRMA m = new SRMA(SPLIT.numItems(), c.withComplementCheckpoint(file.toString()), 3)) {
                assertNull(m.complement());
                m.prepare(SPLIT);
                SRMA g = m.complement();
                assertNotNull(g);
                Map<String, float[]> before = g.params().snapshot();
                Map<String, float[]> saved = run1.params().snapshot();
                for (String n : saved.keySet()) {
                    assertArrayEquals(saved.get(n), before.get(n), n);
                }
                assertEquals(new SRMA(SPLIT.numItems(), c, 1).params().names(), m.params().names(),
                        "the frozen encoder's parameters leaked into the trained store");
                Batch b = batch(c, 32);
                Map<String, float[]> withG = grads(m, b, true);
                Map<String, float[]> noWeight;
                try (SRMA z = new SRMA(SPLIT.numItems(), c.withEnWeight(0), 3)) {
                    z.complementWith(run1);
                    noWeight = grads(z, b, true);
                }
                Map<String, float[]> noEncoder = grads(c, true);
                assertTrue(maxDiff(withG, noWeight) > 1e-6, "the complementing term changes no gradient");
                assertEquals(0.0, maxDiff(noWeight, noEncoder), 1e-7, "enWeight 0 should equal no complement");
                // ten training steps leave the frozen encoder bit-identical
                TrainConfig tc = TrainConfig.defaults().withEpochs(1).withBatchSize(32).withMaxStepsPerEpoch(10)
                        .withSeed(5);
                new Trainer(tc).fit(m, SPLIT, ProgressListener.NONE);
                Map<String, float[]> after = m.complement().params().snapshot();
                for (String n : before.keySet()) {
                    assertArrayEquals(before.get(n), after.get(n), n);
                }
                assertFalse(Arrays.equals(saved.get(SASRec.ITEM_EMBEDDING),
                        m.params().snapshot().get(SASRec.ITEM_EMBEDDING)), "the trained model did not move");
            }
        }
        try (SRMA bad = new SRMA(SPLIT.numItems(), c.withComplementCheckpoint(dir.resolve("nope").toString()), 3)) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> bad.prepare(SPLIT)).getMessage()
                    .contains("complementCheckpoint"));
        }
    }

    @ParameterizedTest
    @EnumSource(BaselinePreset.class)
    void packedEqualsPadded(BaselinePreset preset) {
        Batch train = PackedExactnessTest.trainBatch(Padding.LEFT, SampleMode.ALL_POSITIONS, true, 3);
        PackedExactnessTest.compare(packed -> {
            SASRecConfig b = PackedExactnessTest.backbone(Padding.LEFT, packed);
            SRMAConfig c = SRMAConfig.defaults().withPreset(preset).withBackbone(
                    b.withSampleMode(SampleMode.ALL_POSITIONS).withLoss(SASRecConfig.bceAllPositions().loss()));
            return new SRMA(PackedExactnessTest.N, c, 3);
        }, train, Padding.LEFT, "SRMA " + preset);
    }
}
