package io.seqcl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmarks reject parameters below 1 before doing any work, naming the parameter. */
class BenchmarkSettingsTest {

    private static void rejects(String param, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(param + " must be"), e.getMessage());
    }

    @Test
    void stepBenchmarkNamesTheBadParameter() {
        StepBenchmark.Settings d = StepBenchmark.Settings.defaults();
        rejects("steps", () -> new StepBenchmark.Settings(0, 5, 256, 50, 64, 100, 100));
        rejects("batch", () -> new StepBenchmark.Settings(20, 5, 0, 50, 64, 100, 100));
        rejects("warmup", () -> new StepBenchmark.Settings(20, -1, 256, 50, 64, 100, 100));
        rejects("len", () -> new StepBenchmark.Settings(20, 5, 256, 0, 64, 100, 100));
        rejects("dim", () -> new StepBenchmark.Settings(20, 5, 256, 50, -64, 100, 100));
        rejects("dim", () -> new StepBenchmark.Settings(20, 5, 256, 50, 63, 100, 100));
        rejects("items", () -> new StepBenchmark.Settings(20, 5, 256, 50, 64, 0, 100));
        rejects("users", () -> new StepBenchmark.Settings(20, 5, 256, 50, 64, 100, 0));
        assertEquals(20, d.steps());
    }

    @Test
    void commandLineFormFailsBeforeAnyWork() {
        // before: --steps 0 ran the benchmark and ended in ArrayIndexOutOfBoundsException; --batch 0 in "loss is NaN"
        PrintStream out = new PrintStream(new ByteArrayOutputStream());
        Map<String, String> steps = new HashMap<>(Map.of("steps", "0"));
        rejects("steps", () -> StepBenchmark.run(steps, out));
        Map<String, String> batch = new HashMap<>(Map.of("batch", "0"));
        rejects("batch", () -> StepBenchmark.run(batch, out));
        Map<String, String> epochSteps = new HashMap<>(Map.of("steps", "0"));
        rejects("steps", () -> EpochBenchmark.run(epochSteps, out));
        rejects("batch", () -> new EpochBenchmark.Settings("toys", "sasrec", 10, 3, 0));
        rejects("dataset", () -> new EpochBenchmark.Settings(" ", "sasrec", 10, 3, 1));
    }
}
