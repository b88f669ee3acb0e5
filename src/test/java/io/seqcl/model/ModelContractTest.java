package io.seqcl.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.seqcl.TestData;
import io.seqcl.config.Configs;
import io.seqcl.data.SequenceDataset;
import io.seqcl.nn.Devices;
import io.seqcl.optim.StepContext;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.TrainingSamples;
import io.seqcl.train.ProgressListener;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.TrainResult;
import io.seqcl.train.Trainer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every registered model gets for free (JUnit parameterised over {@link ModelRegistry}): scores of
 * shape {@code [B, N+1]}, same seed gives the same metrics, save then load gives the same scores, a checkpointed and
 * resumed run equals an uninterrupted one (with every optimiser of the model), gradients survive a garbage
 * collection between forward and backward, and invalid configurations name the field.
 *
 * <p>Models run small (T 10, d 16, dropout 0.1) on the small synthetic data for a few steps; the learning tests
 * ("beats Pop") stay with each model because their budgets differ per model.
 */
class ModelContractTest {

    private static final SequenceDataset DATA = TestData.smallSynthetic();
    private static final LeaveOneOutSplit SPLIT = LeaveOneOutSplit.of(DATA);

    /**
     * Every registered model, or only those named in the system property {@code seqcl.contract.models}
     * (comma-separated keys, e.g. {@code -Dseqcl.contract.models=sasrec,gru4rec}) while working on one model.
     */
    static Stream<ModelRegistry.Entry<?>> entries() {
        String only = System.getProperty("seqcl.contract.models", "").trim();
        if (only.isEmpty()) {
            return ModelRegistry.entries().stream();
        }
        java.util.Set<String> keys = java.util.Set.of(only.split("\\s*,\\s*"));
        return ModelRegistry.entries().stream().filter(e -> keys.contains(e.key()));
    }

    /** A registered model's defaults made small for the contract checks. */
    static ModelConfig small(ModelRegistry.Entry<?> e) {
        ModelConfig c = e.defaults();
        if (c instanceof TransformerModelConfig<?> t) {
            c = t.withMaxLen(10).withWidth(16).withDropout(0.1);
        }
        return SMALL.getOrDefault(e.key(), x -> x).apply(c);
    }

    /** Further changes for the contract checks of models whose defaults do work outside the trainer's epochs. */
    static final Map<String, java.util.function.UnaryOperator<ModelConfig>> SMALL = Map.of(
            "s3rec", c -> ((S3RecConfig) c).withShortPretraining(2, 5));

    private static Batch histories(int n, InputSpec spec) {
        return Batch.ofHistories(java.util.Arrays.copyOf(SPLIT.test().inputs(), n),
                java.util.Arrays.copyOf(SPLIT.test().users(), n), spec.maxLen(), spec.padding());
    }

    private static TrainConfig tc(int epochs) {
        return TrainConfig.defaults().withEpochs(epochs).withPatience(10).withBatchSize(64).withMaxStepsPerEpoch(3)
                .withSeed(5);
    }

    private static TrainResult fit(ModelRegistry.Entry<?> e, TrainConfig tc, Trainer trainer) {
        try (SequentialRecommender m = e.create(DATA.numItems(), small(e), tc.seed())) {
            return trainer.fit(m, SPLIT, ProgressListener.NONE);
        }
    }

    /**
     * How a model is trained for the learning check: its defaults changed for the small synthetic data, and a
     * training budget. A model without an entry gets {@link #DEFAULT_LEARNING}.
     *
     * @param config changes of the registry defaults
     * @param train the training settings
     */
    record Learning(java.util.function.UnaryOperator<ModelConfig> config, TrainConfig train) {
    }

    private static TrainConfig learningBudget(int epochs) {
        return TrainConfig.defaults().withEpochs(epochs).withPatience(100).withBatchSize(128).withLearningRate(3e-3)
                .withSeed(5);
    }

    private static ModelConfig shrink(ModelConfig c, boolean dropout) {
        if (c instanceof TransformerModelConfig<?> t) {
            TransformerModelConfig<?> s = t.withMaxLen(20).withWidth(32);
            return dropout ? s.withDropout(0.2) : s;
        }
        return c;
    }

    /** T 20, d 32, dropout 0.2, 8 epochs of batch 128 at lr 3e-3: the budget of any model without an entry below. */
    static final Learning DEFAULT_LEARNING = new Learning(c -> shrink(c, true), learningBudget(8));

