package io.seqcl.experiment;

import io.seqcl.TestData;
import io.seqcl.cf.CfExperimentFile;
import io.seqcl.data.SequenceDataset;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The experiment files of the recorded full-budget runs under {@code notebooks/results/} parse and resolve (every
 * model's configuration with its dataset's preset), so that a run started from them fails at no late point.
 */
class RecordedExperimentFilesTest {

    private static final Path RESULTS = Path.of("notebooks", "results");

    @Test
    void everyRecordedExperimentFileResolves() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(RESULTS)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 4, "expected the recorded experiment files, found " + files);
        SequenceDataset data = TestData.smallSynthetic();
        for (Path f : files) {
            if (CfExperimentFile.isCfFile(f)) {
                assertFalse(CfExperimentFile.read(f).models().isEmpty(), f.toString());
                continue;
            }
            ExperimentFile exp = Experiments.read(f);
            assertEquals(Budget.FULL, exp.budget(), f + ": a recorded run is a full-budget run");
            for (String name : exp.datasets()) {
                List<ModelSpec> specs = exp.modelSpecs(data.withKey(name));
                assertEquals(exp.models().size(), specs.size(), f.toString());
                specs.forEach(m -> assertEquals(1, m.epochFactor(), f + ": " + m.name() + " trains the file's epochs"));
                // seqcl run FILE --row NAME: the row names are the names the results are recorded under, and one
                // row alone resolves to that row's configuration
                List<String> names = specs.stream().map(ModelSpec::name).toList();
                assertEquals(names, exp.rowNames(), f.toString());
                ModelSpec last = specs.get(specs.size() - 1);
                assertEquals(List.of(last), exp.withRows(List.of(last.name())).modelSpecs(data.withKey(name)),
                        f.toString());
            }
        }
    }

    @Test
    void theMetaSGCLTableRunsBothStage2LossesAndTheBetaRunTheGrid() {
        ExperimentFile t2 = Experiments.read(RESULTS.resolve("metasgcl/table2-toys.yaml"));
        List<ModelSpec> specs = t2.modelSpecs(TestData.smallSynthetic().withKey("toys"));
        List<io.seqcl.model.MetaSGCLConfig> meta = specs.stream().map(ModelSpec::config)
                .filter(c -> c instanceof io.seqcl.model.MetaSGCLConfig).map(c -> (io.seqcl.model.MetaSGCLConfig) c)
                .toList();
        assertEquals(4, meta.size(), "four Meta-SGCL rows");
        io.seqcl.model.MetaSGCLConfig full = meta.get(0);
        io.seqcl.model.MetaSGCLConfig cl = meta.get(1);
        assertEquals(io.seqcl.model.MetaSGCLConfig.MetaLoss.FULL, full.metaLoss());
        assertEquals(full.withMetaLoss(io.seqcl.model.MetaSGCLConfig.MetaLoss.CL), cl);
        // the two rows recorded with the KL over real positions keep it; the third is the Toys preset's
        assertFalse(full.klOverSlots());
        assertEquals(cl.withKlOverSlots(true), meta.get(2));
        assertEquals(io.seqcl.model.ModelRegistry.get("metasgcl").presetFor("toys"), meta.get(2));
        // item 6 at the preset's KL scale: the fourth row differs from the third by the stage-2 loss only
        assertEquals(meta.get(2).withMetaLoss(io.seqcl.model.MetaSGCLConfig.MetaLoss.FULL), meta.get(3));
        // the FULL row keeps the name its seed-2020 result was recorded under (FULL was the default then)
        assertEquals(List.of("Pop", "SASRec", "Meta-SGCL", "Meta-SGCL (stage 2 on L_cl)",
                "Meta-SGCL (stage 2 on L_cl, KL over slots)", "DuoRec", "ContrastVAE",
                "ContrastVAE (real positions, KL over slots)", "Meta-SGCL (stage 2 FULL, KL over slots)"),
                specs.stream().map(ModelSpec::name).toList());
        // ContrastVAE: its code's settings (terms over the padding) and the packed near-equivalent, else equal
        io.seqcl.model.ContrastVAEConfig code = (io.seqcl.model.ContrastVAEConfig) specs.get(6).config();
        io.seqcl.model.ContrastVAEConfig packed = (io.seqcl.model.ContrastVAEConfig) specs.get(7).config();
        assertTrue(code.klOverPadding() && code.clOverPadding() && !code.klOverSlots());
        assertEquals(code.withKlOverPadding(false).withClOverPadding(false).withKlOverSlots(true), packed);
        assertEquals(io.seqcl.model.ContrastVAEConfig.Variant.VARIATIONAL_AUGMENTATION, code.variant(), "Toys preset");
        assertEquals(0.2, full.beta(), "Toys preset");
        ExperimentFile beta = Experiments.read(RESULTS.resolve("metasgcl/ml1m-beta.yaml"));
        List<ModelSpec> grid = beta.modelSpecs(TestData.smallSynthetic().withKey("ml-1m"));
        double[] values = grid.stream().mapToDouble(m -> ((io.seqcl.model.MetaSGCLConfig) m.config()).beta())
                .toArray();
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                MetaSGCLExperiments.Param.BETA.values(Budget.FULL), values, "the paper's Fig. 4 grid");
        assertEquals(200, ((io.seqcl.model.MetaSGCLConfig) grid.get(0).config()).maxLen(), "T 200 on ML-1M");
    }
    @Test
    void theClothingAndMl1mTablesRunThePaperSettingsOfTheToysTable() {
        ExperimentFile toys = Experiments.read(RESULTS.resolve("metasgcl/table2-toys.yaml"));
        for (String[] f : new String[][] {{"metasgcl/table2-clothing.yaml", "clothing"},
                {"metasgcl/table2-ml1m.yaml", "ml-1m"}}) {
            ExperimentFile exp = Experiments.read(RESULTS.resolve(f[0]));
            assertEquals(List.of(f[1]), exp.datasets(), f[0]);
            assertEquals(3, exp.seeds().size(), f[0] + ": three seeds, as on Toys");
            SequenceDataset data = TestData.smallSynthetic().withKey(f[1]);
            List<ModelSpec> specs = exp.modelSpecs(data);
            assertEquals(List.of("Pop", "Meta-SGCL (stage 2 on L_cl, KL over slots)",
                    "ContrastVAE (real positions, KL over slots)", "DuoRec", "SASRec"),
                    specs.stream().map(ModelSpec::name).toList(), f[0]);
            // Meta-SGCL: the dataset's preset, which is the paper settings (stage 2 on L_cl, KL over slots)
            io.seqcl.model.MetaSGCLConfig meta = (io.seqcl.model.MetaSGCLConfig) specs.get(1).config();
            assertEquals(io.seqcl.model.MetaSGCLConfig.MetaLoss.CL, meta.metaLoss(), f[0]);
            assertTrue(meta.klOverSlots(), f[0]);
            // ContrastVAE: the same row as on Toys (its code's reductions computed packed), with this dataset's T
            ModelSpec toysRow = toys.modelSpecs(TestData.smallSynthetic().withKey("toys")).stream()
                    .filter(m -> m.name().equals(specs.get(2).name())).findFirst().orElseThrow();
            io.seqcl.model.ContrastVAEConfig cv = (io.seqcl.model.ContrastVAEConfig) specs.get(2).config();
            io.seqcl.model.ContrastVAEConfig cvToys = (io.seqcl.model.ContrastVAEConfig) toysRow.config();
            assertTrue(!cv.klOverPadding() && !cv.clOverPadding() && cv.klOverSlots(), f[0]);
            assertEquals(cvToys.klOverPadding(), cv.klOverPadding());
            assertEquals(f[1].equals("ml-1m") ? 200 : 50, meta.maxLen(), f[0] + ": T");
        }
        ExperimentFile yelp = Experiments.read(RESULTS.resolve("mclrec/table3-yelp.yaml"));
        ExperimentFile sports = Experiments.read(RESULTS.resolve("mclrec/table3-sports.yaml"));
        assertEquals(sports.models(), yelp.models(), "Yelp runs the Sports rows");
        assertEquals(sports.protocol(), yelp.protocol());
    }
}
