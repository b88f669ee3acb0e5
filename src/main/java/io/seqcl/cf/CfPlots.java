package io.seqcl.cf;

import io.seqcl.notebook.Plots;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.awt.Color;
import java.util.Collection;
import java.util.List;

/** Charts of CF experiments: learned hardness of later positives vs the rest, and the per-epoch KL. */
public final class CfPlots {

    private static final int BINS = 30;

    private CfPlots() {
    }

    /**
     * Density histograms (as lines over bin centres) of the learned hardness δ for a model's test positives
     * ("later positive") and the other candidate items, on common bins.
     *
     * @param result an experiment result
     * @param model an AdvInfoNCE model name, e.g. "LightGCN+AdvInfoNCE"
     * @return the chart
     * @throws IllegalArgumentException if the model has no hardness rows
     */
    public static XYChart hardnessHistogram(CfResult result, String model) {
        List<CfResult.HardnessRow> rows = result.run(model).hardness();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(model + " has no learned hardness (only AdvInfoNCE models have one)");
        }
        double lo = rows.stream().mapToDouble(CfResult.HardnessRow::delta).min().orElse(0);
        double hi = rows.stream().mapToDouble(CfResult.HardnessRow::delta).max().orElse(0);
        if (hi - lo < 1e-9) {
            lo -= 0.5;
            hi += 0.5;
        }
        double w = (hi - lo) / BINS;
        XYChart chart = new XYChartBuilder().width(Plots.WIDTH).height(Plots.HEIGHT)
                .title(result.dataset().name() + " " + model + ": learned hardness δ = ln(|C| p)")
                .xAxisTitle("δ (0 = uniform weight; > 0 harder negative, < 0 relaxed)").yAxisTitle("density").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("0.00");
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        Color[] colours = {new Color(0xD62728), new Color(0x1F77B4)};
        int c = 0;
        for (boolean later : new boolean[] {true, false}) {
            double[] counts = new double[BINS];
            int n = 0;
            for (CfResult.HardnessRow r : rows) {
                if (r.laterPositive() == later) {
                    int b = (int) Math.min(BINS - 1, Math.floor((r.delta() - lo) / w));
                    counts[b]++;
                    n++;
                }
            }
            double[] x = new double[BINS];
            for (int b = 0; b < BINS; b++) {
                x[b] = lo + (b + 0.5) * w;
                counts[b] = n == 0 ? 0 : counts[b] / (n * w);
            }
            XYSeries s = chart.addSeries((later ? "later positives (test items)" : "other candidates") + ", n=" + n,
                    x, counts);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(colours[c++]);
        }
        return chart;
    }

    /**
     * The mean KL(p ‖ uniform) of the hardness distribution over sampled negatives, per epoch, one line per
     * dataset and AdvInfoNCE model.
     *
     * @param results experiment results
     * @return the chart
     */
    public static XYChart klCurves(Collection<CfResult> results) {
        StringColumn series = StringColumn.create("series");
        IntColumn epoch = IntColumn.create("epoch");
        DoubleColumn kl = DoubleColumn.create("KL");
        for (CfResult r : results) {
            Table t = r.klCurves();
            for (int i = 0; i < t.rowCount(); i++) {
                series.append(r.dataset().name() + " " + t.stringColumn("model").get(i));
                epoch.append(t.intColumn("epoch").get(i));
                kl.append(t.doubleColumn("kl").get(i));
            }
        }
        return Plots.lines(Table.create("kl", series, epoch, kl), "epoch", "KL", "series",
                "KL(p ‖ uniform) of the AdvInfoNCE hardness over sampled negatives, per epoch");
    }

    /**
     * Valid Recall@20 at each validation, one line per model.
     *
     * @param result an experiment result
     * @return the chart
     */
    public static XYChart validCurves(CfResult result) {
        Table c = result.curves();
        Table t = c.where(c.doubleColumn("valid_recall").isNotMissing());
        return Plots.lines(t, "epoch", "valid_recall", "model", result.dataset().name() + ": valid Recall@20");
    }
}
