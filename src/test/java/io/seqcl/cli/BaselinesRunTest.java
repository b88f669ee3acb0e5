package io.seqcl.cli;

import io.seqcl.config.Configs;
import io.seqcl.data.SequenceDataset;
import io.seqcl.data.SyntheticDataset;
import io.seqcl.experiment.Budget;
import io.seqcl.experiment.ModelSpec;
import io.seqcl.experiment.PaperSettings;
import io.seqcl.model.BPRMFConfig;
import io.seqcl.model.CaserConfig;
import io.seqcl.model.GRU4RecConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The classic baselines (BPR-MF, GRU4Rec, Caser) through the paper settings and {@code seqcl run}. */
class BaselinesRunTest {

    @Test
    void paperSettingsBuildTheBaselinesAtBothBudgets() {
        SequenceDataset ds = SyntheticDataset.defaultDataset();
        for (Budget b : Budget.values()) {
            ModelSpec bpr = PaperSettings.model("bprmf", ds, b);
            ModelSpec gru = PaperSettings.model("gru4rec", ds, b);
            ModelSpec caser = PaperSettings.model("caser", ds, b);
            assertEquals("BPR-MF", bpr.name());
            assertEquals(BPRMFConfig.defaults(), bpr.config());
            assertEquals("GRU4Rec", gru.name());
            // GRU4Rec's T follows the protocol as a Transformer's does
            assertEquals(PaperSettings.maxLen(ds, b), ((GRU4RecConfig) gru.config()).maxLen());
            assertEquals("Caser", caser.name());
            // Caser's window is its own sample convention (L 5), not the protocol's T
            assertEquals(CaserConfig.defaults(), caser.config());
        }
        assertEquals(200, ((GRU4RecConfig) PaperSettings.config("gru4rec", "ml-1m", 200)).maxLen());
    }

    @Test
    void epochBenchmarkTimesTheSingleLayoutOfModelsWithoutATransformer() {
        for (String model : new String[] {"gru4rec", "caser", "bprmf"}) {
            java.util.Map<String, String> opts = new java.util.HashMap<>(java.util.Map.of("dataset", "synthetic",
                    "model", model, "steps", "1", "warmup", "0", "rounds", "1", "batch", "32"));
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            assertEquals(0, io.seqcl.bench.EpochBenchmark.run(opts, new PrintStream(o, true, StandardCharsets.UTF_8)));
            String out = o.toString(StandardCharsets.UTF_8);
            assertTrue(out.contains("not packable") && out.contains("single step median") && out.contains("epoch "),
                    out);
        }
    }

    @Test
    void anExperimentFileNamingTheBaselinesRuns(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("classic.yaml"), String.join("\n",
                "name: classic",
                "datasets: [synthetic]",
                "protocol: metasgcl",
                "budget: quick",
                "seeds: [1]",
                "train: {epochs: 1, maxStepsPerEpoch: 2}",
                "models:",
                "  - model: pop",
                "  - model: bprmf",
                "  - model: gru4rec",
                "    config: {hiddenSize: 16, embeddingSize: 8}",
                "  - model: caser",
                "    name: Caser L3",
                "    config: {windowLength: 3, embeddingSize: 8}",
                ""));
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"run", f.toString(), "--out", tmp.resolve("o").toString()},
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        String out = o.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, e.toString(StandardCharsets.UTF_8) + out);
        assertTrue(out.contains("BPR-MF") && out.contains("GRU4Rec") && out.contains("Caser L3"), out);
        Path dir = tmp.resolve("o/synthetic/seed-1");
        String metrics = Files.readString(dir.resolve("metrics.csv"));
        assertTrue(metrics.contains("BPR-MF") && metrics.contains("GRU4Rec") && metrics.contains("Caser L3"), metrics);
        var tree = Configs.json().readTree(dir.resolve("provenance.json").toFile());
        assertEquals(PaperSettings.QUICK_MAX_LEN, tree.at("/experiment/models/2/config/maxLen").asInt());
        assertEquals(16, tree.at("/experiment/models/2/config/hiddenSize").asInt());
        assertEquals(3, tree.at("/experiment/models/3/config/windowLength").asInt());
    }
}
