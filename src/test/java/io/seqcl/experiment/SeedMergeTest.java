package io.seqcl.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqcl.data.DataFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SeedMerge}: a model run by a separate process joins its seed's files and is read back as one seed. */
class SeedMergeTest {

    private static final String TRAIN = "\"TrainConfig[epochs=100, batchSize=256, seed=2020]\"";

    @TempDir
    Path tmp;

    /** A seed directory as seqcl run writes it, with one test HR@10 per model. */
    private static Path seed(Path dir, String commit, String started, String cpu, double epochSeconds,
                             String done, Map<String, Double> hr10) throws IOException {
        Files.createDirectories(dir);
        StringBuilder m = new StringBuilder("model,split,metric,k,value\n");
        StringBuilder c = new StringBuilder("model,epoch,loss,valid,seconds,build\n");
        StringBuilder p = new StringBuilder("key,value\nstarted," + started + "\ngit.commit," + commit + "\ncpu," + cpu
                + "\ncores,2\ndevice,cpu()\ndataset,beauty\ndataset.sha256,abc\nseed,2020\n"
                + "experiment,mclrec-table3-beauty-full\ntrain.config," + TRAIN + "\nprotocol,mclrec\n"
                + "protocol.line,\"mclrec protocol: history NONE, T 50\"\n");
        StringBuilder runJson = new StringBuilder();
        StringBuilder modelsJson = new StringBuilder();
        for (Map.Entry<String, Double> e : hr10.entrySet()) {
            String name = e.getKey();
            m.append(name).append(",test,HR,10,").append(e.getValue()).append('\n');
            c.append(name).append(",1,9.0,0.01,10.0,").append(commit).append('\n');
            p.append("model.").append(name).append(",\"").append(name).append("Config[a=1, b=2]\"\n");
            p.append("epoch.seconds.").append(name).append(",10.0\n");
            runJson.append(",\"epoch.seconds.").append(name).append("\":\"10.0\"");
            modelsJson.append(modelsJson.length() == 0 ? "" : ",").append('"').append(name).append("\":\"")
                    .append(name).append("Config[a=1, b=2]\"");
        }
        p.append("epoch.seconds,").append(epochSeconds).append("\nmodels.done,").append(done)
                .append("\nwall.seconds,100.0\nbudget,full\n");
        Files.writeString(dir.resolve("metrics.csv"), m);
        Files.writeString(dir.resolve("curves.csv"), c);
        Files.writeString(dir.resolve("provenance.csv"), p);
        Files.writeString(dir.resolve("provenance.json"), "{\"run\":{\"started\":\"" + started + "\",\"epoch.seconds\":\""
                + epochSeconds + "\",\"models.done\":\"" + done + "\"" + runJson + "},\"software\":{\"git.commit\":\""
                + commit + "\"},\"models\":{" + modelsJson + "}}");
        return dir;
    }

    @Test
    void aSeparatelyRunModelJoinsItsSeedAndIsReadBackAsOneSeed() throws IOException {
        Path root = tmp.resolve("results");
        Files.createDirectories(root.resolve("mclrec"));
        Files.writeString(root.resolve("mclrec/table3-beauty.yaml"), "name: mclrec-table3-beauty-full\n"
                + "datasets: [beauty]\nprotocol: mclrec\nbudget: full\nseeds: [2020]\n"
                + "models: [{model: pop}, {model: sasrec}, {model: mclrec}]\n");
        Path into = seed(root.resolve("mclrec/table3-beauty/beauty/seed-2020"), "b1ac9540ac21",
                "2026-12-01T06:29:22Z", "AMD EPYC", 300.0, "2 of 3",
                new java.util.LinkedHashMap<>(Map.of("Pop", 0.0106)));
        Files.writeString(into.resolve("metrics.csv"), "SASRec,test,HR,10,0.0847\n", java.nio.file.StandardOpenOption.APPEND);
        Path from = seed(tmp.resolve("other/beauty/seed-2020"), "e067cc1b4ff3", "2026-12-01T13:52:58Z",
                "Intel(R) Xeon(R) Processor", 4660.4, "1 of 1", Map.of("MCLRec", 0.0833));

        assertEquals(List.of("MCLRec"), SeedMerge.merge(into, from));

        List<String> metrics = Files.readAllLines(into.resolve("metrics.csv"));
        assertEquals(List.of("model,split,metric,k,value", "Pop,test,HR,10,0.0106", "SASRec,test,HR,10,0.0847",
                "MCLRec,test,HR,10,0.0833"), metrics);
        assertEquals(3, Files.readAllLines(into.resolve("curves.csv")).size());
        Map<String, String> p = RecordedResults.readProvenance(into.resolve("provenance.csv"));
        assertEquals("b1ac9540ac21", p.get("git.commit"), "the target's own run stays the seed's run");
        assertEquals("MCLRecConfig[a=1, b=2]", p.get("model.MCLRec"));
        assertEquals("10.0", p.get("epoch.seconds.MCLRec"));
        assertEquals("4960.4", p.get("epoch.seconds"));
        assertEquals("3 of 3", p.get("models.done"));
        assertEquals("MCLRec", p.get("parts"));
        assertEquals("e067cc1b4ff3", p.get("part.MCLRec.git.commit"));
        assertEquals("Intel(R) Xeon(R) Processor", p.get("part.MCLRec.cpu"));
        assertEquals("\"mclrec protocol: history NONE, T 50\"",
                Files.readAllLines(into.resolve("provenance.csv")).stream()
                        .filter(l -> l.startsWith("protocol.line,")).findFirst().orElseThrow().substring(14),
                "fields with commas stay quoted");
        JsonNode json = new ObjectMapper().readTree(Files.readString(into.resolve("provenance.json")));
        assertEquals("MCLRecConfig[a=1, b=2]", json.path("models").path("MCLRec").asText());
        assertEquals("3 of 3", json.path("run").path("models.done").asText());
        assertEquals("10.0", json.path("run").path("epoch.seconds.MCLRec").asText());
        assertEquals("e067cc1b4ff3", json.path("parts").path("MCLRec").path("git.commit").asText());

        RecordedResults r = RecordedResults.of(RecordedResults.Source.table("MCLRec Table 3", "mclrec/table3-*",
                "mclrec", "3", "test"), root);
        RecordedResults.Experiment e = r.experiments().get(0);
        assertEquals(List.of("Pop", "SASRec", "MCLRec"), List.copyOf(e.runs().get(0).metrics().keySet()));
        assertEquals(0.0833, e.runs().get(0).metrics().get("MCLRec").get("test").get("HR@10"), 0);
        String msg = r.message();
        assertTrue(msg.contains("commit b1ac954;"), msg);
        assertTrue(msg.contains("run separately and merged: MCLRec (commit e067cc1, started 2026-12-01 13:52 UTC)"),
                msg);
        assertFalse(msg.contains("missing"), msg);
    }

