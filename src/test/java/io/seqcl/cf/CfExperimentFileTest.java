package io.seqcl.cf;

import io.seqcl.config.Configs;
import io.seqcl.experiment.Budget;
import io.seqcl.train.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CF experiment files: parsing, validation, per-seed resumable runs and both test protocols. */
class CfExperimentFileTest {

    @Test
    void parsesModelNamesAndRejectsUnknownOnes() {
        assertEquals(CfConfig.Loss.INFONCE_K, CfExperimentFile.spec("MF+InfoNCExk").loss());
        assertEquals(CfConfig.Backbone.LIGHTGCN, CfExperimentFile.spec("lightgcn+advinfonce").backbone());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CfExperimentFile.spec("MF+BPR"));
        assertTrue(e.getMessage().contains("MF+BPR") && e.getMessage().contains("MF+AdvInfoNCE"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CfExperimentFile("cf", "x", List.of("coat"),
                null, null, List.of("Pop"), -1, null));
        assertTrue(e.getMessage().contains("minEpochs"), e.getMessage());
        CfExperimentFile f = new CfExperimentFile("cf", "x", List.of("coat"), Budget.FULL, List.of(1L, 2L),
                List.of("Pop", "MF+InfoNCE"), 100, true);
        assertEquals(f, Configs.parse(CfExperimentFile.class, Configs.toYaml(f), "yaml"));
        assertEquals(100, CfExperiment.configFor(CfDatasets.synthetic(50, 30, 2, 5, 0.8, 1), f.specs().get(1),
                Budget.FULL).minEpochs());
        assertTrue(f.heading().contains("advinfonce protocol") && f.heading().contains("minEpochs 100"),
                f.heading());
        // an epoch cap replaces the budget's number of epochs, keeps the rest, and round-trips
        CfExperimentFile capped = Configs.parse(CfExperimentFile.class, String.join("\n", "kind: cf", "name: x",
                "datasets: [coat]", "budget: full", "minEpochs: 100", "maxEpochs: 300", "models: [Pop, MF+InfoNCE]",
                ""), "yaml");
        CfConfig cc = CfExperiment.configFor(CfDatasets.synthetic(50, 30, 2, 5, 0.8, 1), capped.specs().get(1),
                Budget.FULL);
        assertEquals(300, cc.epochs());
        assertEquals(100, cc.minEpochs());
        assertEquals(CfExperiment.configFor(CfDatasets.synthetic(50, 30, 2, 5, 0.8, 1), f.specs().get(1),
                Budget.FULL).evalEvery(), cc.evalEvery());
        assertEquals(capped, Configs.parse(CfExperimentFile.class, Configs.toYaml(capped), "yaml"));
        assertTrue(capped.heading().contains("maxEpochs 300"), capped.heading());
        assertThrows(IllegalArgumentException.class, () -> new CfExperimentFile("cf", "x", List.of("coat"), null,
                null, List.of("Pop"), null, null, 0));
    }

    @Test
    void runsPerSeedResumesAndEvaluatesBothTestProtocols(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("cf.yaml"), String.join("\n", "kind: cf", "name: tiny-cf",
                "datasets: [synthetic]", "budget: quick", "seeds: [3, 4]", "withoutTrainingItemsInTests: true",
                "models: [Pop]", "")); // training is covered by CfLearningTest; this checks the file's bookkeeping
        assertTrue(CfExperimentFile.isCfFile(file));
        CfExperimentFile exp = CfExperimentFile.read(file);
        Path out = tmp.resolve("o");
        Table m = exp.run(out, false, ProgressListener.NONE);
        assertEquals(List.of(3, 4), m.intColumn("seed").unique().sorted(Integer::compare).asList());
        List<String> splits = m.stringColumn("split").unique().asList();
        assertTrue(splits.contains("test_id") && splits.contains("test_id" + CfExperiment.NO_TRAIN_OVERLAP),
                splits.toString());
        Path seed3 = out.resolve("synthetic/seed-3");
        String metrics = Files.readString(seed3.resolve("metrics.csv"));
        assertTrue(Files.readString(seed3.resolve("provenance.json")).contains("\"candidates\" : \"ADVINFONCE_DUMP\""));
        assertTrue(CfExperimentFile.isCfFile(seed3.resolve("provenance.json")));
        assertThrows(IllegalArgumentException.class, () -> exp.run(out, false, ProgressListener.NONE));
        Table again = exp.run(out, true, ProgressListener.NONE); // read back, not retrained
        assertEquals(metrics, Files.readString(seed3.resolve("metrics.csv")));
        assertEquals(m.rowCount(), again.rowCount());
        Table s = exp.seedTable(again, "synthetic", "test_id");
        assertEquals(2, s.intColumn("seeds").get(0));
        assertTrue(s.name().contains("advinfonce protocol"), s.name());
        // the synthetic splits are disjoint from training, so removing training items from the tests changes nothing
        Table f = exp.seedTable(again, "synthetic", "test_id" + CfExperiment.NO_TRAIN_OVERLAP);
        assertEquals(s.doubleColumn("Recall@20 mean").get(0), f.doubleColumn("Recall@20 mean").get(0), 1e-12);
        assertTrue(s.doubleColumn("Recall@20 mean").get(0) > 0);
    }
}
