package io.seqcl.experiment.recipe;

import tech.tablesaw.aggregate.AggregateFunctions;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;

/**
 * Table shaping of the notebooks' results, kept here so that notebook cells stay a few lines: one metric of a
 * long table, and the statistics of MCLRec's learned-view maps (Figs. 2 and 5).
 */
public final class Results {

    private Results() {
    }

    /**
     * The rows of one metric of a long table (columns include {@code metric}).
     *
     * @param table a long table, e.g. from {@code MCLRecExperiments.userGroups} or {@code batchSizes}
     * @param metric e.g. "NDCG@20"
     * @return the rows of that metric, named after it
     * @throws IllegalArgumentException if the table has no metric column or no row of that metric
     */
    public static Table metric(Table table, String metric) {
        if (!table.containsColumn("metric")) {
            throw new IllegalArgumentException("table '" + table.name() + "' has no column 'metric'");
        }
        Table t = table.where(table.stringColumn("metric").isEqualTo(metric));
        if (t.rowCount() == 0) {
            throw new IllegalArgumentException("table '" + table.name() + "' has no row of metric '" + metric
                    + "'; it has " + table.stringColumn("metric").unique().asList());
        }
        return t.setName(metric + ": " + table.name());
    }

    /**
     * The spread of each model's two learned views in the map: standard deviation of x and y per model and view.
     *
     * @param views a table of {@code MCLRecExperiments.views} (columns model, view, x, y)
     * @return columns model, view, and the standard deviations of x and y
     */
    public static Table viewSpread(Table views) {
        return views.summarize("x", "y", AggregateFunctions.stdDev).by("model", "view")
                .setName("spread of the learned views: " + views.name());
    }

    /**
     * How far apart positive and negative pairs lie in the map, per model: the mean distance between the two
     * views of the same sequence (positive pair) and between any two views of different sequences (negative pairs,
     * within and across the two views, as InfoNCE's 2B - 2 negatives), and their ratio. A collapsed model has a ratio near 1; the paper's claim is a larger
     * ratio with R and with meta-optimisation. Distances in a t-SNE map are only locally meaningful, so compare
     * ratios of models mapped the same way, not absolute values.
     *
     * @param views a table of {@code MCLRecExperiments.views} (columns model, view, sequence, x, y)
     * @return columns model, positive_distance, negative_distance, ratio
     * @throws IllegalArgumentException if the table has no sequence column
     */
    public static Table pairDistances(Table views) {
        if (!views.containsColumn("sequence")) {
            throw new IllegalArgumentException("table '" + views.name() + "' has no column 'sequence'");
        }
        StringColumn model = StringColumn.create("model");
        DoubleColumn pos = DoubleColumn.create("positive_distance");
        DoubleColumn neg = DoubleColumn.create("negative_distance");
        DoubleColumn ratio = DoubleColumn.create("ratio");
        for (String m : views.stringColumn("model").unique().asList()) {
            Table t = views.where(views.stringColumn("model").isEqualTo(m));
            List<String> viewNames = t.stringColumn("view").unique().asList().stream().sorted().toList();
            if (viewNames.size() != 2) {
                throw new IllegalArgumentException("model '" + m + "' has " + viewNames.size() + " views, expected 2");
            }
            List<double[]> pts = new ArrayList<>();
            List<Integer> seqs = new ArrayList<>();
            for (int i = 0; i < t.rowCount(); i++) {
                pts.add(new double[] {t.doubleColumn("x").get(i), t.doubleColumn("y").get(i)});
                seqs.add(t.intColumn("sequence").get(i));
            }
            double ps = 0;
            double ns = 0;
            long np = 0;
            long nn = 0;
            for (int i = 0; i < pts.size(); i++) {
                for (int j = i + 1; j < pts.size(); j++) {
                    double d = dist(pts.get(i), pts.get(j));
                    if (seqs.get(i).equals(seqs.get(j))) {
                        ps += d;
                        np++;
                    } else {
                        ns += d;
                        nn++;
                    }
                }
            }
            double pm = np == 0 ? Double.NaN : ps / np;
            double nm = nn == 0 ? Double.NaN : ns / nn;
            model.append(m);
            pos.append(pm);
            neg.append(nm);
            ratio.append(nm / pm);
        }
        return Table.create("positive vs negative pairs: " + views.name(), model, pos, neg, ratio);
    }

    private static double dist(double[] p, double[] q) {
        return Math.hypot(p[0] - q[0], p[1] - q[1]);
    }
}
