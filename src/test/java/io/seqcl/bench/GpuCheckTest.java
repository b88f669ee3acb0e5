package io.seqcl.bench;

import ai.djl.Device;
import io.seqcl.TestData;
import io.seqcl.data.SequenceDataset;
import io.seqcl.model.SASRecConfig;
import io.seqcl.protocol.Batch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agreement logic and the summary files of {@link GpuCheck}, on the CPU (CPU compared with CPU). */
class GpuCheckTest {

    @Test
    void cpuAgreesWithItselfExactlyAndTheLossIsTheModelsLoss() {
        SequenceDataset ds = TestData.tiny();
        SASRecConfig cfg = SASRecConfig.defaults().withMaxLen(10).withWidth(16);
        Batch batch = GpuCheck.firstBatch(ds, cfg, 8);
        GpuCheck.Agreement a = GpuCheck.agreement(Device.cpu(), Device.cpu(), ds.numItems(), cfg, batch, 5, 1e-4);
        assertTrue(a.passed(), a.line());
        // same device, same weights, dropout off: bit-identical
        assertEquals(a.lossReference(), a.lossTarget(), 0.0);
        assertEquals(0.0, a.maxScoreDiff(), 0.0);
        assertEquals(0.0, a.maxWeightDiff(), 0.0);
        // an untrained model with near-zero weights predicts close to uniform: CE ~ ln(N+1)
        assertEquals(Math.log(ds.numItems() + 1), a.lossReference(), 0.5);
        assertTrue(a.maxScore() > 0, "scores were compared");
    }

    @Test
    void compareUsesAbsoluteToleranceBelowOneAndRelativeAbove() {
        float[] ref = {0.5f, 100f, -3f};
        assertTrue(GpuCheck.compare(ref, new float[] {0.50005f, 100.005f, -3.0002f}, 1e-4).within());
        GpuCheck.Diff small = GpuCheck.compare(ref, new float[] {0.5003f, 100f, -3f}, 1e-4);
        assertFalse(small.within());
        assertEquals(3e-4, small.maxAbsDiff(), 1e-6);
        assertFalse(GpuCheck.compare(ref, new float[] {0.5f, 100.02f, -3f}, 1e-4).within());
        GpuCheck.Diff nan = GpuCheck.compare(ref, new float[] {0.5f, Float.NaN, -3f}, 1e-4);
        assertFalse(nan.within());
        assertTrue(Double.isNaN(nan.maxAbsDiff()));
        assertThrows(IllegalArgumentException.class, () -> GpuCheck.compare(ref, new float[2], 1e-4));
    }

    @Test
    void numbersAreReadFromTheBenchmarksPrintout() {
        String text = "SASRec train step (B=256, T=50, d=64, N=12102, CE last position): median 151.3 ms/step, min 1\n"
                + "full evaluation pass (test, 22363 users x 12101 items, batch 256): 4.21 s\n";
        assertEquals(151.3, GpuCheck.number(text, "median ([0-9.]+) ms/step"), 1e-9);
        assertEquals(4.21, GpuCheck.number(text, "full evaluation pass .*: ([0-9.]+) s"), 1e-9);
        assertNull(GpuCheck.number(text, "nothing ([0-9.]+)"));
    }

    @Test
    void summaryIsValidJsonAndFlatCsv() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("passed", true);
        inner.put("loss", 1.5);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", "gpu(0)");
        m.put("note", "a \"quoted\", line\n");
        m.put("nan", Double.NaN);
        m.put("missing", null);
        m.put("agreement", inner);
        String json = GpuCheck.json(m, "");
        assertEquals("{\n  \"device\": \"gpu(0)\",\n  \"note\": \"a \\\"quoted\\\", line\\n\",\n  \"nan\": \"NaN\",\n"
                + "  \"missing\": null,\n  \"agreement\": {\n    \"passed\": true,\n    \"loss\": 1.5\n  }\n}", json);
        assertEquals("key,value\ndevice,gpu(0)\nnote,\"a \"\"quoted\"\", line\n\"\nnan,NaN\nmissing,null\n"
                + "agreement.passed,true\nagreement.loss,1.5\n", GpuCheck.csv(m));
    }

    @Test
    void runWritesTheSummaryAndRejectsUnknownOptions(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("device", "cpu");
        opts.put("parts", "agree");
        opts.put("dataset", "synthetic");
        opts.put("agree-batch", "4");
        opts.put("out", dir.toString());
        int code = GpuCheck.run(opts, out);
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("compares the CPU with the CPU"), text);
        String json = Files.readString(dir.resolve("summary.json"));
        assertTrue(json.contains("\"passed\": true"), json);
        assertTrue(json.contains("\"same_device\": true"), json);
        assertTrue(Files.readString(dir.resolve("gpu-check.txt")).contains("agreement cpu() vs cpu()"));

        Map<String, String> bad = new LinkedHashMap<>(opts);
        bad.put("bogus", "1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GpuCheck.run(bad, out));
        assertTrue(e.getMessage().contains("bogus"), e.getMessage());
        Map<String, String> badPart = new LinkedHashMap<>(opts);
        badPart.put("parts", "agree,fly");
        assertThrows(IllegalArgumentException.class, () -> GpuCheck.run(badPart, out));
        Map<String, String> badData = new LinkedHashMap<>(opts);
        badData.put("dataset", "no-such-dataset");
        e = assertThrows(IllegalArgumentException.class, () -> GpuCheck.run(badData, out));
        assertTrue(e.getMessage().startsWith("--dataset"), e.getMessage());
    }
}
