package io.seqcl.notebook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class DisplayTest {

    static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    static Table metrics() {
        return Table.create("summary",
                StringColumn.create("model", "Pop", "SASRec<&>"),
                IntColumn.create("users", 12101, 12101),
                DoubleColumn.create("NDCG@10", 0.0123456, 0.04));
    }

    static XYChart chart() {
        Table curves = Table.create("curves",
                StringColumn.create("model", "SASRec", "SASRec", "SASRec"),
                IntColumn.create("epoch", 1, 2, 3),
                DoubleColumn.create("loss", 9.1, 8.4, 8.0),
                DoubleColumn.create("valid", 0.01, 0.02, 0.025));
        return Plots.trainingCurves(curves);
    }

    @Test
    void tableBecomesHtmlTableWithEveryCellInNotebook() {
        RecordingSink sink = new RecordingSink();
        new Display(sink, null, null).render(metrics());
        assertEquals(1, sink.events.size());
        var bundle = sink.last().bundle();
        String html = bundle.get("text/html");
        assertTrue(html.startsWith("<table"), html);
        assertTrue(html.contains("<th>NDCG@10</th>"), html);
        assertTrue(html.contains(">Pop</td>"), html);
        assertTrue(html.contains(">SASRec&lt;&amp;&gt;</td>"), "cells are escaped: " + html);
        assertTrue(html.contains(">12101</td>"), html);
        assertTrue(html.contains(">0.0123</td>"), "doubles get 4 decimals: " + html);
        assertTrue(html.contains(">0.0400</td>"), html);
        assertTrue(html.contains("<caption>summary</caption>"), html);
        assertTrue(bundle.get("text/plain").contains("SASRec<&>"), "plain-text fallback is in the bundle");
    }

    @Test
    void longTablesAreCut() {
        Table t = Table.create("long", IntColumn.create("i", java.util.stream.IntStream.range(0, 100).toArray()));
        String html = Tables.html(t, 10);
        assertEquals(10, html.split("<tr>", -1).length - 2, "header row + 10 rows");
        assertTrue(html.contains("90 more rows"), html);
        assertTrue(Tables.text(t, 10).contains("90 more rows"));
    }

    @Test
    void chartBecomesPngInNotebook() {
        RecordingSink sink = new RecordingSink();
        new Display(sink, null, null).render(chart());
        var bundle = sink.last().bundle();
        byte[] png = Base64.getDecoder().decode(bundle.get("image/png"));
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8));
        assertTrue(png.length > 2000, "a real image, not an empty one: " + png.length + " bytes");
        assertEquals("<chart: Training curves>", bundle.get("text/plain"));
    }

    @Test
    void outsideNotebookTablePrintsPlainText() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Display(null, new PrintStream(bytes, true, StandardCharsets.UTF_8), null).render(metrics());
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("<table"), text);
        assertTrue(text.contains("model"), text);
        assertTrue(text.contains("SASRec<&>"), text);
        assertTrue(text.contains("0.0123"), text);
    }

    @Test
    void outsideNotebookChartIsSavedAsPngFile(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Display(null, new PrintStream(bytes, true, StandardCharsets.UTF_8), dir).render(chart());
        String text = bytes.toString(StandardCharsets.UTF_8).trim();
        assertTrue(text.startsWith("chart saved to "), text);
        Path file = Path.of(text.substring("chart saved to ".length()));
        assertTrue(file.startsWith(dir.toAbsolutePath()), file.toString());
        byte[] png = Files.readAllBytes(file);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8));
    }

    @Test
    void otherObjectsAreText() {
        RecordingSink sink = new RecordingSink();
        new Display(sink, null, null).render(42);
        assertEquals(java.util.Map.of("text/plain", "42"), sink.last().bundle());
    }

    @Test
    void failingFrontEndFallsBackToText() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DisplaySink broken = new DisplaySink() {
            @Override
            public String display(java.util.Map<String, String> bundle) {
                throw new IllegalStateException("gone");
            }

            @Override
            public void update(String displayId, java.util.Map<String, String> bundle) { }
        };
        new Display(broken, new PrintStream(bytes, true, StandardCharsets.UTF_8), null).render(metrics());
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("SASRec<&>"));
    }

    @Test
    void notInNotebookDuringUnitTests() {
        assertFalse(Display.inNotebook(), "no kernel runs in a unit test");
        assertTrue(KernelBridge.find().isEmpty());
    }

    @Test
    void numbersAreFormattedForReading() {
        assertEquals("12101", Tables.number(12101.0));
        assertEquals("0.0312", Tables.number(0.03123));
        assertEquals("8.1234", Tables.number(8.12341));
        assertEquals("12345.7", Tables.number(12345.678));
        assertEquals("1.2e-6", Tables.number(0.0000012));
        assertEquals("NaN", Tables.number(Double.NaN));
    }

    @Test
    void slugsAreFileNameSafe() {
        assertEquals("training-curves", Display.slug("Training curves!"));
        assertEquals("chart", Display.slug("***"));
    }
}
