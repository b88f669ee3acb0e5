package io.seqcl.experiment;

import io.seqcl.data.SequenceDataset;
import io.seqcl.eval.UserGroups;
import io.seqcl.model.CL4SRecConfig;
import io.seqcl.model.DuoRecConfig;
import io.seqcl.model.MCLRec;
import io.seqcl.model.MCLRecConfig;
import io.seqcl.model.SASRecConfig;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.NoiseInjection;
import io.seqcl.protocol.TrainingSamples;
import io.seqcl.train.ProgressListener;
import io.seqcl.optim.StepContext;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.TrainResult;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The experiments of the MCLRec paper (Qin et al., SIGIR'23, ../shared/papers/002_8cbc21390195a073.txt) as specs
 * and runs for the notebooks in {@code notebooks/mclrec/}: Table 3 (overall), Table 4 (ablation), Fig. 3 (meta vs
 * joint), Fig. 4 (batch size), Fig. 6 (lambda and beta), Fig. 7 (test-time noise), Fig. 8 (user groups by length)
 * and Figs. 2/5 (2-D views). The protocol is RecBole's (mclrec.md section 1): T = 50, prefix samples, valid
 * MRR@10 with patience 10, up to 100 epochs; the per-dataset lambda and beta are the paper's (section 8).
 */
public final class MCLRecExperiments {

    /** The paper's datasets, in the order of its tables. */
    public static final List<String> DATASETS = List.of("sports", "beauty", "yelp");
    /** The dataset of the quick budget: Beauty, the paper's dataset with the fewest items. */
    public static final String QUICK_DATASET = "beauty";
    /** Key of the paper in {@link PaperNumbers}. */
    public static final String PAPER = "mclrec";

    private MCLRecExperiments() {
    }

    /**
     * The training settings of the MCLRec protocol at a budget.
     *
     * @param budget the budget
     * @param seed the seed
     * @return the settings
     */
    public static TrainConfig train(Budget budget, long seed) {
        return PaperSettings.train(PaperSettings.Paper.MCLREC, budget, seed);
    }

    private static int maxLen(Budget budget) {
        return budget == Budget.QUICK ? PaperSettings.QUICK_MAX_LEN : 50;
    }

    /**
     * SASRec under the MCLRec protocol.
     *
     * @param budget the budget
     * @return RecBole defaults with the budget's T
     */
    public static SASRecConfig sasrec(Budget budget) {
        return SASRecConfig.defaults().withMaxLen(maxLen(budget));
    }

    /**
     * MCLRec with the paper's lambda and beta for the dataset (mclrec.md section 8).
     *
     * @param ds the dataset
     * @param budget the budget
     * @return the configuration
     */
    public static MCLRecConfig mclrec(SequenceDataset ds, Budget budget) {
        return (MCLRecConfig) PaperSettings.config("mclrec", ds.key(), maxLen(budget));
    }

    /**
     * The models of the comparisons, by registry key, with the protocol's settings (registry presets for the
     * dataset, T 50).
     *
     * @param name a registry key, e.g. pop, sasrec, cl4srec, duorec or mclrec
     * @param ds the dataset
     * @param budget the budget
     * @return the spec
     */
    public static ModelSpec model(String name, SequenceDataset ds, Budget budget) {
        return PaperSettings.spec(PaperSettings.atBudget(PaperSettings.config(name, ds.key(), maxLen(budget)), budget),
                budget);
    }

    private static List<ModelSpec> models(SequenceDataset ds, Budget budget, String... names) {
        List<ModelSpec> out = new ArrayList<>();
        for (String n : names) {
            out.add(model(n, ds, budget));
        }
        return out;
    }

    /**
     * Table 3: Pop (for reference; not in the paper) and the table's rows that the library has, in the table's
     * order: BPR, GRU4Rec, Caser, SASRec, S3-Rec, BERT4Rec, CoSeRec, LMA4Rec, ICLRec, CL4SRec, DuoRec, SRMA and MCLRec
     * (the baselines with seqcl's clean defaults, evaluated with this paper's protocol; their PAPER_TABLE presets
     * are the lineage behind the table's numbers). LMA4Rec is seqcl's own design from baselines.md section 12 (no
     * code or full text was available): its row is "LMA4Rec-like", not a verified reproduction.
     *
     * @param ds the dataset
     * @param budget the budget
     * @param seed the seed
     * @return the spec
     */
    public static ExperimentSpec overall(SequenceDataset ds, Budget budget, long seed) {
        return new ExperimentSpec("mclrec-table3-" + ds.name(),
                tableRows(ds, budget), train(budget, seed));
    }

    /** The registry keys of Table 3's rows that the library has, in the table's order. */
    public static final List<String> TABLE3 = List.of("bprmf", "gru4rec", "caser", "sasrec", "s3rec", "bert4rec",
            "coserec", "lma4rec", "iclrec", "cl4srec", "duorec", "srma", "mclrec");

    private static List<ModelSpec> tableRows(SequenceDataset ds, Budget budget) {
        List<ModelSpec> out = new ArrayList<>(models(ds, budget, "pop"));
        for (String key : TABLE3) {
            ModelSpec m = model(key, ds, budget);
            // the table calls BPR-MF "BPR"
            out.add(key.equals("bprmf") ? m.named("BPR") : m);
        }
        return out;
    }

    /**
     * Table 4: the ablations (A)-(E); model names are the paper's row names.
     *
     * @param ds the dataset
     * @param budget the budget
     * @param seed the seed
     * @return the spec
     */
    public static ExperimentSpec ablation(SequenceDataset ds, Budget budget, long seed) {
        MCLRecConfig c = mclrec(ds, budget);
        List<ModelSpec> m = new ArrayList<>();
        String[] names = {"(A) MCLRec", "(B) w/o L_cl1", "(C) w/o L_cl2", "(D) w/o R", "(E) share φ1=φ2"};
        MCLRecConfig.Ablation[] abl = MCLRecConfig.Ablation.values();
        for (int i = 0; i < abl.length; i++) {
            m.add(ModelSpec.mclrec(c.withAblation(abl[i])).named(names[i]));
        }
        return new ExperimentSpec("mclrec-table4-" + ds.name(), m, train(budget, seed));
    }

    /**
     * Fig. 3: MCLRec (meta-optimised), MCLRec-J (joint), CL4SRec and DuoRec.
     *
     * @param ds the dataset
     * @param budget the budget
     * @param seed the seed
     * @return the spec
     */
    public static ExperimentSpec metaVsJoint(SequenceDataset ds, Budget budget, long seed) {
        MCLRecConfig c = mclrec(ds, budget);
        List<ModelSpec> m = new ArrayList<>(List.of(ModelSpec.mclrec(c), ModelSpec.mclrec(c.joint()).named("MCLRec-J")));
        m.addAll(models(ds, budget, "cl4srec", "duorec"));
        return new ExperimentSpec("mclrec-fig3-" + ds.name(), m, train(budget, seed));
    }

    /**
     * Fig. 4: the contrastive models trained with each batch size; long table of test metrics.
     *
     * @param ds the dataset
     * @param budget the budget
     * @param seed the seed
     * @param batchSizes e.g. 64, 128, 256
     * @param listener progress
     * @return columns batch, model, metric, value
     */
    public static Table batchSizes(SequenceDataset ds, Budget budget, long seed, int[] batchSizes,
                                   ProgressListener listener) {
        List<ModelSpec> m = models(ds, budget, "cl4srec", "duorec", "mclrec");
        IntColumn batch = IntColumn.create("batch");
        StringColumn model = StringColumn.create("model");
        StringColumn metric = StringColumn.create("metric");
        DoubleColumn value = DoubleColumn.create("value");
        for (int b : batchSizes) {
            TrainConfig t = PaperSettings.withBatch(PaperSettings.sweepTrain(PaperSettings.Paper.MCLREC, budget, seed), b,
                    budget);
            RunResult r = Runner.run(ds, new ExperimentSpec("mclrec-batch" + b, m, t), listener);
            for (TrainResult tr : r.results()) {
                for (String k : List.of("HR@20", "NDCG@20")) {
                    batch.append(b);
                    model.append(tr.model());
                    metric.append(k);
                    value.append(tr.test().value(k));
                }
            }
        }
        return Table.create("batch size on " + ds.name() + " (" + PaperProtocol.heading(
                PaperSettings.sweepTrain(PaperSettings.Paper.MCLREC, budget, seed)) + ")", batch, model, metric, value);
    }

    /** The two weights of Fig. 6. */
    public enum Weight {
        /** Weight of L_cl1 (contrast between the data-augmented views). */
        LAMBDA,
        /** Weight of L_cl2 and R (contrast with the learned views). */
        BETA
    }

    /** The paper's grid of Fig. 6 (gamma = 0.1 beta is the code's rWeight of 0.1). */
    public static final double[] GRID = {0.01, 0.02, 0.03, 0.04, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5};

    /**
     * Fig. 6: MCLRec with one weight changed over the grid (quick: 0.01 and 0.5), the other at the dataset's value.
     *
     * @param ds the dataset
     * @param budget the budget
     * @param seed the seed
     * @param w which weight
     * @return the spec; model names are "lambda=0.01" etc.
     */
    public static ExperimentSpec weightSweep(SequenceDataset ds, Budget budget, long seed, Weight w) {
        MCLRecConfig c = mclrec(ds, budget);
        double[] values = budget == Budget.FULL ? GRID : new double[] {0.01, 0.5};
        List<ModelSpec> m = new ArrayList<>();
        for (double v : values) {
            String label = w.name().toLowerCase(Locale.ROOT) + "=" + BigDecimal.valueOf(v).stripTrailingZeros()
                    .toPlainString();
            m.add(ModelSpec.mclrec(w == Weight.LAMBDA ? c.withLambda(v) : c.withBeta(v)).named(label));
        }
        return new ExperimentSpec("mclrec-" + w.name().toLowerCase(Locale.ROOT) + "-" + ds.name(), m,
                PaperSettings.sweepTrain(PaperSettings.Paper.MCLREC, budget, seed));
    }

    /**
     * A weight sweep's test metrics in long form with the weight as a number.
     *
     * @param r the run of {@link #weightSweep}
     * @return columns weight, x, metric, value
     */
    public static Table weightTable(RunResult r) {
        StringColumn weight = StringColumn.create("weight");
        DoubleColumn x = DoubleColumn.create("x");
        StringColumn metric = StringColumn.create("metric");
        DoubleColumn value = DoubleColumn.create("value");
        for (TrainResult tr : r.results()) {
            String[] kv = tr.model().split("=");
            for (String k : List.of("HR@20", "NDCG@20")) {
                weight.append(kv[0]);
                x.append(Double.parseDouble(kv[1]));
                metric.append(k);
                value.append(tr.test().value(k));
            }
        }
        return Table.create(r.title("test"), weight, x, metric, value);
    }

    /**
     * Fig. 7: SASRec, CL4SRec, DuoRec and MCLRec trained on clean data and tested with noise inserted into the
     * test inputs ({@link NoiseInjection.Mode#TEST_INPUT}).
     *
     * @param ds the dataset
     * @param budget the budget
     * @param seed the seed
     * @param ratios e.g. 0, 0.05, 0.1, 0.15, 0.2, 0.3
     * @param listener progress
     * @return columns mode, ratio, model, metric, value
     */
    public static Table noise(SequenceDataset ds, Budget budget, long seed, double[] ratios,
                              ProgressListener listener) {
        return MetaSGCLExperiments.noise(ds, models(ds, budget, "sasrec", "cl4srec", "duorec", "mclrec"),
                PaperSettings.sweepTrain(PaperSettings.Paper.MCLREC, budget, seed), NoiseInjection.Mode.TEST_INPUT,
                ratios, listener);
    }

    /**
     * Fig. 8, evaluated by group: each model trains on all users and its test metrics are averaged per group of
     * sequence length (=5, 6-8, &gt;8; {@link UserGroups#mclrecFig8()}).
     *
     * @param ds the dataset
     * @param budget the budget
     * @param seed the seed
     * @param listener progress
     * @return columns model, group, users, metric, value
     */
    public static Table userGroups(SequenceDataset ds, Budget budget, long seed, ProgressListener listener) {
        RunResult r = Runner.run(ds, new ExperimentSpec("mclrec-fig8-" + ds.name(),
                models(ds, budget, "sasrec", "cl4srec", "duorec", "mclrec"),
                PaperSettings.sweepTrain(PaperSettings.Paper.MCLREC, budget, seed)), listener);
        LeaveOneOutSplit split = LeaveOneOutSplit.of(ds);
        Table out = null;
        for (TrainResult tr : r.results()) {
            Table g = UserGroups.mclrecFig8().evaluate(tr.test(), split, "HR@20", "NDCG@20");
            StringColumn model = StringColumn.create("model");
            for (int i = 0; i < g.rowCount(); i++) {
                model.append(tr.model());
            }
            g.insertColumn(0, model);
            out = out == null ? g : out.append(g);
        }
        return out.setName("test metrics by user group (sequence length) on " + ds.name() + " (" + r.title("test") + ")");
    }

    /**
     * Figs. 2 and 5: trains MCLRec with and without R (or meta and joint) and projects the two learned views of
     * a batch of training sequences to 2-D with PCA (the paper uses t-SNE after 300 epochs).
     *
     * @param ds the dataset
     * @param budget the budget
     * @param seed the seed
     * @param joint false: with vs without R (Fig. 2); true: meta vs joint (Fig. 5)
     * @param users how many training sequences to project
     * @param listener progress
     * @return columns model, view (z1/z2 learned views or h1/h2 encoder views), x, y
     */
    public static Table views(SequenceDataset ds, Budget budget, long seed, boolean joint, int users,
                              ProgressListener listener) {
        return views(ds, budget, seed, joint, users, io.seqcl.analysis.Map2D.TSNE, listener);
    }

    /**
     * Figs. 2 and 5 with a choice of 2-D map (t-SNE as the paper, or PCA); both views of all sequences are mapped
     * together. Column {@code sequence} pairs the two views of one sequence (a positive pair); views of
     * different sequences are negative pairs (the paper colours the negative pairs).
     *
     * @param ds the dataset
     * @param budget the budget
     * @param seed the seed
     * @param joint false: with vs without R (Fig. 2); true: meta vs joint (Fig. 5)
     * @param users how many training sequences to project
     * @param map t-SNE or PCA
     * @param listener progress
     * @return columns model, view, sequence, x, y
     */
    public static Table views(SequenceDataset ds, Budget budget, long seed, boolean joint, int users,
                              io.seqcl.analysis.Map2D map, ProgressListener listener) {
        MCLRecConfig c = mclrec(ds, budget);
        if (c.beta() == 0) {
            c = c.withBeta(0.05);
        }
        List<ModelSpec> specs = joint
                ? List.of(ModelSpec.mclrec(c).named("MCLRec (meta)"), ModelSpec.mclrec(c.joint()).named("MCLRec-J"))
                : List.of(ModelSpec.mclrec(c).named("MCLRec (with R)"),
                ModelSpec.mclrec(c.withAblation(MCLRecConfig.Ablation.WITHOUT_R)).named("MCLRec (w/o R)"));
        LeaveOneOutSplit split = LeaveOneOutSplit.of(ds);
        TrainConfig t = PaperSettings.sweepTrain(PaperSettings.Paper.MCLREC, budget, seed);
        StringColumn model = StringColumn.create("model");
        StringColumn view = StringColumn.create("view");
        IntColumn sequence = IntColumn.create("sequence");
        DoubleColumn x = DoubleColumn.create("x");
        DoubleColumn y = DoubleColumn.create("y");
        for (ModelSpec s : specs) {
            try (MCLRec m = (MCLRec) s.create(ds.numItems(), seed)) {
                Runner.fit(m, s.name(), split, t, listener);
                TrainingSamples samples = new TrainingSamples(split, m.inputSpec().sampleMode(),
                        m.inputSpec().maxLen(), m.inputSpec().padding());
                SplittableRandom rng = new SplittableRandom(seed);
                Batch b = samples.epoch(users, rng, false).get(0);
                float[][][] v = m.learnedViews(b, new StepContext(1, 1, rng));
                String[] names = {"z1 (learned view 1)", "z2 (learned view 2)"};
                float[][] both = new float[v[0].length + v[1].length][];
                System.arraycopy(v[0], 0, both, 0, v[0].length);
                System.arraycopy(v[1], 0, both, v[0].length, v[1].length);
                double[][] p = map.project(both, seed);
                for (int i = 0; i < both.length; i++) {
                    model.append(s.name());
                    view.append(names[i < v[0].length ? 0 : 1]);
                    sequence.append(i < v[0].length ? i : i - v[0].length);
                    x.append(p[i][0]);
                    y.append(p[i][1]);
                }
            }
        }
        return Table.create("learned views (" + map.label() + ") on " + ds.name(), model, view, sequence, x, y);
    }
}
