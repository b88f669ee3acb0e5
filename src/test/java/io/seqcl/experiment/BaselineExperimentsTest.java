package io.seqcl.experiment;

import io.seqcl.cli.Main;
import io.seqcl.data.SequenceDataset;
import io.seqcl.data.SyntheticDataset;
import io.seqcl.model.BERT4RecConfig;
import io.seqcl.model.S3RecConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BERT4Rec and S3-Rec_MIP through the paper settings and {@code seqcl run} with an experiment file. */
class BaselineExperimentsTest {

    @Test
    void paperSettingsGiveBothModelsAtBothBudgets() {
        SequenceDataset ds = SyntheticDataset.defaultDataset();
        ModelSpec quick = PaperSettings.model("s3rec", ds, Budget.QUICK);
        S3RecConfig q = (S3RecConfig) quick.config();
        assertEquals("S3-Rec", quick.name());
        assertEquals(PaperSettings.QUICK_MAX_LEN, q.maxLen());
        assertEquals(PaperSettings.QUICK_EPOCHS, q.pretrainEpochs());
        assertEquals(PaperSettings.QUICK_PRETRAIN_MAX_STEPS, q.pretrainMaxSteps());
        S3RecConfig full = (S3RecConfig) PaperSettings.model("s3rec", ds, Budget.FULL).config();
        assertEquals(S3RecConfig.defaults().withMaxLen(50), full);
        ModelSpec b = PaperSettings.model("bert4rec", ds, Budget.QUICK);
        assertEquals("BERT4Rec", b.name());
        assertEquals(BERT4RecConfig.defaults().withMaxLen(PaperSettings.QUICK_MAX_LEN), b.config());
        assertEquals(BERT4RecConfig.defaults().withMaxLen(50), PaperSettings.model("bert4rec", ds, Budget.FULL).config());
    }

    @Test
    void anExperimentFileNamingThemRuns(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("baselines.yaml"), String.join("\n",
                "name: baselines",
                "datasets: [synthetic]",
                "protocol: mclrec",
                "budget: quick",
                "seeds: [1]",
                "train: {epochs: 1, maxStepsPerEpoch: 2}",
                "models:",
                "  - model: pop",
                "  - model: bert4rec",
                "    config: {encoder: {maxLen: 8, transformer: {hiddenSize: 8, innerSize: 16}}}",
                "  - model: bert4rec",
                "    name: BERT4Rec v1",
                "    config: {encoder: {maxLen: 8, transformer: {hiddenSize: 8, innerSize: 16}}, clozeTarget: false,",
                "             maxPredictions: -1, scoreFirstPosition: false, atLeastOneMask: false, outputHead: false,",
                "             includePaddingRow: true, inference: RECBOLE_V1}",
                "  - model: s3rec",
                "    config: {encoder: {maxLen: 8, transformer: {hiddenSize: 8, innerSize: 16}}, pretrainMaxSteps: 2}",
                ""));
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"run", f.toString(), "--out", tmp.resolve("o").toString()},
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        String out = o.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, e.toString(StandardCharsets.UTF_8) + out);
        String metrics = Files.readString(tmp.resolve("o/synthetic/seed-1/metrics.csv"));
        assertTrue(metrics.contains("BERT4Rec") && metrics.contains("BERT4Rec v1") && metrics.contains("S3-Rec"),
                metrics);
        String prov = Files.readString(tmp.resolve("o/synthetic/seed-1/provenance.json"));
        // the quick budget's pre-training epochs with the file's change (2 batches each)
        assertTrue(prov.contains("\"pretrainEpochs\" : " + PaperSettings.QUICK_EPOCHS)
                && prov.contains("\"pretrainMaxSteps\" : 2"), prov);
        assertTrue(prov.contains("RECBOLE_V1"), prov);
    }
}
