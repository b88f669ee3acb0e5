package io.seqcl.cf;

import io.seqcl.experiment.PaperNumbers;
import io.seqcl.experiment.Provenance;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link CfExperiment#run}: metrics per split, per-epoch curves (loss, KL of the hardness
 * distribution vs uniform, valid Recall@20), learned hardness of later positives vs the rest, the comparison
 * with the paper's headline, and provenance.
 *
 * @param dataset the dataset
 * @param runs one entry per model in spec order
 * @param provenance configuration per model, seed, dataset checksums, versions, hardware, wall time
 */
public record CfResult(CfDataset dataset, List<Run> runs, Provenance provenance) {

    /**
     * The paper's headline gain of AdvInfoNCE over InfoNCE ("up to", relative) from the paper-number table
     * ({@link PaperNumbers}, paper "advinfonce", table "headline"; advinfonce.md §9).
     *
     * @param metric Recall or NDCG (the paper reports both at 20)
     * @return the relative gain, or NaN if the paper reports none for the metric
     */
    public static double paperGain(CfEvaluator.Metric metric) {
        return PaperNumbers.value("advinfonce", "headline", "", "up to", "AdvInfoNCE vs InfoNCE", metric.at(20))
                .orElse(Double.NaN);
    }

    /**
     * One model's outcome.
     *
     * @param spec the model
     * @param config its configuration (null for Pop)
     * @param training training result (null for Pop)
     * @param metrics split to metric to value
     * @param hardness learned hardness rows (AdvInfoNCE only)
     * @param seconds wall time
     * @param perUser split to the per-user values behind {@code metrics} (empty when not kept)
     */
    public record Run(CfModelSpec spec, CfConfig config, CfTrainer.Result training,
                      Map<String, Map<CfEvaluator.Metric, Double>> metrics, List<HardnessRow> hardness,
                      double seconds, Map<String, CfEvaluator.PerUser> perUser) {

        /** Copies the per-user map (null: none kept). */
        public Run {
            perUser = perUser == null ? Map.of() : java.util.Collections.unmodifiableMap(
                    new java.util.LinkedHashMap<>(perUser));
        }

        /**
         * A run without per-user values.
         *
         * @param spec the model
         * @param config its configuration (null for Pop)
         * @param training training result (null for Pop)
         * @param metrics split to metric to value
         * @param hardness learned hardness rows (AdvInfoNCE only)
         * @param seconds wall time
         */
        public Run(CfModelSpec spec, CfConfig config, CfTrainer.Result training,
                   Map<String, Map<CfEvaluator.Metric, Double>> metrics, List<HardnessRow> hardness,
                   double seconds) {
            this(spec, config, training, metrics, hardness, seconds, Map.of());
        }

        /**
         * @param split a split
         * @param m a metric
         * @return its value
         */
        public double value(String split, CfEvaluator.Metric m) {
            return metrics.get(split).get(m);
        }
    }

    /**
     * Learned hardness of one (user, item) pair.
     *
     * @param user the user
     * @param item the item
     * @param laterPositive whether the item is one of the user's test items
     * @param delta ln(|C_u| p_uj) (0 = uniform)
     */
    public record HardnessRow(int user, int item, boolean laterPositive, double delta) {
    }

