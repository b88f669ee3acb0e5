package io.seqcl.cf;

import io.seqcl.train.CheckpointMismatchException;
import io.seqcl.train.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CF per-epoch checkpoints: an interrupted-then-resumed run equals an uninterrupted one (issue 12 item 3). */
class CfCheckpointTest {

    private static final long SEED = 5;

    /** AdvInfoNCE with adversarial passes before and after the interruption, validation every 2 epochs. */
    private static CfConfig config() {
        return CfTestData.fast(CfConfig.Backbone.MF, CfConfig.Loss.ADV_INFONCE).withBatchSize(512)
                .withSchedule(14, 2, 3, 3).withAdv(1e-3, 3, 3);
    }

    private static final class Kill extends RuntimeException {
        Kill() {
            super("simulated kill");
        }
    }

    private record Outcome(CfTrainer.Result result, Map<String, float[]> weights,
                           Map<CfEvaluator.Metric, Double> test) {
    }

    private static Outcome train(CfDataset d, CfConfig c, Path ckpt, ProgressListener l) {
        try (CfModel m = new CfModel(c, d, SEED)) {
            CfTrainer t = new CfTrainer(m, d, SEED + 1).withCheckpoint(ckpt);
            CfTrainer.Result r = t.fit("ckpt", l);
            return new Outcome(r, m.params().snapshot(), t.evaluate("test_id"));
        }
    }

    /** @return a listener that records the epoch of the first batch it sees */
    private static ProgressListener firstEpochInto(AtomicInteger firstEpoch) {
        return new ProgressListener() {
            @Override
            public void onBatch(String run, int epoch, int step, int steps, double loss) {
                firstEpoch.compareAndSet(-1, epoch);
            }
        };
    }

    private static void assertSame(Outcome a, Outcome b) {
        assertEquals(a.result().bestEpoch(), b.result().bestEpoch());
        assertEquals(a.result().bestValid(), b.result().bestValid());
        assertEquals(a.result().adversarialPasses(), b.result().adversarialPasses());
        assertEquals(a.result().curve().size(), b.result().curve().size());
        for (int i = 0; i < a.result().curve().size(); i++) {
            CfTrainer.EpochRow x = a.result().curve().get(i);
            CfTrainer.EpochRow y = b.result().curve().get(i);
            assertEquals(x.epoch(), y.epoch());
            assertEquals(x.loss(), y.loss(), "loss at epoch " + x.epoch());
            assertEquals(x.kl(), y.kl(), "kl at epoch " + x.epoch());
            assertEquals(x.adversarial(), y.adversarial());
            assertEquals(x.validRecall(), y.validRecall(), "valid at epoch " + x.epoch());
        }
        assertEquals(a.weights().keySet(), b.weights().keySet());
        a.weights().forEach((k, v) -> assertArrayEquals(v, b.weights().get(k), k));
        assertEquals(a.test(), b.test());
    }

    @Test
    void aStopRequestEndsTheRunBetweenStepsNamingTheLastCheckpointAndTheRunResumes(@TempDir Path tmp) {
        CfDataset d = CfTestData.synthetic();
        CfConfig c = config();
        Outcome straight = train(d, c, null, ProgressListener.NONE);
        Path ckpt = tmp.resolve("mf.ckpt");
        ProgressListener signal = new ProgressListener() {
            @Override
            public void onBatch(String run, int epoch, int step, int steps, double loss) {
                if (epoch == 8 && step == 1) {
                    io.seqcl.train.StopRequest.request("SIGTERM");
                }
            }
        };
        io.seqcl.train.RunStoppedException e;
        try {
            e = assertThrows(io.seqcl.train.RunStoppedException.class, () -> train(d, c, ckpt, signal));
        } finally {
            io.seqcl.train.StopRequest.clear();
        }
        // validation (and so a checkpoint) every 3 epochs here: the last one after epoch 6
        assertTrue(e.getMessage().contains("epoch 8") && e.getMessage().contains("checkpoint after epoch 6"),
                e.getMessage());
        AtomicInteger firstEpoch = new AtomicInteger(-1);
        Outcome resumed = train(d, c, ckpt, firstEpochInto(firstEpoch));
        assertEquals(7, firstEpoch.get());
        assertSame(straight, resumed);
    }

