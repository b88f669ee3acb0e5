package io.seqcl.notebook;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Charts from Tablesaw tables, as XChart objects to pass to {@link Display#show(Object)} (PNG in a notebook, a
 * PNG file elsewhere). Charts are only ever rendered to images; nothing here opens a window.
 */
public final class Plots {

    /** Default chart size in pixels. */
    public static final int WIDTH = 860;
    /** Default chart height in pixels. */
    public static final int HEIGHT = 420;

    private static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
        new Color(188, 189, 34), new Color(23, 190, 207)};
    private static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {6f, 4f}, 0f);
    private static final BasicStroke SOLID = new BasicStroke(2f);

    private Plots() { }

    /**
     * Training curves of one or more models in one chart with two y axes: the training loss (left axis, solid
     * line) and the validation metric (right axis, dashed line with markers), one colour per model.
     *
     * <p>{@code curves} is a long table with columns {@code model} (string), {@code epoch} (number),
     * {@code loss} (number) and {@code valid} (number), one row per model and epoch. NaN or missing values are
     * skipped, so a model without training (such as a popularity baseline) simply has no line. An optional
     * string column {@code monitor} (or {@code metric}) names the validation metric on the right axis.
     *
     * @param curves the curves table
     * @return the chart
     * @throws IllegalArgumentException if a column is missing or no row has a finite value
     */
    public static XYChart trainingCurves(Table curves) {
        require(curves, "model", "epoch", "loss", "valid");
        String monitor = "validation metric";
        for (String name : new String[] {"monitor", "metric"}) {
            if (curves.containsColumn(name) && curves.rowCount() > 0 && !curves.column(name).isMissing(0)) {
                monitor = "valid " + curves.column(name).getString(0);
                break;
            }
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Training curves")
                .xAxisTitle("epoch").yAxisTitle("train loss").build();
        style(chart.getStyler());
        chart.setYAxisGroupTitle(0, "train loss");
        chart.setYAxisGroupTitle(1, monitor);
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().putYAxisGroupDecimalPatternMap(1, "0.0###");
        int colour = 0;
        int series = 0;
        for (Map.Entry<String, List<Integer>> e : groups(curves.column("model")).entrySet()) {
            Color c = PALETTE[colour++ % PALETTE.length];
            series += addXY(chart, e.getKey() + " loss", curves, e.getValue(), "epoch", "loss", 0, c, SOLID, false);
            series += addXY(chart, e.getKey() + " valid", curves, e.getValue(), "epoch", "valid", 1, c, DASHED, true);
        }
        if (series == 0) {
            throw new IllegalArgumentException("no training curve to plot: every loss/valid value is missing");
        }
        return chart;
    }

    /**
     * A line chart of {@code y} against {@code x}, one line per value of {@code group} (or a single line when
     * {@code group} is null).
     *
     * @param table the data
     * @param x numeric column for the x axis
     * @param y numeric column for the y axis
     * @param group string column naming the series, or null
     * @param title chart title
     * @return the chart
     */
    public static XYChart lines(Table table, String x, String y, String group, String title) {
        require(table, x, y);
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y)
                .build();
        style(chart.getStyler());
        Map<String, List<Integer>> groups = group == null ? Map.of(y, allRows(table)) : groups(table.column(group));
        int colour = 0;
        int series = 0;
        for (Map.Entry<String, List<Integer>> e : groups.entrySet()) {
            series += addXY(chart, e.getKey(), table, e.getValue(), x, y, 0, PALETTE[colour++ % PALETTE.length],
                    SOLID, true);
        }
        if (series == 0) {
            throw new IllegalArgumentException("nothing to plot: every " + y + " value is missing");
        }
        return chart;
    }

    /**
     * A scatter plot of points, one colour per group (e.g. 2-D item embeddings coloured by popularity).
     *
     * @param table the points
     * @param x numeric column for the x axis
     * @param y numeric column for the y axis
     * @param group string column naming the series, or null
     * @param title chart title
     * @return the chart
     * @throws IllegalArgumentException if a column is missing or no point is finite
     */
    public static XYChart scatter(Table table, String x, String y, String group, String title) {
        require(table, x, y);
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y)
                .build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        Map<String, List<Integer>> groups = group == null ? Map.of(y, allRows(table)) : groups(table.column(group));
        int colour = 0;
        int series = 0;
        for (Map.Entry<String, List<Integer>> e : groups.entrySet()) {
            series += addXY(chart, e.getKey(), table, e.getValue(), x, y, 0, PALETTE[colour++ % PALETTE.length],
                    SOLID, true);
        }
        if (series == 0) {
            throw new IllegalArgumentException("nothing to plot: no finite (" + x + ", " + y + ") point");
        }
        return chart;
    }

    /**
     * One scatter chart per value of a panel column (e.g. one map per model), each coloured by {@code group}.
     *
     * @param table the points
     * @param panel string column whose values get one chart each, in order of first appearance
     * @param x numeric column for the x axis
     * @param y numeric column for the y axis
     * @param group string column naming the colours, or null
     * @param title title suffix: each chart is titled "panel value: title"
     * @return the charts
     * @throws IllegalArgumentException if a column is missing or a panel has no finite point
     */
    public static XYChart[] scatterEach(Table table, String panel, String x, String y, String group, String title) {
        require(table, panel);
        List<XYChart> out = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : groups(table.column(panel)).entrySet()) {
            int[] rows = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            out.add(scatter(table.rows(rows), x, y, group, e.getKey() + ": " + title));
        }
        return out.toArray(new XYChart[0]);
    }

    /**
     * A grouped bar chart comparing models on metrics, from a long metrics table.
     *
     * <p>Columns: {@code model}, {@code metric}, {@code value}; optional {@code k} (appended as "@k" when the
     * metric name has no "@") and {@code split} (when present and containing "test", only test rows are used).
     * This is the shape of a run's {@code metrics()} table.
     *
     * @param metrics the long metrics table
     * @return the chart: one group of bars per metric, one bar (colour) per model
     */
    public static CategoryChart bars(Table metrics) {
        require(metrics, "model", "metric", "value");
        Table t = metrics;
        if (t.containsColumn("split")) {
            Column<?> split = t.column("split");
            boolean hasTest = false;
            for (int r = 0; r < t.rowCount(); r++) {
                hasTest |= "test".equals(split.getString(r));
            }
            if (hasTest) {
                List<Integer> rows = new ArrayList<>();
                for (int r = 0; r < t.rowCount(); r++) {
                    if ("test".equals(split.getString(r))) {
                        rows.add(r);
                    }
                }
                t = t.rows(rows.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        String[] labels = new String[t.rowCount()];
        for (int r = 0; r < t.rowCount(); r++) {
            String m = t.column("metric").getString(r);
            if (t.containsColumn("k") && !m.contains("@") && !t.column("k").isMissing(r)) {
                m = m + "@" + t.column("k").getString(r);
            }
            labels[r] = m;
        }
        return bars(t, labels, "model", "value", "Metrics" + (t != metrics ? " (test)" : ""));
    }

    /**
     * A grouped bar chart: one group per value of {@code category}, one bar per value of {@code series}.
     *
     * @param table the data
     * @param category string column for the groups on the x axis
     * @param series string column for the bars in a group (legend)
     * @param value numeric column for the bar heights
     * @param title chart title
     * @return the chart
     */
    public static CategoryChart bars(Table table, String category, String series, String value, String title) {
        require(table, category, series, value);
        String[] labels = new String[table.rowCount()];
        for (int r = 0; r < table.rowCount(); r++) {
            labels[r] = table.column(category).getString(r);
        }
        return bars(table, labels, series, value, title);
    }

    private static CategoryChart bars(Table t, String[] labels, String series, String value, String title) {
        Set<String> categories = new LinkedHashSet<>(List.of(labels));
        if (categories.isEmpty()) {
            throw new IllegalArgumentException("nothing to plot: the table has no rows");
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("").yAxisTitle(value).build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setOverlapped(false);
        int colour = 0;
        for (Map.Entry<String, List<Integer>> e : groups(t.column(series)).entrySet()) {
            Map<String, Double> byCategory = new LinkedHashMap<>();
            for (String c : categories) {
                byCategory.put(c, 0.0);
            }
            for (int r : e.getValue()) {
                double v = number(t.column(value), r);
                byCategory.put(labels[r], Double.isFinite(v) ? v : 0.0);
            }
            chart.addSeries(e.getKey(), new ArrayList<>(byCategory.keySet()), new ArrayList<>(byCategory.values()))
                    .setFillColor(PALETTE[colour++ % PALETTE.length]);
        }
        return chart;
    }

    // ---- helpers

    private static int addXY(XYChart chart, String name, Table t, List<Integer> rows, String x, String y, int axis,
                             Color colour, BasicStroke stroke, boolean markers) {
        List<double[]> points = new ArrayList<>();
        for (int r : rows) {
            double xv = number(t.column(x), r);
            double yv = number(t.column(y), r);
            if (Double.isFinite(xv) && Double.isFinite(yv)) {
                points.add(new double[] {xv, yv});
            }
        }
        if (points.isEmpty()) {
            return 0;
        }
        points.sort((a, b) -> Double.compare(a[0], b[0]));
        double[] xs = points.stream().mapToDouble(p -> p[0]).toArray();
        double[] ys = points.stream().mapToDouble(p -> p[1]).toArray();
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setYAxisGroup(axis);
        s.setLineColor(colour);
        s.setLineStyle(stroke);
        s.setMarkerColor(colour);
        s.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        return 1;
    }

    private static double number(Column<?> c, int row) {
        if (c.isMissing(row)) {
            return Double.NaN;
        }
        Object v = c.get(row);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(c.getString(row));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("column " + c.name() + " is not numeric: " + c.getString(row), e);
        }
    }

    private static Map<String, List<Integer>> groups(Column<?> c) {
        Map<String, List<Integer>> g = new LinkedHashMap<>();
        for (int r = 0; r < c.size(); r++) {
            g.computeIfAbsent(c.isMissing(r) ? "" : c.getString(r), k -> new ArrayList<>()).add(r);
        }
        return g;
    }

    private static List<Integer> allRows(Table t) {
        List<Integer> rows = new ArrayList<>(t.rowCount());
        for (int r = 0; r < t.rowCount(); r++) {
            rows.add(r);
        }
        return rows;
    }

    private static void require(Table t, String... columns) {
        for (String c : columns) {
            if (c != null && !t.containsColumn(c)) {
                throw new IllegalArgumentException("table '" + t.name() + "' has no column '" + c + "' (columns: "
                        + t.columnNames() + ")");
            }
        }
    }

    private static void style(Styler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setMarkerSize(6);
        s.setAntiAlias(true);
    }
}
