package io.seqcl.experiment;

import io.seqcl.analysis.EmbeddingGeometry;
import io.seqcl.analysis.Projection;
import io.seqcl.data.SequenceDataset;
import io.seqcl.eval.EvalResult;
import io.seqcl.loss.InfoNCE;
import io.seqcl.model.MetaSGCLConfig;
import io.seqcl.model.SequentialRecommender;
import io.seqcl.nn.TransformerConfig;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.NoiseInjection;
import io.seqcl.train.ProgressListener;
import io.seqcl.train.TrainConfig;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * The experiments of the Meta-SGCL paper (Hao et al., arXiv 2310.13925, ../shared/papers/001_10888dff13463991.txt)
 * as specs and runs that the notebooks in {@code notebooks/metasgcl/} call: Table II (overall), Fig. 3 (meta vs
 * joint), Table III (ablation), Fig. 4 and Tables IV-VII (hyper-parameters), Fig. 5 (noise) and Fig. 6 (2-D
 * item embeddings). Settings per dataset and budget come from {@link PaperSettings}; the paper's numbers from
 * {@link PaperNumbers} (experiments.md section A).
 */
public final class MetaSGCLExperiments {

    /** The paper's datasets, in the order of its tables. */
    public static final List<String> DATASETS = List.of("clothing", "toys", "ml-1m");
    /** The dataset of the quick budget: Toys, the paper's dataset with the fewest items. */
    public static final String QUICK_DATASET = "toys";
    /** Key of the paper in {@link PaperNumbers}. */
    public static final String PAPER = "metasgcl";

    private MetaSGCLExperiments() {
    }

    /** The registry keys of Table II's rows, in the table's order. */
    public static final List<String> TABLE2 = List.of("pop", "bprmf", "gru4rec", "caser", "sasrec", "bert4rec",
            "vsan", "acvae", "duorec", "contrastvae", "metasgcl");

    /**
     * Table II: every row of the table, in its order (see {@link #TABLE2}); the baselines with seqcl's clean
     * defaults, evaluated with this paper's protocol. VSAN is seqcl's reconstruction (baselines.md section 6: no
     * paper text or code was available), so its row is not a verified reproduction.
     *
     * @param ds the dataset (already sampled for the budget)
     * @param budget the budget
     * @param seed the seed
     * @return the spec
     */
    public static ExperimentSpec overall(SequenceDataset ds, Budget budget, long seed) {
        List<ModelSpec> models = new ArrayList<>();
        for (String name : TABLE2) {
            models.add(PaperSettings.model(name, ds, budget));
        }
        return new ExperimentSpec("metasgcl-table2-" + ds.name(), models,
                PaperSettings.train(PaperSettings.Paper.METASGCL, budget, seed));
    }

    /** Fig. 3 row: the meta two-step schedule with the stage-2 loss {@code FULL} (seqcl's default until 2026-12-02). */
    public static final String META_FULL = "Meta-SGCL (meta, stage 2 on L)";
    /** Fig. 3 row: the meta two-step schedule with the paper's stage-2 loss {@code L' = L_cl} (the default). */
    public static final String META_CL = "Meta-SGCL (meta, stage 2 on L_cl)";
    /** Fig. 3 row: joint learning, one Adam over all parameters on L. */
    public static final String JOINT = "Meta-SGCL (joint)";

