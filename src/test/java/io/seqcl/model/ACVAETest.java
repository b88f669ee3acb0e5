package io.seqcl.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.seqcl.TestData;
import io.seqcl.data.SequenceDataset;
import io.seqcl.nn.Adam;
import io.seqcl.nn.Dense;
import io.seqcl.nn.Params;
import io.seqcl.optim.OptimConfig;
import io.seqcl.optim.StepContext;
import io.seqcl.optim.TrainStep;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.Padding;
import io.seqcl.train.EpochReport;
import io.seqcl.train.ProgressListener;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.TrainResult;
import io.seqcl.train.Trainer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ACVAE (baselines.md §7): the spec's closed forms, the AVB sanity check, the exact two-optimizer step, live terms, learning. */
class ACVAETest {

    private static final int N = 9;

    /** Small widths, no dropout anywhere (so two forwards with the same noise stream are identical). */
    private static ACVAEConfig tiny() {
        return ACVAEConfig.defaults().withMaxLen(5).withEmbeddingSize(8).withRnnSize(6).withLatentSize(4)
                .withDiscriminatorSize(8).withEmbedDropout(0).withEncoderDropout(0).withDiscriminatorDropout(0);
    }

    /** Right-padded all-positions batch. */
    private static Batch trainBatch() {
        int[][] items = {{1, 2, 3, 4, 5}, {6, 7, 8, 0, 0}, {2, 9, 0, 0, 0}};
        int[][] targets = {{2, 3, 4, 5, 6}, {7, 8, 9, 0, 0}, {9, 1, 0, 0, 0}};
        return new Batch(items, targets, null, new int[] {5, 3, 2}, new int[] {0, 1, 2}, Padding.RIGHT);
    }

    private static StepContext ctx(long seed) {
        return new StepContext(1, 1, new SplittableRandom(seed), 10);
    }

    private static double value(NDArray a) {
        return a.toType(DataType.FLOAT64, false).getDouble();
    }

