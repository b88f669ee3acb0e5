package io.seqcl.experiment;

import io.seqcl.eval.Metric;
import io.seqcl.eval.MetricKey;
import io.seqcl.train.TrainResult;
import io.seqcl.util.AtomicFiles;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of an experiment: long-format metrics, training curves, per-model results and provenance.
 *
 * @param spec the experiment that ran
 * @param results one training result per model, in spec order
 * @param provenance configuration, seed, dataset checksum, versions, hardware and wall time
 */
public record RunResult(ExperimentSpec spec, List<TrainResult> results, Provenance provenance) {

    /** @return all metrics in long format: model, split, metric, k, value */
    public Table metrics() {
        Table t = null;
        for (TrainResult r : results) {
            t = t == null ? r.metrics() : t.append(r.metrics());
        }
        return t.setName(spec.name() + " metrics");
    }

    /** @return all training curves: model, epoch, loss, valid, seconds */
    public Table curves() {
        Table t = null;
        for (TrainResult r : results) {
            t = t == null ? r.curve().copy() : t.append(r.curve());
        }
        return t.setName(spec.name() + " curves");
    }

    /**
     * One row per model and one column per metric on a split (rounded to 4 decimals for display; exact
     * values are in {@link #metrics()}), plus the best epoch and the seconds taken.
     *
     * @param split "valid" or "test"
     * @return the wide table
     */
    public Table summary(String split) {
        StringColumn model = StringColumn.create("model");
        int[] ks = spec.train().ks();
        Table t = Table.create(title(split), model);
        for (Metric m : Metric.values()) {
            for (int k : ks) {
                t.addColumns(DoubleColumn.create(m + "@" + k));
            }
        }
        DoubleColumn best = DoubleColumn.create("best_epoch");
        DoubleColumn secs = DoubleColumn.create("seconds");
        t.addColumns(best, secs);
        for (TrainResult r : results) {
            model.append(r.model());
            for (Metric m : Metric.values()) {
                for (int k : ks) {
                    var res = split.equals("valid") ? r.valid() : r.test();
                    t.doubleColumn(m + "@" + k).append(Math.round(res.value(new MetricKey(m, k)) * 1e4) / 1e4);
                }
            }
            best.append(r.bestEpoch());
            secs.append(Math.round(r.seconds() * 10) / 10.0);
        }
        return t;
    }

    /**
     * The heading of this run's tables: the experiment, the split and the protocol it ran under (history mode,
     * monitor, patience, epochs, cut-offs), e.g. "table3 (test; mclrec protocol: history NONE, valid MRR@10, ...)".
     *
     * @param split the split
     * @return the heading
     */
    public String title(String split) {
        String p = provenance.get("protocol.heading");
        return spec.name() + " (" + split + "; " + (p == null ? PaperProtocol.heading(spec.train()) : p) + ")";
    }

    /** @return {@link #summary(String)} on the test split */
    public Table summary() {
        return summary("test");
    }

    /**
     * Looks up one model's result.
     *
     * @param model the model name
     * @return its result
     */
    public TrainResult result(String model) {
        return results.stream().filter(r -> r.model().equals(model)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no model '" + model + "' in this run"));
    }

    /**
     * The model with the best validation result under the run's own selection rule: the highest value of the
     * training monitor (e.g. NDCG@10), exact ties broken by the tie-break metric if the run has one (e.g. HR@10),
     * then by the order of the models. This is how a hyper-parameter is tuned on validation (e.g. Meta-SGCL's beta
     * on ML-1M from {@code MetaSGCLExperiments.sweep(ds, budget, seed, Param.BETA)}); test metrics play no part.
     *
     * @return the selected model's result
     * @throws IllegalStateException if the run has no results
     */
    public TrainResult bestOnValidation() {
        if (results.isEmpty()) {
            throw new IllegalStateException("run '" + spec.name() + "' has no results");
        }
        io.seqcl.eval.MetricKey monitor = spec.train().monitor();
        io.seqcl.eval.MetricKey tie = spec.train().tieBreak();
        TrainResult best = results.get(0);
        for (TrainResult r : results.subList(1, results.size())) {
            int c = Double.compare(r.valid().value(monitor), best.valid().value(monitor));
            if (c == 0 && tie != null) {
                c = Double.compare(r.valid().value(tie), best.valid().value(tie));
            }
            if (c > 0) {
                best = r;
            }
        }
        return best;
    }

    /**
     * Writes metrics.csv, curves.csv, provenance.csv and provenance.json into a directory, each atomically.
     *
     * @param dir the directory (created if needed)
     * @throws IOException on failure; no half-written file is left
     */
    public void save(Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve("metrics.csv"), csv(metrics()));
        AtomicFiles.writeString(dir.resolve("curves.csv"), csv(curves()));
        AtomicFiles.writeString(dir.resolve("provenance.csv"), csv(provenance.table()));
        AtomicFiles.writeString(dir.resolve("provenance.json"), provenance.toJson());
    }

    /** A table as CSV text, written as every result file of a run is (Tablesaw's writer). */
    static String csv(Table t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.write().csv(w);
        return w.toString();
    }
}