    /**
     * Fig. 3: Meta-SGCL with the meta-optimised two-step update against joint learning (one Adam over all
     * parameters on the same loss). The meta schedule runs with both stage-2 losses (issue 12 item 6): {@code FULL},
     * seqcl's default until 2026-12-02 ({@code Lrs2 + beta KL2 + alpha Lcl}; its gradient for the meta encoder has
     * the same form as in joint training, so meta and joint differ only by the updated weights and fresh noise), and
     * the paper's {@code L' = L_cl} ({@link MetaSGCLConfig.MetaLoss#CL}, now the default), so that the notebook shows
     * which of the two produces the paper's gap.
     *
     * @param ds the dataset
     * @param budget the budget
     * @param seed the seed
     * @return the spec
     */
    public static ExperimentSpec metaVsJoint(SequenceDataset ds, Budget budget, long seed) {
        MetaSGCLConfig c = PaperSettings.metaSGCL(ds, budget);
        return new ExperimentSpec("metasgcl-fig3-" + ds.name(), List.of(
                ModelSpec.metasgcl(c.withMetaLoss(MetaSGCLConfig.MetaLoss.FULL)).named(META_FULL),
                ModelSpec.metasgcl(c.withMetaLoss(MetaSGCLConfig.MetaLoss.CL)).named(META_CL),
                ModelSpec.metasgcl(c.joint()).named(JOINT)),
                PaperSettings.train(PaperSettings.Paper.METASGCL, budget, seed));
    }

    /**
     * Table III: -clkl (plain SASRec), -cl (alpha = 0), -kl (beta = 0) and the full model; the model names are
     * the paper's row names.
     *
     * @param ds the dataset
     * @param budget the budget
     * @param seed the seed
     * @return the spec
     */
    public static ExperimentSpec ablation(SequenceDataset ds, Budget budget, long seed) {
        MetaSGCLConfig c = PaperSettings.metaSGCL(ds, budget);
        return new ExperimentSpec("metasgcl-table3-" + ds.name(), List.of(
                ModelSpec.sasrec(PaperSettings.sasrec(ds, budget)).named("-clkl"),
                ModelSpec.metasgcl(c.withoutContrastive()).named("-cl"),
                ModelSpec.metasgcl(c.withoutKL()).named("-kl"),
                ModelSpec.metasgcl(c)), PaperSettings.train(PaperSettings.Paper.METASGCL, budget, seed));
    }

    /** The hyper-parameters of Fig. 4 and Tables IV-VII, with the paper's grids and the quick budget's subset. */
    public enum Param {
        /** CL weight alpha (Fig. 4a,b; the paper gives no grid, best about 0.03). */
        ALPHA("alpha", null, new double[] {0.01, 0.03, 0.1, 0.3, 1.0}, new double[] {0.03, 0.3},
                (c, v) -> c.withAlpha(v)),
        /** KL weight beta (Fig. 4c,d). */
        BETA("beta", null, new double[] {0.1, 0.2, 0.3, 0.4, 0.5}, new double[] {0.1, 0.5},
                (c, v) -> c.withBeta(v)),
        /** Embedding size d (Fig. 4e,f). */
        HIDDEN("d", null, new double[] {32, 64, 128, 256, 512}, new double[] {32, 64},
                (c, v) -> c.withWidth(v.intValue())),
        /** Attention heads (Table IV). */
        HEADS("heads", "IV", new double[] {1, 2, 4, 8}, new double[] {1, 2},
                (c, v) -> c.withTransformer(c.transformer().withHeads(v.intValue()))),
        /** InfoNCE temperature (Table V). */
        TEMPERATURE("temperature", "V", new double[] {0.05, 0.1, 0.5, 1, 2, 5}, new double[] {0.1, 1},
                (c, v) -> c.withTemperature(v)),
        /** Dropout of every layer (Table VI). */
        DROPOUT("dropout", "VI", new double[] {0, 0.1, 0.2, 0.3, 0.4}, new double[] {0, 0.2},
                (c, v) -> c.withDropout(v)),
        /** Similarity in L_cl: 0 = dot, 1 = cosine (Table VII). */
        SIMILARITY("similarity", "VII", new double[] {0, 1}, new double[] {0, 1},
                (c, v) -> c.withSimilarity(v == 0 ? InfoNCE.Similarity.DOT : InfoNCE.Similarity.COSINE));

        private final String label;
        private final String paperTable;
        private final double[] grid;
        private final double[] quickGrid;
        private final BiFunction<MetaSGCLConfig, Double, MetaSGCLConfig> apply;

