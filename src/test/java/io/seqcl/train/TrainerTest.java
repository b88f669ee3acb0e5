package io.seqcl.train;

import io.seqcl.optim.TrainingDivergedException;
import io.seqcl.optim.StepContext;
import ai.djl.ndarray.NDArray;
import io.seqcl.TestData;
import io.seqcl.data.SequenceDataset;
import io.seqcl.model.Pop;
import io.seqcl.model.SASRec;
import io.seqcl.model.SASRecConfig;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    private static final SequenceDataset DATA = TestData.smallSynthetic();
    private static final SASRecConfig SMALL = SASRecConfig.defaults().withMaxLen(20).withWidth(32).withDropout(0.2);

    private static TrainConfig quick(int epochs) {
        return TrainConfig.defaults().withEpochs(epochs).withBatchSize(128).withLearningRate(3e-3).withSeed(5);
    }

    private static TrainResult fit(SASRecConfig cfg, TrainConfig tc, ProgressListener l) {
        try (SASRec m = new SASRec(DATA.numItems(), cfg, tc.seed())) {
            return new Trainer(tc).fit(m, LeaveOneOutSplit.of(DATA), l);
        }
    }

    @Test
    void sasrecBeatsPopClearlyOnDataWithSequentialStructure() {
        TrainResult pop;
        try (Pop p = new Pop(DATA.numItems())) {
            pop = new Trainer(quick(1)).fit(p, LeaveOneOutSplit.of(DATA), ProgressListener.NONE);
        }
        TrainResult sas = fit(SMALL, quick(8), ProgressListener.NONE);
        double popHr = pop.test().value("HR@10");
        double sasHr = sas.test().value("HR@10");
        System.out.printf("synthetic test HR@10: Pop %.4f, SASRec %.4f, random %.4f%n", popHr, sasHr,
                10.0 / DATA.numItems());
        assertTrue(popHr > 10.0 / DATA.numItems(), "Pop HR@10 " + popHr + " should beat random ranking");
        assertTrue(sasHr > popHr * 1.5 && sasHr > popHr + 0.1,
                "SASRec HR@10 " + sasHr + " vs Pop " + popHr);
        assertEquals(0, pop.epochsRun());
    }

    @Test
    void sameSeedGivesIdenticalMetricsTable() {
        TrainResult a = fit(SMALL, quick(2), ProgressListener.NONE);
        TrainResult b = fit(SMALL, quick(2), ProgressListener.NONE);
        assertEquals(a.metrics().print(1000), b.metrics().print(1000));
        assertEquals(a.curve().column("loss").print(), b.curve().column("loss").print());
        TrainResult c = fit(SMALL, quick(2).withSeed(6), ProgressListener.NONE);
        assertTrue(!a.curve().column("loss").print().equals(c.curve().column("loss").print()));
    }

    @Test
    void progressIsReportedPerEpochAndBatch() {
        List<EpochReport> epochs = new ArrayList<>();
        int[] batches = {0};
        TrainResult r = fit(SMALL, quick(2).withMaxStepsPerEpoch(3), new ProgressListener() {
            @Override public void onBatch(String run, int epoch, int step, int steps, double loss) { batches[0]++; }
            @Override public void onEpochEnd(EpochReport report) { epochs.add(report); }
        });
        assertEquals(2, epochs.size());
        assertEquals(6, batches[0]);
        assertEquals(2, epochs.get(1).epoch());
        assertEquals("NDCG@10", epochs.get(0).monitor());
        assertEquals(2, r.curve().rowCount());
    }

    @Test
    void nanLossStopsWithAClearError() {
        SASRecConfig cfg = SMALL;
        try (SASRec m = new SASRec(DATA.numItems(), cfg, 1) {
            @Override
            public NDArray loss(Batch batch, StepContext ctx) {
                return super.loss(batch, ctx).mul(Float.NaN);
            }
        }) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> new Trainer(quick(1)).fit(m, LeaveOneOutSplit.of(DATA), ProgressListener.NONE));
            assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("epoch 1 step 1"), e.getMessage());
        }
    }

    @Test
    void earlyStoppingRestoresTheBestEpoch() {
        // a huge learning rate makes validation worse after the first epochs; patience 1 stops early
        TrainConfig tc = quick(6).withPatience(1).withLearningRate(5e-2).withMaxLoss(1e9);
        TrainResult r = fit(SMALL, tc, ProgressListener.NONE);
        double best = r.curve().doubleColumn("valid").max();
        assertEquals(best, r.valid().value("NDCG@10"), 1e-9);
        assertEquals(r.bestEpoch(), (int) r.curve().where(r.curve().doubleColumn("valid").isEqualTo(best))
                .intColumn("epoch").get(0));
    }

    @Test
    void resumingFromACheckpointEqualsAnUninterruptedRun() throws Exception {
        Path ck = Files.createTempDirectory("seqcl").resolve("sasrec.ckpt");
        TrainResult full = fit(SMALL, quick(3).withMaxStepsPerEpoch(5), ProgressListener.NONE);
        try (SASRec m = new SASRec(DATA.numItems(), SMALL, 5)) {
            new Trainer(quick(2).withMaxStepsPerEpoch(5)).withCheckpoint(ck).fit(m, LeaveOneOutSplit.of(DATA),
                    ProgressListener.NONE);
        }
        assertTrue(Files.exists(ck));
        TrainResult resumed;
        try (SASRec m = new SASRec(DATA.numItems(), SMALL, 12345)) {
            resumed = new Trainer(quick(3).withMaxStepsPerEpoch(5)).withCheckpoint(ck)
                    .fit(m, LeaveOneOutSplit.of(DATA), ProgressListener.NONE);
        }
        assertEquals(full.metrics().print(1000), resumed.metrics().print(1000));
        assertEquals(3, resumed.curve().rowCount());
    }

    @Test
    void aStopRequestEndsTheRunBetweenStepsAndTheRunResumesLikeAnUninterruptedOne() throws Exception {
        Path ck = Files.createTempDirectory("seqcl").resolve("sasrec.ckpt");
        TrainConfig tc = quick(3).withMaxStepsPerEpoch(5);
        TrainResult full = fit(SMALL, tc, ProgressListener.NONE);
        // a signal arriving during step 2 of epoch 2: that step finishes, step 3 does not start
        int[] steps = {0};
        ProgressListener signal = new ProgressListener() {
            @Override
            public void onBatch(String run, int epoch, int step, int n, double loss) {
                steps[0]++;
                if (epoch == 2 && step == 2) {
                    StopRequest.request("SIGTERM");
                }
            }
        };
        RunStoppedException e;
        try (SASRec m = new SASRec(DATA.numItems(), SMALL, 5)) {
            e = assertThrows(RunStoppedException.class,
                    () -> new Trainer(tc).withCheckpoint(ck).fit(m, LeaveOneOutSplit.of(DATA), signal));
        } finally {
            StopRequest.clear();
        }
        assertEquals(7, steps[0]);
        assertEquals(143, e.exitCode());
        assertTrue(e.getMessage().contains("stopped by SIGTERM before step 3 of 5 of epoch 2")
                && e.getMessage().contains("checkpoint after epoch 1 is intact"), e.getMessage());
        TrainResult resumed;
        try (SASRec m = new SASRec(DATA.numItems(), SMALL, 12345)) {
            resumed = new Trainer(tc).withCheckpoint(ck).fit(m, LeaveOneOutSplit.of(DATA), ProgressListener.NONE);
        }
        assertEquals(full.metrics().print(1000), resumed.metrics().print(1000));
        assertEquals(full.curve().column("loss").print(), resumed.curve().column("loss").print());
        // without a checkpoint the message says the run cannot be resumed
        StopRequest.request("SIGINT");
        try {
            RunStoppedException n = assertThrows(RunStoppedException.class,
                    () -> fit(SMALL, tc, ProgressListener.NONE));
            assertEquals(130, n.exitCode());
            assertTrue(n.getMessage().contains("before step 1 of 5 of epoch 1")
                    && n.getMessage().contains("writes no checkpoint"), n.getMessage());
        } finally {
            StopRequest.clear();
        }
    }

    @Test
    void sigtermWithTheHandlersInstalledBecomesAStopRequest() throws Exception {
        StopRequest.installSignalHandlers();
        try {
            sun.misc.Signal.raise(new sun.misc.Signal("TERM"));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (StopRequest.requested() == null && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals("SIGTERM", StopRequest.requested());
        } finally {
            StopRequest.clear();
            StopRequest.restoreDefaultHandlers();
        }
    }

    @Test
    void aTieBreakRunResumesFromItsCheckpointLikeAnUninterruptedRunAndStoresAllHistoryModes() throws Exception {
        TrainConfig tc = quick(3).withMaxStepsPerEpoch(3).withTieBreak(io.seqcl.eval.MetricKey.parse("HR@10"));
        Path ck = Files.createTempDirectory("seqcl").resolve("sasrec.ckpt");
        TrainResult full = fit(SMALL, tc, ProgressListener.NONE);
        try (SASRec m = new SASRec(DATA.numItems(), SMALL, 5)) {
            new Trainer(tc.withEpochs(2)).withCheckpoint(ck).fit(m, LeaveOneOutSplit.of(DATA), ProgressListener.NONE);
        }
        TrainResult resumed;
        try (SASRec m = new SASRec(DATA.numItems(), SMALL, 12345)) {
            resumed = new Trainer(tc).withCheckpoint(ck).fit(m, LeaveOneOutSplit.of(DATA), ProgressListener.NONE);
        }
        assertEquals(full.metrics().print(1000), resumed.metrics().print(1000));
        assertEquals(full.bestEpoch(), resumed.bestEpoch());
        // the configured mode (NEG_INF) is the main test result; all three modes are stored
        assertEquals(java.util.Set.of(io.seqcl.eval.HistoryMode.values()), full.testByHistory().keySet());
        assertEquals(full.test(), full.testByHistory().get(io.seqcl.eval.HistoryMode.NEG_INF));
        assertEquals(4 * full.test().table("x").rowCount(),
                full.metrics().where(full.metrics().stringColumn("split").startsWith("test")).rowCount());
        // a checkpoint without a tie break does not match a run with one (the run key names it)
        Path plain = checkpointAfterOneEpoch(quick(1).withMaxStepsPerEpoch(3));
        try (SASRec m = new SASRec(DATA.numItems(), SMALL, 5)) {
            CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
                    () -> new Trainer(tc).withCheckpoint(plain).fit(m, LeaveOneOutSplit.of(DATA),
                            ProgressListener.NONE));
            assertTrue(e.getMessage().contains("train.tieBreak"), e.getMessage());
        }
    }

    /**
     * libtorch's grad mode is per thread and DJL turns it off only on the engine's first thread: resuming (a
     * Params.restore before any gradient collector) on a fresh thread, as a notebook kernel may do, must work.
     */
    @Test
    void resumingOnAThreadThatDidNotStartTheEngineWorks() throws Exception {
        Path ck = Files.createTempDirectory("seqcl").resolve("sasrec.ckpt");
        try (SASRec m = new SASRec(DATA.numItems(), SMALL, 5)) {
            new Trainer(quick(1).withMaxStepsPerEpoch(2)).withCheckpoint(ck).fit(m, LeaveOneOutSplit.of(DATA),
                    ProgressListener.NONE);
        }
        Throwable[] failure = new Throwable[1];
        TrainResult[] result = new TrainResult[1];
        Thread t = new Thread(() -> {
            try (SASRec m = new SASRec(DATA.numItems(), SMALL, 6)) {
                result[0] = new Trainer(quick(2).withMaxStepsPerEpoch(2)).withCheckpoint(ck)
                        .fit(m, LeaveOneOutSplit.of(DATA), ProgressListener.NONE);
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        t.join();
        if (failure[0] != null) {
            throw new AssertionError("training on a fresh thread failed: " + failure[0], failure[0]);
        }
        assertEquals(2, result[0].curve().rowCount());
    }

    @Test
    void configValidationNamesTheParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.defaults().withBatchSize(0));
        assertTrue(e.getMessage().contains("batchSize"));
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.defaults().withLearningRate(-1));
        assertTrue(e.getMessage().contains("learningRate"));
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.defaults().withMonitor("XYZ@3"));
        assertTrue(e.getMessage().contains("XYZ@3"));
        e = assertThrows(IllegalArgumentException.class, () -> SASRecConfig.defaults().withDropout(1.0));
        assertTrue(e.getMessage().contains("hiddenDropout"));
        e = assertThrows(IllegalArgumentException.class,
                () -> new io.seqcl.nn.TransformerConfig(64, 2, 3, 256, io.seqcl.nn.ActivationFn.GELU, 0, 0, 1e-12));
        assertTrue(e.getMessage().contains("heads"));
    }

    private static Path checkpointAfterOneEpoch(TrainConfig tc) throws Exception {
        Path ck = Files.createTempDirectory("seqcl").resolve("sasrec.ckpt");
        try (SASRec m = new SASRec(DATA.numItems(), SMALL, 5)) {
            new Trainer(tc).withCheckpoint(ck).fit(m, LeaveOneOutSplit.of(DATA), ProgressListener.NONE);
        }
        return ck;
    }

    @Test
    void resumingWithAnotherLearningRateOrSeedFailsNamingThem() throws Exception {
        TrainConfig tc = quick(1).withMaxStepsPerEpoch(2);
        Path ck = checkpointAfterOneEpoch(tc);
        // before: the key was the model name and config only, so these silently continued the old run
        for (TrainConfig other : List.of(tc.withLearningRate(1e-2).withEpochs(2), tc.withSeed(6).withEpochs(2))) {
            try (SASRec m = new SASRec(DATA.numItems(), SMALL, 5)) {
                CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
                        () -> new Trainer(other).withCheckpoint(ck).fit(m, LeaveOneOutSplit.of(DATA),
                                ProgressListener.NONE));
                String field = other.seed() != tc.seed() ? "train.seed: checkpoint 5, now 6"
                        : "train.learningRate: checkpoint 0.003, now 0.01";
                assertTrue(e.getMessage().contains(field) && e.getMessage().contains(ck.toString()),
                        e.getMessage());
                assertTrue(!e.getMessage().contains("train.epochs"), "epochs may change: " + e.getMessage());
            }
        }
        SequenceDataset fewer = DATA.subset("synthetic", java.util.stream.IntStream.range(0, DATA.numUsers() - 1)
                .toArray());
        try (SASRec m = new SASRec(DATA.numItems(), SMALL, 5)) {
            CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
                    () -> new Trainer(tc.withEpochs(2)).withCheckpoint(ck).fit(m, LeaveOneOutSplit.of(fewer),
                            ProgressListener.NONE));
            assertTrue(e.getMessage().contains("dataset.users") && e.getMessage().contains("dataset.content"),
                    e.getMessage());
        }
        // starting fresh only when asked: the old run's epoch is not reused
        TrainResult fresh;
        try (SASRec m = new SASRec(DATA.numItems(), SMALL, 5)) {
            fresh = new Trainer(tc.withSeed(6).withEpochs(2)).withCheckpoint(ck, true)
                    .fit(m, LeaveOneOutSplit.of(DATA), ProgressListener.NONE);
        }
        assertEquals(2, fresh.epochsRun());
        assertEquals(2, fresh.curve().rowCount());
        try (SASRec m = new SASRec(DATA.numItems(), SMALL, 5)) { // the checkpoint now belongs to the seed-6 run
            TrainResult again = new Trainer(tc.withSeed(6).withEpochs(2)).withCheckpoint(ck)
                    .fit(m, LeaveOneOutSplit.of(DATA), ProgressListener.NONE);
            assertEquals(2, again.curve().rowCount());
        }
    }

    @Test
    void evaluationBatchSizeIsNotPartOfTheRunKeyAndOldKeysNamingItStillMatch() {
        java.util.Map<String, String> now = java.util.Map.of("model", "SASRec", "train.seed", "5");
        // checkpoints written while train.evalBatchSize was keyed (256 then, 1024 now) resume
        java.util.Map<String, String> old = java.util.Map.of("model", "SASRec", "train.seed", "5",
                "train.evalBatchSize", "256");
        assertEquals(List.of(), new RunKey(now).differences(new RunKey(old)));
        assertEquals(List.of(), new RunKey(old).differences(new RunKey(now)));
        assertEquals(1, new RunKey(now).differences(new RunKey(java.util.Map.of("model", "SASRec",
                "train.seed", "6"))).size());
        try (SASRec m = new SASRec(DATA.numItems(), SMALL, 5)) {
            assertTrue(!RunKey.of(m, quick(1), LeaveOneOutSplit.of(DATA), null).fields()
                    .containsKey("train.evalBatchSize"));
        }
    }

    @Test
    void aConfigFieldAddedLaterMatchesOlderCheckpointsOnlyAtTheValueTheyHad() {
        // Meta-SGCL checkpoints written before klOverSlots existed resume when it is false, and only then
        java.util.Map<String, String> old = java.util.Map.of("model", "Meta-SGCL", "model.config.beta", "0.2");
        java.util.Map<String, String> off = java.util.Map.of("model", "Meta-SGCL", "model.config.beta", "0.2",
                "model.config.klOverSlots", "false");
        java.util.Map<String, String> on = java.util.Map.of("model", "Meta-SGCL", "model.config.beta", "0.2",
                "model.config.klOverSlots", "true");
        assertEquals(List.of(), new RunKey(off).differences(new RunKey(old)));
        assertEquals(List.of(), new RunKey(old).differences(new RunKey(off)));
        assertEquals(List.of("model.config.klOverSlots: checkpoint (absent), now true"),
                new RunKey(on).differences(new RunKey(old)));
        assertEquals(1, new RunKey(old).differences(new RunKey(on)).size());
        assertEquals(1, new RunKey(off).differences(new RunKey(on)).size());
    }

    @Test
    void everyEpochRecordsTheBuildThatRanItAndWhenItEndedAcrossResumedSittingsAndOlderCheckpoints()
            throws Exception {
        TrainConfig tc = quick(4).withMaxStepsPerEpoch(2).withPatience(100);
        Path ck = Files.createTempDirectory("seqcl").resolve("sasrec.ckpt");
        java.time.Instant before = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        TrainResult first;
        try (SASRec m = new SASRec(DATA.numItems(), SMALL, 5)) {
            first = new Trainer(tc.withEpochs(2)).withCheckpoint(ck).withBuild("aaa111")
                    .fit(m, LeaveOneOutSplit.of(DATA), ProgressListener.NONE);
        }
        byte[] twoEpochs = Files.readAllBytes(ck);
        TrainResult resumed;
        try (SASRec m = new SASRec(DATA.numItems(), SMALL, 5)) {
            resumed = new Trainer(tc).withCheckpoint(ck).withBuild("bbb222")
                    .fit(m, LeaveOneOutSplit.of(DATA), ProgressListener.NONE);
        }
        assertEquals(List.of("aaa111", "aaa111", "bbb222", "bbb222"), resumed.curve().stringColumn("build").asList());
        assertEquals(List.of(1, 2, 3, 4), resumed.curve().intColumn("epoch").asList());
        List<String> ended = resumed.curve().stringColumn("ended").asList();
        assertEquals(first.curve().stringColumn("ended").asList(), ended.subList(0, 2),
                "the first sitting's end times come back from the checkpoint");
        for (String e : ended) {
            java.time.Instant t = java.time.Instant.parse(e);
            assertFalse(t.isBefore(before) || t.isAfter(java.time.Instant.now()), e);
        }
        assertEquals(java.time.Instant.parse(ended.get(0)).minusMillis(
                        Math.round(resumed.curve().doubleColumn("seconds").get(0) * 1000))
                        .truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                io.seqcl.experiment.Provenance.firstEpochStart(resumed.curve()));

        // a checkpoint written before end times were recorded ends after the builds: those epochs have none
        int endedTail = Integer.BYTES + 2 * Integer.BYTES + ended.get(0).length() + ended.get(1).length();
        int buildTail = Integer.BYTES + 2 * (Integer.BYTES + "aaa111".length());
        Files.write(ck, java.util.Arrays.copyOf(twoEpochs, twoEpochs.length - endedTail));
        try (SASRec m = new SASRec(DATA.numItems(), SMALL, 5)) {
            resumed = new Trainer(tc).withCheckpoint(ck).withBuild("ccc333")
                    .fit(m, LeaveOneOutSplit.of(DATA), ProgressListener.NONE);
        }
        assertEquals(List.of("aaa111", "aaa111", "ccc333", "ccc333"), resumed.curve().stringColumn("build").asList());
        assertEquals(List.of("", ""), resumed.curve().stringColumn("ended").asList().subList(0, 2));
        assertEquals(null, io.seqcl.experiment.Provenance.firstEpochStart(resumed.curve()),
                "an unknown first epoch start is not guessed");

        // one written before builds were recorded ends after the tie-break value: its epochs are unlabelled
        Files.write(ck, java.util.Arrays.copyOf(twoEpochs, twoEpochs.length - endedTail - buildTail));
        try (SASRec m = new SASRec(DATA.numItems(), SMALL, 5)) {
            resumed = new Trainer(tc).withCheckpoint(ck).withBuild("ccc333")
                    .fit(m, LeaveOneOutSplit.of(DATA), ProgressListener.NONE);
        }
        assertEquals(List.of("", "", "ccc333", "ccc333"), resumed.curve().stringColumn("build").asList());

        // a label or end-time list that does not match the curve is a clear error, not a silent mislabelling
        for (int[] at : new int[][] {{twoEpochs.length - endedTail - buildTail}, {twoEpochs.length - endedTail}}) {
            byte[] bad = twoEpochs.clone();
            java.nio.ByteBuffer.wrap(bad).putInt(at[0], 3);
            Files.write(ck, bad);
            try (SASRec m = new SASRec(DATA.numItems(), SMALL, 5)) {
                java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, () ->
                        new Trainer(tc).withCheckpoint(ck).fit(m, LeaveOneOutSplit.of(DATA), ProgressListener.NONE));
                assertTrue(e.getMessage().contains(at[0] == twoEpochs.length - endedTail
                        ? "end times of 3 epochs but its curve has 2" : "builds of 3 epochs but its curve has 2"),
                        e.getMessage());
            }
        }
    }

    @Test
    void truncatedCheckpointNamesTheFileAndWhatIsWrong() throws Exception {
        Path ck = checkpointAfterOneEpoch(quick(1).withMaxStepsPerEpoch(2));
        byte[] all = Files.readAllBytes(ck);
        Files.write(ck, java.util.Arrays.copyOf(all, all.length / 8)); // params are about a quarter of the file
        try (SASRec m = new SASRec(DATA.numItems(), SMALL, 5)) {
            java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                    () -> new Trainer(quick(2).withMaxStepsPerEpoch(2)).withCheckpoint(ck)
                            .fit(m, LeaveOneOutSplit.of(DATA), ProgressListener.NONE));
            assertTrue(e.getMessage().contains(ck.toString()) && e.getMessage().contains("truncated")
                    && e.getMessage().contains("model parameters") && !e.getMessage().endsWith(": null"),
                    e.getMessage());
        }
    }

    @Test
    void aTemporaryLeftByAKilledCheckpointWriteIsRemoved() throws Exception {
        Path ck = Files.createTempDirectory("seqcl").resolve("sasrec.ckpt");
        long dead = 4_000_000;
        while (ProcessHandle.of(dead).isPresent()) {
            dead++;
        }
        // what a kill -9 during the first checkpoint write leaves behind: a 0-byte temporary, no checkpoint
        Path stale = ck.resolveSibling(".sasrec.ckpt." + dead + ".5eed.tmp");
        Files.createFile(stale);
        try (SASRec m = new SASRec(DATA.numItems(), SMALL, 5)) {
            new Trainer(quick(1).withMaxStepsPerEpoch(1)).withCheckpoint(ck).fit(m, LeaveOneOutSplit.of(DATA),
                    ProgressListener.NONE);
        }
        assertTrue(!Files.exists(stale), "stale temporary removed");
        try (var files = Files.list(ck.getParent())) {
            assertEquals(List.of(ck), files.toList());
        }
    }

    @Test
    void aModelBuiltForFewerItemsThanTheDataFailsBeforeTraining() {
        try (SASRec m = new SASRec(DATA.numItems() - 5, SMALL, 5)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Trainer(quick(1)).fit(m, LeaveOneOutSplit.of(DATA), ProgressListener.NONE));
            assertTrue(e.getMessage().contains(String.valueOf(DATA.numItems() - 5))
                    && e.getMessage().contains(String.valueOf(DATA.numItems())), e.getMessage());
        }
    }
}
