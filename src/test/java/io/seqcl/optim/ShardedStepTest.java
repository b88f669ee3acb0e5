package io.seqcl.optim;

import ai.djl.ndarray.NDArray;
import io.seqcl.TestData;
import io.seqcl.data.SequenceDataset;
import io.seqcl.model.CL4SRec;
import io.seqcl.model.CL4SRecConfig;
import io.seqcl.model.InputSpec;
import io.seqcl.model.SASRec;
import io.seqcl.model.SASRecConfig;
import io.seqcl.nn.Devices;
import io.seqcl.nn.Params;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.TrainingSamples;
import io.seqcl.train.ProgressListener;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.TrainResult;
import io.seqcl.train.Trainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ShardedStep}: the batch's loss and gradients from row ranges trained on several threads at once. */
class ShardedStepTest {

    private static final SequenceDataset DATA = TestData.smallSynthetic();
    private static final LeaveOneOutSplit SPLIT = LeaveOneOutSplit.of(DATA);

    private static Map<String, float[]> gradients(Params p, java.util.function.Predicate<String> which) {
        Map<String, float[]> g = new LinkedHashMap<>();
        for (String n : p.names(which)) {
            try (NDArray a = p.get(n).getGradient()) {
                g.put(n, a.toFloatArray());
            }
        }
        return g;
    }

    private static Batch batch(io.seqcl.model.SequentialRecommender m, int size) {
        InputSpec in = m.inputSpec();
        return new TrainingSamples(SPLIT, in.sampleMode(), in.maxLen(), in.padding())
                .epoch(size, new SplittableRandom(3), in.needsNegatives()).get(0);
    }

    /** The whole batch's loss and gradients against the sharded step's; returns the whole batch's gradients. */
    private static Map<String, float[]> assertShardedEqualsWhole(String label, io.seqcl.model.SequentialRecommender m,
                                                                 Batch b, int shards) {
        return assertShardedEqualsWhole(label, m.params(), m::loss, m.splitLoss(), b, shards, n -> true);
    }

