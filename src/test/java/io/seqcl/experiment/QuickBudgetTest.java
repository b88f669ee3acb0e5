package io.seqcl.experiment;

import io.seqcl.TestData;
import io.seqcl.data.SequenceDataset;
import io.seqcl.train.TrainConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quick budget's caps in {@link PaperSettings}, and batch-size sweeps that compare equal data. */
class QuickBudgetTest {

    @Test
    void quickCapsEveryProtocolAlike() {
        for (PaperSettings.Paper p : new PaperSettings.Paper[] {PaperSettings.Paper.METASGCL,
                PaperSettings.Paper.MCLREC, PaperSettings.Paper.CONTRASTVAE}) {
            TrainConfig q = PaperSettings.train(p, Budget.QUICK, 5);
            assertEquals(PaperSettings.QUICK_EPOCHS, q.epochs(), p.name());
            assertEquals(PaperSettings.QUICK_BATCH, q.batchSize(), p.name());
            assertEquals(PaperSettings.QUICK_MAX_STEPS, q.maxStepsPerEpoch(), p.name());
            assertEquals(PaperSettings.QUICK_LEARNING_RATE, q.learningRate(), p.name());
            assertEquals(p.protocol().history(), q.history(), p.name());
        }
        TrainConfig c = PaperSettings.coserecFamilyTrain(Budget.QUICK, 5);
        assertEquals(PaperSettings.QUICK_MAX_STEPS, c.maxStepsPerEpoch());
        assertEquals(TrainConfig.coserecFamily().monitor(), c.monitor());
    }

    /** DuoRec with its supervised term trains 4 x the quick epochs (notebooks/BUDGETS.md); nothing else does. */
    @Test
    void slowStartersTrainMoreEpochsAtTheQuickBudgetOnly() {
        io.seqcl.model.DuoRecConfig duo = io.seqcl.model.DuoRecConfig.defaults().withMaxLen(8).withWidth(8);
        assertEquals(PaperSettings.QUICK_SLOW_START_FACTOR, PaperSettings.quickEpochFactor(duo));
        assertEquals(1, PaperSettings.quickEpochFactor(duo.withLambdaSem(0)), "no supervised term: no slow start");
        assertEquals(1, PaperSettings.quickEpochFactor(io.seqcl.model.SASRecConfig.defaults()));
        assertEquals(1, PaperSettings.spec(duo, Budget.FULL).epochFactor(), "the full budget is the papers'");
        ModelSpec q = PaperSettings.spec(duo, Budget.QUICK);
        assertEquals(PaperSettings.QUICK_SLOW_START_FACTOR, q.epochFactor());
        assertEquals(q, PaperSettings.atBudget(q, Budget.QUICK), "applied once");
        assertEquals(q.epochFactor(), q.named("DuoRec b").epochFactor(), "a renamed copy keeps it");
        TrainConfig t = PaperSettings.train(PaperSettings.Paper.METASGCL, Budget.QUICK, 1);
        TrainConfig own = q.trainFrom(t);
        assertEquals(4 * t.epochs(), own.epochs());
        assertEquals(4 * t.patience(), own.patience());
        assertEquals(t.withEpochs(own.epochs()).withPatience(own.patience()), own, "nothing else changes");
        assertThrows(IllegalArgumentException.class, () -> q.withEpochFactor(0));

        // the runner trains each model with its own epochs and says so in the provenance
        SequenceDataset ds = TestData.smallSynthetic();
        ExperimentSpec spec = new ExperimentSpec("slow", List.of(
                ModelSpec.sasrec(io.seqcl.model.SASRecConfig.defaults().withMaxLen(8).withWidth(8)),
                ModelSpec.of(duo).withEpochFactor(3)), t.withEpochs(1).withPatience(1).withMaxStepsPerEpoch(1));
        RunResult r = Runner.run(ds, spec, io.seqcl.train.ProgressListener.NONE);
        assertEquals(1, r.result("SASRec").curve().rowCount());
        assertEquals(3, r.result("DuoRec").curve().rowCount());
        assertEquals(null, r.provenance().get("train.config.SASRec"));
        assertTrue(r.provenance().get("train.config.DuoRec").contains("epochs=3,"),
                r.provenance().get("train.config.DuoRec"));
    }

