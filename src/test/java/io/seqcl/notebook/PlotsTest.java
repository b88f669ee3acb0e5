package io.seqcl.notebook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class PlotsTest {

    @Test
    void trainingCurvesHaveLossAndValidSeriesPerTrainedModel() {
        Table curves = Table.create("curves",
                StringColumn.create("model", "Pop", "SASRec", "SASRec", "GRU4Rec", "GRU4Rec"),
                IntColumn.create("epoch", 1, 1, 2, 1, 2),
                DoubleColumn.create("loss", Double.NaN, 9.0, 8.0, 7.0, 6.5),
                DoubleColumn.create("valid", Double.NaN, 0.01, 0.02, 0.015, 0.03));
        XYChart chart = Plots.trainingCurves(curves);
        assertEquals(java.util.Set.of("SASRec loss", "SASRec valid", "GRU4Rec loss", "GRU4Rec valid"),
                chart.getSeriesMap().keySet(), "Pop has no finite value, so no line");
        assertEquals(1, chart.getSeriesMap().get("SASRec valid").getYAxisGroup(), "valid on the right axis");
        assertEquals(0, chart.getSeriesMap().get("SASRec loss").getYAxisGroup());
        assertArrayEquals(DisplayTest.PNG_SIGNATURE, Arrays.copyOf(Display.png(chart), 8));
    }

    @Test
    void trainingCurvesNeedTheColumns() {
        Table bad = Table.create("x", StringColumn.create("model", "a"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Plots.trainingCurves(bad));
        assertTrue(e.getMessage().contains("epoch"), e.getMessage());
    }

    @Test
    void barsUseTestSplitAndAppendK() {
        Table metrics = Table.create("metrics",
                StringColumn.create("model", "Pop", "Pop", "SASRec", "SASRec", "SASRec"),
                StringColumn.create("split", "test", "test", "test", "test", "valid"),
                StringColumn.create("metric", "HR", "NDCG", "HR", "NDCG", "NDCG"),
                IntColumn.create("k", 10, 10, 10, 10, 10),
                DoubleColumn.create("value", 0.05, 0.02, 0.09, 0.04, 0.5));
        CategoryChart chart = Plots.bars(metrics);
        assertEquals(java.util.Set.of("Pop", "SASRec"), chart.getSeriesMap().keySet());
        var sasrec = chart.getSeriesMap().get("SASRec");
        assertEquals(java.util.List.of("HR@10", "NDCG@10"), new java.util.ArrayList<>(sasrec.getXData()));
        assertEquals(java.util.List.of(0.09, 0.04), new java.util.ArrayList<>(sasrec.getYData()),
                "the valid row is left out");
        assertEquals("Metrics (test)", chart.getTitle());
        assertArrayEquals(DisplayTest.PNG_SIGNATURE, Arrays.copyOf(Display.png(chart), 8));
    }

    @Test
    void linesGroupBySeries() {
        Table t = Table.create("t", StringColumn.create("g", "a", "a", "b"), IntColumn.create("x", 1, 2, 1),
                DoubleColumn.create("y", 1.0, 2.0, 3.0));
        XYChart chart = Plots.lines(t, "x", "y", "g", "y by x");
        assertEquals(java.util.Set.of("a", "b"), chart.getSeriesMap().keySet());
        assertEquals(1, Plots.lines(t, "x", "y", null, "all").getSeriesMap().size());
    }
}
