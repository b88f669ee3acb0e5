package io.seqcl.experiment;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * Puts our measured test metrics beside a paper's numbers, with the relative difference
 * {@code (ours - paper) / paper} in percent.
 */
public final class Comparison {

    /**
     * Where a model of ours is found in a paper's table.
     *
     * @param model the paper's model name (e.g. "-cl" in Meta-SGCL's ablation table)
     * @param setting the paper's setting column (e.g. "heads=2"), "" if none
     */
    public record PaperRef(String model, String setting) {
    }

    private Comparison() {
    }

    /**
     * Compares a run with a paper table, matching models by name.
     *
     * @param result our run
     * @param paper "metasgcl" or "mclrec"
     * @param table the paper's table, e.g. "II"
     * @param dataset the paper's dataset name (e.g. "Toys"); quick-budget suffixes such as " (quick: ...)" are
     *     ignored
     * @return columns dataset, model, metric, ours, paper, diff_pct
     */
    public static Table withPaper(RunResult result, String paper, String table, String dataset) {
        return withPaper(result, paper, table, dataset, m -> new PaperRef(m, ""));
    }

    /**
     * Compares a run with a paper table through a name mapping.
     *
     * @param result our run
     * @param paper the paper
     * @param table the table
     * @param dataset the paper's dataset name
     * @param ref maps our model name to the paper's row (null: not in the paper)
     * @return columns dataset, model, metric, ours, paper, diff_pct (paper and diff missing where the paper has
     *     no number)
     */
    public static Table withPaper(RunResult result, String paper, String table, String dataset,
                                  Function<String, PaperRef> ref) {
        String ds = paperDataset(dataset);
        Table paperTable = PaperNumbers.table(paper, table);
        java.util.LinkedHashSet<String> metrics = new java.util.LinkedHashSet<>(
                paperTable.stringColumn("metric").asList());
        StringColumn dsCol = StringColumn.create("dataset");
        StringColumn model = StringColumn.create("model");
        StringColumn metric = StringColumn.create("metric");
        DoubleColumn ours = DoubleColumn.create("ours");
        DoubleColumn theirs = DoubleColumn.create("paper");
        DoubleColumn diff = DoubleColumn.create("diff_pct");
        for (var r : result.results()) {
            PaperRef p = ref.apply(r.model());
            for (String m : metrics) {
                double v = r.test().value(m);
                OptionalDouble pv = p == null ? OptionalDouble.empty()
                        : PaperNumbers.lookup(paperTable, ds, p.setting(), p.model(), m);
                dsCol.append(ds);
                model.append(r.model());
                metric.append(m);
                ours.append(round(v, 4));
                if (pv.isPresent()) {
                    theirs.append(pv.getAsDouble());
                    diff.append(round(100 * (v - pv.getAsDouble()) / pv.getAsDouble(), 1));
                } else {
                    theirs.appendMissing();
                    diff.appendMissing();
                }
            }
        }
        return Table.create(result.title("test") + " vs " + paper + " table " + table, dsCol, model, metric, ours,
                theirs, diff);
    }

    /**
     * The paper's spelling of a dataset name: "toys (quick: 2000 users)" becomes "Toys", "ml-1m" becomes "ML-1M".
     *
     * @param name our dataset name
     * @return the paper's name
     */
    public static String paperDataset(String name) {
        String base = name.toLowerCase(Locale.ROOT);
        int cut = base.indexOf(' ');
        if (cut > 0) {
            base = base.substring(0, cut);
        }
        int plus = base.indexOf('+');
        if (plus > 0) {
            base = base.substring(0, plus);
        }
        switch (base) {
            case "ml-1m":
                return "ML-1M";
            case "yelp":
                return "Yelp";
            default:
                return base.isEmpty() ? base : Character.toUpperCase(base.charAt(0)) + base.substring(1);
        }
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
