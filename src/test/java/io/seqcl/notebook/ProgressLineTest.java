package io.seqcl.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.seqcl.train.EpochReport;

class ProgressLineTest {

    static final long MS = 1_000_000L;

    final AtomicLong now = new AtomicLong(1_000 * MS);
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    static EpochReport report(int epoch) {
        return new EpochReport("SASRec", epoch, 3, 8.5 - epoch, "NDCG@10", 0.01 * epoch, 0.01 * epoch, epoch,
                10.0, 10.0 * epoch, 10.0 * (3 - epoch));
    }

    /** Simulates a 3-epoch run of 100 batches, 20 ms per batch. */
    void train(ProgressLine p) {
        p.onRunStart("SASRec", 3, 100);
        for (int e = 1; e <= 3; e++) {
            for (int s = 1; s <= 100; s++) {
                now.addAndGet(20 * MS);
                p.onBatch("SASRec", e, s, 100, 9.0 - e);
            }
            p.onEpochEnd(report(e));
        }
        p.onRunEnd("SASRec", "best epoch 3, valid NDCG@10 0.0300, 6.0 s");
    }

    @Test
    void notebookShowsOneLineUpdatedInPlaceAndThrottled() {
        RecordingSink sink = new RecordingSink();
        ProgressLine p = new ProgressLine(ProgressLine.Mode.NOTEBOOK, sink, null, now::get, 500 * MS);
        train(p);
        assertEquals(1, sink.count("display"), "exactly one output per run");
        assertTrue(sink.events.stream().allMatch(e -> e.id().equals("d1")), "every update targets that output");
        // 300 batches over 6 s -> about 12 throttled updates + 3 epoch ends + 1 end (never one per batch)
        long updates = sink.count("update");
        assertTrue(updates >= 12 && updates <= 17, "updates: " + updates);
        assertEquals("SASRec  done: best epoch 3, valid NDCG@10 0.0300, 6.0 s", sink.last().bundle().get("text/plain"));
    }

    @Test
    void eachRunGetsItsOwnLine() {
        RecordingSink sink = new RecordingSink();
        ProgressLine p = new ProgressLine(ProgressLine.Mode.NOTEBOOK, sink, null, now::get, 500 * MS);
        p.onRunStart("Pop", 0, 0);
        p.onRunEnd("Pop", "no training, 0.1 s");
        train(p);
        assertEquals(2, sink.count("display"));
        assertEquals("Pop  done: no training, 0.1 s", sink.events.get(1).bundle().get("text/plain"));
    }

    @Test
    void batchLineShowsEpochStepLossValidAndTimeLeft() {
        RecordingSink sink = new RecordingSink();
        ProgressLine p = new ProgressLine(ProgressLine.Mode.NOTEBOOK, sink, null, now::get, 500 * MS);
        p.onRunStart("SASRec", 3, 100);
        for (int s = 1; s <= 100; s++) {
            now.addAndGet(20 * MS);
            p.onBatch("SASRec", 1, s, 100, 8.0);
        }
        p.onEpochEnd(report(1));
        for (int s = 1; s <= 50; s++) {
            now.addAndGet(100 * MS);
            p.onBatch("SASRec", 2, s, 100, s % 2 == 0 ? 7.0 : 6.0);
        }
        String line = sink.last().bundle().get("text/plain");
        // the last epoch took 10 s; 5 s of epoch 2 are gone -> 5 s + one more epoch of 10 s = 15 s left
        assertEquals("SASRec  epoch 2/3  step 50/100  loss 6.5000  valid NDCG@10 0.0100 (best 0.0100 @1)  ~15s left",
                line);
    }

    @Test
    void timeLeftBeforeFirstEpochEndIsExtrapolated() {
        RecordingSink sink = new RecordingSink();
        ProgressLine p = new ProgressLine(ProgressLine.Mode.NOTEBOOK, sink, null, now::get, 0);
        p.onRunStart("GRU", 2, 10);
        now.addAndGet(5_000 * MS);
        p.onBatch("GRU", 1, 5, 10, 1.0);
        // half an epoch in 5 s -> 5 s left in this epoch + 10 s for the second
        assertTrue(sink.last().bundle().get("text/plain").endsWith("~15s left"), sink.last().bundle().toString());
    }