        Param(String label, String paperTable, double[] grid, double[] quickGrid,
              BiFunction<MetaSGCLConfig, Double, MetaSGCLConfig> apply) {
            this.label = label;
            this.paperTable = paperTable;
            this.grid = grid;
            this.quickGrid = quickGrid;
            this.apply = apply;
        }

        /** @return the name used in settings, e.g. "heads" */
        public String label() {
            return label;
        }

        /** @return the paper's table with numbers for this parameter, or null (figure only) */
        public String paperTable() {
            return paperTable;
        }

        /**
         * The values a budget sweeps.
         *
         * @param budget the budget
         * @return the paper's grid (full) or two of its values (quick)
         */
        public double[] values(Budget budget) {
            return (budget == Budget.FULL ? grid : quickGrid).clone();
        }

        /**
         * A setting label as the paper's tables write it, e.g. "heads=2", "temperature=0.05", "similarity=cos".
         *
         * @param v the value
         * @return the label
         */
        public String setting(double v) {
            if (this == SIMILARITY) {
                return label + "=" + (v == 0 ? "dot" : "cos");
            }
            return label + "=" + BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        }

        /**
         * Applies a value to a configuration.
         *
         * @param c the configuration
         * @param v the value
         * @return the changed configuration
         */
        public MetaSGCLConfig apply(MetaSGCLConfig c, double v) {
            return apply.apply(c, v);
        }
    }

    /**
     * One hyper-parameter sweep: Meta-SGCL at each value of the budget's grid, other settings at their defaults;
     * model names are the settings ("heads=2").
     *
     * @param ds the dataset
     * @param budget the budget
     * @param seed the seed
     * @param p the parameter
     * @return the spec
     */
    public static ExperimentSpec sweep(SequenceDataset ds, Budget budget, long seed, Param p) {
        MetaSGCLConfig base = PaperSettings.metaSGCL(ds, budget);
        List<ModelSpec> models = new ArrayList<>();
        for (double v : p.values(budget)) {
            models.add(ModelSpec.metasgcl(p.apply(base, v)).named(p.setting(v)));
        }
        return new ExperimentSpec("metasgcl-" + p.label() + "-" + ds.name(), models,
                PaperSettings.sweepTrain(PaperSettings.Paper.METASGCL, budget, seed));
    }

    /**
     * A sweep's results in long form beside the paper's numbers (where the paper has a table).
     *
     * @param result the sweep's run
     * @param p the parameter
     * @param dataset the dataset name
     * @return columns parameter, setting, x, metric, ours, paper, diff_pct
     */
    public static Table sweepTable(RunResult result, Param p, String dataset) {
        Table cmp = p.paperTable() == null ? Comparison.withPaper(result, PAPER, "IV", dataset, m -> null)
                : Comparison.withPaper(result, PAPER, p.paperTable(), dataset,
                    m -> new Comparison.PaperRef("Meta-SGCL", m));
        StringColumn param = StringColumn.create("parameter");
        DoubleColumn x = DoubleColumn.create("x");
        for (int i = 0; i < cmp.rowCount(); i++) {
            String setting = cmp.stringColumn("model").get(i);
            param.append(p.label());
            String v = setting.substring(setting.indexOf('=') + 1);
            x.append(p == Param.SIMILARITY ? (v.equals("dot") ? 0 : 1) : Double.parseDouble(v));
        }
        Table t = Table.create(result.title("test"), param);
        t.addColumns(cmp.stringColumn("model").copy().setName("setting"), x, cmp.stringColumn("metric"),
                cmp.doubleColumn("ours"), cmp.doubleColumn("paper"), cmp.doubleColumn("diff_pct"));
        return t;
    }

