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

    private static String csv(Table t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.write().csv(w);
        return w.toString();
    }
}
