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
import io.seqcl.loss.InfoNCE;
import io.seqcl.model.ContrastVAEConfig.Latent;
import io.seqcl.model.ContrastVAEConfig.Variant;
import io.seqcl.nn.Gaussian;
import io.seqcl.nn.Pooling;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.Padding;
import io.seqcl.train.ProgressListener;
import io.seqcl.optim.StepContext;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.TrainResult;
import io.seqcl.optim.TrainStep;
import io.seqcl.train.Trainer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContrastVAETest {

    private static final int N = 9;
    private static final SequenceDataset DATA = TestData.smallSynthetic();

    /** d 8, T 5, no dropout: training and evaluation forwards coincide for the deterministic latents. */
    private static ContrastVAEConfig tiny() {
        return ContrastVAEConfig.defaults().withMaxLen(5).withWidth(8).withDropout(0.0).withAnnealSteps(100);
    }

    /** Left-padded batch; only the last position has a target (and a negative), so scoreAll gives its logits. */
    private static Batch lastTargetBatch() {
        int[][] items = {{1, 2, 3, 4, 5}, {0, 0, 6, 7, 8}, {0, 0, 0, 2, 9}};
        int[][] targets = {{0, 0, 0, 0, 6}, {0, 0, 0, 0, 9}, {0, 0, 0, 0, 1}};
        int[][] negatives = {{0, 0, 0, 0, 7}, {0, 0, 0, 0, 3}, {0, 0, 0, 0, 4}};
        return new Batch(items, targets, negatives, new int[] {5, 3, 2}, new int[] {0, 1, 2}, Padding.LEFT);
    }

    /** All-positions batch with one negative per target position. */
    private static Batch trainBatch() {
        int[][] items = {{1, 2, 3, 4, 5}, {0, 0, 6, 7, 8}, {0, 0, 0, 2, 9}};
        int[][] targets = {{2, 3, 4, 5, 6}, {0, 0, 7, 8, 9}, {0, 0, 0, 9, 1}};
        int[][] negatives = {{7, 8, 9, 1, 1}, {0, 0, 1, 2, 3}, {0, 0, 0, 4, 5}};
        return new Batch(items, targets, negatives, new int[] {5, 3, 2}, new int[] {0, 1, 2}, Padding.LEFT);
    }

    private static StepContext ctx(long seed) {
        return new StepContext(1, 1, new SplittableRandom(seed));
    }

    private static double value(NDArray a) {
        return a.toType(DataType.FLOAT64, false).getDouble();
    }

    private static float[] floats(NDArray a) {
        return a.toType(DataType.FLOAT32, false).toFloatArray();
    }

    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** NT-Xent over 2B rows, cosine / tau, negatives = the other 2B-2 rows (cl4srec_duorec.md §2). */
    private static double ntXent(double[][] u1, double[][] u2, double tau) {
        int b = u1.length;
        double[][] all = new double[2 * b][];
        for (int i = 0; i < b; i++) {
            all[i] = u1[i];
            all[b + i] = u2[i];
        }
        double loss = 0;
        for (int i = 0; i < 2 * b; i++) {
            int partner = i < b ? i + b : i - b;
            double pos = cos(all[i], all[partner]) / tau;
            double denom = 0;
            for (int k = 0; k < 2 * b; k++) {
                if (k != i) {
                    denom += Math.exp(cos(all[i], all[k]) / tau);
                }
            }
            loss += -(pos - Math.log(denom));
        }
        return loss / (2 * b);
    }

    private static double cos(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int j = 0; j < a.length; j++) {
            ab += a[j] * b[j];
            aa += a[j] * a[j];
            bb += b[j] * b[j];
        }
        return ab / (Math.sqrt(aa) * Math.sqrt(bb));
    }

    /** Sum over all T positions of z = mu + m * sigma (m = 1, or a dropout multiplier per element). */
    private static double[][] pooled(float[] mu, float[] lv, float[] mult, int bsz, int t, int d) {
        double[][] u = new double[bsz][d];
        for (int b = 0; b < bsz; b++) {
            for (int p = 0; p < t; p++) {
                for (int j = 0; j < d; j++) {
                    int i = (b * t + p) * d + j;
                    u[b][j] += mu[i] + (mult == null ? 1 : mult[i]) * Math.exp(0.5 * lv[i]);
                }
            }
        }
        return u;
    }

    private static double klAllPositions(float[] mu, float[] lv, int positions) {
        double s = 0;
        for (int i = 0; i < mu.length; i++) {
            s += 0.5 * (mu[i] * (double) mu[i] + Math.exp(lv[i]) - 1 - lv[i]);
        }
        return s / positions;
    }

    @Test
    void lossTermsEqualHandComputationsFromThePosteriorAndTheScores() {
        ContrastVAEConfig cfg = tiny().withReparamDropout(0.0).withClWeight(0.6);
        try (ContrastVAE m = new ContrastVAE(N, cfg, 3); NDScope s = new NDScope()) {
            Batch b = lastTargetBatch();
            m.setStepsPerEpoch(10);
            StepContext c = new StepContext(2, 3, new SplittableRandom(1));   // t = 10 + 2 = 12 -> w = 0.12
            ContrastVAE.Terms t = m.terms(b, c);
            Gaussian g = m.posterior(b);
            float[] mu = floats(g.mean());
            float[] lv = floats(g.logVar());
            int d = 8;
            // KL: mean over all B*T = 15 positions of 1/2 sum_d (mu^2 + e^lv - 1 - lv); both views share X0
            double kl = klAllPositions(mu, lv, 15);
            assertEquals(kl, value(t.kl1()), 1e-5 * Math.max(1, kl));
            assertEquals(kl, value(t.kl2()), 1e-5 * Math.max(1, kl));
            // BCE with one negative at the single target position, from the evaluation scores (z1 = mu + sigma)
            float[] scores = floats(m.scoreAll(b));
            double bce = 0;
            for (int r = 0; r < 3; r++) {
                bce += softplus(-scores[r * (N + 1) + b.targets()[r][4]]) + softplus(scores[r * (N + 1)
                        + b.negatives()[r][4]]);
            }
            bce /= 3;
            assertEquals(bce, value(t.rec1()), 1e-5);
            assertEquals(bce, value(t.rec2()), 1e-5, "p = 0: view 2 equals view 1");
            // InfoNCE on u = sum over all T of z; with p = 0 both views coincide
            double[][] u = pooled(mu, lv, null, 3, 5, d);
            double cl = ntXent(u, u, 0.5);
            assertEquals(cl, value(t.cl()), 1e-5);
            assertNull(t.alphaPrior());
            assertEquals(0.12, t.klWeight(), 1e-12);
            double total = 2 * bce + 0.12 * 2 * kl + 0.6 * cl;
            assertEquals(total, value(t.total()), 1e-5);
            assertEquals(total, value(m.loss(b, c)), 1e-5);
            Map<String, Double> vals = t.values();
            assertEquals(java.util.List.of("rec1", "rec2", "kl1", "kl2", "cl", "klWeight", "clWeight", "total"),
                    java.util.List.copyOf(vals.keySet()));
        }
    }

    @Test
    void klOverSlotsIsTheRealPositionsMeanScaledByTheirShareOfTheSlots() {
        // trainBatch has 5 + 3 + 2 = 10 real positions of 3 x 5 = 15 slots; same weights, no dropout; the
        // reference (klOverPadding) adds the padding positions' KL to the same sum
        ContrastVAEConfig real = tiny().withReparamDropout(0.0).withKlOverPadding(false).withClOverPadding(false);
        try (ContrastVAE r = new ContrastVAE(N, real, 3);
             ContrastVAE s = new ContrastVAE(N, real.withKlOverSlots(true), 3);
             ContrastVAE all = new ContrastVAE(N, tiny().withReparamDropout(0.0), 3); NDScope scope = new NDScope()) {
            Batch b = trainBatch();
            ContrastVAE.Terms tr = r.terms(b, ctx(5));
            ContrastVAE.Terms ts = s.terms(b, ctx(5));
            ContrastVAE.Terms ta = all.terms(b, ctx(5));
            assertTrue(value(tr.kl1()) > 0 && value(tr.kl2()) > 0);
            assertEquals(value(tr.kl1()) * 10 / 15, value(ts.kl1()), 1e-6);
            assertEquals(value(tr.kl2()) * 10 / 15, value(ts.kl2()), 1e-6);
            // the reference's sum over all 15 slots = the real positions' sum + the 5 padding positions' KL
            Gaussian g = all.posterior(b);
            float[] mu = floats(g.mean());
            float[] lv = floats(g.logVar());
            double padding = 0;
            int[][] items = b.items();
            for (int row = 0; row < 3; row++) {
                for (int t = 0; t < 5; t++) {
                    int from = (row * 5 + t) * 8;
                    if (items[row][t] == 0) {
                        padding += klAllPositions(java.util.Arrays.copyOfRange(mu, from, from + 8),
                                java.util.Arrays.copyOfRange(lv, from, from + 8), 1);
                    }
                }
            }
            assertTrue(padding > 0);
            assertEquals(value(ta.kl1()), value(ts.kl1()) + padding / 15, 1e-5);
        }
        assertMessage("klOverSlots", () -> tiny().withKlOverSlots(true));
    }

    @Test
    void modelAugmentationViewTwoDropsSigmaWithTheMaskFromTheStepStream() {
        ContrastVAEConfig cfg = tiny().withReparamDropout(0.3);
        try (ContrastVAE m = new ContrastVAE(N, cfg, 4); NDScope s = new NDScope()) {
            Batch b = lastTargetBatch();
            ContrastVAE.Terms t = m.terms(b, ctx(9));
            Gaussian g = m.posterior(b);
            float[] mu = floats(g.mean());
            float[] lv = floats(g.logVar());
            // replay the stream: view 1 (R1) draws nothing, view 2 draws one uniform per element of [3, 5, 8]
            SplittableRandom r = new SplittableRandom(9);
            float[] mult = new float[mu.length];
            int dropped = 0;
            for (int i = 0; i < mult.length; i++) {
                mult[i] = r.nextDouble() < 0.3 ? 0f : (float) (1 / 0.7);
                dropped += mult[i] == 0 ? 1 : 0;
            }
            assertTrue(dropped > 0 && dropped < mult.length);
            double cl = ntXent(pooled(mu, lv, null, 3, 5, 8), pooled(mu, lv, mult, 3, 5, 8), 0.5);
            assertEquals(cl, value(t.cl()), 1e-5);
            assertNotEquals(value(t.rec1()), value(t.rec2()), 1e-6);
            assertEquals(0.0, t.klWeight(), "first step of the run: w_0 = 0");
        }
    }

    @Test
    void annealScheduleIsMinOfCapAndStepFraction() {
        ContrastVAEConfig c = ContrastVAEConfig.defaults();   // cap 0.2, 10000 steps
        assertEquals(0.0, c.klWeight(0));
        assertEquals(0.05, c.klWeight(500), 1e-12);
        assertEquals(0.1, c.klWeight(1000), 1e-12);
        assertEquals(0.2, c.klWeight(2000), 1e-12);
        assertEquals(0.2, c.klWeight(10_000_000), 1e-12);
        assertEquals(0.4, ContrastVAEConfig.tools().klWeight(5000), 1e-12);
        assertEquals(0.1, ContrastVAEConfig.office().klWeight(2000), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> c.klWeight(-1));
    }

    @Test
    void globalStepComesFromTheStepContextAndTheTrainersStepsPerEpoch() {
        try (ContrastVAE m = new ContrastVAE(DATA.numItems(), tiny().withAnnealSteps(20).withAnnealCap(1), 1)) {
            assertEquals(0, m.globalStep(new StepContext(1, 1, null)));
            assertEquals(4, m.globalStep(new StepContext(1, 5, null)));
            assertThrows(IllegalStateException.class, () -> m.globalStep(new StepContext(2, 1, null)));
            // the Trainer passes its (capped) number of steps per epoch in every context: 600 users / 128 -> 5
            assertEquals(5 * 2 + 1, m.globalStep(new StepContext(3, 2, null, 5)));
            assertEquals(0.55, m.klWeight(new StepContext(3, 2, null, 5)), 1e-12, "11 / 20");
            assertEquals(2 * 2 + 1, m.globalStep(new StepContext(3, 2, null, 2)));
            m.setStepsPerEpoch(5);   // hand-driven training: contexts without the epoch length
            assertEquals(5 * 2 + 1, m.globalStep(new StepContext(3, 2, null)));
        }
    }

    @Test
    void latentConstructionsBehaveAsSpecified() {
        try (ContrastVAE m = new ContrastVAE(N, tiny().withReparamDropout(0.25), 1);
             ContrastVAE vd = new ContrastVAE(N, tiny().withVariant(Variant.VARIATIONAL_AUGMENTATION), 1);
             NDScope s = new NDScope()) {
            NDManager mgr = m.params().manager();
            Shape shape = new Shape(2, 3, 4);
            float[] muV = new float[24];
            float[] lvV = new float[24];
            for (int i = 0; i < 24; i++) {
                muV[i] = (float) (0.1 * i - 1);
                lvV[i] = (float) (0.05 * i - 0.6);
            }
            Gaussian g = new Gaussian(mgr.create(muV, shape), mgr.create(lvV, shape));
            float[] plus = new float[24];
            for (int i = 0; i < 24; i++) {
                plus[i] = (float) (muV[i] + Math.exp(0.5 * lvV[i]));
            }
            // R1 without noise: mu + sigma in training and evaluation, no draw from the stream
            SplittableRandom r = new SplittableRandom(5);
            assertArrayEquals(plus, floats(m.latent(g, Latent.NO_NOISE, true, r)), 1e-6f);
            assertArrayEquals(plus, floats(m.latent(g, Latent.NO_NOISE, false, null)), 1e-6f);
            assertEquals(new SplittableRandom(5).nextLong(), r.nextLong(), "R1 must not draw");
            // every construction evaluates to mu + sigma, except R3 (noise in evaluation too)
            assertArrayEquals(plus, floats(m.latent(g, Latent.VANILLA, false, null)), 1e-6f);
            assertArrayEquals(plus, floats(m.latent(g, Latent.MODEL_AUGMENTATION, false, null)), 1e-6f);
            // R0 training: mu + sigma * eps with eps = the stream's Gaussians
            float[] z0 = floats(m.latent(g, Latent.VANILLA, true, new SplittableRandom(6)));
            SplittableRandom e = new SplittableRandom(6);
            for (int i = 0; i < 24; i++) {
                assertEquals(muV[i] + Math.exp(0.5 * lvV[i]) * (float) e.nextGaussian(), z0[i], 1e-5);
            }
            // R2 training: mu + sigma * {0 or 1/(1-p)}
            float[] z2 = floats(m.latent(g, Latent.MODEL_AUGMENTATION, true, new SplittableRandom(7)));
            SplittableRandom u = new SplittableRandom(7);
            int zeros = 0;
            for (int i = 0; i < 24; i++) {
                boolean drop = u.nextDouble() < 0.25;
                zeros += drop ? 1 : 0;
                assertEquals(muV[i] + (drop ? 0 : Math.exp(0.5 * lvV[i]) / 0.75), z2[i], 1e-5);
            }
            assertTrue(zeros > 0 && zeros < 24, "some but not all sigma dropped: " + zeros);
            // R3: mu + alpha sigma eps with alpha = sigmoid(0) = 0.5, also in evaluation
            assertEquals(0.5, vd.alpha(), 1e-12);
            for (boolean training : new boolean[] {true, false}) {
                float[] z3 = floats(vd.latent(g, Latent.VARIATIONAL_AUGMENTATION, training, new SplittableRandom(8)));
                SplittableRandom e3 = new SplittableRandom(8);
                for (int i = 0; i < 24; i++) {
                    assertEquals(muV[i] + 0.5 * Math.exp(0.5 * lvV[i]) * (float) e3.nextGaussian(), z3[i], 1e-5);
                }
            }
            assertThrows(IllegalStateException.class, () -> m.latent(g, Latent.VARIATIONAL_AUGMENTATION, true, r));
            assertTrue(Double.isNaN(m.alpha()));
        }
    }

    @Test
    void variationalScaleIsTrainedAndItsPriorTermMatchesTheFormula() {
        ContrastVAEConfig cfg = tiny().withVariant(Variant.VARIATIONAL_AUGMENTATION).withClWeight(0.3);
        try (ContrastVAE m = new ContrastVAE(N, cfg, 2)) {
            assertTrue(m.params().names().contains(ContrastVAE.ALPHA_LOGIT));
            double a = 0.5;
            double prior = -(0.5 * Math.log(a) + ContrastVAE.C1 * a + ContrastVAE.C2 * a * a + ContrastVAE.C3 * a * a * a);
            try (NDScope s = new NDScope()) {
                assertEquals(prior, value(m.alphaPrior()), 1e-6);
                ContrastVAE.Terms t = m.terms(trainBatch(), ctx(1));
                assertEquals(prior, value(t.alphaPrior()), 1e-6);
                assertEquals(value(t.rec1()) + value(t.rec2()) + 0.3 * value(t.cl()) + prior, value(t.total()),
                        1e-5, "w_0 = 0");
            }
            // the gradient of the loss reaches the logit a (through z2 and L_alpha) ...
            try (NDScope s = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(m.loss(trainBatch(), ctx(1)));
            }
            try (NDArray grad = m.params().get(ContrastVAE.ALPHA_LOGIT).getGradient()) {
                assertTrue(Math.abs(grad.toFloatArray()[0]) > 1e-6, "alpha logit gradient " + grad);
            }
            m.params().zeroGradients();
            // ... and a training step moves alpha
            TrainStep step = m.newTrainStep(TrainConfig.defaults().withLearningRate(1e-2).optim());
            step.step(trainBatch(), ctx(2));
            assertNotEquals(0.5, m.alpha(), 1e-4);
        }
        // without the VD variant there is no such parameter
        try (ContrastVAE m = new ContrastVAE(N, tiny(), 2)) {
            assertFalse(m.params().names().contains(ContrastVAE.ALPHA_LOGIT));
        }
    }

    @Test
    void vanillaHasOneViewAndDataAugmentationEncodesTheReorderedInput() {
        try (ContrastVAE v = new ContrastVAE(N, tiny().withVariant(Variant.VANILLA), 2);
             ContrastVAE da = new ContrastVAE(N, tiny().withVariant(Variant.DATA_AUGMENTATION)
                     .withReparamDropout(0), 2);
             NDScope s = new NDScope()) {
            ContrastVAE.Terms t = v.terms(trainBatch(), ctx(1));
            assertNull(t.rec2());
            assertNull(t.kl2());
            assertNull(t.cl());
            assertEquals(value(t.rec1()), value(t.total()), 1e-6, "w_0 = 0");
            // with p = 0 the views differ only through the reordered input of view 2
            ContrastVAE.Terms a = da.terms(trainBatch(), ctx(1));
            assertNotEquals(value(a.kl1()), value(a.kl2()), 1e-7);
        }
        // the reorder shuffles a window of floor(0.6 len) real items and keeps everything else
        Batch b = trainBatch();
        Batch r = ContrastVAE.reorder(b, 0.6, new SplittableRandom(3));
        for (int i = 0; i < b.size(); i++) {
            int[] x = b.items()[i].clone();
            int[] y = r.items()[i].clone();
            Arrays.sort(x);
            Arrays.sort(y);
            assertArrayEquals(x, y, "same multiset of items");
            int from = 5 - b.lengths()[i];
            for (int p = 0; p < from; p++) {
                assertEquals(0, r.items()[i][p], "padding stays");
            }
        }
        assertFalse(Arrays.equals(b.items()[0], r.items()[0]), "window of 3 in row 0 reordered with this seed");
        assertArrayEquals(b.items()[2], r.items()[2], "length 2: window of 1, nothing to shuffle");
        assertTrue(b.targets() == r.targets() && b.negatives() == r.negatives());
    }

    @Test
    void gradientsDoNotDependOnGarbageCollection() {
        ContrastVAEConfig cfg = tiny().withVariant(Variant.VARIATIONAL_AUGMENTATION).withWidth(16)
                .withClWeight(0.5);
        Batch batch = trainBatch();
        try (ContrastVAE m = new ContrastVAE(N, cfg, 5)) {
            m.setStepsPerEpoch(10);
            Map<String, float[]> ref = null;
            for (int rep = 0; rep < 6; rep++) {
                try (NDScope s = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = m.loss(batch, new StepContext(3, 2, new SplittableRandom(1)));
                    for (int i = 0; i < 3; i++) {
                        System.gc();
                        byte[][] junk = new byte[200][];
                        for (int j = 0; j < junk.length; j++) {
                            junk[j] = new byte[1 << 16];
                        }
                    }
                    gc.backward(loss);
                }
                Map<String, float[]> grads = new java.util.TreeMap<>();
                for (String n : m.params().names()) {
                    try (NDArray g = m.params().get(n).getGradient()) {
                        grads.put(n, g.toFloatArray());
                    }
                }
                m.params().zeroGradients();
                if (ref == null) {
                    ref = grads;
                    assertTrue(Math.abs(ref.get(ContrastVAE.ALPHA_LOGIT)[0]) > 0);
                } else {
                    for (String n : ref.keySet()) {
                        assertArrayEquals(ref.get(n), grads.get(n), "repetition " + rep + ", " + n);
                    }
                }
            }
        }
    }

    /**
     * d 32, T 20, spec loss and schedule (annealSteps 10000 as in the README: over 150 steps the KL weight stays
     * below 0.015, so the posterior cannot collapse here).
     */
    private static final ContrastVAEConfig SMALL = ContrastVAEConfig.defaults().withMaxLen(20).withWidth(32);

    private static TrainConfig quick(int epochs) {
        return TrainConfig.defaults().withEpochs(epochs).withBatchSize(128).withLearningRate(3e-3).withSeed(5);
    }

    private static TrainResult fit(ContrastVAEConfig cfg, TrainConfig tc, ProgressListener l) {
        try (ContrastVAE m = new ContrastVAE(DATA.numItems(), cfg, tc.seed())) {
            return new Trainer(tc).fit(m, LeaveOneOutSplit.of(DATA), l);
        }
    }

    @Test
    void configValidationNamesTheParameterAndToStringLogsEveryChoice() {
        ContrastVAEConfig d = ContrastVAEConfig.defaults();
        assertMessage("maxLen", () -> d.withMaxLen(0));
        assertMessage("initStd", () -> d.withInitStd(0));
        assertMessage("clWeight", () -> d.withClWeight(-0.1));
        assertMessage("reparamDropout", () -> d.withReparamDropout(1.0));
        assertMessage("annealCap", () -> d.withAnnealCap(Double.NaN));
        assertMessage("annealSteps", () -> d.withAnnealSteps(0));
        assertMessage("temperature", () -> d.withTemperature(0));
        assertMessage("variant", () -> d.withVariant(null));
        assertMessage("similarity", () -> d.withSimilarity(null));
        assertMessage("clPooling", () -> d.withClPooling(null));
        assertMessage("evalLatent", () -> d.withEvalLatent(null));
        assertMessage("reorderRate", () -> d.withReorderRate(1.5));
        assertMessage("alphaInit", () -> d.withAlphaInit(1.0));
        assertMessage("recObjective", () -> d.withRecObjective(null));
        // spec §6 Beauty row and common settings
        assertEquals(Variant.MODEL_AUGMENTATION, d.variant());
        assertEquals(0.6, d.clWeight());
        assertEquals(0.1, d.reparamDropout());
        assertEquals(128, d.transformer().hiddenSize());
        assertEquals(50, d.maxLen());
        assertEquals(0.3, d.transformer().hiddenDropout());
        assertEquals(0.0, d.transformer().attnDropout());
        assertEquals(1, d.transformer().layers());
        assertEquals(4, d.transformer().heads());
        assertEquals(512, d.transformer().innerSize());
        assertEquals(0.2, d.annealCap());
        assertEquals(10000, d.annealSteps());
        assertEquals(0.5, d.temperature());
        assertEquals(InfoNCE.Similarity.COSINE, d.similarity());
        assertEquals(Pooling.SUM, d.clPooling());
        assertEquals(Padding.LEFT, d.padding());
        assertEquals(MetaSGCLConfig.RecObjective.BCE_ALL_POS, d.recObjective());
        assertEquals(Variant.VARIATIONAL_AUGMENTATION, ContrastVAEConfig.toys().variant());
        assertEquals(100, ContrastVAEConfig.toys().maxLen());
        assertEquals(0.3, ContrastVAEConfig.toys().transformer().attnDropout());
        String s = d.toString();
        for (String field : new String[] {"variant=MODEL_AUGMENTATION", "clWeight=0.6", "reparamDropout=0.1",
                "annealCap=0.2", "annealSteps=10000", "temperature=0.5", "similarity=COSINE", "clOverPadding=true",
                "klOverPadding=true", "klOverSlots=false", "evalLatent=MU_PLUS_SIGMA", "recObjective=BCE_ALL_POS",
                "alphaPrior=true"}) {
            assertTrue(s.contains(field), field + " missing from " + s);
        }
        assertEquals(d.withClWeight(0.1).withClWeight(0.6), d);
    }

    private static void assertMessage(String name, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().startsWith(name + " "), ex.getMessage());
    }
}