    /**
     * Fig. 5: the models trained and tested at each noise ratio, in long form. In
     * {@link NoiseInjection.Mode#TRAIN_HISTORY} every ratio trains anew; in {@link NoiseInjection.Mode#TEST_INPUT}
     * each model trains once on clean data and is tested on inputs with each ratio.
     *
     * @param ds the dataset
     * @param budget the budget
     * @param seed the seed (also seeds the noise)
     * @param mode where the noise goes
     * @param ratios e.g. 0, 0.1, ..., 0.5
     * @param listener progress
     * @return columns mode, ratio, model, metric, value (test split)
     */
    public static Table noise(SequenceDataset ds, Budget budget, long seed, NoiseInjection.Mode mode,
                              double[] ratios, ProgressListener listener) {
        List<ModelSpec> models = new ArrayList<>();
        for (String name : List.of("sasrec", "duorec", "metasgcl")) {
            models.add(PaperSettings.model(name, ds, budget));
        }
        TrainConfig train = PaperSettings.sweepTrain(PaperSettings.Paper.METASGCL, budget, seed);
        return noise(ds, models, train, mode, ratios, listener);
    }

    /**
     * Noise robustness for any models (MCLRec Fig. 7 uses this with TEST_INPUT).
     *
     * @param ds the dataset
     * @param models the models
     * @param train training settings (its seed also seeds the noise)
     * @param mode where the noise goes
     * @param ratios noise ratios
     * @param listener progress
     * @return columns mode, ratio, model, metric, value (test split)
     */
    public static Table noise(SequenceDataset ds, List<ModelSpec> models, TrainConfig train,
                              NoiseInjection.Mode mode, double[] ratios, ProgressListener listener) {
        NoiseTable out = new NoiseTable();
        if (mode == NoiseInjection.Mode.TRAIN_HISTORY) {
            for (double r : ratios) {
                NoiseInjection noise = new NoiseInjection(r, mode);
                LeaveOneOutSplit split = noise.split(ds, train.seed());
                RunResult res = Runner.run(split, noise.describe(), new ExperimentSpec("noise", models, train),
                        listener);
                for (var tr : res.results()) {
                    out.add(mode, r, tr.model(), tr.test(), train.ks());
                }
            }
        } else {
            LeaveOneOutSplit clean = LeaveOneOutSplit.of(ds);
            for (ModelSpec m : models) {
                try (SequentialRecommender model = m.create(ds.numItems(), train.seed())) {
                    Runner.fit(model, m.name(), clean, m.trainFrom(train), listener);
                    for (double r : ratios) {
                        LeaveOneOutSplit noisy = new NoiseInjection(r, mode).split(ds, train.seed());
                        out.add(mode, r, m.name(), train.evaluator().evaluate(model, noisy.test()), train.ks());
                    }
                }
            }
        }
        return out.table(ds.name());
    }

    private static final class NoiseTable {
        private final StringColumn mode = StringColumn.create("mode");
        private final DoubleColumn ratio = DoubleColumn.create("ratio");
        private final StringColumn model = StringColumn.create("model");
        private final StringColumn metric = StringColumn.create("metric");
        private final DoubleColumn value = DoubleColumn.create("value");

        void add(NoiseInjection.Mode m, double r, String name, EvalResult res, int[] ks) {
            for (io.seqcl.eval.Metric met : io.seqcl.eval.Metric.values()) {
                for (int k : ks) {
                    mode.append(m.name());
                    ratio.append(r);
                    model.append(name);
                    metric.append(met + "@" + k);
                    value.append(res.value(met + "@" + k));
                }
            }
        }

        Table table(String ds) {
            return Table.create("noise robustness on " + ds, mode, ratio, model, metric, value);
        }
    }

    /**
     * The result of the embedding experiment (Fig. 6).
     *
     * @param points model, item, x, y, count, group (popular = top 20 % of items by training count, else
     *     long tail), one row per sampled item and model
     * @param geometry model, mean_cosine, uniformity, mean_norm, pc1_share, pc2_share
     * @param metrics the models' test metrics
     */
    public record EmbeddingMaps(Table points, Table geometry, RunResult metrics) {
    }

