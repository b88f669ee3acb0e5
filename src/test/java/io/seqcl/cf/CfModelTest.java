package io.seqcl.cf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import io.seqcl.loss.SampledInfoNCE;
import io.seqcl.nn.Ops;
import io.seqcl.nn.Params;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CfModelTest {

    private static final CfConfig.Backbone MF = CfConfig.Backbone.MF;
    private static final CfConfig.Backbone LGN = CfConfig.Backbone.LIGHTGCN;

    /** Â of the 3-user graph written out by hand: nodes u0 u1 u2 i0 i1 i2 i3, deg u = 2 2 1, deg i = 1 2 1 1. */
    private static final double[][] A_HAT = hand();

    private static double[][] hand() {
        double[][] a = new double[7][7];
        double s2 = 1 / Math.sqrt(2);
        set(a, 0, 3, s2);        // u0-i0: 1/sqrt(2*1)
        set(a, 0, 4, 0.5);       // u0-i1: 1/sqrt(2*2)
        set(a, 1, 4, 0.5);       // u1-i1
        set(a, 1, 5, s2);        // u1-i2: 1/sqrt(2*1)
        set(a, 2, 6, 1.0);       // u2-i3: 1/sqrt(1*1)
        return a;
    }

    private static void set(double[][] a, int r, int c, double v) {
        a[r][c] = v;
        a[c][r] = v;
    }

    private static double[][] mul(double[][] a, double[][] e) {
        double[][] o = new double[a.length][e[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < a.length; k++) {
                for (int j = 0; j < e[0].length; j++) {
                    o[i][j] += a[i][k] * e[k][j];
                }
            }
        }
        return o;
    }

    @Test
    void lightGcnPropagationMatchesHandBuiltNormalisedAdjacency() {
        CfDataset d = CfTestData.threeUsers();
        CfConfig c = CfConfig.defaults().withBackbone(LGN).withLayers(2).withDim(3).withLoss(CfConfig.Loss.INFONCE);
        try (CfModel m = new CfModel(c, d, 5)) {
            Map<String, float[]> s = m.params().snapshot();
            double[][] e0 = new double[7][3];
            for (int n = 0; n < 7; n++) {
                for (int j = 0; j < 3; j++) {
                    e0[n][j] = n < 3 ? s.get(CfModel.USER)[n * 3 + j] : s.get(CfModel.ITEM)[(n - 3) * 3 + j];
                }
            }
            double[][] e1 = mul(A_HAT, e0);
            double[][] e2 = mul(A_HAT, e1);
            float[] got;
            try (NDScope scope = new NDScope()) {
                got = m.propagate().toFloatArray();
            }
            for (int n = 0; n < 7; n++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals((e0[n][j] + e1[n][j] + e2[n][j]) / 3, got[n * 3 + j], 1e-6, "node " + n + " dim " + j);
                }
            }
            // the triplets agree with the hand-built matrix entry by entry
            double[][] t = CfModel.adjacencyTriplets(d);
            assertEquals(10, t[0].length);
            for (int k = 0; k < t[0].length; k++) {
                assertEquals(A_HAT[(int) t[0][k]][(int) t[1][k]], t[2][k], 1e-12);
            }
        }
        // MF = layer 0 only
        try (CfModel m = new CfModel(c.withBackbone(MF), d, 5)) {
            Map<String, float[]> s = m.params().snapshot();
            try (NDScope scope = new NDScope()) {
                float[] got = m.propagate().toFloatArray();
                assertArrayEquals(s.get(CfModel.USER), Arrays.copyOfRange(got, 0, 9));
                assertArrayEquals(s.get(CfModel.ITEM), Arrays.copyOfRange(got, 9, 21));
            }
        }
    }

    private static final CfBatch BATCH = new CfBatch(new long[] {0, 1}, new long[] {1, 2},
            new long[] {2, 3, 3, 0, 3, 0}, 3);

    /** −log(e^{s⁺/τ} / (e^{s⁺/τ} + Σ_j w_j e^{s_j/τ})) by hand from the cosine scores. */
    private static double handLoss(CfModel m, double[][] weights) {
        Map<String, float[]> s = m.params().snapshot();
        int d = m.config().dim();
        double tau = m.config().temperature();
        double total = 0;
        for (int r = 0; r < BATCH.size(); r++) {
            float[] u = Arrays.copyOfRange(s.get(CfModel.USER), (int) BATCH.users()[r] * d, (int) (BATCH.users()[r] + 1) * d);
            double pos = Math.exp(cos(u, item(s, (int) BATCH.positives()[r], d)) / tau);
            double neg = 0;
            for (int j = 0; j < 3; j++) {
                neg += weights[r][j] * Math.exp(cos(u, item(s, (int) BATCH.negatives()[r * 3 + j], d)) / tau);
            }
            total += -Math.log(pos / (pos + neg));
        }
        return total / BATCH.size();
    }

    private static float[] item(Map<String, float[]> s, int i, int d) {
        return Arrays.copyOfRange(s.get(CfModel.ITEM), i * d, (i + 1) * d);
    }

    private static double cos(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    private static double loss(CfModel m) {
        try (NDScope scope = new NDScope()) {
            return m.terms(BATCH).loss().getFloat();
        }
    }

    @Test
    void advInfoNceWithUniformHardnessEqualsInfoNceWithNegativesWeightedByK() {
        CfDataset d = CfTestData.threeUsers();
        CfConfig base = CfConfig.defaults().withBackbone(MF).withDim(8).withTemperature(0.5).withKNeg(64);
        double[][] k = {{64, 64, 64}, {64, 64, 64}};
        double[][] one = {{1, 1, 1}, {1, 1, 1}};
        try (CfModel adv = new CfModel(base.withLoss(CfConfig.Loss.ADV_INFONCE), d, 3);
             CfModel ctl = new CfModel(base.withLoss(CfConfig.Loss.INFONCE_K), d, 3);
             CfModel plain = new CfModel(base.withLoss(CfConfig.Loss.INFONCE), d, 3)) {
            // uniform hardness: zero tables
            Map<String, float[]> s = adv.params().snapshot();
            Arrays.fill(s.get("hard.user"), 0f);
            Arrays.fill(s.get("hard.item"), 0f);
            adv.params().restore(s);
            assertArrayEquals(adv.params().snapshot().get(CfModel.USER), ctl.params().snapshot().get(CfModel.USER));
            double closed = handLoss(ctl, k);
            assertEquals(closed, loss(adv), 1e-5);
            assertEquals(closed, loss(ctl), 1e-5);
            assertEquals(handLoss(plain, one), loss(plain), 1e-5);
            assertTrue(loss(ctl) > loss(plain) + 1, "weighting negatives by 64 raises the loss");
            try (NDScope scope = new NDScope()) {
                assertEquals(0.0, adv.terms(BATCH).kl(), 1e-6, "uniform hardness has KL 0");
            }
        }
    }

    @Test
    void advInfoNceWithLearnedHardnessMatchesTheClosedForm() {
        CfDataset d = CfTestData.threeUsers();
        CfConfig c = CfConfig.defaults().withBackbone(MF).withDim(8).withTemperature(0.5).withKNeg(4)
                .withLoss(CfConfig.Loss.ADV_INFONCE);
        try (CfModel m = new CfModel(c, d, 9)) {
            Map<String, float[]> s = m.params().snapshot();
            int h = c.hardnessDim();
            double[][] w = new double[2][3];
            double klSum = 0;
            for (int r = 0; r < 2; r++) {
                double[] logit = new double[3];
                double z = 0;
                for (int j = 0; j < 3; j++) {
                    int u = (int) BATCH.users()[r];
                    int i = (int) BATCH.negatives()[r * 3 + j];
                    for (int q = 0; q < h; q++) {
                        logit[j] += s.get("hard.user")[u * h + q] * s.get("hard.item")[i * h + q];
                    }
                    z += Math.exp(logit[j]);
                }
                for (int j = 0; j < 3; j++) {
                    double p = Math.exp(logit[j]) / z;
                    w[r][j] = 4 * 3 * p;                   // k · N · p_uj
                    klSum += p * Math.log(3 * p);
                }
            }
            assertEquals(handLoss(m, w), loss(m), 1e-5);
            try (NDScope scope = new NDScope()) {
                assertEquals(klSum / 2, m.terms(BATCH).kl(), 1e-6);
            }
        }
    }

    @Test
    void adversarialStepsChangeOnlyTheHardnessModelAndMainStepsOnlyTheBackbone() {
        CfDataset d = CfTestData.threeUsers();
        for (CfConfig.Hardness hard : CfConfig.Hardness.values()) {
            for (CfConfig.Backbone b : CfConfig.Backbone.values()) {
                CfConfig c = CfConfig.defaults().withBackbone(b).withDim(8).withLoss(CfConfig.Loss.ADV_INFONCE)
                        .withHardness(hard).withAdv(1e-2, 5, 7);
                try (CfModel m = new CfModel(c, d, 1)) {
                    CfTrainer t = new CfTrainer(m, d, 2);
                    Map<String, float[]> before = m.params().snapshot();
                    t.adversarialStep(BATCH);
                    Map<String, float[]> afterAdv = m.params().snapshot();
                    for (String n : m.params().names()) {
                        boolean same = Arrays.equals(before.get(n), afterAdv.get(n));
                        if (CfModel.HARDNESS.test(n)) {
                            // MLP biases start at 0 and may stay 0 if ReLU is inactive; weights must move
                            if (!n.endsWith(".b")) {
                                assertFalse(same, hard + "/" + b + ": adversarial step did not change " + n);
                            }
                        } else {
                            assertTrue(same, hard + "/" + b + ": adversarial step changed backbone " + n);
                        }
                    }
                    t.mainStep(BATCH);
                    Map<String, float[]> afterMain = m.params().snapshot();
                    for (String n : m.params().names()) {
                        boolean same = Arrays.equals(afterAdv.get(n), afterMain.get(n));
                        assertEquals(CfModel.HARDNESS.test(n), same, hard + "/" + b + ": main step and " + n);
                    }
                }
            }
        }
    }

    @Test
    void adversarialStepAscendsTheLoss() {
        CfDataset d = CfTestData.threeUsers();
        CfConfig c = CfConfig.defaults().withBackbone(MF).withDim(8).withLoss(CfConfig.Loss.ADV_INFONCE)
                .withAdv(5e-2, 5, 7);
        try (CfModel m = new CfModel(c, d, 4)) {
            CfTrainer t = new CfTrainer(m, d, 2);
            double l0 = loss(m);
            for (int i = 0; i < 10; i++) {
                t.adversarialStep(BATCH);
            }
            assertTrue(loss(m) > l0, "adversarial steps must increase L_adv: " + l0 + " -> " + loss(m));
        }
    }

    @Test
    void minEpochsDefersEarlyStopping() {
        CfDataset d = CfTestData.threeUsers();
        // validate every epoch, patience 1; Recall@20 over 4 items is always 1, so no validation after the first
        // improves and the run stops at epoch 2 unless minEpochs defers the stop
        CfConfig c = CfConfig.defaults().withBackbone(MF).withDim(4).withLoss(CfConfig.Loss.INFONCE)
                .withBatchSize(2).withNegatives(2).withSchedule(8, 1, 1, 0);
        try (CfModel m = new CfModel(c, d, 3)) {
            CfTrainer.Result r = new CfTrainer(m, d, 2).fit("plain", io.seqcl.train.ProgressListener.NONE);
            assertEquals(2, r.curve().size());
            assertEquals(1, r.bestEpoch());
        }
        try (CfModel m = new CfModel(c.withMinEpochs(5), d, 3)) {
            CfTrainer.Result r = new CfTrainer(m, d, 2).fit("min5", io.seqcl.train.ProgressListener.NONE);
            assertEquals(5, r.curve().size());
            assertEquals(1, r.bestEpoch(), "the best weights are still those of the best validation");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.withMinEpochs(-1));
        assertTrue(e.getMessage().contains("minEpochs"), e.getMessage());
    }

    @Test
    void withoutHardnessModelThereIsNoAdversarialStep() {
        CfDataset d = CfTestData.threeUsers();
        try (CfModel m = new CfModel(CfConfig.defaults().withLoss(CfConfig.Loss.INFONCE_K), d, 1)) {
            assertTrue(m.params().names(CfModel.HARDNESS).isEmpty());
            CfTrainer t = new CfTrainer(m, d, 2);
            assertThrows(IllegalStateException.class, () -> t.adversarialStep(BATCH));
        }
    }

    @Test
    void configValidationNamesTheParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CfConfig.defaults().withTemperature(0));
        assertTrue(e.getMessage().contains("temperature"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CfConfig.defaults().withNegatives(-1));
        assertTrue(e.getMessage().contains("negatives"), e.getMessage());
        CfConfig coat = CfConfig.paper("coat", LGN, CfConfig.Loss.ADV_INFONCE);
        assertEquals(0.75, coat.temperature());
        assertEquals(20, coat.etaEpochs());
        assertEquals(15, coat.advInterval());
        assertEquals(1e-2, coat.advLearningRate());
        assertEquals(12, CfConfig.paper("yahoo", MF, CfConfig.Loss.ADV_INFONCE).etaEpochs());
        assertTrue(coat.toString().contains("temperature=0.75"));
    }

    @Test
    void samplerIsSeededAndNeverDrawsTrainingItemsAsNegatives() {
        CfDataset d = CfTestData.synthetic();
        CfSampler s = new CfSampler(d);
        var a = s.epoch(128, 16, 0, new java.util.SplittableRandom(3));
        var b = s.epoch(128, 16, 0, new java.util.SplittableRandom(3));
        assertEquals(d.numTrain() / 128, a.size());
        for (int k = 0; k < a.size(); k++) {
            assertArrayEquals(a.get(k).negatives(), b.get(k).negatives());
            assertArrayEquals(a.get(k).users(), b.get(k).users());
            CfBatch x = a.get(k);
            for (int r = 0; r < x.size(); r++) {
                int[] train = d.train((int) x.users()[r]);
                assertTrue(Arrays.binarySearch(train, (int) x.positives()[r]) >= 0);
                for (int j = 0; j < 16; j++) {
                    assertTrue(Arrays.binarySearch(train, (int) x.negatives()[r * 16 + j]) < 0);
                }
            }
        }
    }

    @Test
    void meanKlOfAPointMassIsLogN() {
        float[] logp = {0f, -100f, -100f, -100f};
        assertEquals(Math.log(4), CfModel.meanKl(logp, 1, 4), 1e-6);
    }

    @Test
    void gradientsDoNotDependOnGarbageCollection() {
        CfDataset d = CfTestData.synthetic();
        CfSampler sampler = new CfSampler(d);
        CfBatch b = sampler.epoch(256, 32, 1, new java.util.SplittableRandom(4)).get(0);
        for (CfConfig.Hardness hard : CfConfig.Hardness.values()) {
            CfConfig c = CfConfig.defaults().withBackbone(LGN).withDim(16).withLoss(CfConfig.Loss.ADV_INFONCE)
                    .withHardness(hard);
            try (CfModel m = new CfModel(c, d, 2)) {
                Map<String, float[]> ref = null;
                for (int rep = 0; rep < 6; rep++) {
                    Map<String, float[]> g = gradients(m, () -> {
                        CfModel.Terms t = m.terms(b);
                        for (int i = 0; i < 3; i++) {
                            System.gc();
                            byte[][] junk = new byte[200][];
                            for (int j = 0; j < junk.length; j++) {
                                junk[j] = new byte[1 << 16];
                            }
                        }
                        return t.loss().add(t.reg());
                    });
                    if (ref == null) {
                        ref = g;
                    } else {
                        for (String n : ref.keySet()) {
                            assertArrayEquals(ref.get(n), g.get(n), hard + " repetition " + rep + " parameter " + n);
                        }
                    }
                }
            }
        }
    }

    /**
     * The loss, regulariser and gradients of {@link CfModel#terms} equal the direct element-wise form (gather the
     * rows, normalise them, multiply and sum; the formulas as first written, before the whole-table scores, the
     * batched products and the table-wise normalisation) on each of its paths.
     */
    @Test
    void termsEqualTheElementwiseFormOnEveryPath() {
        CfBatch small = new CfBatch(new long[] {0, 5}, new long[] {7, 90}, new long[] {3, 40, 100, 64, 1, 119}, 3);
        CfDataset syn = CfTestData.synthetic();
        CfBatch large = new CfSampler(syn).epoch(64, 8, 1, new java.util.SplittableRandom(5)).get(0);
        record Case(String name, CfDataset data, CfBatch batch) {
        }
        CfBatch few = new CfBatch(new long[] {0, 5}, new long[] {7, 90},
                new long[] {3, 40, 100, 64, 1, 119, 2, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 8);
        CfBatch wide = new CfSampler(syn).epoch(64, 3, 1, new java.util.SplittableRandom(6)).get(0);
        // three users: 4 items <= 32 x 3, scored whole; 120 items, N 3, B 2: 120 > 32 x 3 and 120 > 2 x 4 drawn rows,
        // gathered rows normalised one by one; N 8, B 2 or 64: 120 <= 32 x 8, scored whole (the table normalised for
        // it, also where B 2 draws fewer rows); N 3, B 64: 120 > 32 x 3 but
        // 120 <= 64 x 4 drawn rows, gathered from the normalised table; the negatives' regulariser from the row norms
        // where the table has fewer rows than negatives (4 < 6, 120 < 512, 120 < 192), else from gathered rows
        List<Case> cases = List.of(new Case("three users", CfTestData.threeUsers(), BATCH),
                new Case("120 items, 2 users, 3 negatives", syn, small),
                new Case("120 items, 2 users, 8 negatives", syn, few),
                new Case("120 items, 64 users, 8 negatives", syn, large),
                new Case("120 items, 64 users, 3 negatives", syn, wide));
        for (Case k : cases) {
            for (CfConfig.Backbone b : CfConfig.Backbone.values()) {
                for (CfConfig.Loss l : CfConfig.Loss.values()) {
                    for (CfConfig.Hardness h : CfConfig.Hardness.values()) {
                        if (l != CfConfig.Loss.ADV_INFONCE && h != CfConfig.Hardness.EMBED) {
                            continue;
                        }
                        CfConfig c = CfConfig.defaults().withBackbone(b).withDim(8).withTemperature(0.3).withKNeg(4)
                                .withLoss(l).withHardness(h);
                        String what = k.name() + ", " + b + ", " + l + ", " + h;
                        try (CfModel m = new CfModel(c, k.data(), 6)) {
                            double[] fast = new double[2];
                            Map<String, float[]> gFast = gradients(m, () -> {
                                CfModel.Terms t = m.terms(k.batch());
                                fast[0] = value(t.loss());
                                fast[1] = value(t.reg());
                                return t.loss().add(t.reg());
                            });
                            double[] ref = new double[2];
                            Map<String, float[]> gRef = gradients(m, () -> {
                                NDArray[] t = elementwiseTerms(m, k.batch());
                                ref[0] = value(t[0]);
                                ref[1] = value(t[1]);
                                return t[0].add(t[1]);
                            });
                            assertEquals(ref[0], fast[0], 1e-5 * Math.abs(ref[0]), what + ": loss");
                            assertEquals(ref[1], fast[1], 1e-5 * Math.abs(ref[1]), what + ": regulariser");
                            assertTrue(ref[1] > 0, what + ": the regulariser is not zero");
                            for (String n : gRef.keySet()) {
                                float[] r = gRef.get(n);
                                float[] f = gFast.get(n);
                                double scale = 0;
                                for (float v : r) {
                                    scale = Math.max(scale, Math.abs(v));
                                }
                                for (int i = 0; i < r.length; i++) {
                                    assertEquals(r[i], f[i], 1e-5 * scale + 1e-9,
                                            what + ": gradient of " + n + "[" + i + "]");
                                }
                            }
                            assertTrue(gRef.values().stream().anyMatch(g -> {
                                for (float v : g) {
                                    if (v != 0) {
                                        return true;
                                    }
                                }
                                return false;
                            }), what + ": some gradient is not zero");
                        }
                    }
                }
            }
        }
    }

    private static double value(NDArray x) {
        return x.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
    }

    /** Gradients of every parameter (frozen or not) of {@code loss}, read and zeroed. */
    private static Map<String, float[]> gradients(CfModel m, java.util.function.Supplier<NDArray> loss) {
        CfModel.noGrad();
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        try (NDScope s = new NDScope();
             ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            gc.backward(loss.get());
        }
        for (String n : m.params().names()) {
            try (NDArray g = m.params().get(n).getGradient()) {
                out.put(n, g.toFloatArray());
            }
        }
        m.params().zeroGradients();
        return out;
    }

    /** {loss, reg} of a batch in the direct element-wise form (gathered rows, products summed over d). */
    private static NDArray[] elementwiseTerms(CfModel m, CfBatch b) {
        ai.djl.ndarray.NDManager nm = m.params().manager();
        CfConfig c = m.config();
        int bs = b.size();
        int n = b.numNegatives();
        NDArray users = nm.create(b.users());
        NDArray pos = nm.create(b.positives());
        NDArray neg = nm.create(b.negatives(), new ai.djl.ndarray.types.Shape(bs, n));
        NDArray offset = nm.create((long) m.numUsers());
        NDArray e = m.propagate();
        NDArray u = Ops.rows(e, users);
        NDArray p = Ops.rows(e, pos.add(offset));
        NDArray q = Ops.rows(e, neg.add(offset));
        if (c.trainNorm()) {
            u = Ops.l2Normalize(u, 1e-12);
            p = Ops.l2Normalize(p, 1e-12);
            q = Ops.l2Normalize(q, 1e-12);
        }
        NDArray sPos = u.mul(p).sum(new int[] {1}, true).div(c.temperature());
        NDArray sNeg = q.mul(u.expandDims(1)).sum(new int[] {2}).div(c.temperature());
        SampledInfoNCE loss = CfModel.lossOf(c);
        NDArray l;
        if (c.loss() == CfConfig.Loss.ADV_INFONCE) {
            Params ps = m.params();
            NDArray hu;
            NDArray hi;
            if (c.hardness() == CfConfig.Hardness.EMBED) {
                hu = Ops.rows(ps.get("hard.user"), users);
                hi = Ops.rows(ps.get("hard.item"), neg);
            } else {
                NDArray pu = Ops.rows(ps.get(CfModel.USER), users).stopGradient();
                NDArray qi = Ops.rows(ps.get(CfModel.ITEM), neg).stopGradient();
                hu = pu.matMul(ps.get("hard.user.w")).add(ps.get("hard.user.b")).maximum(0f);
                hi = qi.matMul(ps.get("hard.item.w")).add(ps.get("hard.item.b")).maximum(0f);
            }
            l = loss.compute(sPos, sNeg, hi.mul(hu.expandDims(1)).sum(new int[] {2}).logSoftmax(1));
        } else {
            l = loss.compute(sPos, sNeg);
        }
        NDArray p0 = Ops.rows(m.params().get(CfModel.USER), users);
        NDArray q0 = Ops.rows(m.params().get(CfModel.ITEM), pos);
        NDArray n0 = Ops.rows(m.params().get(CfModel.ITEM), neg);
        NDArray sq = p0.square().sum().add(q0.square().sum()).add(n0.square().sum());
        return new NDArray[] {l, sq.mul(0.5 * c.regs() / bs)};
    }
}
