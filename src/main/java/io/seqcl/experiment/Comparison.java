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
     *     no number; diff missing on quick-budget data, whose name holds "(quick:", a smaller catalogue than the
     *     paper's)
     */
    public static Table withPaper(RunResult result, String paper, String table, String dataset,
                                  Function<String, PaperRef> ref) {
        String ds = paperDataset(dataset);
        // quick-budget data ("toys (quick: ...)") is another task (1000 items): the paper's number is shown for
        // reference, but no relative difference
        boolean quick = dataset.contains("(quick:");
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
                    if (quick) {
                        diff.appendMissing();
                    } else {
                        diff.append(relativePct(v, pv.getAsDouble()));
                    }
                } else {
                    theirs.appendMissing();
                    diff.appendMissing();
                }
            }
        }
        return Table.create(result.title("test") + " vs " + paper + " table " + table
                + (quick ? " (quick budget: the paper's numbers for reference only, no relative difference)" : ""),
                dsCol, model, metric, ours, theirs, diff);
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

    /**
     * Whether each trained model of a run beats Pop on the test split, on the protocol's main metric (the
     * run's early-stopping monitor: NDCG@10 for Meta-SGCL, MRR@10 for MCLRec); see
     * {@link #versusPop(RunResult, io.seqcl.eval.MetricKey)}.
     *
     * @param result a run that includes a model named "Pop"
     * @return the table
     */
    public static Table versusPop(RunResult result) {
        return versusPop(result, result.spec().train().monitor());
    }

    /**
     * Whether each trained model of a run beats Pop on the test split: its value, Pop's, the relative difference
     * and a paired two-sided Wilcoxon signed-rank test over the same test users ({@link Stats#paired}). The
     * verdict is "beats Pop" when the model is higher and p &lt; 0.05, "above Pop, within noise" when it is higher
     * but p &ge; 0.05, and "at or below Pop" otherwise. At the quick budget this is the check that a run has
     * trained enough to teach anything; it says nothing about the papers' claims.
     *
     * @param result a run that includes a model named "Pop" (case-insensitive)
     * @param key the metric, e.g. NDCG@10
     * @return columns model, metric, ours, pop, diff_pct, p_wilcoxon, verdict (Pop itself is left out)
     * @throws IllegalArgumentException if the run has no Pop model
     */
    public static Table versusPop(RunResult result, io.seqcl.eval.MetricKey key) {
        io.seqcl.train.TrainResult pop = result.results().stream().filter(r -> r.model().equalsIgnoreCase("pop"))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("run '" + result.spec().name()
                        + "' has no model named Pop to compare with"));
        StringColumn model = StringColumn.create("model");
        StringColumn metric = StringColumn.create("metric");
        DoubleColumn ours = DoubleColumn.create("ours");
        DoubleColumn popCol = DoubleColumn.create("pop");
        DoubleColumn diff = DoubleColumn.create("diff_pct");
        DoubleColumn p = DoubleColumn.create("p_wilcoxon");
        StringColumn verdict = StringColumn.create("verdict");
        double popValue = pop.test().value(key);
        for (io.seqcl.train.TrainResult r : result.results()) {
            if (r == pop) {
                continue;
            }
            double v = r.test().value(key);
            double[][] pairs = Stats.perUser(r.test(), pop.test(), key);
            double pw = pairs[0].length >= 2 ? Stats.paired(pairs[0], pairs[1]).pWilcoxon() : Double.NaN;
            model.append(r.model());
            metric.append(key.toString());
            ours.append(round(v, 4));
            popCol.append(round(popValue, 4));
            diff.append(popValue == 0 ? Double.NaN : relativePct(v, popValue));
            p.append(Double.isNaN(pw) ? Double.NaN : round(pw, 4));
            verdict.append(v <= popValue ? "at or below Pop" : pw < 0.05 ? "beats Pop" : "above Pop, within noise");
        }
        return Table.create(result.spec().name() + ": trained models against Pop (test, " + key
                + ", paired Wilcoxon over users)", model, metric, ours, popCol, diff, p, verdict);
    }

    /**
     * Whether every trained model of a run beats Pop ({@link #versusPop(RunResult)} says "beats Pop" on each row).
     *
     * @param result a run with a Pop model
     * @return true if all do
     */
    public static boolean allBeatPop(RunResult result) {
        Table t = versusPop(result);
        return t.rowCount() > 0 && t.stringColumn("verdict").isEqualTo("beats Pop").size() == t.rowCount();
    }

    /**
     * The relative difference in percent, rounded to 0.1 (the paper columns here and in {@link RecordedResults}).
     *
     * @param ours our value
     * @param reference the paper's value (or Pop's)
     * @return {@code 100 (ours - reference) / reference}
     */
    public static double relativePct(double ours, double reference) {
        return round(100 * (ours - reference) / reference, 1);
    }

    /** Rounds half up to a number of decimals (the tables' display precision). */
    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