    /**
     * The loss and the gradients of the parameters in {@code trained} from {@code whole} on the batch against those
     * of {@code split} on {@code shards} row ranges (relative 1e-5); returns the whole batch's gradients.
     */
    private static Map<String, float[]> assertShardedEqualsWhole(String label, Params params,
                                                                 SingleLossStep.Loss whole, SplitLoss split, Batch b,
                                                                 int shards,
                                                                 java.util.function.Predicate<String> trained) {
        params.zeroGradients();
        // step 2: the second optimizer step, where ContrastVAE's annealed KL weight is no longer 0
        double value = SingleLossStep.backward("whole", whole, b, new StepContext(1, 2, new SplittableRandom(1)),
                1e9);
        Map<String, float[]> g1 = gradients(params, trained);
        params.zeroGradients();
        double sharded = ShardedStep.backward(split, b, new StepContext(1, 2, new SplittableRandom(1)), shards);
        Map<String, float[]> g2 = gradients(params, trained);
        params.zeroGradients();
        assertEquals(value, sharded, 1e-5 * Math.abs(value), label + " loss");
        for (String n : g1.keySet()) {
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < g1.get(n).length; i++) {
                diff += Math.pow(g1.get(n)[i] - g2.get(n)[i], 2);
                norm += Math.pow(g1.get(n)[i], 2);
            }
            assertTrue(norm > 0, label + ": no gradient reaches " + n);
            // 1e-9 absolute: the key biases' gradient is zero in exact arithmetic (softmax ignores a
            // constant per query), about 1e-13 here
            assertTrue(Math.sqrt(diff) <= 1e-5 * Math.sqrt(norm) + 1e-9, label + " " + n + ": |g1 - g2| "
                    + Math.sqrt(diff) + " against |g1| " + Math.sqrt(norm));
        }
        return g1;
    }

    private static double distance(Map<String, float[]> a, Map<String, float[]> b) {
        double d = 0;
        for (String n : a.keySet()) {
            for (int i = 0; i < a.get(n).length; i++) {
                d += Math.pow(a.get(n)[i] - b.get(n)[i], 2);
            }
        }
        return Math.sqrt(d);
    }

    /**
     * With dropout off, the sharded loss and every parameter's gradient equal those of the whole batch (relative
     * 1e-5), for the full-softmax loss on prefix samples and the sampled BCE on all-positions samples (whose shards
     * hold different numbers of target slots), with 2 and 3 shards of a batch of 61 rows.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void withoutDropoutShardsGiveTheWholeBatchsLossAndGradients(int shards) {
        Devices.noGradOnThisThread();
        for (SASRecConfig c : List.of(SASRecConfig.defaults(), SASRecConfig.bceAllPositions())) {
            c = c.withMaxLen(12).withWidth(16).withDropout(0.0);
            try (SASRec m = new SASRec(DATA.numItems(), c, 7)) {
                assertShardedEqualsWhole("SASRec " + c.loss(), m, batch(m, 61), shards);
            }
        }
    }

    /**
     * Contrastive models with in-batch negatives: the joint term is computed once on the ranges' representations
     * and its gradient cut at them, so with dropout off and views that draw nothing (CL4SRec: crop keeps all, no
     * mask, no reorder; DuoRec: the unsupervised dropout view; ContrastVAE: model augmentation without its sigma
     * dropout, KL and pooling over the padding or over the real positions, or the KL over all slots) the sharded
     * step equals the whole batch's, same-target negatives masked over the whole batch included. The contrastive
     * term is alive: without it the gradients differ by far more than the tolerance.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void contrastiveModelsSplitAtTheirRepresentations(int shards) {
        Devices.noGradOnThisThread();
        SASRecConfig backbone = SASRecConfig.defaults().withMaxLen(12).withWidth(16).withDropout(0.0);
        CL4SRecConfig cl = CL4SRecConfig.defaults().withBackbone(backbone).withCropKeep(1.0).withMaskRatio(0.0)
                .withReorderRatio(0.0).withMaskSameTarget(true);
        for (double lambda : new double[] {0.5, 0.0}) {
            try (CL4SRec m = new CL4SRec(DATA.numItems(), cl.withLambda(lambda), 7)) {
                assertShardedEqualsWhole("CL4SRec lambda " + lambda, m, batch(m, 61), shards);
            }
        }
        io.seqcl.model.ContrastVAEConfig vae = io.seqcl.model.ContrastVAEConfig.defaults().withMaxLen(12)
                .withWidth(16).withDropout(0.0).withVariant(io.seqcl.model.ContrastVAEConfig.Variant.MODEL_AUGMENTATION)
                .withReparamDropout(0.0).withClWeight(0.5).withAnnealCap(1.0).withAnnealSteps(1);
        for (int kl = 0; kl < 3; kl++) {
            boolean overPadding = kl == 0;
            io.seqcl.model.ContrastVAEConfig v = vae.withKlOverPadding(overPadding).withClOverPadding(overPadding)
                    .withKlOverSlots(kl == 2);
            try (io.seqcl.model.ContrastVAE m = new io.seqcl.model.ContrastVAE(DATA.numItems(), v, 7)) {
                assertShardedEqualsWhole("ContrastVAE over padding " + overPadding + " over slots " + (kl == 2), m,
                        batch(m, 61), shards);
            }
        }
        Map<String, float[]> with;
        Map<String, float[]> without;
        io.seqcl.model.DuoRecConfig duo = io.seqcl.model.DuoRecConfig.defaults().withBackbone(backbone)
                .withContrast(io.seqcl.model.DuoRecConfig.Contrast.UN).withLambda(0.5);
        try (io.seqcl.model.DuoRec m = new io.seqcl.model.DuoRec(DATA.numItems(), duo, 7)) {
            m.prepare(SPLIT);
            with = assertShardedEqualsWhole("DuoRec UN", m, batch(m, 61), shards);
        }
        try (io.seqcl.model.DuoRec m = new io.seqcl.model.DuoRec(DATA.numItems(), duo.withLambda(0.0), 7)) {
            m.prepare(SPLIT);
            without = assertShardedEqualsWhole("DuoRec without its contrastive term", m, batch(m, 61), shards);
        }
        Map<String, float[]> zero = new LinkedHashMap<>();
        without.forEach((k, v) -> zero.put(k, new float[v.length]));
        double norm = distance(without, zero);
        assertTrue(distance(with, without) > 1e-2 * norm, "the contrastive term moves the gradients: "
                + distance(with, without) + " against |g| " + norm);
    }

    /** With dropout on, a sharded run repeats exactly with the same seed, differs with another, and still learns. */
    @Test
    void withDropoutASeedGivesTheSameRunTwiceAndTheModelLearns() {
        SASRecConfig c = SASRecConfig.defaults().withMaxLen(12).withWidth(16).withDropout(0.2);
        TrainConfig tc = TrainConfig.defaults().withEpochs(3).withMaxStepsPerEpoch(6).withBatchSize(64).withShards(2);
        String[] runs = new String[3];
        double[] ndcg = new double[3];
        for (int r = 0; r < 3; r++) {
            try (SASRec m = new SASRec(DATA.numItems(), c, 5)) {
                TrainResult res = new Trainer(r == 2 ? tc.withSeed(99) : tc).fit(m, SPLIT, ProgressListener.NONE);
                runs[r] = res.metrics().print(1000) + res.curve().column("loss").print();
                ndcg[r] = res.valid().value("NDCG@10");
            }
        }
        assertEquals(runs[0], runs[1], "same seed, same shards: the same run");
        assertNotEquals(runs[0], runs[2], "another seed draws other masks");
        try (io.seqcl.model.Pop pop = new io.seqcl.model.Pop(DATA.numItems())) {
            double popNdcg = new Trainer(tc.withEpochs(0)).fit(pop, SPLIT, ProgressListener.NONE).valid()
                    .value("NDCG@10");
            assertTrue(ndcg[0] > 1.3 * popNdcg, "sharded SASRec learns: " + ndcg[0] + " against Pop " + popNdcg);
        }
    }

    /**
     * Meta-SGCL's two stage losses split by rows: L over every parameter (stage 1) and L' over Phi with Theta frozen
     * (stage 2), for L' = FULL and L' = L_cl (no per-row term: the contrastive term alone), KL over the padding, the
     * real positions, or the real positions over all slots. The posterior's sigma is made about 1e-9 (log-variance heads: weights 0, bias -40) so that the
     * noise, drawn per range, does not matter; the rest is exact to 1e-5.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void metaSgclSplitsBothStageLosses(int shards) {
        Devices.noGradOnThisThread();
        io.seqcl.model.MetaSGCLConfig base = io.seqcl.model.MetaSGCLConfig.defaults().withMaxLen(12).withWidth(16)
                .withDropout(0.0).withAlpha(0.5);
        for (io.seqcl.model.MetaSGCLConfig.MetaLoss meta : io.seqcl.model.MetaSGCLConfig.MetaLoss.values()) {
            for (int kl = 0; kl < 3; kl++) {
                boolean overPadding = kl == 1;
                io.seqcl.model.MetaSGCLConfig c = base.withMetaLoss(meta).withKlOverPadding(overPadding)
                        .withKlOverSlots(kl == 2);
                try (io.seqcl.model.MetaSGCL m = new io.seqcl.model.MetaSGCL(DATA.numItems(), c, 7)) {
                    for (String n : m.params().names(x -> x.contains("logvar"))) {
                        NDArray w = m.params().get(n);
                        w.subi(w);
                        if (n.endsWith(".bias")) {
                            w.addi(-40f);
                        }
                    }
                    Batch b = batch(m, 61);
                    String label = "Meta-SGCL " + meta + " over padding " + overPadding
                            + " over slots " + (kl == 2);
                    // the logvar weights' gradient depends on the noise through sigma ~ 1e-9: not compared
                    assertShardedEqualsWhole(label + " stage 1", m.params(), m::loss, m.split(m.mainTerms()), b,
                            shards, n -> !n.contains("logvar.weight"));
                    java.util.function.Predicate<String> phi = io.seqcl.model.MetaSGCL.META_GROUP;
                    m.params().setTrainable(phi.negate(), false);
                    try {
                        assertShardedEqualsWhole(label + " stage 2", m.params(), m::metaLoss,
                                m.split(m.metaTerms()), b, shards, n -> phi.test(n) && !n.contains("logvar.weight"));
                    } finally {
                        m.params().setTrainable(phi.negate(), true);
                    }
                }
            }
        }
    }

    /**
     * MCLRec's stage losses split by rows with the batch's views drawn once: L0 over the encoder and L1 over the
     * augmenters with the encoder frozen (the augmenters run in the joint term, so a range of stage 2 has nothing to
     * back-propagate), for the code's and the paper's stage-2 loss.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void mclrecSplitsItsStageLosses(int shards) {
        Devices.noGradOnThisThread();
        for (io.seqcl.model.MCLRecConfig.Stage2Loss stage2 : io.seqcl.model.MCLRecConfig.Stage2Loss.values()) {
            io.seqcl.model.MCLRecConfig c = io.seqcl.model.MCLRecConfig.defaults().withMaxLen(12).withWidth(16)
                    .withDropout(0.0).withStage2Loss(stage2);
            try (io.seqcl.model.MCLRec m = new io.seqcl.model.MCLRec(DATA.numItems(), c, 7)) {
                Batch b = batch(m, 61);
                io.seqcl.model.MCLRec.Views v = m.views(b, new StepContext(1, 1, new SplittableRandom(4)));
                java.util.function.Predicate<String> aug = io.seqcl.model.MCLRec.AUGMENTER_GROUP;
                assertShardedEqualsWhole("MCLRec L0 " + stage2, m.params(), (bb, ctx) -> m.encoderLoss(bb, v),
                        m.split(v, true), b, shards, n -> true);
                m.params().setTrainable(aug.negate(), false);
                try {
                    assertShardedEqualsWhole("MCLRec L1 " + stage2, m.params(), (bb, ctx) -> m.augmenterLoss(bb, v),
                            m.split(v, false), b, shards, aug);
                } finally {
                    m.params().setTrainable(aug.negate(), true);
                }
            }
        }
    }

    /**
     * Trains a model twice with the same seed and shards, and asserts the same run, that a watched parameter moves
     * (the stage that trains it is alive) and that the model beats Pop by 1.3x.
     */
    private static void assertShardedRunRepeatsMovesAndLearns(String label,
                                                               java.util.function.Supplier<
                                                                       io.seqcl.model.SequentialRecommender> make,
                                                               String watched, TrainConfig tc) {
        String[] runs = new String[2];
        double ndcg = 0;
        for (int r = 0; r < 2; r++) {
            try (io.seqcl.model.SequentialRecommender m = make.get()) {
                float[] before = m.params().get(watched).toFloatArray();
                TrainResult res = new Trainer(tc).fit(m, SPLIT, ProgressListener.NONE);
                runs[r] = res.metrics().print(1000) + res.curve().column("loss").print();
                ndcg = res.valid().value("NDCG@10");
                float[] after = m.params().get(watched).toFloatArray();
                double moved = 0;
                for (int i = 0; i < before.length; i++) {
                    moved = Math.max(moved, Math.abs(after[i] - before[i]));
                }
                assertTrue(moved > 1e-4, label + ": training moves " + watched + " (" + moved + ")");
            }
        }
        assertEquals(runs[0], runs[1], label + ": same seed, same shards, the same run");
        try (io.seqcl.model.Pop pop = new io.seqcl.model.Pop(DATA.numItems())) {
            double popNdcg = new Trainer(tc.withEpochs(0)).fit(pop, SPLIT, ProgressListener.NONE).valid()
                    .value("NDCG@10");
            assertTrue(ndcg > 1.3 * popNdcg, label + " learns: " + ndcg + " against Pop " + popNdcg);
        }
    }

    /** Sharded MCLRec (three stages in row ranges, views shared) repeats exactly, moves its augmenters and learns. */
    @Test
    void aShardedMclrecRunRepeatsMovesItsAugmentersAndLearns() {
        io.seqcl.model.MCLRecConfig c = io.seqcl.model.MCLRecConfig.forSports(io.seqcl.model.MCLRecConfig.defaults()
                .withMaxLen(12).withWidth(16).withDropout(0.2));
        TrainConfig tc = TrainConfig.defaults().withEpochs(6).withMaxStepsPerEpoch(6).withBatchSize(64)
                .withLearningRate(3e-3).withShards(2);
        try (io.seqcl.model.MCLRec probe = new io.seqcl.model.MCLRec(DATA.numItems(), c, 5)) {
            String augmenter = probe.params().names(io.seqcl.model.MCLRec.AUGMENTER_GROUP).get(0);
            assertShardedRunRepeatsMovesAndLearns("sharded MCLRec",
                    () -> new io.seqcl.model.MCLRec(DATA.numItems(), c, 5), augmenter, tc);
        }
    }

    /** Sharded Meta-SGCL (both stages in row ranges) repeats exactly, its stage 2 moves Phi, and it learns. */
    @Test
    void aShardedMetaSgclRunRepeatsMovesPhiAndLearns() {
        // the learning budget of ModelContractTest's Meta-SGCL entry, shorter and smaller
        io.seqcl.model.MetaSGCLConfig c = io.seqcl.model.MetaSGCLConfig.defaults().withMaxLen(12).withWidth(16)
                .withMetaLoss(io.seqcl.model.MetaSGCLConfig.MetaLoss.CL).withBeta(0.05)
                .withClPooling(io.seqcl.nn.Pooling.MEAN);
        TrainConfig tc = TrainConfig.defaults().withEpochs(10).withMaxStepsPerEpoch(6).withBatchSize(64)
                .withLearningRate(3e-3).withShards(2);
        assertShardedRunRepeatsMovesAndLearns("sharded Meta-SGCL",
                () -> new io.seqcl.model.MetaSGCL(DATA.numItems(), c, 5), "meta.logvar.weight", tc);
    }

    /**
     * A sharded CL4SRec (views drawn per range from its own stream) repeats exactly, learns (beats Pop) and learns
     * about as much as the unsharded model in the same steps.
     */
    @Test
    void aShardedContrastiveRunRepeatsAndLearns() {
        CL4SRecConfig c = CL4SRecConfig.defaults().withBackbone(SASRecConfig.defaults().withMaxLen(12).withWidth(16)
                .withDropout(0.2));
        TrainConfig tc = TrainConfig.defaults().withEpochs(12).withMaxStepsPerEpoch(6).withBatchSize(64);
        String[] runs = new String[3];
        double[] ndcg = new double[3];
        for (int r = 0; r < 3; r++) {
            try (CL4SRec m = new CL4SRec(DATA.numItems(), c, 5)) {
                TrainResult res = new Trainer(r < 2 ? tc.withShards(2) : tc).fit(m, SPLIT, ProgressListener.NONE);
                runs[r] = res.metrics().print(1000) + res.curve().column("loss").print();
                ndcg[r] = res.valid().value("NDCG@10");
            }
        }
        assertEquals(runs[0], runs[1], "same seed, same shards: the same run");
        try (io.seqcl.model.Pop pop = new io.seqcl.model.Pop(DATA.numItems())) {
            double popNdcg = new Trainer(tc.withEpochs(0)).fit(pop, SPLIT, ProgressListener.NONE).valid()
                    .value("NDCG@10");
            assertTrue(ndcg[0] > 1.3 * popNdcg, "sharded CL4SRec learns: " + ndcg[0] + " against Pop " + popNdcg);
            assertTrue(ndcg[0] > 0.8 * ndcg[2], "sharded " + ndcg[0] + " against unsharded " + ndcg[2]);
        }
    }

    /**
     * Sharded steps free every intermediate: after the first step (which creates the optimizer state) the model's
     * manager holds the same arrays after each further step, for a single-stage model with a joint term and a prior
     * (ContrastVAE's variational variant) and for MCLRec's three stages.
     */
    @Test
    void shardedStepsLeaveNoArraysBehind() {
        io.seqcl.model.ContrastVAEConfig vae = io.seqcl.model.ContrastVAEConfig.defaults().withMaxLen(12)
                .withWidth(16).withVariant(io.seqcl.model.ContrastVAEConfig.Variant.VARIATIONAL_AUGMENTATION)
                .withAlphaPrior(true);
        io.seqcl.model.MCLRecConfig mcl = io.seqcl.model.MCLRecConfig.defaults().withMaxLen(12).withWidth(16);
        for (io.seqcl.model.SequentialRecommender m : List.of(
                new io.seqcl.model.ContrastVAE(DATA.numItems(), vae, 3),
                new io.seqcl.model.MCLRec(DATA.numItems(), mcl, 3))) {
            try (m) {
                TrainStep step = Trainer.newStep(m, TrainConfig.defaults().withShards(2));
                Batch b = batch(m, 61);
                ai.djl.ndarray.BaseNDManager manager = (ai.djl.ndarray.BaseNDManager) m.params().manager();
                int[] counts = new int[4];
                for (int i = 0; i < counts.length; i++) {
                    step.step(b, new StepContext(1, i + 1, new SplittableRandom(i), 10));
                    counts[i] = manager.getManagedArrays().size();
                }
                assertEquals(counts[0], counts[3], m.name() + ": arrays after steps 1-4 " + java.util.Arrays.toString(
                        counts));
                assertEquals(counts[1], counts[2], m.name());
            }
        }
    }

    /**
     * ContrastVAE's variational variant, whose learnable alpha gets gradient from every range and from its prior
     * (counted by the first range), repeats bit for bit with the same seed and shards.
     */
    @Test
    void aShardedVariationalContrastVaeRepeats() {
        io.seqcl.model.ContrastVAEConfig c = io.seqcl.model.ContrastVAEConfig.defaults().withMaxLen(12).withWidth(16)
                .withVariant(io.seqcl.model.ContrastVAEConfig.Variant.VARIATIONAL_AUGMENTATION).withAlphaPrior(true);
        TrainConfig tc = TrainConfig.defaults().withEpochs(2).withMaxStepsPerEpoch(5).withBatchSize(64).withShards(2);
        String[] runs = new String[2];
        for (int r = 0; r < 2; r++) {
            try (io.seqcl.model.ContrastVAE m = new io.seqcl.model.ContrastVAE(DATA.numItems(), c, 5)) {
                TrainResult res = new Trainer(tc).fit(m, SPLIT, ProgressListener.NONE);
                runs[r] = res.curve().column("loss").print() + java.util.Arrays.toString(
                        m.params().get(io.seqcl.model.ContrastVAE.ALPHA_LOGIT).toFloatArray());
            }
        }
        assertEquals(runs[0], runs[1]);
    }

    /** A range that fails, before or in the joint term, fails the step without leaving the others waiting. */
    @Test
    void aFailingRangeFailsTheStepWithoutHanging() {
        SASRecConfig c = SASRecConfig.defaults().withMaxLen(12).withWidth(16).withDropout(0.0);
        try (CL4SRec m = new CL4SRec(DATA.numItems(), CL4SRecConfig.defaults().withBackbone(c), 7)) {
            SplitLoss real = m.splitLoss();
            Batch b = batch(m, 40);
            SplitLoss failsInRange = new SplitLoss() {
                @Override
                public Part part(Batch range, int from, Batch whole, StepContext ctx) {
                    if (range.size() < whole.size() && range.users()[0] != whole.users()[0]) {
                        throw new IllegalArgumentException("range failure");
                    }
                    return real.part(range, from, whole, ctx);
                }

                @Override
                public NDArray joint(List<NDArray> reps, Batch whole) {
                    return real.joint(reps, whole);
                }
            };
            SplitLoss failsInJoint = new SplitLoss() {
                @Override
                public Part part(Batch range, int from, Batch whole, StepContext ctx) {
                    return real.part(range, from, whole, ctx);
                }

                @Override
                public NDArray joint(List<NDArray> reps, Batch whole) {
                    throw new IllegalArgumentException("joint failure");
                }
            };
            for (SplitLoss l : List.of(failsInRange, failsInJoint)) {
                for (int shards : new int[] {2, 3}) {
                    ShardedStep s = new ShardedStep("x", m.params(), l, new OptimConfig(1e-3, 0.9, 0.999, 0, 1e9),
                            shards);
                    RuntimeException e = assertThrows(RuntimeException.class,
                            () -> s.backward(b, new StepContext(1, 1, new SplittableRandom(1))));
                    assertTrue(String.valueOf(e.getMessage()).contains("failure")
                                    || java.util.Arrays.stream(e.getSuppressed())
                                    .anyMatch(x -> String.valueOf(x.getMessage()).contains("failure")),
                            "the cause is reported: " + e);
                }
            }
            m.params().zeroGradients();
        }
    }

    @Test
    void aModelWhoseLossCouplesRowsIsRefusedNamingTheSetting() {
        try (io.seqcl.model.BERT4Rec m = new io.seqcl.model.BERT4Rec(DATA.numItems(),
                io.seqcl.model.BERT4RecConfig.defaults().withMaxLen(10).withWidth(16), 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Trainer.newStep(m, TrainConfig.defaults().withShards(2)));
            assertTrue(e.getMessage().contains("train.shards=2") && e.getMessage().contains("BERT4Rec"),
                    e.getMessage());
        }
        // refused before the model's preparation work (S3-Rec's pre-training)
        try (io.seqcl.model.S3Rec m = new io.seqcl.model.S3Rec(DATA.numItems(), io.seqcl.model.S3RecConfig.defaults()
                .withMaxLen(10).withWidth(16).withShortPretraining(2, 5), 1)) {
            assertThrows(IllegalArgumentException.class, () -> new Trainer(TrainConfig.defaults().withShards(2)
                    .withEpochs(1)).fit(m, SPLIT, ProgressListener.NONE));
            assertEquals(0, m.pretrainLosses().size(), "no pre-training before the refusal");
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.defaults().withShards(0));
        assertTrue(bad.getMessage().contains("shards"), bad.getMessage());
        assertTrue(!TrainConfig.defaults().toString().contains("shards"), "the default reads as before");
        assertTrue(TrainConfig.defaults().withShards(2).toString().contains("shards=2"));
        // from an experiment file's train settings (seqcl run --set train.shards=2)
        io.seqcl.experiment.ExperimentFile exp = new io.seqcl.experiment.ExperimentFile("s", List.of("synthetic"),
                io.seqcl.experiment.PaperSettings.Paper.MCLREC, io.seqcl.experiment.Budget.QUICK, List.of(5L),
                io.seqcl.experiment.ExperimentFile.setsToObject(List.of("shards=2")),
                List.of(new io.seqcl.experiment.ExperimentFile.Model("sasrec", null, null, null)), null);
        assertEquals(2, exp.trainConfig(5).shards());
        // an experiment with a model that cannot be sharded fails before its first model (Pop, SASRec) trains
        io.seqcl.experiment.ExperimentFile mixed = new io.seqcl.experiment.ExperimentFile("s", List.of("synthetic"),
                io.seqcl.experiment.PaperSettings.Paper.MCLREC, io.seqcl.experiment.Budget.QUICK, List.of(5L),
                io.seqcl.experiment.ExperimentFile.setsToObject(List.of("shards=2", "epochs=1")),
                List.of(new io.seqcl.experiment.ExperimentFile.Model("pop", null, null, null),
                        new io.seqcl.experiment.ExperimentFile.Model("sasrec", null, null, null),
                        new io.seqcl.experiment.ExperimentFile.Model("bert4rec", null, null, null)), null);
        int[] epochs = new int[1];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> io.seqcl.experiment.Experiments.run(mixed, null, false, new ProgressListener() {
                    @Override
                    public void onEpochEnd(io.seqcl.train.EpochReport report) {
                        epochs[0]++;
                    }
                }));
        assertTrue(e.getMessage().contains("BERT4Rec"), e.getMessage());
        assertEquals(0, epochs[0], "nothing trained before the refusal");
    }
}
