package io.seqcl.experiment;

import io.seqcl.model.ModelRegistry;
import io.seqcl.TestData;
import io.seqcl.data.SequenceDataset;
import io.seqcl.train.ProgressListener;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuickstartTest {

    @Test
    void runProducesTablesProvenanceAndFiles() throws Exception {
        SequenceDataset ds = TestData.smallSynthetic();
        ExperimentSpec spec = Quickstart.spec(ds, Budget.QUICK, 3);
        spec = spec.withTrain(spec.train().withEpochs(1).withMaxStepsPerEpoch(2));
        RunResult r = Runner.run(ds, spec, ProgressListener.NONE);
        assertEquals(2, r.summary().rowCount());
        assertEquals("Pop", r.summary().stringColumn("model").get(0));
        // models x splits (valid, test, and test in each of the 3 history modes) x metrics x ks
        assertEquals(2 * 5 * 3 * 3, r.metrics().rowCount());
        assertEquals(1, r.curves().rowCount()); // Pop has no curve, SASRec one epoch
        assertEquals("3", r.provenance().get("seed"));
        assertTrue(r.provenance().get("engine").startsWith("PyTorch"));
        assertTrue(r.provenance().get("model.SASRec").contains("maxLen=50"));
        Path dir = Files.createTempDirectory("seqcl-run");
        r.save(dir);
        assertTrue(Files.readString(dir.resolve("metrics.csv")).startsWith("model,split,metric,k,value"));
        var prov = io.seqcl.config.Configs.json().readTree(dir.resolve("provenance.json").toFile());
        assertTrue(prov.at("/models/SASRec").asText().contains("maxLen=50"), prov.toString());
        assertTrue(prov.at("/dataset/sha256").asText().length() > 0, prov.toString());
        try (var files = Files.list(dir)) {
            assertEquals(4, files.count(), "metrics, curves, provenance.csv and .json; no temporary files left behind");
        }
    }

    @Test
    void budgetsAndRegistry() {
        assertEquals(Budget.FULL, Budget.parse("Full"));
        assertThrows(IllegalArgumentException.class, () -> Budget.parse("medium"));
        assertEquals("sasrec", ModelRegistry.get("SASRec").key());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelRegistry.get("gpt"));
        assertTrue(e.getMessage().contains("pop") && e.getMessage().contains("sasrec"));
        assertThrows(IllegalArgumentException.class,
                () -> new ExperimentSpec("x", java.util.List.of(ModelSpec.pop(), ModelSpec.pop()),
                        io.seqcl.train.TrainConfig.defaults()));
    }

    @Test
    void missingConfiguredDataDirectoryNeverFallsBackToSyntheticData() throws Exception {
        String saved = System.getProperty(io.seqcl.data.Datasets.DATA_PROPERTY);
        java.nio.file.Path missing = java.nio.file.Files.createTempDirectory("seqcl-data").resolve("typo");
        System.setProperty(io.seqcl.data.Datasets.DATA_PROPERTY, missing.toString());
        try {
            io.seqcl.data.DataFormatException e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.seqcl.data.DataFormatException.class, () -> PaperSettings.load("toys", Budget.QUICK, 1, false));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("seqcl.data")
                    && e.getMessage().contains(missing.toString()), e.getMessage());
        } finally {
            if (saved == null) {
                System.clearProperty(io.seqcl.data.Datasets.DATA_PROPERTY);
            } else {
                System.setProperty(io.seqcl.data.Datasets.DATA_PROPERTY, saved);
            }
        }
    }
}