    @Test
    void shuffleGivesRowBTheLatentOfRowBPlusOneModB() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(3, 2));
            assertArrayEquals(new float[] {3, 4, 5, 6, 1, 2}, ACVAE.shuffle(z).toFloatArray());
            NDArray one = m.create(new float[] {7, 8}, new Shape(1, 2));
            assertArrayEquals(new float[] {7, 8}, ACVAE.shuffle(one).toFloatArray());
        }
    }

    /** D = 0 everywhere: every real position contributes 2 ln 2 to the sum, which is divided by B. */
    @Test
    void contrastiveTermWithAZeroDiscriminatorIsTwoLn2PerRealPosition() {
        try (ACVAE m = new ACVAE(N, tiny(), 3); NDScope s = new NDScope()) {
            Map<String, float[]> snap = m.params().snapshot();
            java.util.Arrays.fill(snap.get("mi_disc.out.weight"), 0f);
            java.util.Arrays.fill(snap.get("mi_disc.out.bias"), 0f);
            m.params().restore(snap);
            ACVAE.Terms t = m.terms(trainBatch(), ctx(1));
            assertEquals(2 * Math.log(2) * 10 / 3, value(t.con()), 1e-5);
            assertEquals(value(t.rec()) + 0.05 * value(t.kl()) + 0.1 * value(t.con()), value(t.total()), 1e-5);
        }
    }

    /** The KL estimate is alpha (1/B) sum over real positions of mean_k T(e, z), with T zero at padding. */
    @Test
    void klAndReconstructionTermsEqualHandComputations() {
        Batch b = trainBatch();
        try (ACVAE m = new ACVAE(N, tiny(), 3); NDScope s = new NDScope()) {
            ACVAE.Encoded enc = m.encode(b, true, new SplittableRandom(4));
            ACVAE.Terms t = m.terms(b, enc);
            float[] tj = m.klDiscriminator(enc.e(), enc.z(), enc.mask(), true).toFloatArray();
            double kl = 0;
            for (int r = 0; r < 3; r++) {
                for (int p = 0; p < 5; p++) {
                    double mean = 0;
                    for (int k = 0; k < 4; k++) {
                        float v = tj[(r * 5 + p) * 4 + k];
                        if (b.items()[r][p] == 0) {
                            assertEquals(0f, v, 0f, "T is zero at padding");
                        }
                        mean += v / 4;
                    }
                    kl += mean;
                }
            }
            assertEquals(kl / 3, value(t.kl()), 1e-5);
            float[] logits = m.decode(enc.z()).toFloatArray();
            double rec = 0;
            for (int r = 0; r < 3; r++) {
                for (int p = 0; p < 5; p++) {
                    int y = b.targets()[r][p];
                    if (y == 0) {
                        continue;
                    }
                    int off = (r * 5 + p) * (N + 1);
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= N; j++) {
                        max = Math.max(max, logits[off + j]);
                    }
                    double z = 0;
                    for (int j = 0; j <= N; j++) {
                        z += Math.exp(logits[off + j] - max);
                    }
                    rec -= logits[off + y] - max - Math.log(z);
                }
            }
            assertEquals(rec / 3, value(t.rec()), 1e-4);
        }
    }

    /**
     * AVB sanity (discriminator only, 1-D, no x): T(z) trained with the logistic loss on z_q ~ N(1, 1) against
     * z_p ~ N(0, 1) tends to log q - log p = z - 1/2, so E_q[T] estimates KL(q || p) = 0.5.
     */
    @Test
    void priorLossTrainsADiscriminatorWhoseMeanIsTheKl() {
        try (Params p = new Params(); NDManager m = NDManager.newBaseManager()) {
            SplittableRandom init = new SplittableRandom(1);
            Dense l1 = new Dense(p, "l1", 1, 16, 0.5, init);
            Dense l2 = new Dense(p, "l2", 16, 1, 0.5, init);
            SplittableRandom r = new SplittableRandom(2);
            int n = 1024;
            Adam adam = null;
            for (int step = 0; step < 1600; step++) {
                if (step == 0 || step == 1000) {
                    adam = Adam.of(p, p.names(), step == 0 ? 1e-2 : 1e-3);   // a smaller step to settle the estimate
                }
                try (NDScope s = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray zq = sample(m, r, n, 1.0);
                    NDArray zp = sample(m, r, n, 0.0);
                    NDArray loss = ACVAE.priorLoss(mlp(l1, l2, zq), mlp(l1, l2, zp), m.ones(new Shape(n, 1)));
                    gc.backward(loss);
                }
                io.seqcl.nn.Devices.noGradOnThisThread();
                adam.step();
            }
            try (NDScope s = new NDScope()) {
                double kl = value(mlp(l1, l2, sample(m, r, 20000, 1.0)).mean());
                assertEquals(0.5, kl, 0.05, "E_q[T]");
            }
        }
    }

    private static NDArray sample(NDManager m, SplittableRandom r, int n, double mean) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (mean + r.nextGaussian());
        }
        return m.create(v, new Shape(n, 1, 1));
    }

    private static NDArray mlp(Dense l1, Dense l2, NDArray z) {
        return l2.forward(ACVAE.elu(l1.forward(z)));
    }

    /**
     * One training step: AdamW on the VAE, then SGD on the encoder and D_omega with the same gradients (the encoder
     * is updated twice), then SGD on T_psi; checked parameter by parameter against the closed forms of a first step.
     */
    @Test
    void stepUpdatesTheEncoderTwiceWithTheSameGradient() {
        ACVAEConfig c = tiny();
        Batch b = trainBatch();
        String enc = "encoder.out.weight";
        String dec = "decoder.linear1.weight";
        String mi = "mi_disc.out.weight";
        String kl = "kl_disc.out.weight";
        try (ACVAE m = new ACVAE(N, c, 3)) {
            Map<String, float[]> w0 = m.params().snapshot();
            Map<String, float[]> g = new java.util.HashMap<>();
            m.params().zeroGradients();
            try (NDScope s = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(m.loss(b, ctx(5)));
            }
            for (String n : List.of(enc, dec, mi)) {
                try (NDArray a = m.params().get(n).getGradient()) {
                    g.put(n, a.toFloatArray());
                }
            }
            m.params().zeroGradients();
            TrainStep step = m.newTrainStep(TrainConfig.defaults().optim());
            step.step(b, ctx(5));
            Map<String, float[]> w1 = m.params().snapshot();
            double lr = 1e-3;
            for (String n : List.of(enc, dec)) {
                float[] x0 = w0.get(n);
                float[] gr = g.get(n);
                float[] x1 = w1.get(n);
                for (int i = 0; i < x0.length; i++) {
                    double adamw = x0[i] * (1 - lr * 1e-2) - lr * gr[i] / (Math.abs(gr[i]) + 1e-8);
                    double expected = n.equals(enc) ? adamw - 3e-4 * (gr[i] + 0.1 * adamw) : adamw;
                    assertEquals(expected, x1[i], 2e-6, n + "[" + i + "]");
                }
            }
            float[] x0 = w0.get(mi);
            for (int i = 0; i < x0.length; i++) {
                assertEquals(x0[i] - 3e-4 * (g.get(mi)[i] + 0.1 * x0[i]), w1.get(mi)[i], 1e-7, mi + "[" + i + "]");
            }
            assertTrue(maxDiff(w0.get(kl), w1.get(kl)) > 0, "stage 2 trains the KL discriminator");
            Map<String, float[]> state = step.state();
            assertTrue(state.keySet().stream().anyMatch(k -> k.startsWith("primal/")), state.keySet().toString());
            assertTrue(state.containsKey("dual/t") && state.containsKey("prior/t"), state.keySet().toString());
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    private static float[] gradient(ACVAEConfig c, String name) {
        try (ACVAE m = new ACVAE(N, c, 3)) {
            m.params().zeroGradients();
            try (NDScope s = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(m.loss(trainBatch(), ctx(6)));
            }
            try (NDArray a = m.params().get(name).getGradient()) {
                return a.toFloatArray();
            }
        }
    }

    /** Dead-term checks: the KL and contrastive terms each change the encoder's gradient; D_omega gets gradient. */
    @Test
    void klAndContrastiveTermsAreAliveInTheEncodersGradient() {
        String w = "encoder.out.weight";
        float[] none = gradient(tiny().withKlWeight(0).withContrastWeight(0), w);
        float[] withKl = gradient(tiny().withContrastWeight(0), w);
        float[] withCon = gradient(tiny().withKlWeight(0), w);
        assertTrue(maxDiff(none, withKl) > 1e-6, "KL term dead: " + maxDiff(none, withKl));
        assertTrue(maxDiff(none, withCon) > 1e-6, "contrastive term dead: " + maxDiff(none, withCon));
        float[] mi = gradient(tiny(), "mi_disc.out.weight");
        assertTrue(maxDiff(mi, new float[mi.length]) > 1e-6, "D_omega receives no gradient");
    }

    /** alpha = beta = 0: only the reconstruction of the GRU + convolution model remains. */
    @Test
    void withoutBothWeightsTheLossIsTheReconstructionAndItDecreasesEveryEpoch() {
        try (ACVAE m = new ACVAE(N, tiny().withKlWeight(0).withContrastWeight(0), 3); NDScope s = new NDScope()) {
            ACVAE.Terms t = m.terms(trainBatch(), ctx(1));
            assertNull(t.kl());
            assertNull(t.con());
            assertEquals(value(t.rec()), value(t.total()), 0.0);
        }
        SequenceDataset data = TestData.smallSynthetic();
        LeaveOneOutSplit split = LeaveOneOutSplit.of(io.seqcl.experiment.PaperSettings.data(data,
                io.seqcl.experiment.Budget.QUICK, 1, 500));
        List<Double> losses = new ArrayList<>();
        ProgressListener record = new ProgressListener() {
            @Override
            public void onEpochEnd(EpochReport r) {
                losses.add(r.trainLoss());
            }
        };
        ACVAEConfig c = ACVAEConfig.defaults().withMaxLen(20).withEmbeddingSize(32).withRnnSize(32)
                .withLatentSize(16).withDiscriminatorSize(16).withKlWeight(0).withContrastWeight(0);
        try (ACVAE m = new ACVAE(data.numItems(), c, 5)) {
            new Trainer(TrainConfig.defaults().withEpochs(5).withPatience(10).withBatchSize(64).withSeed(5))
                    .fit(m, split, record);
        }
        assertEquals(5, losses.size());
        for (int i = 1; i < losses.size(); i++) {
            assertTrue(losses.get(i) < losses.get(i - 1), "training loss per epoch " + losses);
        }
    }

    @Test
    void scoringIsDeterministicWithDropoutAndNoiseInTheConfig() {
        Batch h = Batch.ofHistories(new int[][] {{1, 2, 3}, {4, 5, 6, 7, 8, 9}}, null, 5, Padding.RIGHT);
        try (ACVAE m = new ACVAE(N, ACVAEConfig.defaults().withMaxLen(5), 3); NDScope s = new NDScope()) {
            float[] a = m.scoreAll(h).toFloatArray();
            assertEquals(2 * (N + 1), a.length);
            assertArrayEquals(a, m.scoreAll(h).toFloatArray());
        }
    }

    @Test
    void configValidationNamesTheFieldAndPresetsApply() {
        ACVAEConfig d = ACVAEConfig.defaults();
        Map<String, org.junit.jupiter.api.function.Executable> bad = Map.of(
                "rnnSize", () -> d.withRnnSize(0),
                "embedDropout", () -> d.withEmbedDropout(1),
                "klWeight", () -> d.withKlWeight(-1),
                "dualLearningRate", () -> d.withDualLearningRate(0));
        bad.forEach((f, x) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, x);
            assertTrue(e.getMessage().contains(f), e.getMessage());
        });
        assertEquals(200, ((ACVAEConfig) ModelRegistry.get("acvae").presetFor("ml-1m")).maxLen());
        assertEquals(Padding.RIGHT, d.inputSpec().padding());
        assertEquals("ACVAE-1opt", ModelRegistry.get("acvae").nameFor(ACVAEConfig.simplified()));
    }

    /** The singleOptimizer simplification and the code's three optimizers both learn on the synthetic data (2x Pop). */
    @Test
    void learnsOnSyntheticData() {
        SequenceDataset data = TestData.smallSynthetic();
        LeaveOneOutSplit split = LeaveOneOutSplit.of(data);
        double pop;
        try (Pop p = new Pop(data.numItems())) {
            pop = new Trainer(TrainConfig.defaults().withEpochs(1)).fit(p, split, ProgressListener.NONE).test()
                    .value("HR@10");
        }
        ACVAEConfig c = ACVAEConfig.defaults().withMaxLen(20).withEmbeddingSize(64).withRnnSize(64)
                .withLatentSize(32).withDiscriminatorSize(64);
        TrainConfig tc = TrainConfig.defaults().withEpochs(8).withPatience(100).withBatchSize(128)
                .withLearningRate(3e-3).withSeed(5);
        for (ACVAEConfig cfg : new ACVAEConfig[] {c, c.withSingleOptimizer(true)}) {
            try (ACVAE m = new ACVAE(data.numItems(), cfg, 5)) {
                TrainResult r = new Trainer(tc).fit(m, split, ProgressListener.NONE);
                double hr = r.test().value("HR@10");
                System.out.printf(java.util.Locale.ROOT, "ACVAE synthetic (singleOptimizer %s): HR@10 %.4f NDCG@10 %.4f (Pop %.4f)%n",
                        cfg.singleOptimizer(), hr, r.test().value("NDCG@10"), pop);
                assertTrue(hr >= 2 * pop, "HR@10 " + hr + " vs Pop " + pop);
            }
        }
        assertNotNull(split);
    }
}
