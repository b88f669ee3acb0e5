package io.seqcl.cli;

import io.seqcl.config.Configs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    /** Exit code, standard output and error output of one command line. */
    record Out(int code, String out, String err) {
    }

    private static Out exec(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Out(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    private static String ok(String... args) {
        Out r = exec(args);
        assertEquals(0, r.code(), r.err() + r.out());
        return r.out();
    }

    @Test
    void quickstartOnSyntheticPrintsBothModelsAndTheTime() {
        String out = ok("quickstart", "--dataset", "synthetic", "--epochs", "1", "--seed", "1");
        assertTrue(out.contains("Pop") && out.contains("SASRec"), out);
        assertTrue(out.contains("HR@10") && out.contains("NDCG@10"), out);
        assertTrue(out.contains("total time"), out);
        assertTrue(out.contains("SASRec  epoch 1/1  loss "), out);
    }

    @Test
    void badOptionsAreRejectedBeforeAnyWork(@TempDir Path tmp) throws Exception {
        Out r = exec("quickstart", "--epochs", "ten");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--epochs"), r.err());
        r = exec("quickstart", "--epochs", "-3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--epochs must be >= 0"), r.err());
        r = exec("quickstart", "--bogus", "1");
        assertTrue(r.code() != 0 && r.err().contains("bogus"), r.err());
        r = exec("frobnicate");
        assertTrue(r.code() != 0 && r.err().contains("frobnicate"), r.err());
        r = exec("quickstart", "--seed", "9999999999", "--epochs", "-1");
        assertTrue(r.err().contains("--epochs must be >= 0") && !r.err().contains("--seed"), "seeds are long: " + r.err());
        r = exec("bench", "--steps", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--steps must be >= 1"), r.err());
        r = exec("bench", "--batch", "0");
        assertTrue(r.err().contains("--batch must be >= 1"), r.err());
        r = exec("bench-epoch", "--wide-threads", "-3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--wide-threads must be >= 0"), r.err());
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        r = exec("run", "--model", "pop", "--dataset", "synthetic", "--out", file.resolve("sub").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not writable"), r.err());
        r = exec("run", "--model", "gpt", "--dataset", "synthetic");
        assertTrue(r.err().contains("unknown model 'gpt'") && r.err().contains("sasrec"), r.err());
        r = exec("run", "--model", "sasrec", "--dataset", "synthetic", "--set", "encoder.maxLenn=3");
        assertTrue(r.err().contains("encoder.maxLenn") && r.err().contains("known keys"), r.err());
        r = exec("merge-seed", "--into", tmp.resolve("none").toString(), tmp.toString());
        assertTrue(r.code() != 0 && r.err().contains("provenance.csv"), r.err());
        r = exec("merge-seed", tmp.toString());
        assertTrue(r.code() != 0 && r.err().contains("--into"), r.err());
        assertTrue(ok("models").contains("sasrec"));
        assertTrue(ok("models", "mclrec", "--dataset", "beauty").contains("beta: 0.05"));
    }

    @Test
    void helpListsEveryCommandAndOption() {
        String help = ok("--help");
        for (String c : new String[] {"run", "quickstart", "bench", "bench-epoch", "datasets", "models",
            "merge-seed", "eval-checkpoint"}) {
            assertTrue(help.contains(c), help);
        }
        String run = ok("run", "--help");
        for (String o : new String[] {"--model", "--dataset", "--set", "--protocol", "--budget", "--seeds", "--out",
                "--resume"}) {
            assertTrue(run.contains(o), run);
        }
    }

    @Test
    void adHocRunWritesProvenanceThatReRunsToTheSameMetrics(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("a");
        ok("run", "--model", "sasrec", "--dataset", "synthetic", "--set", "encoder.maxLen=10",
                "--set", "encoder.transformer.hiddenSize=16", "--set", "encoder.transformer.innerSize=32",
                "--set", "train.epochs=1", "--set", "train.maxStepsPerEpoch=3", "--out", out.toString());
        Path dir = out.resolve("synthetic").resolve("seed-2020");
        String metrics = Files.readString(dir.resolve("metrics.csv"));
        Path prov = dir.resolve("provenance.json");
        var tree = Configs.json().readTree(prov.toFile());
        assertEquals(10, tree.at("/experiment/models/0/config/encoder/maxLen").asInt());
        assertEquals(1, tree.at("/experiment/train/epochs").asInt());
        assertFalse(tree.at("/software/git.commit").asText().isEmpty());
        assertEquals("2020", tree.at("/run/seed").asText());

        Path again = tmp.resolve("b");
        ok("run", prov.toString(), "--out", again.toString());
        assertEquals(metrics, Files.readString(again.resolve("synthetic").resolve("seed-2020").resolve("metrics.csv")));

        Out r = exec("run", prov.toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--resume"), r.err());
        ok("run", prov.toString(), "--out", out.toString(), "--resume");
        assertEquals(metrics, Files.readString(dir.resolve("metrics.csv")));
    }

    @Test
    void aRunStoppedBySigtermExitsWith143AndSaysHowToResume(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("a");
        String[] run = {"run", "--model", "sasrec", "--dataset", "synthetic", "--set", "encoder.maxLen=10",
                "--set", "encoder.transformer.hiddenSize=16", "--set", "encoder.transformer.innerSize=32",
                "--set", "train.epochs=1", "--set", "train.maxStepsPerEpoch=3", "--out", out.toString()};
        io.seqcl.train.StopRequest.request("SIGTERM");
        Out r;
        try {
            r = exec(run);
        } finally {
            io.seqcl.train.StopRequest.clear();
        }
        assertEquals(143, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("stopped by SIGTERM before step 1 of 3 of epoch 1")
                && r.err().contains("--resume"), r.err());
        assertFalse(Files.exists(out.resolve("synthetic").resolve("seed-2020").resolve("metrics.csv")));
        String[] resume = java.util.Arrays.copyOf(run, run.length + 1);
        resume[run.length] = "--resume";
        ok(resume);
        assertTrue(Files.exists(out.resolve("synthetic").resolve("seed-2020").resolve("metrics.csv")));
    }

    @Test
    void ownSequenceFilesRunByPathWithOptionalIdRemapping(@TempDir Path tmp) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int u = 0; u < 40; u++) {
            b.append(u);
            for (int i = 0; i < 6; i++) {
                b.append(' ').append((u + i) % 15);
            }
            b.append('\n');
        }
        Path f = Files.writeString(tmp.resolve("zero-based.txt"), b.toString());
        Out r = exec("run", "--model", "pop", "--data", f.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("zero-based.txt") && r.err().contains("remap"), r.err());
        String out = ok("run", "--model", "pop", "--data", f.toString(), "--remap-ids", "--out",
                tmp.resolve("o").toString());
        assertTrue(out.contains("Pop"), out);
        assertTrue(Files.exists(tmp.resolve("o/zero-based/seed-2020/provenance.json")));
        r = exec("run", "--model", "pop", "--data", tmp.resolve("missing.txt").toString());
        assertTrue(r.code() == 2 && r.err().contains("no such file"), r.err());
    }

    /** Writes an experiment file with Pop and a small SASRec on the synthetic data, seeds 1 and 2, 2 steps. */
    private static Path tinyExperiment(Path file, String name) throws java.io.IOException {
        return Files.writeString(file, String.join("\n",
                "name: " + name,
                "datasets: [synthetic]",
                "protocol: mclrec",
                "budget: quick",
                "seeds: [1, 2]",
                "train: {epochs: 1, maxStepsPerEpoch: 2}",
                "models:",
                "  - model: pop",
                "  - model: sasrec",
                "    name: SASRec small",
                "    config: {encoder: {maxLen: 8, transformer: {hiddenSize: 8, innerSize: 16}}}",
                ""));
    }

    @Test
    void experimentFilesRunAndNameTheLineOfABadKey(@TempDir Path tmp) throws Exception {
        Path f = tinyExperiment(tmp.resolve("exp.yaml"), "tiny");
        String out = ok("run", f.toString(), "--out", tmp.resolve("o").toString());
        assertTrue(out.contains("SASRec small") && out.contains("Pop"), out);
        assertTrue(Files.exists(tmp.resolve("o/synthetic/seed-2/metrics.csv")));
        // two seeds: mean ± 95 % CI per model and paired tests of the last model against the others
        assertTrue(out.contains("mean ± 95% CI over 2 seeds") && out.contains("SASRec small vs Pop")
                && out.contains("p (Wilcoxon)") && out.contains("mclrec protocol: history NONE"), out);
        String summary = Files.readString(tmp.resolve("o/synthetic/seeds-summary.csv"));
        assertTrue(summary.contains("HR@10 ci95") && summary.contains("SASRec small"), summary);
        assertTrue(Files.readString(tmp.resolve("o/synthetic/seeds-paired.csv")).contains("users"));
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), Files.readString(f).replace("maxLen: 8", "maxLenn: 8"));
        Out r = exec("run", bad.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad.yaml") && r.err().contains("maxLenn") && r.err().contains("known keys"),
                r.err());
        Path badProtocol = Files.writeString(tmp.resolve("p.yaml"), Files.readString(f).replace("protocol: mclrec",
                "protocol: recbole"));
        r = exec("run", badProtocol.toString());
        assertTrue(r.err().contains("p.yaml:3") && r.err().contains("mclrec") && r.err().contains("coserec"), r.err());
    }

    @Test
    void oneRowOfAFileRunsAloneAtOneSeedAndMergesIntoTheRecordedSeed(@TempDir Path tmp) throws Exception {
        Path f = tinyExperiment(tmp.resolve("table.yaml"), "table");
        // the whole file at seed 1 only (--seed without --seeds replaces the file's seeds)
        ok("run", f.toString(), "--seed", "1", "--out", tmp.resolve("all").toString());
        assertFalse(Files.exists(tmp.resolve("all/synthetic/seed-2")));
        String all = Files.readString(tmp.resolve("all/synthetic/seed-1/metrics.csv"));
        // the rows one at a time, then merged: the same rows as the whole file
        String popOut = ok("run", f.toString(), "--row", "Pop", "--seed", "1", "--out", tmp.resolve("a").toString());
        assertTrue(popOut.contains("x 1 model(s)") && !popOut.contains("SASRec small"), popOut);
        ok("run", f.toString(), "--row", "SASRec small", "--seed", "1", "--out", tmp.resolve("b").toString());
        Path into = tmp.resolve("a/synthetic/seed-1");
        ok("merge-seed", "--into", into.toString(), tmp.resolve("b/synthetic/seed-1").toString());
        assertEquals(all.lines().sorted().toList(), Files.readString(into.resolve("metrics.csv")).lines().sorted().toList());
        // training changes from the command line apply to every row and are part of the run's settings
        ok("run", f.toString(), "--row", "SASRec small", "--seed", "1", "--set", "train.shards=2",
                "--out", tmp.resolve("c").toString());
        Path sharded = tmp.resolve("c/synthetic/seed-1");
        assertTrue(Files.readString(sharded.resolve("provenance.csv")).contains("shards=2"));
        Out r = exec("merge-seed", "--into", tmp.resolve("all/synthetic/seed-1").toString(), sharded.toString());
        assertTrue(r.code() != 0 && r.err().contains("train.config"), r.err());
        // clear errors
        r = exec("run", f.toString(), "--row", "DuoRec");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no row 'DuoRec'") && r.err().contains("'Pop', 'SASRec small'"), r.err());
        r = exec("run", f.toString(), "--set", "encoder.maxLen=4");
        assertTrue(r.code() != 0 && r.err().contains("training settings only"), r.err());
        r = exec("run", f.toString(), "--set", "train.shardz=2");
        assertTrue(r.code() != 0 && r.err().contains("shardz"), r.err());
        r = exec("run", "--model", "pop", "--dataset", "synthetic", "--row", "Pop");
        assertTrue(r.code() != 0 && r.err().contains("--row selects rows"), r.err());
    }

    @Test
    void cfExperimentFilesRunPerSeedWithConfidenceIntervalsAndResume(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("cf.yaml"), String.join("\n", "kind: cf", "name: tiny-cf",
                "datasets: [synthetic]", "budget: quick", "withoutTrainingItemsInTests: true", "models: [Pop]", ""));
        String out = ok("run", f.toString(), "--seed", "5", "--seeds", "2", "--out", tmp.resolve("o").toString());
        assertTrue(out.contains("advinfonce protocol") && out.contains("over seeds") && out.contains("±"), out);
        assertTrue(Files.exists(tmp.resolve("o/synthetic/seed-6/provenance.json")));
        assertTrue(Files.readString(tmp.resolve("o/synthetic/seeds-summary.csv")).contains("test_id-no-train-overlap"));
        Out r = exec("run", f.toString(), "--seed", "5", "--seeds", "2", "--out", tmp.resolve("o").toString());
        assertTrue(r.code() == 2 && r.err().contains("--resume"), r.err());
        ok("run", f.toString(), "--seed", "5", "--seeds", "2", "--out", tmp.resolve("o").toString(), "--resume");
    }

    @Test
    void cfExperimentFilesWriteSeedsPairedAgainstTheFirstTrainedModel(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("cf.yaml"), String.join("\n", "kind: cf", "name: tiny-cf",
                "datasets: [synthetic]", "budget: quick", "maxEpochs: 1", "models: [Pop, MF+InfoNCE, MF+InfoNCE×k]",
                ""));
        ok("run", f.toString(), "--seed", "5", "--seeds", "2", "--out", tmp.resolve("o").toString());
        String paired = Files.readString(tmp.resolve("o/synthetic/seeds-paired.csv"));
        assertTrue(paired.startsWith("# MF+InfoNCE×k (A) vs MF+InfoNCE (B), seeds [5, 6], users pooled over seeds [5, 6]"),
                paired);
        assertTrue(paired.contains("test_id,Recall@20,seeds,2,") && paired.contains("test_id,NDCG@20,users,"), paired);
        assertTrue(Files.exists(tmp.resolve("o/synthetic/seed-6/per-user.csv")));
    }

    @Test
    void evalCheckpointPrintsBothSplitsInEveryHistoryModeAndRefusesBadInput(@TempDir Path tmp) throws Exception {
        Path ckpt = Path.of(MainTest.class.getResource("/io/seqcl/checkpoint/tiny_sasrec.pth").toURI());
        Path seqs = Files.writeString(tmp.resolve("s.txt"), "1 1 2 3 5\n2 4 5 6 7 8 1\n3 2 10 3 7 9\n");
        String out = ok("eval-checkpoint", ckpt.toString(), "--dataset", seqs.toString());
        for (String s : List.of("valid", "test", "NONE", "ZERO", "NEG_INF", "HR@10", "NDCG@10", "MRR@10", "3 users")) {
            assertTrue(out.contains(s), s + " in " + out);
        }
        Out r = exec("eval-checkpoint", tmp.resolve("none.pth").toString(), "--dataset", seqs.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("none.pth") && r.err().contains("does not exist"), r.err());
        r = exec("eval-checkpoint", ckpt.toString(), "--dataset", seqs.toString(), "--heads", "3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("heads"), r.err());
        r = exec("eval-checkpoint", ckpt.toString());
        assertTrue(r.code() != 0 && r.err().contains("--dataset"), r.err());
    }
}
