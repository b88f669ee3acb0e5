package io.seqcl.cf;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Executes the code cells of notebooks/advinfonce/01-advinfonce.ipynb, exactly as written, in JShell (as the
 * kernel does) at the QUICK budget on Coat only ({@code -Dseqcl.datasets=coat}), then checks the notebook's
 * state: tables with rows, charts that render as PNG, and the expected notebook metadata.
 */
class AdvInfoNceNotebookTest {

    static final Path NOTEBOOK = Path.of("notebooks/advinfonce/01-advinfonce.ipynb");

    static List<String> codeCells(JsonObject nb) {
        List<String> out = new ArrayList<>();
        for (JsonElement c : nb.getAsJsonArray("cells")) {
            JsonObject o = c.getAsJsonObject();
            if (o.get("cell_type").getAsString().equals("code")) {
                StringBuilder sb = new StringBuilder();
                for (JsonElement line : o.getAsJsonArray("source")) {
                    sb.append(line.getAsString());
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    private static String eval(JShell js, String code) {
        String rest = code;
        String last = null;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = js.sourceCodeAnalysis().analyzeCompletion(rest);
            String src = info.source();
            if (src == null || src.isBlank()) {
                fail("incomplete snippet in cell:\n" + code);
            }
            for (SnippetEvent e : js.eval(src)) {
                if (e.exception() != null) {
                    throw new AssertionError("cell failed:\n" + code + "\n" + e.exception(), e.exception());
                }
                if (e.status() == Snippet.Status.REJECTED) {
                    String diag = js.diagnostics(e.snippet()).map(d -> d.getMessage(null))
                            .collect(Collectors.joining("; "));
                    fail("cell does not compile:\n" + src + "\n" + diag);
                }
                if (e.value() != null) {
                    last = e.value();
                }
            }
            rest = info.remaining();
        }
        return last;
    }

    @Test
    void notebookIsThinAndDeclaresItsKernelAndOutputs() throws Exception {
        JsonObject nb = JsonParser.parseString(Files.readString(NOTEBOOK)).getAsJsonObject();
        JsonObject meta = nb.getAsJsonObject("metadata");
        assertEquals("seqcl-java", meta.getAsJsonObject("kernelspec").get("name").getAsString());
        JsonObject expect = meta.getAsJsonObject("seqcl").getAsJsonObject("expect");
        assertTrue(expect.get("min_tables").getAsInt() >= 1 && expect.get("min_images").getAsInt() >= 1);
        for (String cell : codeCells(nb)) {
            assertTrue(cell.lines().count() <= 5, "cell is not thin:\n" + cell);
            assertTrue(!cell.contains("class ") && !cell.contains("record "), "cell defines a type:\n" + cell);
        }
        assertTrue(codeCells(nb).get(0).contains("import io.seqcl.cf.*;"));
        assertTrue(String.join("\n", codeCells(nb)).contains("Budget.fromEnv()"));
    }

    @Test
    void notebookCellsRunOnCoatAtTheQuickBudget() throws Exception {
        assumeTrue(CfDatasets.isAvailable("coat"), "SEQCL_DATA has no coat/");
        JsonObject nb = JsonParser.parseString(Files.readString(NOTEBOOK)).getAsJsonObject();
        // start the engine on this thread first: DJL disables libtorch's (thread-local) grad mode only on the
        // thread that starts it, and later test classes run on this thread
        CfModel.noGrad();
        String oldDs = System.getProperty("seqcl.datasets");
        String oldBudget = System.getProperty("seqcl.budget");
        System.setProperty("seqcl.datasets", "coat");
        System.setProperty("seqcl.budget", "quick");
        PrintStream oldOut = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Set<String> cp = new LinkedHashSet<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        cp.add(Path.of("target/classes").toAbsolutePath().toString());
        Path deps = Path.of("target/classpath.txt");
        if (Files.exists(deps)) {
            cp.addAll(List.of(Files.readString(deps).trim().split(File.pathSeparator)));
        }
        try (JShell js = JShell.builder().executionEngine("local").build()) {
            for (String p : cp) {
                js.addToClasspath(p);
            }
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            long t0 = System.nanoTime();
            for (String cell : codeCells(nb)) {
                eval(js, cell);
            }
            System.setOut(oldOut);
            System.out.printf("notebook cells on coat (quick): %.1f s%n", (System.nanoTime() - t0) / 1e9);
            assertEquals("1", eval(js, "results.size()"));
            assertEquals("7", eval(js, "results.get(0).runs().size()"));
            assertEquals("true", eval(js, "Tables.html(CfResult.comparison(results), 60).contains(\"<table\")"));
            assertEquals("8", eval(js, "CfResult.comparison(results).rowCount()"));
            assertEquals("true", eval(js, "results.get(0).hardness().rowCount() > 100"));
            assertEquals("true", eval(js, "Display.png(CfPlots.klCurves(results)).length > 1000"));
            assertEquals("true", eval(js,
                    "Display.png(CfPlots.hardnessHistogram(results.get(0), \"LightGCN+AdvInfoNCE\")).length > 1000"));
            String out = captured.toString(StandardCharsets.UTF_8);
            System.out.println(eval(js, "Tables.text(CfResult.summary(results, \"test_ood\"), 20)"));
            System.out.println(eval(js, "Tables.text(CfResult.comparison(results), 20)"));
            System.out.println(eval(js, "Tables.text(results.get(0).hardnessSummary(), 20)"));
            long charts = out.lines().filter(l -> l.startsWith("chart saved to ")).count();
            // 2 hardness histograms + KL + valid curves per dataset, each written as a PNG outside a notebook
            assertTrue(charts >= 4 || out.isEmpty(), "charts shown: " + charts + "\n" + out);
            for (String l : out.lines().filter(x -> x.startsWith("chart saved to ")).toList()) {
                byte[] png = Files.readAllBytes(Path.of(l.substring("chart saved to ".length()).trim()));
                assertEquals((byte) 0x89, png[0]);
                assertEquals((byte) 'P', png[1]);
            }
        } finally {
            System.setOut(oldOut);
            restore("seqcl.datasets", oldDs);
            restore("seqcl.budget", oldBudget);
        }
    }

    private static void restore(String key, String old) {
        if (old == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, old);
        }
    }
}