    /** Budgets of the models that need another one (the values their own learning tests used before). */
    static final Map<String, Learning> LEARNING = Map.of(
            "mclrec", new Learning(c -> MCLRecConfig.forSports((MCLRecConfig) shrink(c, true)), learningBudget(4)),
            "metasgcl", new Learning(c -> ((MetaSGCLConfig) shrink(c, false)).withBeta(0.05)
                    .withClPooling(io.seqcl.nn.Pooling.MEAN), learningBudget(30)),
            "contrastvae", new Learning(c -> shrink(c, false), learningBudget(30)),
            "s3rec", new Learning(c -> ((S3RecConfig) shrink(c, true)).withShortPretraining(3, 0)
                    .withPretrainLearningRate(3e-3), learningBudget(30)),
            // the flattened-vec(H) instance NCE (dot, tau 1: logits in the hundreds) dominates the first epochs
            "iclrec", new Learning(c -> shrink(c, true), learningBudget(20)),
            // as ICLRec: the flattened-vec(H) NCE of the two views dominates the first epochs (HR still rising at 8)
            "srma", new Learning(c -> shrink(c, true), learningBudget(20)));

    /** Models that ignore order (scores depend on the user only): they learn on {@link TestData#smallCommunities()}. */
    static final java.util.Set<String> NON_SEQUENTIAL = java.util.Set.of("bprmf");

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void learnsOnTheSyntheticDataClearlyBetterThanPop(ModelRegistry.Entry<?> e) {
        if (e.key().equals("pop")) {
            return;
        }
        Learning l = LEARNING.getOrDefault(e.key(), DEFAULT_LEARNING);
        if (NON_SEQUENTIAL.contains(e.key())) {
            // order-free models cannot beat Pop on Markov data: their check runs on data with user communities
            SequenceDataset data = TestData.smallCommunities();
            try (SequentialRecommender m = e.create(data.numItems(), l.config().apply(e.defaults()), l.train().seed())) {
                TestData.assertBeatsPop(e.key(), new Trainer(l.train()).fit(m, LeaveOneOutSplit.of(data),
                        ProgressListener.NONE), data);
            }
            return;
        }
        try (SequentialRecommender m = e.create(DATA.numItems(), l.config().apply(e.defaults()), l.train().seed())) {
            TestData.assertBeatsPop(e.key(), new Trainer(l.train()).fit(m, SPLIT, ProgressListener.NONE));
        }
    }

