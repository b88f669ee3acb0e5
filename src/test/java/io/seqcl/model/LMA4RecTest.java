package io.seqcl.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.seqcl.TestData;
import io.seqcl.config.Configs;
import io.seqcl.data.SequenceDataset;
import io.seqcl.experiment.PaperSettings;
import io.seqcl.nn.Ops;
import io.seqcl.optim.StepContext;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.Padding;
import io.seqcl.protocol.SampleMode;
import io.seqcl.protocol.TrainingSamples;
import io.seqcl.eval.HistoryMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LMA4Rec (baselines.md §12, seqcl's own design): ARM estimator, LBD masks, live CL and LBD terms, exactness. */
class LMA4RecTest {

    private static final LeaveOneOutSplit SPLIT = LeaveOneOutSplit.of(TestData.smallSynthetic());

    @Test
    void armIsUnbiasedOnTheSpecClosedForm() {
        // F(z) = (z - 0.3)^2, alpha 0.4: dE/dalpha = sigmoid'(0.4) (F(1) - F(0)) = 0.096104
        double alpha = 0.4;
        double s = 1 / (1 + Math.exp(-alpha));
        assertEquals(0.096104, s * (1 - s) * 0.4, 1e-6);
        SplittableRandom r = new SplittableRandom(1);
        int n = 400_000;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += LMA4Rec.armSample(z -> (z - 0.3) * (z - 0.3), alpha, r.nextDouble());
        }
        assertEquals(0.096104, sum / n, 0.001);
        // a function that does not depend on z has a zero estimate on every draw
        assertEquals(0, LMA4Rec.armSample(z -> 2.5, alpha, 0.77));
    }

    private static LMA4RecConfig small(LMA4RecConfig.Estimator e) {
        return LMA4RecConfig.of(CoSeRecConfig.defaults().withMaxLen(20).withWidth(32).withDropout(0.2), e);
    }

    @Test
    void lbdMasksAreRescaledAndKeepProbabilitiesAreInRange() {
        try (LMA4Rec m = new LMA4Rec(SPLIT.numItems(), small(LMA4RecConfig.Estimator.ARM).withInitKeep(0.8), 1);
             NDManager nd = NDManager.newBaseManager()) {
            assertEquals(7, m.sites()); // embedding + 3 per layer, 2 layers
            for (float p : m.keepProbabilities()) {
                assertEquals(0.8f, p, 1e-6f);
            }
            NDArray x = nd.ones(new Shape(200_000));
            Engine.getInstance().setRandomSeed(3);
            LMA4Rec.Draws us = new LMA4Rec.Draws();
            float[] y = Ops.withDropout(m.new Lbd(LMA4Rec.Mode.SAMPLE, us), () -> Ops.dropout(x, 0.2, true))
                    .toFloatArray();
            double mean = 0;
            int kept = 0;
            for (float v : y) {
                assertTrue(v == 0f || Math.abs(v - 1.25f) < 1e-5f, "mask entry " + v);
                mean += v;
                kept += v > 0 ? 1 : 0;
            }
            assertEquals(1.0, mean / y.length, 0.01); // expected activation unchanged
            assertEquals(0.8, kept / (double) y.length, 0.005);
            // the antithetic pair of ARM: z1 = 1[u > 1 - pi], z2 = 1[u < pi] on the same uniforms
            float[] z1 = Ops.withDropout(m.new Lbd(LMA4Rec.Mode.ARM_FIRST, us), () -> Ops.dropout(x, 0.2, true))
                    .toFloatArray();
            float[] u = us.uniforms.get(0).toFloatArray();
            for (int i = 0; i < 1000; i++) {
                assertEquals(u[i] > 0.2f, z1[i] > 0);
                assertEquals(u[i] < 0.8f, y[i] > 0);
            }
            // outside training the hook is never called: evaluation has no dropout
            assertArrayEquals(x.toFloatArray(), Ops.withDropout((a, r) -> {
                throw new AssertionError("hook called in eval");
            }, () -> Ops.dropout(x, 0.2, false)).toFloatArray());
        }
    }

    /** Gradients of one loss evaluation with fixed streams. */

    private static Map<String, float[]> grads(LMA4RecConfig c, boolean clOnly) {
        try (LMA4Rec m = new LMA4Rec(SPLIT.numItems(), c, 3)) {
            m.prepare(SPLIT);
            return TermGradients.of(m, TermGradients.firstBatch(SPLIT, c, 32), clOnly ? m::contrastive : m::loss);
        }
    }

    @ParameterizedTest
    @EnumSource(LMA4RecConfig.Estimator.class)
    void contrastiveTermAndLearnableDropoutAreAlive(LMA4RecConfig.Estimator e) {
        Map<String, float[]> on = grads(small(e), false);
        Map<String, float[]> off = grads(small(e).withLambda(0), false);
        Map<String, float[]> cl = grads(small(e), true);
        TermGradients.assertContrastiveAlive(on, off, cl);
        float[] ga = cl.get(LMA4Rec.ALPHA);
        int live = 0;
        for (float g : ga) {
            live += Math.abs(g) > 0 ? 1 : 0;
        }
        assertEquals(ga.length, live, "keep-probability logits without gradient: " + Arrays.toString(ga));
        assertTrue(Arrays.equals(new float[ga.length], off.get(LMA4Rec.ALPHA)), "lambda 0 must leave alpha alone");
    }

    @Test
    void armGradientOfAlphaHasAScoreFunctionPart() {
        // ARM's score part moves alpha beyond the pathwise 1/pi part that CONCRETE-free autograd alone would give
        LMA4RecConfig c = small(LMA4RecConfig.Estimator.ARM);
        Map<String, float[]> withArm = grads(c, true);
        try (LMA4Rec m = new LMA4Rec(SPLIT.numItems(), c, 3)) {
            m.prepare(SPLIT);
            Batch b = new TrainingSamples(SPLIT, c.sampleMode(), c.encoder().maxLen(), c.encoder().padding())
                    .epoch(32, new SplittableRandom(4), true).get(0);
            Engine.getInstance().setRandomSeed(11);
            float[] pathwise;
            try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                StepContext ctx = new StepContext(10, 5, new SplittableRandom(9), 100);
                Batch[] v = m.coserecForTest().views(b, ctx);
                NDArray nce = Ops.withDropout(m.new Lbd(LMA4Rec.Mode.SAMPLE, new LMA4Rec.Draws()),
                        () -> m.coserecForTest().contrastive(v, b.size()));
                gc.backward(nce);
                pathwise = m.params().get(LMA4Rec.ALPHA).getGradient().toFloatArray();
            }
            assertFalse(Arrays.equals(pathwise, withArm.get(LMA4Rec.ALPHA)), "no ARM term reached alpha");
        }
    }

    @Test
    void frozenHalfKeepMatchesCoSeRecDropoutInDistribution() {
        CoSeRecConfig base = CoSeRecConfig.defaults().withMaxLen(20).withWidth(32).withDropout(0.5);
        LMA4RecConfig c = LMA4RecConfig.of(base, LMA4RecConfig.Estimator.ARM).withLearnKeep(false);
        Batch b = new TrainingSamples(SPLIT, base.sampleMode(), 20, base.encoder().padding())
                .epoch(32, new SplittableRandom(4), true).get(0);
        int seeds = 60;
        double[] a = new double[seeds];
        double[] d = new double[seeds];
        try (LMA4Rec l = new LMA4Rec(SPLIT.numItems(), c, 3); CoSeRec r = new CoSeRec(SPLIT.numItems(), base, 3)) {
            l.prepare(SPLIT);
            r.prepare(SPLIT);
            assertTrue(l.params().names().stream().noneMatch(LMA4Rec.ALPHA::equals));
            for (int s = 0; s < seeds; s++) {
                try (NDScope scope = new NDScope()) {
                    Engine.getInstance().setRandomSeed(100 + s);
                    a[s] = l.contrastive(b, new StepContext(1, 1, new SplittableRandom(s), 10)).getFloat();
                    Engine.getInstance().setRandomSeed(100 + s);
                    d[s] = r.contrastive(b, new StepContext(1, 1, new SplittableRandom(s), 10)).getFloat();
                }
            }
        }
        double ma = Arrays.stream(a).average().orElseThrow();
        double md = Arrays.stream(d).average().orElseThrow();
        double va = Arrays.stream(a).map(x -> (x - ma) * (x - ma)).sum() / (seeds - 1);
        double vd = Arrays.stream(d).map(x -> (x - md) * (x - md)).sum() / (seeds - 1);
        double se = Math.sqrt(va / seeds + vd / seeds);
        assertTrue(Math.abs(ma - md) < 3 * se, "LBD(0.5) " + ma + " vs dropout 0.5 " + md + " se " + se);
        assertTrue(Arrays.stream(a).distinct().count() > seeds / 2, "LBD masks are not random");
    }

    @Test
    void configRoundTripsValidatesAndFollowsTheCoSeRecFamily() {
        LMA4RecConfig c = LMA4RecConfig.forBeauty(LMA4RecConfig.paperTable())
                .withEstimator(LMA4RecConfig.Estimator.CONCRETE);
        assertEquals(c, Configs.parse(LMA4RecConfig.class, Configs.toJson(c), "test"));
        assertEquals(c, Configs.parse(LMA4RecConfig.class, Configs.toYaml(c), "test"));
        assertEquals(CoSeRecConfig.forBeauty(CoSeRecConfig.paperTable()), c.coserec());
        assertThrows(IllegalArgumentException.class, () -> LMA4RecConfig.defaults().withInitKeep(1.0));
        assertThrows(IllegalArgumentException.class, () -> LMA4RecConfig.defaults().withInitKeep(0));
        assertThrows(IllegalArgumentException.class, () -> LMA4RecConfig.defaults().withShortOps("X"));
        assertEquals(12, ((LMA4RecConfig) PaperSettings.config("lma4rec", "beauty", 50)).augmentThreshold());
        assertEquals(BaselinePreset.SEQCL, LMA4RecConfig.defaults().preset());
        assertEquals(HistoryMode.ZERO, PaperSettings.trainFor(LMA4RecConfig.paperTable(),
                PaperSettings.Paper.MCLREC, io.seqcl.experiment.Budget.FULL, 1).history());
        assertTrue(ModelRegistry.get("lma4rec").description().contains("UNVERIFIED"));
    }

    @Test
    void packedEqualsPaddedWithIdentityLbd() {
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
        for (BaselinePreset preset : BaselinePreset.values()) {
            PackedExactnessTest.compare(packed -> {
                SASRecConfig b = PackedExactnessTest.backbone(Padding.LEFT, packed);
                LMA4RecConfig c = LMA4RecConfig.defaults().withPreset(preset).withLearnKeep(false).withInitKeep(1.0)
                        .withBackbone(b.withSampleMode(SampleMode.ALL_POSITIONS)
                                .withLoss(SASRecConfig.bceAllPositions().loss()));
                LMA4Rec m = new LMA4Rec(n, c, 3);
                m.prepare(split);
                return m;
            }, train, Padding.LEFT, "LMA4Rec " + preset);
        }
    }

    @Test
    void dropoutHookIsThreadLocalAndRestored() {
        try (NDManager nd = NDManager.newBaseManager()) {
            NDArray x = nd.ones(new Shape(4));
            Ops.DropoutSite twice = (a, r) -> a.add(a);
            Ops.DropoutSite thrice = (a, r) -> a.add(a).add(a);
            float[] out = Ops.withDropout(twice, () -> {
                float[] inner = Ops.withDropout(thrice, () -> Ops.dropout(x, 0, true)).toFloatArray();
                assertEquals(3f, inner[0]);
                return Ops.dropout(x, 0, true); // rate 0 sites are replaced too
            }).toFloatArray();
            assertEquals(2f, out[0]);
            assertThrows(IllegalStateException.class, () -> Ops.withDropout(twice, () -> {
                throw new IllegalStateException("boom");
            }));
            assertEquals(1f, Ops.dropout(x, 0, true).toFloatArray()[0]); // no hook left behind
        }
    }
}