    @Test
    void refusesAnotherSeedOrSettingAModelPresentInBothAndAnotherHeader() throws IOException {
        Path into = seed(tmp.resolve("a/seed-2020"), "aaa", "2026-12-01T06:29:22Z", "x", 1, "1 of 2",
                Map.of("SASRec", 0.08));
        Path twice = seed(tmp.resolve("b/seed-2020"), "bbb", "2026-12-01T07:00:00Z", "x", 1, "1 of 1",
                Map.of("SASRec", 0.09));
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> SeedMerge.merge(into, twice));
        assertTrue(both.getMessage().contains("both hold model SASRec"), both.getMessage());

        Path other = seed(tmp.resolve("c/seed-2020"), "ccc", "2026-12-01T07:00:00Z", "x", 1, "1 of 1",
                Map.of("MCLRec", 0.08));
        Files.writeString(other.resolve("provenance.csv"), Files.readString(other.resolve("provenance.csv"))
                .replace("seed,2020", "seed,2021"));
        IllegalArgumentException seed = assertThrows(IllegalArgumentException.class, () -> SeedMerge.merge(into, other));
        assertTrue(seed.getMessage().contains("provenance key 'seed' differs (2020 against 2021)"), seed.getMessage());

        Path header = seed(tmp.resolve("d/seed-2020"), "ddd", "2026-12-01T07:00:00Z", "x", 1, "1 of 1",
                Map.of("MCLRec", 0.08));
        Files.writeString(header.resolve("curves.csv"), "model,epoch,loss,valid,seconds\nMCLRec,1,9,0.01,10\n");
        DataFormatException h = assertThrows(DataFormatException.class, () -> SeedMerge.merge(into, header));
        assertTrue(h.getMessage().contains("curves.csv") && h.getMessage().contains("differs"), h.getMessage());