    /**
     * @param model a spec name
     * @return its run
     * @throws IllegalArgumentException if absent
     */
    public Run run(String model) {
        return runs.stream().filter(r -> r.spec().name().equals(model)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no model '" + model + "' in this result"));
    }

    /** @return long format: dataset, model, backbone, loss, split, metric, value */
    public Table metrics() {
        StringColumn ds = StringColumn.create("dataset");
        StringColumn model = StringColumn.create("model");
        StringColumn split = StringColumn.create("split");
        StringColumn metric = StringColumn.create("metric");
        DoubleColumn value = DoubleColumn.create("value");
        for (Run r : runs) {
            for (var s : r.metrics().entrySet()) {
                for (var m : s.getValue().entrySet()) {
                    ds.append(dataset.name());
                    model.append(r.spec().name());
                    split.append(s.getKey());
                    metric.append(m.getKey().at(k(r)));
                    value.append(m.getValue());
                }
            }
        }
        return Table.create(dataset.name() + " metrics", ds, model, split, metric, value);
    }

    /**
     * Per-user values of every model on every split except {@code valid} (the test splits, with and without
     * training items), in long-wide form: dataset, model, split, user, then one column per metric (e.g.
     * Recall@20, NDCG@20, HR@20). Paired tests over users read this (see {@link CfPaired}).
     *
     * @return the table (no rows when no run kept per-user values)
     */
    public Table perUserTable() {
        StringColumn ds = StringColumn.create("dataset");
        StringColumn model = StringColumn.create("model");
        StringColumn split = StringColumn.create("split");
        IntColumn user = IntColumn.create("user");
        DoubleColumn[] cols = new DoubleColumn[CfEvaluator.Metric.values().length];
        for (CfEvaluator.Metric m : CfEvaluator.Metric.values()) {
            cols[m.ordinal()] = DoubleColumn.create(m.at(20));
        }
        for (Run r : runs) {
            for (var e : r.perUser().entrySet()) {
                if (e.getKey().equals(CfDataset.VALID)) {
                    continue;
                }
                CfEvaluator.PerUser pu = e.getValue();
                if (pu.k() != 20) {
                    throw new IllegalStateException("per-user table columns are @20, run " + r.spec().name()
                            + " used @" + pu.k());
                }
                for (int i = 0; i < pu.users().length; i++) {
                    ds.append(dataset.name());
                    model.append(r.spec().name());
                    split.append(e.getKey());
                    user.append(pu.users()[i]);
                    for (CfEvaluator.Metric m : CfEvaluator.Metric.values()) {
                        cols[m.ordinal()].append(pu.values(m)[i]);
                    }
                }
            }
        }
        Table t = Table.create(dataset.name() + " per-user", ds, model, split, user);
        t.addColumns(cols);
        return t;
    }

    private static int k(Run r) {
        return r.config() == null ? 20 : r.config().topK();
    }

    /**
     * One row per model: Recall/NDCG/HR@20 on a split (rounded to 4 decimals), best epoch and seconds.
     *
     * @param split a split name, e.g. "test_ood"
     * @return the wide table
     */
    public Table summary(String split) {
        StringColumn model = StringColumn.create("model");
        Table t = Table.create(dataset.name() + " (" + split + "; "
                + io.seqcl.experiment.PaperSettings.Paper.ADVINFONCE.protocol().line() + ")", model);
        for (CfEvaluator.Metric m : CfEvaluator.Metric.values()) {
            t.addColumns(DoubleColumn.create(m.at(20)));
        }
        DoubleColumn best = DoubleColumn.create("best_epoch");
        DoubleColumn secs = DoubleColumn.create("seconds");
        t.addColumns(best, secs);
        for (Run r : runs) {
            model.append(r.spec().name());
            for (CfEvaluator.Metric m : CfEvaluator.Metric.values()) {
                t.doubleColumn(m.at(20)).append(round(r.value(split, m)));
            }
            best.append(r.training() == null ? Double.NaN : r.training().bestEpoch());
            secs.append(Math.round(r.seconds() * 10) / 10.0);
        }
        return t;
    }

    /** @return {@link #summary(String)} of the first test split ("test_id") */
    public Table summary() {
        return summary(dataset.testSplits().get(0));
    }

    /**
     * @return dataset, model, epoch, loss, kl, adversarial, valid_recall (NaN when not validated), seconds, ended
     *     (when the epoch ended, UTC)
     */
    public Table curves() {
        StringColumn ds = StringColumn.create("dataset");
        StringColumn model = StringColumn.create("model");
        IntColumn epoch = IntColumn.create("epoch");
        DoubleColumn loss = DoubleColumn.create("loss");
        DoubleColumn kl = DoubleColumn.create("kl");
        BooleanColumn adv = BooleanColumn.create("adversarial");
        DoubleColumn valid = DoubleColumn.create("valid_recall");
        DoubleColumn secs = DoubleColumn.create("seconds");
        StringColumn ended = StringColumn.create("ended");
        for (Run r : runs) {
            if (r.training() == null) {
                continue;
            }
            for (CfTrainer.EpochRow e : r.training().curve()) {
                ds.append(dataset.name());
                model.append(r.spec().name());
                epoch.append(e.epoch());
                loss.append(e.loss());
                kl.append(e.kl());
                adv.append(e.adversarial());
                valid.append(e.validRecall());
                secs.append(e.seconds());
                ended.append(e.ended());
            }
        }
        return Table.create(dataset.name() + " curves", ds, model, epoch, loss, kl, adv, valid, secs, ended);
    }

    /** @return the per-epoch KL of the AdvInfoNCE models only: model, epoch, kl */
    public Table klCurves() {
        StringColumn model = StringColumn.create("model");
        IntColumn epoch = IntColumn.create("epoch");
        DoubleColumn kl = DoubleColumn.create("kl");
        for (Run r : runs) {
            if (r.training() == null || r.config().loss() != CfConfig.Loss.ADV_INFONCE) {
                continue;
            }
            for (CfTrainer.EpochRow e : r.training().curve()) {
                model.append(r.spec().name());
                epoch.append(e.epoch());
                kl.append(e.kl());
            }
        }
        return Table.create(dataset.name() + ": KL(p ‖ uniform) per epoch", model, epoch, kl);
    }

    /** @return dataset, model, user, item, group ("later positive" or "other"), delta */
    public Table hardness() {
        StringColumn ds = StringColumn.create("dataset");
        StringColumn model = StringColumn.create("model");
        IntColumn user = IntColumn.create("user");
        IntColumn item = IntColumn.create("item");
        StringColumn group = StringColumn.create("group");
        DoubleColumn delta = DoubleColumn.create("delta");
        for (Run r : runs) {
            for (HardnessRow h : r.hardness()) {
                ds.append(dataset.name());
                model.append(r.spec().name());
                user.append(h.user());
                item.append(h.item());
                group.append(h.laterPositive() ? "later positive" : "other");
                delta.append(h.delta());
            }
        }
        return Table.create(dataset.name() + " learned hardness", ds, model, user, item, group, delta);
    }

    /** @return per AdvInfoNCE model and group: count, mean, median and share of δ &lt; 0 */
    public Table hardnessSummary() {
        StringColumn model = StringColumn.create("model");
        StringColumn group = StringColumn.create("group");
        DoubleColumn n = DoubleColumn.create("n");
        DoubleColumn mean = DoubleColumn.create("mean_delta");
        DoubleColumn median = DoubleColumn.create("median_delta");
        DoubleColumn neg = DoubleColumn.create("share_delta_below_0");
        for (Run r : runs) {
            if (r.hardness().isEmpty()) {
                continue;
            }
            for (boolean later : new boolean[] {true, false}) {
                double[] v = r.hardness().stream().filter(h -> h.laterPositive() == later)
                        .mapToDouble(HardnessRow::delta).sorted().toArray();
                model.append(r.spec().name());
                group.append(later ? "later positive" : "other");
                n.append(v.length);
                mean.append(round(Arrays.stream(v).average().orElse(Double.NaN)));
                median.append(round(v.length == 0 ? Double.NaN : v[v.length / 2]));
                neg.append(round(Arrays.stream(v).filter(x -> x < 0).count() / (double) Math.max(1, v.length)));
            }
        }
        return Table.create(dataset.name() + " learned hardness δ", model, group, n, mean, median, neg);
    }

    /**
     * AdvInfoNCE against InfoNCE and InfoNCE×k per backbone and test split, with our relative change beside the
     * paper's headline ({@link #paperGain}: "up to" +21.90% Recall@20, +24.14% NDCG@20 in the paper-number table;
     * no per-dataset numbers exist in our materials, advinfonce.md §9).
     *
     * @return backbone, split, metric, InfoNCE, InfoNCE×k, AdvInfoNCE, gain vs InfoNCE, gain vs InfoNCE×k,
     *         paper gain ("up to"), difference of our gain to the paper's
     */
    public Table comparison() {
        StringColumn ds = StringColumn.create("dataset");
        StringColumn backbone = StringColumn.create("backbone");
        StringColumn split = StringColumn.create("split");
        StringColumn metric = StringColumn.create("metric");
        DoubleColumn base = DoubleColumn.create("InfoNCE");
        DoubleColumn ctrl = DoubleColumn.create("InfoNCE×k");
        DoubleColumn adv = DoubleColumn.create("AdvInfoNCE");
        DoubleColumn gain = DoubleColumn.create("ours: Adv vs InfoNCE");
        DoubleColumn gainK = DoubleColumn.create("ours: Adv vs InfoNCE×k");
        DoubleColumn paper = DoubleColumn.create("paper: Adv vs InfoNCE (up to)");
        DoubleColumn rel = DoubleColumn.create("ours − paper");
        List<String> bbs = new ArrayList<>();
        for (Run r : runs) {
            if (!r.spec().pop() && !bbs.contains(CfModelSpec.label(r.spec().backbone()))) {
                bbs.add(CfModelSpec.label(r.spec().backbone()));
            }
        }
        double recallGain = paperGain(CfEvaluator.Metric.RECALL);
        double ndcgGain = paperGain(CfEvaluator.Metric.NDCG);
        for (String b : bbs) {
            Run i = find(b, CfConfig.Loss.INFONCE);
            Run k = find(b, CfConfig.Loss.INFONCE_K);
            Run a = find(b, CfConfig.Loss.ADV_INFONCE);
            if (i == null || a == null) {
                continue;
            }
            for (String s : dataset.testSplits()) {
                for (CfEvaluator.Metric m : List.of(CfEvaluator.Metric.RECALL, CfEvaluator.Metric.NDCG)) {
                    ds.append(dataset.name());
                    backbone.append(b);
                    split.append(s);
                    metric.append(m.at(20));
                    double vi = i.value(s, m);
                    double va = a.value(s, m);
                    double vk = k == null ? Double.NaN : k.value(s, m);
                    base.append(round(vi));
                    ctrl.append(round(vk));
                    adv.append(round(va));
                    double g = va / vi - 1;
                    gain.append(round(g));
                    gainK.append(round(va / vk - 1));
                    double pg = m == CfEvaluator.Metric.RECALL ? recallGain : ndcgGain;
                    paper.append(pg);
                    rel.append(round(g - pg));
                }
            }
        }
        return Table.create(dataset.name() + ": AdvInfoNCE vs InfoNCE (relative change)", ds, backbone, split,
                metric, base, ctrl, adv, gain, gainK, paper, rel);
    }

    /**
     * {@link #comparison()} of several results stacked (e.g. Coat and Yahoo!R3).
     *
     * @param results the results
     * @return one table
     */
    public static Table comparison(java.util.Collection<CfResult> results) {
        Table t = null;
        for (CfResult r : results) {
            t = t == null ? r.comparison() : t.append(r.comparison());
        }
        if (t == null) {
            throw new IllegalArgumentException("no results to compare");
        }
        return t.setName("AdvInfoNCE vs InfoNCE: relative change, ours beside the paper's headline");
    }

    /**
     * {@link #summary(String)} of several results stacked, with a dataset column.
     *
     * @param results the results
     * @param split a split name
     * @return one table
     */
    public static Table summary(java.util.Collection<CfResult> results, String split) {
        Table t = null;
        for (CfResult r : results) {
            Table s = r.summary(split);
            StringColumn ds = StringColumn.create("dataset");
            for (int i = 0; i < s.rowCount(); i++) {
                ds.append(r.dataset().name());
            }
            s.insertColumn(0, ds);
            t = t == null ? s : t.append(s);
        }
        if (t == null) {
            throw new IllegalArgumentException("no results to summarise");
        }
        return t.setName("Top-20 metrics on " + split);
    }

    private Run find(String backbone, CfConfig.Loss loss) {
        for (Run r : runs) {
            if (!r.spec().pop() && r.spec().loss() == loss && CfModelSpec.label(r.spec().backbone()).equals(backbone)) {
                return r;
            }
        }
        return null;
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e4) / 1e4 : v;
    }
}