    /**
     * Fig. 6: trains SASRec and Meta-SGCL, maps (a seeded sample of) their item embeddings to 2-D with t-SNE, as
     * the paper, and summarises their geometry ({@link EmbeddingGeometry}).
     *
     * @param ds the dataset
     * @param budget the budget
     * @param seed the seed
     * @param maxItems items to sample for the plot and statistics
     * @param listener progress
     * @return points, geometry and metrics
     */
    public static EmbeddingMaps embeddings(SequenceDataset ds, Budget budget, long seed, int maxItems,
                                           ProgressListener listener) {
        return embeddings(ds, budget, seed, maxItems, io.seqcl.analysis.Map2D.TSNE, listener);
    }

    /**
     * Fig. 6 with a choice of 2-D map: t-SNE as the paper, or PCA. The points carry the item's training count
     * and its popularity band ({@link #popularityBand}); the geometry (mean cosine, uniformity, PCA variance
     * shares) is computed on the full vectors and does not depend on the map.
     *
     * @param ds the dataset
     * @param budget the budget
     * @param seed the seed
     * @param maxItems items to sample for the plot and statistics
     * @param map t-SNE or PCA
     * @param listener progress
     * @return points, geometry and metrics
     */
    public static EmbeddingMaps embeddings(SequenceDataset ds, Budget budget, long seed, int maxItems,
                                           io.seqcl.analysis.Map2D map, ProgressListener listener) {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(ds);
        TrainConfig train = PaperSettings.train(PaperSettings.Paper.METASGCL, budget, seed);
        List<ModelSpec> models = List.of(PaperSettings.model("sasrec", ds, budget),
                PaperSettings.model("metasgcl", ds, budget));
        long[] counts = split.trainItemCounts();
        int[] items = sampleItems(counts, maxItems, seed);
        long threshold = popularThreshold(counts);
        StringColumn pm = StringColumn.create("model");
        IntColumn pi = IntColumn.create("item");
        DoubleColumn px = DoubleColumn.create("x");
        DoubleColumn py = DoubleColumn.create("y");
        DoubleColumn pc = DoubleColumn.create("count");
        StringColumn pg = StringColumn.create("group");
        StringColumn band = StringColumn.create("popularity");
        StringColumn gm = StringColumn.create("model");
        DoubleColumn gcos = DoubleColumn.create("mean_cosine");
        DoubleColumn guni = DoubleColumn.create("uniformity");
        DoubleColumn gnorm = DoubleColumn.create("mean_norm");
        DoubleColumn g1 = DoubleColumn.create("pc1_share");
        DoubleColumn g2 = DoubleColumn.create("pc2_share");
        List<io.seqcl.train.TrainResult> results = new ArrayList<>();
        Provenance prov = Provenance.start(ds, seed);
        for (ModelSpec m : models) {
            prov.put("model." + m.name(), String.valueOf(m.config()));
            try (SequentialRecommender model = m.create(ds.numItems(), seed)) {
                results.add(Runner.fit(model, m.name(), split, train, listener));
                float[][] rows = itemRows(model, items);
                Projection pca = Projection.pca(rows, 2);
                double[][] xy = map == io.seqcl.analysis.Map2D.PCA ? pca.points() : map.project(rows, seed);
                for (int i = 0; i < items.length; i++) {
                    pm.append(m.name());
                    pi.append(items[i]);
                    px.append(xy[i][0]);
                    py.append(xy[i][1]);
                    pc.append(counts[items[i]]);
                    pg.append(counts[items[i]] >= threshold ? "popular (top 20%)" : "long tail");
                    band.append(popularityBand(counts, items[i]));
                }
                EmbeddingGeometry g = EmbeddingGeometry.of(rows);
                gm.append(m.name());
                gcos.append(g.meanCosine());
                guni.append(g.uniformity());
                gnorm.append(g.meanNorm());
                g1.append(pca.explainedVariance()[0]);
                g2.append(pca.explainedVariance()[1]);
            }
        }
        ExperimentSpec spec = new ExperimentSpec("metasgcl-fig6-" + ds.name(), models, train);
        Table points = Table.create("item embeddings (" + map.label() + ")", pm, pi, px, py, pc, pg, band);
        return new EmbeddingMaps(points.sortOn("model", "count").setName(points.name()),
                Table.create("embedding geometry", gm, gcos, guni, gnorm, g1, g2),
                new RunResult(spec, results, prov));
    }