        // nothing was written by the refused merges
        assertEquals(List.of("model,split,metric,k,value", "SASRec,test,HR,10,0.08"),
                Files.readAllLines(into.resolve("metrics.csv")));
        assertEquals("1 of 2", RecordedResults.readProvenance(into.resolve("provenance.csv")).get("models.done"));
    }

    @Test
    void curvesWithoutTheEndedColumnMergeWithNewerOnes() throws IOException {
        Path into = seed(tmp.resolve("a/seed-2020"), "aaa", "2026-12-01T06:29:22Z", "x", 1, "1 of 2",
                Map.of("SASRec", 0.08));
        Path from = seed(tmp.resolve("b/seed-2020"), "bbb", "2026-12-01T07:00:00Z", "x", 1, "1 of 1",
                Map.of("MCLRec", 0.09));
        Files.writeString(from.resolve("curves.csv"), "model,epoch,loss,valid,seconds,build,ended\n"
                + "MCLRec,1,9.0,0.01,10.0,bbb,2026-12-01T07:00:10Z\n");
        SeedMerge.merge(into, from);
        assertEquals(List.of("model,epoch,loss,valid,seconds,build,ended", "SASRec,1,9.0,0.01,10.0,aaa,",
                "MCLRec,1,9.0,0.01,10.0,bbb,2026-12-01T07:00:10Z"), Files.readAllLines(into.resolve("curves.csv")));

        // and the other way round: a newer seed directory receives an older run's model
        Path newer = seed(tmp.resolve("c/seed-2020"), "ccc", "2026-12-01T06:29:22Z", "x", 1, "1 of 2",
                Map.of("SASRec", 0.08));
        Files.writeString(newer.resolve("curves.csv"), "model,epoch,loss,valid,seconds,build,ended\n"
                + "SASRec,1,9.0,0.01,10.0,ccc,2026-12-01T06:30:00Z\n");
        SeedMerge.merge(newer, seed(tmp.resolve("d/seed-2020"), "ddd", "2026-12-01T07:00:00Z", "x", 1, "1 of 1",
                Map.of("MCLRec", 0.09)));
        assertEquals(List.of("model,epoch,loss,valid,seconds,build,ended",
                "SASRec,1,9.0,0.01,10.0,ccc,2026-12-01T06:30:00Z", "MCLRec,1,9.0,0.01,10.0,ddd,"),
                Files.readAllLines(newer.resolve("curves.csv")));
    }

    @Test
    void aRunOfAnotherExperimentJoinsUnderARowNameWithACommaOnlyWhenAsked() throws IOException {
        Path into = seed(tmp.resolve("a/seed-2020"), "aaa", "2026-12-01T06:29:22Z", "x", 1, "1 of 3",
                Map.of("SASRec", 0.08));
        Path from = seed(tmp.resolve("b/seed-2020"), "bbb", "2026-12-02T19:34:28Z", "y", 7093.3, "1 of 1",
                Map.of("Meta-SGCL", 0.0593));
        Files.writeString(from.resolve("provenance.csv"), Files.readString(from.resolve("provenance.csv"))
                .replace("experiment,mclrec-table3-beauty-full", "experiment,diag-klOverSlots"));
        String row = "Meta-SGCL (stage 2 on L_cl, KL over slots)";

        IllegalArgumentException exp = assertThrows(IllegalArgumentException.class,
                () -> SeedMerge.merge(into, from, Map.of("Meta-SGCL", row), false));
        assertTrue(exp.getMessage().contains("'experiment' differs") && exp.getMessage().contains("--other-experiment"),
                exp.getMessage());
        IllegalArgumentException absent = assertThrows(IllegalArgumentException.class,
                () -> SeedMerge.merge(into, from, Map.of("MCLRec", row), true));
        assertTrue(absent.getMessage().contains("cannot rename MCLRec") && absent.getMessage().contains("Meta-SGCL"),
                absent.getMessage());
        assertEquals(2, Files.readAllLines(into.resolve("metrics.csv")).size(), "refused merges write nothing");

        assertEquals(List.of(row), SeedMerge.merge(into, from, Map.of("Meta-SGCL", row), true));
        assertEquals(List.of("model,split,metric,k,value", "SASRec,test,HR,10,0.08",
                "\"" + row + "\",test,HR,10,0.0593"), Files.readAllLines(into.resolve("metrics.csv")));
        assertEquals("\"" + row + "\",1,9.0,0.01,10.0,bbb", Files.readAllLines(into.resolve("curves.csv")).get(2));
        Map<String, String> p = RecordedResults.readProvenance(into.resolve("provenance.csv"));
        assertEquals("Meta-SGCLConfig[a=1, b=2]", p.get("model." + row));
        assertFalse(p.containsKey("model.Meta-SGCL"));
        assertEquals("10.0", p.get("epoch.seconds." + row));
        assertEquals("mclrec-table3-beauty-full", p.get("experiment"), "the target's experiment stays");
        assertEquals("diag-klOverSlots", p.get("part." + row + ".experiment"));
        assertEquals("Meta-SGCL as " + row, p.get("part." + row + ".renamed"));
        assertEquals("bbb", p.get("part." + row + ".git.commit"));
        JsonNode json = new ObjectMapper().readTree(Files.readString(into.resolve("provenance.json")));
        assertEquals("Meta-SGCLConfig[a=1, b=2]", json.path("models").path(row).asText());
        assertEquals("10.0", json.path("run").path("epoch.seconds." + row).asText());
        assertEquals("diag-klOverSlots", json.path("parts").path(row).path("experiment").asText());

        // the merged row is read back under its new name, and a second merge of it is refused by that name
        assertEquals(Map.of("SASRec", 0.08, row, 0.0593), Map.of("SASRec",
                readHr10(into, "SASRec"), row, readHr10(into, row)));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> SeedMerge.merge(into, from, Map.of("Meta-SGCL", row), true));
        assertTrue(twice.getMessage().contains("both hold model " + row), twice.getMessage());
    }

    private static double readHr10(Path seedDir, String model) {
        return RecordedResults.readMetrics(seedDir.resolve("metrics.csv"), "beauty", 2020).get(model).get("test").get("HR@10");
    }

    @Test
    void modelsDoneCountsUp() {
        assertEquals("5 of 5", SeedMerge.modelsDone("4 of 5", 1));
        assertEquals("3", SeedMerge.modelsDone("1", 2));
        assertEquals("2", SeedMerge.modelsDone(null, 2));
    }
}