    @Test
    void interruptedThenResumedRunGivesTheSameCurveWeightsAndMetrics(@TempDir Path tmp) throws java.io.IOException {
        CfDataset d = CfTestData.synthetic();
        CfConfig c = config();
        Outcome straight = train(d, c, null, ProgressListener.NONE);
        assertTrue(straight.result().adversarialPasses() >= 2, "the schedule must include adversarial passes");
        assertTrue(straight.result().curve().stream().filter(CfTrainer.EpochRow::adversarial)
                .anyMatch(r -> r.epoch() > 7), "an adversarial pass must come after the interruption");

        // killed in the middle of epoch 8 (last checkpoint: the validation after epoch 6), then resumed
        Path ckpt = tmp.resolve("mf.ckpt");
        ProgressListener killer = new ProgressListener() {
            @Override
            public void onBatch(String run, int epoch, int step, int steps, double loss) {
                if (epoch == 8 && step == 2) {
                    throw new Kill();
                }
            }
        };
        assertThrows(Kill.class, () -> train(d, c, ckpt, killer));
        assertTrue(Files.isRegularFile(ckpt));
        byte[] killed = Files.readAllBytes(ckpt);
        AtomicInteger firstEpoch = new AtomicInteger(-1);
        Outcome resumed = train(d, c, ckpt, firstEpochInto(firstEpoch));
        assertEquals(7, firstEpoch.get(), "training resumes after the last checkpointed epoch");
        assertSame(straight, resumed);
        // every epoch says when it ended, the first sitting's six from the checkpoint
        List<String> ended = resumed.result().curve().stream().map(CfTrainer.EpochRow::ended).toList();
        for (int i = 1; i < ended.size(); i++) {
            assertFalse(java.time.Instant.parse(ended.get(i)).isBefore(java.time.Instant.parse(ended.get(i - 1))),
                    ended.toString());
        }

        // a checkpoint written before end times were recorded resumes with those epochs' end times empty
        int tail = Integer.BYTES;
        for (String e : ended.subList(0, 6)) {
            tail += Integer.BYTES + e.length();
        }
        Path old = tmp.resolve("old.ckpt");
        Files.write(old, java.util.Arrays.copyOf(killed, killed.length - tail));
        Outcome fromOld = train(d, c, old, ProgressListener.NONE);
        assertSame(straight, fromOld);
        assertEquals(List.of("", "", "", "", "", ""), fromOld.result().curve().stream().limit(6)
                .map(CfTrainer.EpochRow::ended).toList());
        assertFalse(fromOld.result().curve().get(6).ended().isEmpty());

        // a finished checkpoint restores the best weights without training
        AtomicInteger batches = new AtomicInteger();
        Outcome again = train(d, c, ckpt, new ProgressListener() {
            @Override
            public void onBatch(String run, int epoch, int step, int steps, double loss) {
                batches.incrementAndGet();
            }
        });
        assertEquals(0, batches.get());
        assertSame(straight, again);
    }

    @Test
    void aRunExtendedToMoreEpochsContinuesLikeAnUninterruptedOne(@TempDir Path tmp) {
        CfDataset d = CfTestData.synthetic();
        CfConfig c = config();
        Outcome straight = train(d, c, null, ProgressListener.NONE);
        assertTrue(straight.result().curve().size() > 8, "the straight run must go past epoch 8");
        Path ckpt = tmp.resolve("mf.ckpt");
        Outcome eight = train(d, c.withEpochs(8), ckpt, ProgressListener.NONE); // 8: a validated epoch
        assertEquals(8, eight.result().curve().size());
        AtomicInteger firstEpoch = new AtomicInteger(-1);
        Outcome extended = train(d, c, ckpt, firstEpochInto(firstEpoch));
        assertEquals(9, firstEpoch.get(), "the extended run continues after epoch 8");
        assertSame(straight, extended);
        CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
                () -> train(d, c.withEpochs(20).withNegatives(c.negatives() + 1), ckpt, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("negatives=" + (c.negatives() + 1)), e.getMessage());
    }

    @Test
    void checkpointOfAnotherRunIsRefusedNamingTheField(@TempDir Path tmp) {
        CfDataset d = CfTestData.synthetic();
        Path ckpt = tmp.resolve("mf.ckpt");
        CfConfig c = config().withSchedule(2, 2, 3, 2);
        train(d, c, ckpt, ProgressListener.NONE);
        CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
                () -> train(d, c.withLearningRate(1e-2), ckpt, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("config"), e.getMessage());
        assertFalse(e.getMessage().contains("seed.sampling"), e.getMessage());
    }

    @Test
    void experimentFileResumesAnInterruptedSeedFromItsCheckpointsAndDeletesThemWhenDone(@TempDir Path tmp)
            throws Exception {
        Path file = tmp.resolve("cf.yaml");
        Files.writeString(file, String.join("\n", "kind: cf", "name: ckpt", "datasets: [synthetic]",
                "budget: quick", "maxEpochs: 7", "seeds: [3]", "models: [Pop, MF+InfoNCE×k]", ""));
        CfExperimentFile exp = CfExperimentFile.read(file);
        var straight = exp.runAll(tmp.resolve("a"), false, ProgressListener.NONE);
        Path out = tmp.resolve("b");
        ProgressListener killer = new ProgressListener() {
            @Override
            public void onBatch(String run, int epoch, int step, int steps, double loss) {
                if (run.contains("InfoNCE×k") && epoch == 7) { // the last epoch; the last checkpoint is epoch 5
                    throw new Kill();
                }
            }
        };
        assertThrows(Kill.class, () -> exp.runAll(out, false, killer));
        Path ckpts = out.resolve("synthetic/seed-3").resolve(CfExperimentFile.CHECKPOINT_DIR);
        assertTrue(Files.isRegularFile(ckpts.resolve("MF+InfoNCE_k.ckpt")));
        var resumed = exp.runAll(out, true, ProgressListener.NONE);
        assertEquals(straight.metrics().doubleColumn("value").asList(), resumed.metrics().doubleColumn("value").asList());
        assertFalse(Files.exists(ckpts), "checkpoints are deleted once the seed is written");
        // the seed began in the killed sitting: started is its first epoch's start, the last sitting is kept apart
        java.util.Map<String, String> prov = io.seqcl.experiment.RecordedResults.readProvenance(
                out.resolve("synthetic/seed-3/provenance.csv"));
        assertTrue(java.time.Instant.parse(prov.get("started")).isBefore(java.time.Instant.parse(
                prov.get("sitting.started"))), prov.toString());
        assertTrue(Files.readString(out.resolve("synthetic/seed-3/curves.csv")).lines().findFirst().orElseThrow()
                .endsWith(",seconds,ended"));
        assertEquals(List.of("dataset", "model", "split", "user", "Recall@20", "NDCG@20", "HR@20", "seed"),
                resumed.perUser().columnNames());
    }
}