    @Test
    void anExperimentFileAtTheQuickBudgetGivesDuoRecItsLongerRun(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws java.io.IOException {
        for (Budget b : Budget.values()) {
            java.nio.file.Path f = tmp.resolve(b + ".yaml");
            java.nio.file.Files.writeString(f, "name: x\ndatasets: [toys]\nbudget: " + b.name().toLowerCase()
                    + "\nmodels: [{model: sasrec}, {model: duorec}, {model: duorec, name: plain, config: {lambdaSem: 0}}]\n");
            List<Integer> factors = Experiments.read(f).modelSpecs(TestData.smallSynthetic().withKey("toys")).stream()
                    .map(ModelSpec::epochFactor).toList();
            assertEquals(b == Budget.QUICK ? List.of(1, PaperSettings.QUICK_SLOW_START_FACTOR, 1) : List.of(1, 1, 1),
                    factors, b.name());
        }
    }

    @Test
    void batchSweepsKeepTheSamplesPerEpochAtTheQuickBudget() {
        TrainConfig q = PaperSettings.sweepTrain(PaperSettings.Paper.MCLREC, Budget.QUICK, 1);
        int samples = PaperSettings.QUICK_MAX_STEPS * PaperSettings.QUICK_BATCH;
        for (int b : new int[] {64, 128, 256}) {
            TrainConfig t = PaperSettings.withBatch(q, b, Budget.QUICK);
            assertEquals(b, t.batchSize());
            assertEquals(samples, t.maxStepsPerEpoch() * b, "batch " + b);
            assertEquals(q.epochs(), t.epochs());
        }
        assertEquals(1, PaperSettings.withBatch(q, 100_000, Budget.QUICK).maxStepsPerEpoch(), "at least one batch");
        TrainConfig f = PaperSettings.sweepTrain(PaperSettings.Paper.MCLREC, Budget.FULL, 1);
        assertEquals(f.withBatchSize(64), PaperSettings.withBatch(f, 64, Budget.FULL), "full: only the batch size");
    }

    /** Items 1..1100 once each and item 1101..1103 often: the catalogue is cut to the most frequent items. */
    @Test
    void quickDataKeepsTheMostFrequentItemsAndTheUsersWithEnoughOfThem() {
        int users = 300;
        int[][] seqs = new int[users][];
        int[] ids = new int[users];
        for (int u = 0; u < users; u++) {
            ids[u] = 1000 + u;
            // every user: two rare items (each used by at most a few users) around frequent ones
            int rare = 1 + (u * 7) % 1100;
            seqs[u] = u % 3 == 0 ? new int[] {rare, 1101, 1102}
                    : new int[] {rare, 1101 + u % 3, 1102, 1103, 1 + (u * 11) % 50, 1 + (u * 13) % 50, 1101};
        }
        SequenceDataset ds = new SequenceDataset("toy", ids, seqs, 1103, "generated", null).withKey("toys");
        SequenceDataset q = PaperSettings.data(ds, Budget.QUICK, 7);
        assertTrue(q.numItems() <= PaperSettings.QUICK_ITEMS, "catalogue cut: " + q.numItems());
        assertEquals("toys", q.key(), "the benchmark key stays, so presets apply");
        assertTrue(q.name().startsWith("toy (quick: " + q.numItems() + " most frequent items, "), q.name());
        for (int u = 0; u < q.numUsers(); u++) {
            assertTrue(q.length(u) >= PaperSettings.QUICK_MIN_LENGTH, "user " + q.userId(u));
            assertTrue((q.userId(u) - 1000) % 3 != 0, "users with 3 items are dropped");
        }
        assertEquals(200, q.numUsers());
        assertEquals(q, PaperSettings.data(ds, Budget.QUICK, 7), "same seed, same data");
        assertSame(ds, PaperSettings.data(ds, Budget.FULL, 7));
    }

    @Test
    void topItemsRenumbersInOldIdOrderAndBreaksTiesByTheLowerId() {
        // counts: item 5 x3, item 2 x2, items 1,3,4 x1 (ties), item 6 x2
        SequenceDataset ds = new SequenceDataset("d", new int[] {1, 2, 3},
                new int[][] {{5, 2, 1, 6}, {5, 3, 2}, {4, 5, 6}}, 6, "generated", null);
        SequenceDataset t = ds.topItems("d3", 4, 1); // keeps 5, 2, 6 and item 1 (lowest id among the ties)
        assertEquals(4, t.numItems());
        // old ids 1, 2, 5, 6 -> new 1, 2, 3, 4
        assertEquals(java.util.List.of(3, 2, 1, 4), java.util.Arrays.stream(t.sequence(0)).boxed().toList());
        assertEquals(java.util.List.of(3, 2), java.util.Arrays.stream(t.sequence(1)).boxed().toList());
        assertEquals(java.util.List.of(3, 4), java.util.Arrays.stream(t.sequence(2)).boxed().toList());
        SequenceDataset longOnly = ds.topItems("d3", 4, 3);
        assertEquals(1, longOnly.numUsers());
        assertEquals(1, longOnly.userId(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ds.topItems("x", 1, 5));
        assertTrue(e.getMessage().contains("no user has 5 or more"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ds.topItems("x", 0, 1));
    }
}
