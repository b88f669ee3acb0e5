package io.seqcl.experiment;

import io.seqcl.train.EpochReport;
import io.seqcl.train.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs of experiment files that span several sittings: partial results after every model. */
class ExperimentsTest {

    @Test
    void finishedModelsAreWrittenBeforeTheExperimentEnds(@TempDir Path tmp) throws Exception {
        ExperimentFile exp = new ExperimentFile("partial", List.of("synthetic"), PaperSettings.Paper.MCLREC,
                Budget.QUICK, List.of(5L), ExperimentFile.setsToObject(List.of("epochs=1", "maxStepsPerEpoch=2")),
                List.of(new ExperimentFile.Model("pop", null, null, null),
                        new ExperimentFile.Model("sasrec", null, null, null)), null);
        Path dir = Experiments.runDir(tmp, "synthetic", 5);
        List<String> seenWhileSASRecTrained = new ArrayList<>();
        ProgressListener spy = new ProgressListener() {
            @Override
            public void onEpochEnd(EpochReport report) {
                try {
                    seenWhileSASRecTrained.add(Files.readString(dir.resolve("metrics.csv")));
                    seenWhileSASRecTrained.add(Files.readString(dir.resolve("provenance.csv")));
                } catch (java.io.IOException e) {
                    seenWhileSASRecTrained.add("missing: " + e.getMessage());
                }
            }
        };
        RunResult r = Experiments.run(exp, tmp, false, spy).get(0);
        assertEquals(2, seenWhileSASRecTrained.size(), "one epoch of SASRec: " + seenWhileSASRecTrained);
        String partialMetrics = seenWhileSASRecTrained.get(0);
        assertTrue(partialMetrics.contains("Pop"), partialMetrics);
        assertFalse(partialMetrics.contains("SASRec"), "SASRec was still training: " + partialMetrics);
        String partialProv = seenWhileSASRecTrained.get(1);
        assertTrue(partialProv.contains("models.done,1 of 2"), partialProv);
        assertTrue(partialProv.contains("protocol.history,NONE"), "the partial file has the full provenance");
        String metrics = Files.readString(dir.resolve("metrics.csv"));
        assertTrue(metrics.contains("Pop") && metrics.contains("SASRec"), metrics);
        assertEquals("2 of 2", r.provenance().get("models.done"));
        // the epoch times of the curves (across sittings when resumed), per model and in all
        double sasrec = r.results().get(1).curve().numberColumn("seconds").sum();
        assertTrue(sasrec > 0);
        assertEquals(sasrec, Double.parseDouble(r.provenance().get("epoch.seconds.SASRec")), 0.051);
        assertEquals(sasrec, Double.parseDouble(r.provenance().get("epoch.seconds")), 0.051, "Pop has no epochs");
        assertEquals("0.0", r.provenance().get("epoch.seconds.Pop"));
        // which build trained which epochs: this one (GitInfo), shortened; Pop has none
        String commit = GitInfo.commit();
        String shortCommit = commit.endsWith("+dirty") ? commit.substring(0, Math.min(12, commit.length() - 6)) + "+dirty"
                : commit.substring(0, Math.min(12, commit.length()));
        assertEquals("epochs 1 " + shortCommit, r.provenance().get("build.SASRec"));
        assertNull(r.provenance().get("build.Pop"));
        assertTrue(Files.readString(dir.resolve("curves.csv")).startsWith("model,epoch,loss,valid,seconds,build,ended\n"));
        assertNull(r.provenance().get("sitting.started"), "a run of one sitting started when its sitting did");
        // each model's own input: the protocol's for SASRec (MCLRec: right padding, prefix samples)
        assertTrue(r.provenance().get("input.SASRec").matches("T \\d+, right padding, prefix samples"),
                r.provenance().get("input.SASRec"));
    }

    /** A run resumed in a later sitting says when it began, not when its last sitting did. */
    @Test
    void aResumedRunStartedWhenItsFirstEpochDid(@TempDir Path tmp) throws Exception {
        java.util.function.IntFunction<ExperimentFile> epochs = n -> new ExperimentFile("sittings", List.of("synthetic"),
                PaperSettings.Paper.MCLREC, Budget.QUICK, List.of(5L), ExperimentFile.setsToObject(
                        List.of("epochs=" + n, "maxStepsPerEpoch=2")),
                List.of(new ExperimentFile.Model("sasrec", null, null, null)), null);
        RunResult first = Experiments.run(epochs.apply(1), tmp, false, ProgressListener.NONE).get(0);
        java.time.Instant firstEpoch = Provenance.firstEpochStart(first.results().get(0).curve());
        assertTrue(!firstEpoch.isBefore(java.time.Instant.parse(first.provenance().get("started"))));
        Thread.sleep(20);
        RunResult resumed = Experiments.run(epochs.apply(2), tmp, true, ProgressListener.NONE).get(0);
        assertEquals(2, resumed.results().get(0).curve().rowCount());
        assertEquals(firstEpoch.toString(), resumed.provenance().get("started"));
        java.time.Instant sitting = java.time.Instant.parse(resumed.provenance().get("sitting.started"));
        assertTrue(sitting.isAfter(firstEpoch), sitting + " after " + firstEpoch);
        Path dir = Experiments.runDir(tmp, "synthetic", 5);
        String prov = Files.readString(dir.resolve("provenance.csv"));
        assertTrue(prov.contains("started," + firstEpoch + "\n") && prov.contains("sitting.started,"), prov);
    }

    /** Caser brings its own samples and padding; the provenance says so beside the protocol line. */
    @Test
    void provenanceRecordsAModelsOwnInputConvention() {
        ExperimentFile exp = new ExperimentFile("own-input", List.of("synthetic"), PaperSettings.Paper.MCLREC,
                Budget.QUICK, List.of(5L), ExperimentFile.setsToObject(List.of("epochs=1", "maxStepsPerEpoch=1")),
                List.of(new ExperimentFile.Model("sasrec", null, null, null),
                        new ExperimentFile.Model("caser", null, null, null)), null);
        RunResult r = Experiments.run(exp, null, false, ProgressListener.NONE).get(0);
        String protocol = r.provenance().get("protocol.line");
        assertTrue(protocol.contains("right padding, prefix samples"), protocol);
        String sasrec = r.provenance().get("input.SASRec");
        assertTrue(sasrec.contains("right padding, prefix samples"), sasrec);
        String caser = r.provenance().get("input.Caser");
        assertFalse(caser.contains("right padding, prefix samples"), "Caser's own convention: " + caser);
    }

    @Test
    void buildRangesOfACurveNameUnrecordedEpochsAndEachSitting() {
        tech.tablesaw.api.Table c = tech.tablesaw.api.Table.create("c",
                tech.tablesaw.api.IntColumn.create("epoch", new int[] {1, 2, 3, 4, 5, 6}),
                tech.tablesaw.api.StringColumn.create("build", new String[] {"", "", "0123456789abcdef", "0123456789abcdef",
                    "fedcba9876543210+dirty", "0123456789abcdef"}));
        io.seqcl.train.TrainResult r = new io.seqcl.train.TrainResult("m", 1, 6, false, null, null, c, 0, null);
        assertEquals("epochs 1-2 not recorded; 3-4 0123456789ab; 5 fedcba987654+dirty; 6 0123456789ab",
                Runner.builds(r));
    }
}
