package io.seqcl.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.seqcl.loss.RecLoss;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.Padding;
import io.seqcl.protocol.SampleMode;
import io.seqcl.optim.StepContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packed execution (issue 11) computes the same losses, gradients and scores as the padded path with dropout
 * off, for every Transformer model and both padding sides, on batches with sequences of length 1, exactly T and
 * truncated histories, for prefix and all-positions samples.
 */
class PackedExactnessTest {

    static final int T = 6;
    static final int N = 20;
    static final double TOL = 1e-5;

    /** A batch of training rows: lengths 1, T, truncated, and random in between, prefix or all-positions. */
    static Batch trainBatch(Padding padding, SampleMode mode, boolean negatives, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] lens = {1, T, T + 4, 2, 3, 5, 1, 4};
        int rows = lens.length;
        int[][] items = new int[rows][];
        int[][] targets = new int[rows][T];
        int[][] negs = negatives ? new int[rows][T] : null;
        int[] lengths = new int[rows];
        int[] users = new int[rows];
        for (int b = 0; b < rows; b++) {
            int[] hist = new int[lens[b] + 1];
            for (int i = 0; i < hist.length; i++) {
                hist[i] = 1 + r.nextInt(N);
            }
            int len = Math.min(T, lens[b]);
            int from = lens[b] - len;
            items[b] = Batch.pad(hist, from, lens[b], T, padding);
            lengths[b] = len;
            users[b] = b;
            int off = padding == Padding.RIGHT ? 0 : T - len;
            for (int i = 0; i < len; i++) {
                boolean last = i == len - 1;
                if (mode == SampleMode.ALL_POSITIONS || last) {
                    targets[b][off + i] = hist[from + i + 1];
                    if (negs != null) {
                        negs[b][off + i] = 1 + r.nextInt(N);
                    }
                }
            }
        }
        return new Batch(items, targets, negs, lengths, users, padding);
    }

    static int[][] histories() {
        SplittableRandom r = new SplittableRandom(5);
        int[] lens = {1, T, T + 3, 2, 4};
        int[][] h = new int[lens.length][];
        for (int b = 0; b < lens.length; b++) {
            h[b] = new int[lens[b]];
            for (int i = 0; i < lens[b]; i++) {
                h[b][i] = 1 + r.nextInt(N);
            }
        }
        return h;
    }

    /** Loss, gradients of every parameter, and scores of one model. */
    record Run(double loss, Map<String, float[]> grads, float[] scores) {
    }

    static Run run(SequentialRecommender m, Batch train, Padding padding, long stepSeed) {
        m.params().zeroGradients();
        double loss;
        try (NDScope s = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray l = m.loss(train, new StepContext(2, 3, new SplittableRandom(stepSeed), 10));
            loss = l.getFloat();
            gc.backward(l);
        }
        Map<String, float[]> grads = new java.util.TreeMap<>();
        for (String name : m.params().names()) {
            NDArray p = m.params().get(name);
            if (p.hasGradient()) {
                try (NDArray g = p.getGradient()) {
                    grads.put(name, g.toFloatArray());
                }
            }
        }
        m.params().zeroGradients();
        float[] scores;
        try (NDScope s = new NDScope()) {
            scores = m.scoreAll(Batch.ofHistories(histories(), null, T, padding)).toFloatArray();
        }
        return new Run(loss, grads, scores);
    }

    static void assertSame(Run padded, Run packed, String what) {
        assertEquals(padded.loss, packed.loss, TOL * Math.max(1, Math.abs(padded.loss)), what + " loss");
        assertClose(padded.scores, packed.scores, what + " scores");
        assertEquals(padded.grads.keySet(), packed.grads.keySet(), what + " gradient names");
        int nonzero = 0;
        for (String k : padded.grads.keySet()) {
            assertClose(padded.grads.get(k), packed.grads.get(k), what + " gradient of " + k);
            for (float v : padded.grads.get(k)) {
                if (v != 0) {
                    nonzero++;
                    break;
                }
            }
        }
        assertTrue(nonzero >= padded.grads.size() / 2, what + ": too few parameters received gradient");
    }

    /** Relative closeness in the max norm: {@code max|a-b| <= 1e-5 * max|a|} (plus a tiny absolute floor). */
    static void assertClose(float[] a, float[] b, String what) {
        assertEquals(a.length, b.length, what + " length");
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            assertTrue(Float.isFinite(a[i]) && Float.isFinite(b[i]), what + " not finite at " + i);
            scale = Math.max(scale, Math.abs(a[i]));
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        assertTrue(diff <= TOL * scale + 1e-9, what + ": max difference " + diff + " vs scale " + scale);
    }

    static void compare(Function<Boolean, SequentialRecommender> make, Batch train, Padding padding, String what) {
        try (SequentialRecommender padded = make.apply(false); SequentialRecommender packed = make.apply(true)) {
            assertSame(run(padded, train, padding, 7), run(packed, train, padding, 7), what);
        }
    }

    static SASRecConfig backbone(Padding padding, boolean packed) {
        SASRecConfig c = SASRecConfig.defaults().withMaxLen(T).withWidth(8).withDropout(0.0).withPadding(padding);
        return c.withTransformer(c.transformer().withPacked(packed));
    }

    @ParameterizedTest
    @EnumSource(Padding.class)
    void sasrecPrefixCrossEntropy(Padding padding) {
        compare(p -> new SASRec(N, backbone(padding, p), 3), trainBatch(padding, SampleMode.PREFIX, false, 1),
                padding, "SASRec CE " + padding);
    }

    @ParameterizedTest
    @EnumSource(Padding.class)
    void sasrecAllPositionsBce(Padding padding) {
        compare(p -> new SASRec(N, backbone(padding, p).withSampleMode(SampleMode.ALL_POSITIONS)
                        .withLoss(SASRecConfig.bceAllPositions().loss()), 3),
                trainBatch(padding, SampleMode.ALL_POSITIONS, true, 2), padding, "SASRec BCE " + padding);
    }

    @ParameterizedTest
    @EnumSource(Padding.class)
    void cl4srecWithMaskTokenAndPaddingMask(Padding padding) {
        for (MaskToken token : MaskToken.values()) {
            compare(p -> new CL4SRec(N, CL4SRecConfig.defaults().withBackbone(backbone(padding, p)).withLambda(0.3)
                            .withMaskToken(token).withMaskRatio(0.7), 3),
                    trainBatch(padding, SampleMode.PREFIX, false, 3), padding, "CL4SRec " + token + " " + padding);
        }
    }

    @ParameterizedTest
    @EnumSource(Padding.class)
    void duorecSupervisedAndUnsupervised(Padding padding) {
        io.seqcl.protocol.LeaveOneOutSplit split = io.seqcl.protocol.LeaveOneOutSplit.of(
                io.seqcl.data.SyntheticDataset.create(new io.seqcl.data.SyntheticConfig(40, N, 3, 12, 3, 0.3, 1.0, 7L))
                        .dataset());
        compare(p -> {
            DuoRec m = new DuoRec(N, DuoRecConfig.defaults().withBackbone(backbone(padding, p))
                    .withContrast(DuoRecConfig.Contrast.US), 3);
            m.prepare(split);
            return m;
        }, trainBatch(padding, SampleMode.PREFIX, false, 4), padding, "DuoRec " + padding);
    }

    @ParameterizedTest
    @EnumSource(Padding.class)
    void mclrecWithViewsMaskedToZero(Padding padding) {
        // mask ratio 0.9 with id 0: many views start with masked items (rows computed in full, see Packing)
        compare(p -> new MCLRec(N, MCLRecConfig.defaults().withBackbone(backbone(padding, p)).withLambda(0.2)
                        .withBeta(0.3).withMaskRatio(0.9), 3),
                trainBatch(padding, SampleMode.PREFIX, false, 5), padding, "MCLRec " + padding);
    }

    @ParameterizedTest
    @EnumSource(Padding.class)
    void metaSgclWithKlOverValidAndAllPositions(Padding padding) {
        // KL over the valid positions, over all positions (padding computed), and the valid ones over all slots
        for (int kl = 0; kl < 3; kl++) {
            boolean overPadding = kl == 1;
            boolean overSlots = kl == 2;
            compare(p -> {
                MetaSGCLConfig c = MetaSGCLConfig.defaults().withMaxLen(T).withWidth(8).withDropout(0.0)
                        .withPadding(padding).withKlOverPadding(overPadding).withKlOverSlots(overSlots);
                return new MetaSGCL(N, c.withTransformer(c.transformer().withPacked(p)), 3);
            }, trainBatch(padding, SampleMode.ALL_POSITIONS, false, 6), padding,
                    "Meta-SGCL klOverPadding=" + overPadding + " klOverSlots=" + overSlots + " " + padding);
        }
    }

    @ParameterizedTest
    @EnumSource(Padding.class)
    void contrastVaeVariantsWithAndWithoutTermsOverPadding(Padding padding) {
        for (ContrastVAEConfig.Variant v : ContrastVAEConfig.Variant.values()) {
            // terms over the padding (the reference), over the real positions, and the real positions' KL over all
            // slots
            for (int kl = 0; kl < 3; kl++) {
                boolean overPadding = kl == 0;
                boolean overSlots = kl == 2;
                compare(p -> {
                    ContrastVAEConfig c = ContrastVAEConfig.defaults().withMaxLen(T).withWidth(8).withDropout(0.0)
                            .withPadding(padding).withVariant(v).withClOverPadding(overPadding)
                            .withKlOverPadding(overPadding).withKlOverSlots(overSlots);
                    return new ContrastVAE(N, c.withTransformer(c.transformer().withPacked(p)), 3);
                }, trainBatch(padding, SampleMode.ALL_POSITIONS, true, 7), padding,
                        "ContrastVAE " + v + " overPadding=" + overPadding + " overSlots=" + overSlots + " " + padding);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Padding.class)
    void sasrecRowsWhoseItemsWereMaskedToZero(Padding padding) {
        // augmented rows (MCLRec masks with id 0): all real items 0, first items 0, and an ordinary row
        int[][] real = {{0, 0}, {0, 0, 3}, {0, 5, 6, 7}, {4, 0, 2}, {9}};
        int[][] items = new int[real.length][];
        int[][] targets = new int[real.length][];
        int[] lengths = new int[real.length];
        for (int b = 0; b < real.length; b++) {
            items[b] = Batch.pad(real[b], 0, real[b].length, T, padding);
            lengths[b] = real[b].length;
            targets[b] = new int[T];
            targets[b][padding == Padding.RIGHT ? lengths[b] - 1 : T - 1] = 1 + b;
        }
        Batch batch = new Batch(items, targets, null, lengths, new int[real.length], padding);
        compare(p -> new SASRec(N, backbone(padding, p), 3), batch, padding, "SASRec masked rows " + padding);
        try (SASRec padded = new SASRec(N, backbone(padding, false), 3);
             SASRec packed = new SASRec(N, backbone(padding, true), 3); NDScope s = new NDScope()) {
            assertClose(padded.scoreAll(batch).toFloatArray(), packed.scoreAll(batch).toFloatArray(),
                    "scores of masked rows " + padding);
        }
    }

    /** With dropout (and noise) on, a packed training run is reproducible: same seed, same metrics, twice. */
    @org.junit.jupiter.api.Test
    void packedTrainingWithDropoutIsDeterministicForTheSameSeed() {
        io.seqcl.protocol.LeaveOneOutSplit split = io.seqcl.protocol.LeaveOneOutSplit.of(
                io.seqcl.data.SyntheticDataset.create(new io.seqcl.data.SyntheticConfig(120, N, 3, 14, 3, 0.2, 1.0, 9L))
                        .dataset());
        io.seqcl.train.TrainConfig tc = io.seqcl.train.TrainConfig.defaults().withEpochs(2).withBatchSize(32)
                .withMaxStepsPerEpoch(3).withSeed(5);
        List<Function<Long, SequentialRecommender>> models = new ArrayList<>();
        models.add(seed -> new SASRec(N, SASRecConfig.defaults().withMaxLen(T).withWidth(8).withDropout(0.5),
                seed));
        models.add(seed -> new MetaSGCL(N, MetaSGCLConfig.defaults().withMaxLen(T).withWidth(8), seed));
        models.add(seed -> new ContrastVAE(N, ContrastVAEConfig.defaults().withMaxLen(T).withWidth(8)
                .withKlOverPadding(false).withClOverPadding(false), seed));
        for (Function<Long, SequentialRecommender> make : models) {
            int[][] ranks = new int[2][];
            double[] valid = new double[2];
            for (int run = 0; run < 2; run++) {
                try (SequentialRecommender m = make.apply(3L)) {
                    assertTrue(((io.seqcl.nn.TransformerConfig) transformerOf(m)).packed(), m.name() + " packed");
                    io.seqcl.train.TrainResult r = new io.seqcl.train.Trainer(tc).fit(m, split,
                            io.seqcl.train.ProgressListener.NONE);
                    ranks[run] = r.test().ranks();
                    valid[run] = r.valid().value("NDCG@10");
                }
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(ranks[0], ranks[1], "test ranks of two equal runs");
            assertEquals(valid[0], valid[1], 0.0, "validation NDCG@10 of two equal runs");
        }
    }

    private static Object transformerOf(SequentialRecommender m) {
        Object c = m.config();
        if (c instanceof SASRecConfig s) {
            return s.transformer();
        } else if (c instanceof MetaSGCLConfig s) {
            return s.transformer();
        }
        return ((ContrastVAEConfig) c).transformer();
    }
}
