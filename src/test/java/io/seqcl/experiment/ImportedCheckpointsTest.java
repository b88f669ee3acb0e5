package io.seqcl.experiment;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.seqcl.data.Benchmark;
import io.seqcl.data.Datasets;
import org.junit.jupiter.api.Test;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import tech.tablesaw.api.Table;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The MCLRec authors' released Beauty checkpoint, imported into seqcl's SASRec, reproduces the paper's Table 3
 * MCLRec row on the Beauty test split with history NONE. Runs only when the checkpoint (not in the repository; see
 * data/fetch.sh) and the Beauty .inter file are present.
 */
class ImportedCheckpointsTest {

    static final Path NOTEBOOK = Path.of("notebooks/mclrec/01-overall-table3.ipynb");

    @Test
    void authorsMCLRecBeautyCheckpointReproducesTable3Row() {
        Path p = ImportedCheckpoints.mclrecBeautyPath();
        assumeTrue(Files.isRegularFile(p), "no checkpoint at " + p);
        assumeTrue(Datasets.isAvailable(Benchmark.BEAUTY_INTER.key()), "no Beauty .inter data");
        Table t = ImportedCheckpoints.mclrecBeautyRow(p);
        System.out.println(t.print());
        // the paper's row (HR@5..NDCG@20) to its 4 decimals, and MRR@10 as measured when this test was written
        Map<String, Double> want = Map.of("HR@5", 0.0581, "HR@10", 0.0871, "HR@20", 0.1243, "NDCG@5", 0.0352,
                "NDCG@10", 0.0446, "NDCG@20", 0.0539, "MRR@10", 0.0316);
        assertEquals(want.size(), t.rowCount());
        for (int i = 0; i < t.rowCount(); i++) {
            String m = t.stringColumn("metric").get(i);
            assertEquals(want.get(m), t.doubleColumn("ours").get(i), 1e-4 + 1e-9, m);
        }
    }

    @Test
    void notebookCellRunsAndSaysWhereToGetTheCheckpointWhenItIsMissing() throws Exception {
        assumeTrue(!Files.isRegularFile(ImportedCheckpoints.mclrecBeautyPath()));
        JsonObject nb = JsonParser.parseString(Files.readString(NOTEBOOK)).getAsJsonObject();
        List<String> cells = new ArrayList<>();
        for (JsonElement c : nb.getAsJsonArray("cells")) {
            JsonObject o = c.getAsJsonObject();
            if (o.get("cell_type").getAsString().equals("code")) {
                StringBuilder sb = new StringBuilder();
                o.getAsJsonArray("source").forEach(line -> sb.append(line.getAsString()));
                cells.add(sb.toString());
            }
        }
        String cell = cells.stream().filter(c -> c.contains("ImportedCheckpoints")).findFirst().orElseThrow();
        assertTrue(cell.lines().count() <= 3, cell);
        Set<String> cp = new LinkedHashSet<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        cp.add(Path.of("target/classes").toAbsolutePath().toString());
        PrintStream oldOut = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (JShell js = JShell.builder().executionEngine("local").build()) {
            cp.forEach(js::addToClasspath);
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            for (String c : List.of(cells.get(0), cell)) {
                String rest = c;
                while (!rest.isBlank()) {
                    SourceCodeAnalysis.CompletionInfo info = js.sourceCodeAnalysis().analyzeCompletion(rest);
                    for (SnippetEvent e : js.eval(info.source())) {
                        assertEquals(null, e.exception(), c);
                        assertTrue(e.status() != Snippet.Status.REJECTED, c);
                    }
                    rest = info.remaining();
                }
            }
        } finally {
            System.setOut(oldOut);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("QinHsiu/MCLRec") && out.contains("mclrec-beauty.pth"), out);
    }

    @Test
    void withoutTheCheckpointTheCellSaysWhereToGetIt() {
        assumeTrue(!Files.isRegularFile(ImportedCheckpoints.mclrecBeautyPath()));
        Object cell = ImportedCheckpoints.mclrecBeautyOrHowTo();
        String s = assertInstanceOf(String.class, cell);
        assertTrue(s.contains("QinHsiu/MCLRec") && s.contains(ImportedCheckpoints.mclrecBeautyPath().toString()), s);
    }
}