    @Test
    void epochLineUsesTheReport() {
        assertEquals("SASRec  epoch 2/3  loss 6.5000  valid NDCG@10 0.0200 (best 0.0200 @2)  10.0 s/epoch  ~10s left",
                ProgressLine.epochText(report(2)));
    }

    @Test
    void nonTtyPrintsOneLinePerEpochNeverPerBatch() {
        ProgressLine p = new ProgressLine(ProgressLine.Mode.LINES, null, out, now::get, 500 * MS);
        train(p);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(5, lines.length, String.join("\n", lines));
        assertTrue(lines[0].startsWith("SASRec  starting: up to 3 epochs x 100 steps"), lines[0]);
        assertTrue(lines[1].startsWith("SASRec  epoch 1/3  loss 7.5000"), lines[1]);
        assertTrue(lines[3].startsWith("SASRec  epoch 3/3"), lines[3]);
        assertTrue(lines[4].startsWith("SASRec  done: best epoch 3"), lines[4]);
        assertFalse(bytes.toString(StandardCharsets.UTF_8).contains("\r"));
    }

    @Test
    void ttyRewritesTheLineWithCarriageReturn() {
        ProgressLine p = new ProgressLine(ProgressLine.Mode.TTY, null, out, now::get, 500 * MS);
        train(p);
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, s.chars().filter(c -> c == '\n').count(), "a single newline, at the end: " + s);
        assertTrue(s.endsWith("\n"), s);
        assertTrue(s.stripTrailing().endsWith("\rSASRec  done: best epoch 3, valid NDCG@10 0.0300, 6.0 s"), s);
        long rewrites = s.chars().filter(c -> c == '\r').count();
        assertTrue(rewrites >= 15 && rewrites <= 22, "throttled rewrites: " + rewrites);
    }

    @Test
    void throttleAllowsAtMostTwoBatchUpdatesPerSecond() {
        RecordingSink sink = new RecordingSink();
        ProgressLine p = new ProgressLine(ProgressLine.Mode.NOTEBOOK, sink, null, now::get,
                ProgressLine.DEFAULT_MIN_INTERVAL_NANOS);
        p.onRunStart("SASRec", 1, 10_000);
        for (int s = 1; s <= 10_000; s++) {
            now.addAndGet(MS); // 10 s of 1 ms batches
            p.onBatch("SASRec", 1, s, 10_000, 1.0);
        }
        long updates = sink.count("update");
        assertTrue(updates >= 19 && updates <= 20, "10 s at <= 2 updates/s: " + updates);
    }

    @Test
    void consoleDefaultIsLinesWhenNotATerminal() {
        // surefire's forked JVM has no console
        ProgressLine p = (ProgressLine) Display.progress();
        assertEquals(ProgressLine.Mode.LINES, p.mode());
    }

    @Test
    void anEarlyStoppedRunEstimatesTheTimeToItsStopEpochAndStatesTheWholeBudget() {
        // epoch 64 of 1000 at 36 s each, best at 20, patience 100: stops after 120 unless NDCG@10 improves
        EpochReport r = new EpochReport("SASRec", 64, 1000, 6.087, "NDCG@10", 0.0721, 0.0730, 20, 36.0,
                64 * 36.0, 36.0 * 936, 120);
        assertEquals(36.0 * 56, r.etaToStopSeconds(), 1e-9);
        assertEquals("SASRec  epoch 64/1000  loss 6.0870  valid NDCG@10 0.0721 (best 0.0730 @20)  36.0 s/epoch"
                + "  ~33m 36s left (stops after epoch 120 unless NDCG@10 improves; at most ~9h 21m)", r.line());
        EpochReport noStop = new EpochReport("SASRec", 2, 3, 6.5, "NDCG@10", 0.02, 0.02, 2, 10.0, 20.0, 10.0);
        assertEquals(3, noStop.stopEpoch());
        assertTrue(noStop.line().endsWith("10.0 s/epoch  ~10s left"), noStop.line());
    }
}
