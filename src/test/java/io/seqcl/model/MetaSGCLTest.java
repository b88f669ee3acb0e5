package io.seqcl.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.seqcl.TestData;
import io.seqcl.data.SequenceDataset;
import io.seqcl.loss.InfoNCE;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.Padding;
import io.seqcl.optim.MetaTwoStageStep;
import io.seqcl.train.ProgressListener;
import io.seqcl.optim.SingleLossStep;
import io.seqcl.optim.StepContext;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.TrainResult;
import io.seqcl.optim.TrainStep;
import io.seqcl.train.Trainer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetaSGCLTest {

    private static final int N = 9;
    private static final SequenceDataset DATA = TestData.smallSynthetic();

    private static MetaSGCLConfig tiny(double dropout) {
        return MetaSGCLConfig.defaults().withMaxLen(5).withWidth(8).withDropout(dropout);
    }

    /** {@link #tiny} without dropout and with the stage-2 loss FULL (for the checks of what FULL's L' holds). */
    private static MetaSGCLConfig tinyFull() {
        return tiny(0.0).withMetaLoss(MetaSGCLConfig.MetaLoss.FULL);
    }

    /** Left-padded all-positions batch; row 0 is full length so every position embedding is used. */
    private static Batch trainBatch() {
        int[][] items = {{1, 2, 3, 4, 5}, {0, 0, 6, 7, 8}, {0, 0, 0, 2, 9}};
        int[][] targets = {{2, 3, 4, 5, 6}, {0, 0, 7, 8, 9}, {0, 0, 0, 9, 1}};
        return new Batch(items, targets, null, new int[] {5, 3, 2}, new int[] {0, 1, 2}, Padding.LEFT);
    }

    private static StepContext ctx(long seed) {
        return new StepContext(1, 1, new SplittableRandom(seed));
    }

    private static TrainConfig tc() {
        return TrainConfig.defaults().withLearningRate(1e-2);
    }

    private static boolean isMeta(String name) {
        return name.startsWith(MetaSGCL.META_PREFIX);
    }

    private static double value(NDArray a) {
        return a.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
    }

    @Test
    void stageOneUpdatesOnlyThetaAndStageTwoOnlyTheMetaEncoderBitForBit() {
        try (MetaSGCL m = new MetaSGCL(N, tiny(0.1), 3)) {
            assertEquals(2, m.params().names(MetaSGCL.META_GROUP).size(), "meta.logvar.weight and .bias");
            MetaTwoStageStep step = assertInstanceOf(MetaTwoStageStep.class, m.newTrainStep(tc().optim()));
            Batch b = trainBatch();
            Map<String, float[]> s0 = m.params().snapshot();
            step.stage1(b, ctx(1));
            Map<String, float[]> s1 = m.params().snapshot();
            step.stage2(b, ctx(2));
            Map<String, float[]> s2 = m.params().snapshot();
            for (String n : s0.keySet()) {
                if (isMeta(n)) {
                    assertArrayEquals(s0.get(n), s1.get(n), "stage 1 changed meta parameter " + n);
                    assertFalse(Arrays.equals(s1.get(n), s2.get(n)), "stage 2 left meta parameter " + n);
                } else {
                    assertFalse(Arrays.equals(s0.get(n), s1.get(n)), "stage 1 left parameter " + n);
                    assertArrayEquals(s1.get(n), s2.get(n), "stage 2 changed parameter " + n);
                }
            }
            // a second full step repeats the pattern with the optimizer states carried over
            step.stage1(b, ctx(3));
            Map<String, float[]> s3 = m.params().snapshot();
            for (String n : s0.keySet()) {
                if (isMeta(n)) {
                    assertArrayEquals(s2.get(n), s3.get(n), n);
                }
            }
        }
    }

    @Test
    void optimizerStateOfBothStagesRoundTrips() {
        try (MetaSGCL a = new MetaSGCL(N, tiny(0.0), 3); MetaSGCL b = new MetaSGCL(N, tiny(0.0), 3)) {
            TrainStep sa = a.newTrainStep(tc().optim());
            TrainStep sb = b.newTrainStep(tc().optim());
            sa.step(trainBatch(), ctx(1));
            Map<String, float[]> st = sa.state();
            assertTrue(st.keySet().stream().anyMatch(k -> k.startsWith("stage1/m/decoder.")));
            assertTrue(st.containsKey("stage2/m/meta.logvar.weight"));
            assertTrue(st.keySet().stream().allMatch(k -> k.startsWith("stage1/") || k.startsWith("stage2/")));
            b.params().restore(a.params().snapshot());
            sb.loadState(st);
            sa.step(trainBatch(), ctx(2));
            sb.step(trainBatch(), ctx(2));
            Map<String, float[]> pa = a.params().snapshot();
            Map<String, float[]> pb = b.params().snapshot();
            for (String n : pa.keySet()) {
                assertArrayEquals(pa.get(n), pb.get(n), n);
            }
        }
    }

    @Test
    void metaAndJointSchedulesGiveDifferentParameters() {
        MetaSGCLConfig meta = tiny(0.0);
        MetaSGCLConfig joint = meta.withSchedule(MetaSGCLConfig.Schedule.JOINT);
        try (MetaSGCL a = new MetaSGCL(N, meta, 3); MetaSGCL b = new MetaSGCL(N, joint, 3)) {
            assertArrayEquals(a.params().snapshot().get("meta.logvar.weight"),
                    b.params().snapshot().get("meta.logvar.weight"));
            TrainStep sa = a.newTrainStep(tc().optim());
            TrainStep sb = b.newTrainStep(tc().optim());
            assertInstanceOf(SingleLossStep.class, sb);
            for (int i = 0; i < 3; i++) {
                sa.step(trainBatch(), ctx(10 + i));
                sb.step(trainBatch(), ctx(10 + i));
            }
            Map<String, float[]> pa = a.params().snapshot();
            Map<String, float[]> pb = b.params().snapshot();
            int differ = 0;
            for (String n : pa.keySet()) {
                for (float v : pa.get(n)) {
                    assertTrue(Float.isFinite(v), n);
                }
                if (!Arrays.equals(pa.get(n), pb.get(n))) {
                    differ++;
                }
            }
            assertEquals(pa.size(), differ, "every parameter should differ between META and JOINT");
        }
    }

    @Test
    void lossIsTheWeightedSumOfItsTermsAndZeroWeightsRemoveTerms() {
        MetaSGCLConfig full = tinyFull().withAlpha(0.5).withBeta(0.25);
        try (MetaSGCL m = new MetaSGCL(N, full, 7); MetaSGCL noCl = new MetaSGCL(N, full.withAlpha(0), 7);
             MetaSGCL noKl = new MetaSGCL(N, full.withBeta(0), 7); NDScope s = new NDScope()) {
            Batch b = trainBatch();
            MetaSGCL.Terms t = m.terms(b, ctx(5), Set.of(MetaSGCL.Term.values()));
            double rec1 = value(t.rec1());
            double rec2 = value(t.rec2());
            double kl1 = value(t.kl1());
            double kl2 = value(t.kl2());
            double cl = value(t.cl());
            assertTrue(rec1 > 0 && rec2 > 0 && kl1 > 0 && kl2 > 0 && cl > 0);
            assertEquals(rec1 + rec2 + 0.25 * (kl1 + kl2) + 0.5 * cl, value(m.loss(b, ctx(5))), 1e-5);
            // -cl: the CL term is not computed at all and the loss is the sum of the other terms
            assertNull(noCl.terms(b, ctx(5), noCl.mainTerms()).cl());
            assertEquals(rec1 + rec2 + 0.25 * (kl1 + kl2), value(noCl.loss(b, ctx(5))), 1e-5);
            // -kl: no KL term
            MetaSGCL.Terms tk = noKl.terms(b, ctx(5), noKl.mainTerms());
            assertNull(tk.kl1());
            assertNull(tk.kl2());
            assertEquals(rec1 + rec2 + 0.5 * cl, value(noKl.loss(b, ctx(5))), 1e-5);
            // stage-2 loss (FULL) = Lrs2 + beta KL2 + alpha Lcl
            assertEquals(rec2 + 0.25 * kl2 + 0.5 * cl, value(m.metaLoss(b, ctx(5))), 1e-5);
        }
    }

    @Test
    void klOverSlotsIsTheValidMeanScaledByTheRealShareOfTheSlots() {
        // trainBatch has 5 + 3 + 2 = 10 real positions of 3 x 5 = 15 slots; same weights and noise, no dropout
        MetaSGCLConfig c = tiny(0.0);
        try (MetaSGCL valid = new MetaSGCL(N, c, 7); MetaSGCL slots = new MetaSGCL(N, c.withKlOverSlots(true), 7);
             NDScope s = new NDScope()) {
            Batch b = trainBatch();
            Set<MetaSGCL.Term> kl = Set.of(MetaSGCL.Term.KL1, MetaSGCL.Term.KL2);
            MetaSGCL.Terms tv = valid.terms(b, ctx(5), kl);
            MetaSGCL.Terms ts = slots.terms(b, ctx(5), kl);
            assertTrue(value(tv.kl1()) > 0 && value(tv.kl2()) > 0);
            assertEquals(value(tv.kl1()) * 10 / 15, value(ts.kl1()), 1e-6);
            assertEquals(value(tv.kl2()) * 10 / 15, value(ts.kl2()), 1e-6);
        }
        assertMessage("klOverSlots", () -> c.withKlOverPadding(true).withKlOverSlots(true));
    }

    @Test
    void metaEncoderGetsGradientOnlyThroughTheSecondView() {
        // with metaLoss CL and alpha 0, Phi receives no gradient: stage 2 is skipped and Phi stays at init
        try (MetaSGCL m = new MetaSGCL(N, tiny(0.0).withAlpha(0).withMetaLoss(MetaSGCLConfig.MetaLoss.CL), 3)) {
            assertTrue(m.metaTerms().isEmpty());
            Map<String, float[]> s0 = m.params().snapshot();
            TrainStep step = m.newTrainStep(tc().optim());
            step.step(trainBatch(), ctx(1));
            step.step(trainBatch(), ctx(2));
            assertArrayEquals(s0.get("meta.logvar.weight"), m.params().snapshot().get("meta.logvar.weight"));
        }
        // the gradient of Lrs1 + beta KL1 w.r.t. the meta encoder is exactly zero; that of Lrs2 is not
        try (MetaSGCL m = new MetaSGCL(N, tiny(0.0), 3)) {
            assertEquals(0.0, metaGradNorm(m, Set.of(MetaSGCL.Term.REC1, MetaSGCL.Term.KL1)));
            assertTrue(metaGradNorm(m, Set.of(MetaSGCL.Term.REC2)) > 0);
            assertTrue(metaGradNorm(m, Set.of(MetaSGCL.Term.CL)) > 0);
        }
    }

    @Test
    void underTheFullStageTwoLossTheMetaGradientIsTheJointOneAndUnderClItIsNot() {
        // issue 12 item 6, metasgcl.md section 5 caveat: L - L'(FULL) = Lrs1 + beta KL1, which does not depend on
        // Phi, so at the same weights, noise and (here: no) dropout stage 2 on FULL gives Phi the gradient that
        // joint training gives it; the paper's L' = Lcl gives alpha * dLcl/dPhi, a different direction
        String[] phi = {"meta.logvar.weight", "meta.logvar.bias"};
        try (MetaSGCL m = new MetaSGCL(N, tinyFull(), 3)) {
            Batch b = trainBatch();
            Map<String, float[]> joint = TermGradients.of(m, b, m::loss);
            Map<String, float[]> full = TermGradients.of(m, b, m::metaLoss);
            for (String n : phi) {
                assertTrue(norm(joint.get(n)) > 1e-6, n + " has no joint gradient");
                assertArrayEquals(joint.get(n), full.get(n), 1e-6f * (float) norm(joint.get(n)), n);
            }
        }
        try (MetaSGCL m = new MetaSGCL(N, tiny(0.0).withMetaLoss(MetaSGCLConfig.MetaLoss.CL), 3)) {
            Batch b = trainBatch();
            Map<String, float[]> joint = TermGradients.of(m, b, m::loss);
            Map<String, float[]> cl = TermGradients.of(m, b, m::metaLoss);
            Map<String, float[]> clAlone = TermGradients.of(m, b,
                    (x, c) -> m.terms(x, c, Set.of(MetaSGCL.Term.CL)).sum(m.config().alpha(), 0));
            Map<String, float[]> rest = TermGradients.of(m, b,
                    (x, c) -> m.terms(x, c, Set.of(MetaSGCL.Term.REC2, MetaSGCL.Term.KL2, MetaSGCL.Term.CL))
                            .sum(0, m.config().beta())); // CL at weight 0 keeps view 1's noise draw first
            for (String n : phi) {
                float scale = (float) norm(joint.get(n));
                assertArrayEquals(clAlone.get(n), cl.get(n), 1e-6f * scale, n);
                // joint - stage 2 = d(Lrs2 + beta KL2)/dPhi, which is not zero: the two stage-2 losses differ
                float[] d = joint.get(n).clone();
                for (int i = 0; i < d.length; i++) {
                    d[i] -= cl.get(n)[i];
                }
                assertArrayEquals(rest.get(n), d, 1e-5f * scale, n);
                assertTrue(norm(rest.get(n)) > 1e-3 * scale, n + ": d(Lrs2 + beta KL2)/dPhi vanishes");
            }
        }
    }

    @Test
    void stageTwoWithThetaFrozenGivesPhiTheGradientItGetsWithThetaTrainable() {
        // stage 2 freezes Theta, the item table with it: SASRec.recLoss then takes RecLoss.computeFrozenTable, which
        // skips the table's product; Phi's gradient must be the one it gets when nothing is frozen (under FULL, whose
        // Lrs2 reads the table; the default L' = alpha Lcl does not)
        String[] phi = {"meta.logvar.weight", "meta.logvar.bias"};
        try (MetaSGCL m = new MetaSGCL(N, tinyFull(), 3)) {
            Batch b = trainBatch();
            Map<String, float[]> open = TermGradients.of(m, b, m::metaLoss);
            m.params().setTrainable(MetaSGCL.META_GROUP.negate(), false);
            try {
                assertFalse(m.params().get(SASRec.ITEM_EMBEDDING).hasGradient(), "a frozen leaf reports no gradient");
                Map<String, float[]> frozen = TermGradients.of(m, b, m::metaLoss);
                assertEquals(Set.of(phi), frozen.keySet(), "only Phi takes a gradient in stage 2");
                for (String n : phi) {
                    float scale = (float) norm(open.get(n));
                    assertTrue(scale > 1e-6, n + " has no gradient");
                    assertArrayEquals(open.get(n), frozen.get(n), 1e-6f * scale, n);
                }
            } finally {
                m.params().setTrainable(MetaSGCL.META_GROUP.negate(), true);
            }
        }
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static double metaGradNorm(MetaSGCL m, Set<MetaSGCL.Term> which) {
        m.params().zeroGradients();
        try (NDScope s = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(m.terms(trainBatch(), ctx(4), which).sum(1, 1));
        }
        double norm = 0;
        try (NDArray g = m.params().get("meta.logvar.weight").getGradient()) {
            for (float v : g.toFloatArray()) {
                norm += v * v;
            }
        }
        m.params().zeroGradients();
        return norm;
    }

    @Test
    void scoreAllUsesThePosteriorMeanDeterministicallyWithOneColumnPerItemPlusPadding() {
        try (MetaSGCL m = new MetaSGCL(N, tiny(0.5), 3);
             MetaSGCL ms = new MetaSGCL(N, tiny(0.5).withEvalLatent(MetaSGCLConfig.EvalLatent.MU_PLUS_SIGMA), 3);
             NDScope s = new NDScope()) {
            Batch h = Batch.ofHistories(new int[][] {{1, 2, 3}, {4}, {5, 6, 7, 8, 9, 1}}, null, 5, Padding.LEFT);
            NDArray a = m.scoreAll(h);
            assertEquals(new ai.djl.ndarray.types.Shape(3, N + 1), a.getShape());
            assertArrayEquals(a.toFloatArray(), m.scoreAll(h).toFloatArray());
            assertFalse(Arrays.equals(a.toFloatArray(), ms.scoreAll(h).toFloatArray()));
        }
    }

    /**
     * d = 32, T = 20. On this tiny data set beta = 0.2 keeps the posterior collapsed for more than 30 epochs
     * (the decoder ignores z, HR@10 equals Pop's); beta = 0.05 escapes after about 15 epochs. MEAN pooling keeps
     * the dot-product InfoNCE logits small (metasgcl.md §4 flag clPooling).
     */
    private static final MetaSGCLConfig SMALL = MetaSGCLConfig.defaults().withMaxLen(20).withWidth(32)
            .withBeta(0.05).withClPooling(io.seqcl.nn.Pooling.MEAN);

    private static TrainConfig quick(int epochs) {
        return TrainConfig.defaults().withEpochs(epochs).withBatchSize(128).withLearningRate(3e-3).withSeed(5);
    }

    private static TrainResult fit(TrainConfig tc) {
        return fit(SMALL, tc);
    }

    private static TrainResult fit(MetaSGCLConfig cfg, TrainConfig tc) {
        try (MetaSGCL m = new MetaSGCL(DATA.numItems(), cfg, tc.seed())) {
            return new Trainer(tc).fit(m, LeaveOneOutSplit.of(DATA), ProgressListener.NONE);
        }
    }

    @Test
    void configValidationNamesTheParameterAndToStringLogsEveryChoice() {
        MetaSGCLConfig d = MetaSGCLConfig.defaults();
        assertMessage("alpha", () -> d.withAlpha(-0.1));
        assertMessage("beta", () -> d.withBeta(Double.NaN));
        assertMessage("temperature", () -> d.withTemperature(0));
        assertMessage("maxLen", () -> d.withMaxLen(0));
        assertMessage("initStd", () -> d.withInitStd(0));
        assertMessage("metaLearningRate", () -> d.withMetaLearningRate(-1));
        assertMessage("schedule", () -> d.withSchedule(null));
        assertMessage("metaLoss", () -> d.withMetaLoss(null));
        assertMessage("similarity", () -> d.withSimilarity(null));
        assertMessage("clPooling", () -> d.withClPooling(null));
        assertEquals(0.03, d.alpha());
        assertEquals(0.2, d.beta());
        assertEquals(1.0, d.temperature());
        assertEquals(InfoNCE.Similarity.DOT, d.similarity());
        assertEquals(InfoNCE.Negatives.BOTH_VIEWS, d.clNegatives());
        assertEquals(Padding.LEFT, d.padding());
        assertEquals(256, d.transformer().innerSize());
        assertEquals(0.2, d.transformer().hiddenDropout());
        String s = d.toString();
        for (String field : new String[] {"alpha=0.03", "beta=0.2", "schedule=META", "metaLoss=CL",
                "clPooling=SUM", "sharedEncoderPass=false", "sharedNoise=false", "klOverPadding=false",
                "evalLatent=MU", "recObjective=CE_ALL_POS", "thirdStep=false", "metaLearningRate=0.0"}) {
            assertTrue(s.contains(field), field + " missing from " + s);
        }
        assertEquals(d.withAlpha(0.5).withAlpha(0.03), d);
    }

    private static void assertMessage(String name, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().startsWith(name + " "), ex.getMessage());
    }
}