    /** A model that allows concurrent scoring ranks the same with 3 evaluation threads as with 1. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void concurrentScoringGivesTheSameRanks(ModelRegistry.Entry<?> e) {
        try (SequentialRecommender m = e.create(DATA.numItems(), small(e), 1)) {
            if (!m.concurrentScoring()) {
                return;
            }
            m.prepare(SPLIT);
            io.seqcl.eval.RankingEvaluator one = new io.seqcl.eval.RankingEvaluator(io.seqcl.eval.HistoryMode.NEG_INF,
                    io.seqcl.eval.RankingEvaluator.DEFAULT_KS, 9);
            org.junit.jupiter.api.Assertions.assertArrayEquals(one.evaluate(m, SPLIT.test()).ranks(),
                    one.withThreads(3).evaluate(m, SPLIT.test()).ranks(), e.key());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void scoresHaveOneColumnPerItemPlusPadding(ModelRegistry.Entry<?> e) {
        try (SequentialRecommender m = e.create(DATA.numItems(), small(e), 1)) {
            m.prepare(SPLIT);
            Batch b = histories(7, m.inputSpec());
            try (NDScope s = new NDScope()) {
                Devices.noGradOnThisThread();
                NDArray scores = m.scoreAll(b);
                assertEquals(7, scores.getShape().get(0));
                assertEquals(DATA.numItems() + 1, scores.getShape().get(1));
                float[] v = scores.toFloatArray();
                for (float x : v) {
                    assertTrue(Float.isFinite(x) || x == Float.NEGATIVE_INFINITY, e.key() + " score " + x);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void sameSeedGivesTheSameMetrics(ModelRegistry.Entry<?> e) {
        TrainResult a = fit(e, tc(1), new Trainer(tc(1)));
        TrainResult b = fit(e, tc(1), new Trainer(tc(1)));
        assertEquals(a.metrics().print(1000), b.metrics().print(1000), e.key());
        assertEquals(a.curve().column("loss").print(), b.curve().column("loss").print(), e.key());
        if (a.epochsRun() > 0) {
            TrainResult c = fit(e, tc(1).withSeed(6), new Trainer(tc(1).withSeed(6)));
            assertTrue(!a.curve().column("loss").print().equals(c.curve().column("loss").print()),
                    e.key() + ": another seed gives the same losses");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void saveThenLoadGivesIdenticalScores(ModelRegistry.Entry<?> e, @TempDir Path tmp) throws Exception {
        ModelConfig c = small(e);
        Batch b = histories(9, c.inputSpec());
        float[] before;
        Path file = tmp.resolve("m.params");
        try (SequentialRecommender m = e.create(DATA.numItems(), c, 3)) {
            new Trainer(tc(1)).fit(m, SPLIT, ProgressListener.NONE);
            m.params().save(file);
            try (NDScope s = new NDScope()) {
                before = m.scoreAll(b).toFloatArray();
            }
        }
        try (SequentialRecommender m = e.create(DATA.numItems(), c, 99)) {
            m.prepare(SPLIT);
            m.params().load(file);
            try (NDScope s = new NDScope()) {
                assertArrayEquals(before, m.scoreAll(b).toFloatArray(), e.key());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void aResumedRunEqualsAnUninterruptedOne(ModelRegistry.Entry<?> e, @TempDir Path tmp) {
        TrainResult whole = fit(e, tc(2), new Trainer(tc(2)));
        Path ckpt = tmp.resolve("run.ckpt");
        fit(e, tc(1), new Trainer(tc(2).withEpochs(1)).withCheckpoint(ckpt));
        TrainResult resumed = fit(e, tc(2), new Trainer(tc(2)).withCheckpoint(ckpt));
        assertEquals(whole.metrics().print(1000), resumed.metrics().print(1000), e.key());
        assertEquals(whole.curve().column("loss").print(), resumed.curve().column("loss").print(), e.key());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void gradientsSurviveAGarbageCollectionBetweenForwardAndBackward(ModelRegistry.Entry<?> e) {
        ModelConfig c = small(e);
        if (c instanceof TransformerModelConfig<?> t) {
            c = t.withDropout(0.0);
        }
        try (SequentialRecommender m = e.create(DATA.numItems(), c, 2)) {
            m.prepare(SPLIT);
            if (m.params().isEmpty()) {
                return;
            }
            InputSpec spec = m.inputSpec();
            Batch batch = new TrainingSamples(SPLIT, spec.sampleMode(), spec.maxLen(), spec.padding())
                    .epoch(32, new SplittableRandom(3), spec.needsNegatives()).get(0);
            String name = m.params().names().get(0);
            float[] ref = null;
            for (int rep = 0; rep < 3; rep++) {
                Engine.getInstance().setRandomSeed(7);
                try (NDScope s = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = m.loss(batch, new StepContext(1, 1, new SplittableRandom(1), 1));
                    if (rep > 0) {
                        for (int i = 0; i < 3; i++) {
                            System.gc();
                            byte[][] junk = new byte[100][];
                            for (int j = 0; j < junk.length; j++) {
                                junk[j] = new byte[1 << 16];
                            }
                        }
                    }
                    gc.backward(loss);
                }
                float[] g;
                try (NDArray gg = m.params().get(name).getGradient()) {
                    g = gg.toFloatArray();
                }
                m.params().zeroGradients();
                for (float x : g) {
                    assertTrue(Float.isFinite(x) && Math.abs(x) < 1e3, e.key() + " gradient " + x);
                }
                if (ref == null) {
                    ref = g;
                } else {
                    assertArrayEquals(ref, g, 1e-6f, e.key());
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void invalidConfigurationsNameTheField(ModelRegistry.Entry<?> e) {
        ModelConfig c = e.defaults();
        List<String> paths = Configs.has(c, "encoder.maxLen") ? List.of("encoder.maxLen", "encoder.initStd") : List.of();
        for (String p : paths) {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                    () -> Configs.with(c, Map.of(p, "-1")));
            String field = p.substring(p.lastIndexOf('.') + 1);
            assertTrue(x.getMessage().contains(field), x.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> e.create(0, c, 1), e.key() + " accepts 0 items");
    }
}