    /** The popularity bands of the 2-D plots, from most to least frequent. */
    public static final List<String> POPULARITY_BANDS = List.of("top 1%", "top 1-10%", "top 10-50%", "bottom 50%");

    /**
     * The popularity band of an item: its mid-rank by training count among the items seen in training (ties share
     * the mean of their ranks), cut at the top 1 %, 10 % and 50 % (the papers colour their maps by item frequency without giving the bands).
     *
     * @param counts training count per item id (index 0 = padding)
     * @param item the item
     * @return one of {@link #POPULARITY_BANDS}
     */
    public static String popularityBand(long[] counts, int item) {
        long c = counts[item];
        long above = 0;
        long ties = 0;
        long seen = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > 0) {
                seen++;
                if (counts[i] > c) {
                    above++;
                } else if (counts[i] == c) {
                    ties++;
                }
            }
        }
        // mid-rank of the tied items, so that the many items seen once fall in the bottom band, not the top 50 %
        double rank = seen == 0 ? 1 : (above + ties / 2.0) / seen;
        return POPULARITY_BANDS.get(rank < 0.01 ? 0 : rank < 0.10 ? 1 : rank < 0.50 ? 2 : 3);
    }

    /**
     * The item-embedding rows of a model (parameter {@code item_embedding}, shared by SASRec-based models).
     *
     * @param model a trained model
     * @param items item ids
     * @return one row per id
     * @throws IllegalArgumentException if the model has no item embedding table
     */
    public static float[][] itemRows(SequentialRecommender model, int[] items) {
        if (!model.params().names().contains(io.seqcl.model.SASRec.ITEM_EMBEDDING)) {
            throw new IllegalArgumentException(model.name() + " has no parameter '"
                    + io.seqcl.model.SASRec.ITEM_EMBEDDING + "'");
        }
        float[] all = model.params().get(io.seqcl.model.SASRec.ITEM_EMBEDDING).toFloatArray();
        int d = (int) model.params().get(io.seqcl.model.SASRec.ITEM_EMBEDDING).getShape().get(1);
        float[][] rows = new float[items.length][d];
        for (int i = 0; i < items.length; i++) {
            System.arraycopy(all, items[i] * d, rows[i], 0, d);
        }
        return rows;
    }

    private static int[] sampleItems(long[] counts, int max, long seed) {
        List<Integer> seen = new ArrayList<>();
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > 0) {
                seen.add(i);
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = seen.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Integer t = seen.get(i);
            seen.set(i, seen.get(j));
            seen.set(j, t);
        }
        int[] out = seen.subList(0, Math.min(max, seen.size())).stream().mapToInt(Integer::intValue).toArray();
        java.util.Arrays.sort(out);
        return out;
    }

    private static long popularThreshold(long[] counts) {
        long[] c = java.util.Arrays.stream(counts, 1, counts.length).filter(v -> v > 0).sorted().toArray();
        return c.length == 0 ? 1 : c[(int) Math.floor(c.length * 0.8)];
    }

    /**
     * The rows of a noise table for one metric, for plotting against the ratio.
     *
     * @param noise a table from {@link #noise}
     * @param metric e.g. "NDCG@10"
     * @return the rows (mode, ratio, model, metric, value) of that metric
     */
    public static Table noiseCurve(Table noise, String metric) {
        Table t = noise.where(noise.stringColumn("metric").isEqualTo(metric));
        return t.setName(metric + " vs noise ratio (" + String.join(", ",
                noise.stringColumn("mode").unique().asList()) + ")");
    }
}
