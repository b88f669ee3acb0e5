package io.seqcl.experiment;

import io.seqcl.data.SequenceDataset;
import io.seqcl.model.MetaSGCLConfig;
import io.seqcl.model.ModelConfig;
import io.seqcl.model.ModelRegistry;
import io.seqcl.model.TransformerModelConfig;
import io.seqcl.model.SASRecConfig;
import io.seqcl.train.TrainConfig;

import java.util.SplittableRandom;

/**
 * The settings of the papers' experiments per dataset and {@link Budget}, in one place, so that every notebook of
 * a paper trains its models the same way.
 *
 * <p>{@link Budget#FULL} follows the specs: Meta-SGCL (metasgcl.md section 1) trains up to 1000 epochs with
 * patience 100 on valid NDCG@10, T = 200 on ML-1M and 50 elsewhere, beta = 0.2 on Toys and 0.3 on Clothing (0.2,
 * our choice, on ML-1M and others); MCLRec's RecBole protocol (mclrec.md section 1) trains up to 100 epochs with
 * patience 10 on valid MRR@10 and T = 50.
 *
 * <p>{@link Budget#QUICK} exists so that every notebook runs in a few minutes on 2 cores in CI and its trained
 * models already beat Pop. It trains on a smaller catalogue: the dataset's {@value #QUICK_ITEMS} most frequent
 * items ({@link SequenceDataset#topItems}; the other items are removed from the sequences, and users left with
 * fewer than {@value #QUICK_MIN_LENGTH} items are dropped), then at most {@value #QUICK_USERS} of its users (all of
 * them on Beauty and Toys), with T = {@value #QUICK_MAX_LEN}, for {@value #QUICK_EPOCHS} epochs of at most
 * {@value #QUICK_MAX_STEPS} batches of {@value #QUICK_BATCH} and Adam's learning rate {@value #QUICK_LEARNING_RATE}
 * (the papers' 1e-3 is meant for thousands of steps, not 160); notebooks with many runs (sweeps, noise levels) use
 * {@value #QUICK_SWEEP_USERS} of those users and {@value #QUICK_SWEEP_EPOCHS} epochs. With 1000 items every item
 * embedding gets dozens of updates in a short run; on the whole catalogue (12,101 items on Beauty) it gets about
 * one, which is why the earlier quick budget (1000 sampled users, all items, 3 epochs) left most models at or
 * below Pop. The smaller catalogue is a different, easier task: quick numbers show that the pipeline works and
 * how the models compare after a short run; they must not be compared with the papers' numbers
 * ({@link Comparison#versusPop} says which model beats Pop). {@code SEQCL_QUICK_USERS} changes the user sample.
 * Measured with {@code io.seqcl.bench.QuickBudgetBench}: notebooks/BUDGETS.md, "Sizing the quick budget".
 */
public final class PaperSettings {

    /** The quick budget keeps this many of the dataset's most frequent items ({@link SequenceDataset#topItems}). */
    public static final int QUICK_ITEMS = 1000;
    /** The quick budget keeps the users with at least this many of its items. */
    public static final int QUICK_MIN_LENGTH = 5;
    /** Users sampled by the quick budget (unless {@code SEQCL_QUICK_USERS} says otherwise). */
    public static final int QUICK_USERS = 5000;
    /** Adam's learning rate at the quick budget (the papers use 1e-3 over many more steps). */
    public static final double QUICK_LEARNING_RATE = 3e-3;
    /** Maximum sequence length T of the quick budget. */
    public static final int QUICK_MAX_LEN = 20;
    /** Epochs of the quick budget. */
    public static final int QUICK_EPOCHS = 8;
    /** Batch size of the quick budget. */
    public static final int QUICK_BATCH = 128;
    /** At most this many batches per epoch at the quick budget (prefix-sample models have many more). */
    public static final int QUICK_MAX_STEPS = 20;
    /** S3-Rec's MIP pre-training at the quick budget: at most this many of its batches per epoch. */
    public static final int QUICK_PRETRAIN_MAX_STEPS = 20;

    /**
     * How many times the quick budget's epochs a slow starter trains: DuoRec with its supervised contrastive term
     * (us_x, lambdaSem above 0; notebooks/BUDGETS.md, 3 Dec 2026: the term holds it at Pop's level for the quick
     * budget's 160 steps on Toys and Beauty, and with it off DuoRec gives SASRec's numbers exactly).
     */
    public static final int QUICK_SLOW_START_FACTOR = 4;

    /** Users sampled by the quick budget for sweeps (many runs per notebook). */
    public static final int QUICK_SWEEP_USERS = 2000;
    /** Epochs of the quick budget for sweeps. */
    public static final int QUICK_SWEEP_EPOCHS = 5;

    /** The paper whose protocol a notebook follows ({@link PaperProtocol#of} holds the values). */
    public enum Paper {
        /** Meta-SGCL: history NEG_INF (our choice), patience 100 epochs, valid NDCG@10 (ties: HR@10), at most 1000. */
        METASGCL,
        /** MCLRec (RecBole): history NONE, patience 10 (stop at the 11th), valid MRR@10, at most 100 epochs. */
        MCLREC,
        /** ContrastVAE: history ZERO, patience 200, at most 400 epochs. */
        CONTRASTVAE,
        /** The CoSeRec family of MCLRec's Table 3 (CoSeRec, ICLRec, SRMA): history ZERO as in ContrastVAE's code. */
        COSEREC,
        /** AdvInfoNCE (collaborative filtering): its own candidate rule, valid Recall@20 every 5 epochs. */
        ADVINFONCE;

        /** @return the paper's protocol */
        public PaperProtocol protocol() {
            return PaperProtocol.of(this);
        }

        /**
         * Parses a paper name as written in experiment files and on the command line (case-insensitive).
         *
         * @param text e.g. "mclrec"
         * @return the paper
         * @throws IllegalArgumentException listing the known names
         */
        @com.fasterxml.jackson.annotation.JsonCreator
        public static Paper parse(String text) {
            for (Paper p : values()) {
                if (p.name().equalsIgnoreCase(text == null ? "" : text.trim().replace("-", ""))) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown protocol '" + text + "': expected one of "
                    + java.util.Arrays.stream(values()).map(v -> v.name().toLowerCase(java.util.Locale.ROOT)).toList());
        }
    }

    private PaperSettings() {
    }

    /**
     * The paper whose protocol a set of models is evaluated under when none is named: MCLRec's if they include a
     * model of MCLRec's RecBole table (mclrec, duorec, cl4srec) and none of Meta-SGCL's own (metasgcl,
     * contrastvae); ContrastVAE's if contrastvae is the only paper model; Meta-SGCL's otherwise (SASRec and Pop
     * alone included, as before).
     *
     * @param modelKeys registry keys
     * @return the paper
     */
    public static Paper defaultPaper(java.util.Collection<String> modelKeys) {
        java.util.Set<String> k = new java.util.HashSet<>();
        modelKeys.forEach(m -> k.add(m.toLowerCase(java.util.Locale.ROOT)));
        boolean recbole = k.contains("mclrec") || k.contains("duorec") || k.contains("cl4srec");
        if (recbole && !k.contains("metasgcl") && !k.contains("contrastvae")) {
            return Paper.MCLREC;
        }
        if (k.contains("contrastvae") && !k.contains("metasgcl") && !recbole) {
            return Paper.CONTRASTVAE;
        }
        return Paper.METASGCL;
    }

    /**
     * The data a budget trains and evaluates on: the whole dataset at the full budget; at the quick budget the
     * dataset cut to its {@value #QUICK_ITEMS} most frequent items ({@link SequenceDataset#topItems}, users with
     * fewer than {@value #QUICK_MIN_LENGTH} of them dropped, items renumbered), then a seeded sample of its users.
     *
     * @param ds the dataset
     * @param budget the budget
     * @param seed the sampling seed
     * @return the dataset to use
     */
    public static SequenceDataset data(SequenceDataset ds, Budget budget, long seed) {
        return data(ds, budget, seed, quickUsers());
    }

    /**
     * Like {@link #data(SequenceDataset, Budget, long)} with an explicit quick sample size.
     *
     * @param ds the dataset
     * @param budget the budget
     * @param seed the sampling seed
     * @param n users to sample at the quick budget
     * @return the dataset to use
     */
    public static SequenceDataset data(SequenceDataset ds, Budget budget, long seed, int n) {
        if (budget == Budget.FULL) {
            return ds;
        }
        SequenceDataset dense = ds.topItems(ds.name(), QUICK_ITEMS, QUICK_MIN_LENGTH);
        int[] idx = new int[dense.numUsers()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        int m = Math.min(n, idx.length);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] users = java.util.Arrays.copyOf(idx, m);
        java.util.Arrays.sort(users);
        return dense.subset(ds.name() + " (quick: " + dense.numItems() + " most frequent items, " + m + " users)",
                users);
    }

    /** @return the quick budget's user sample size */
    public static int quickUsers() {
        String v = io.seqcl.Settings.get(io.seqcl.Settings.Variable.SEQCL_QUICK_USERS).orElse(null);
        if (v == null || v.isBlank()) {
            return QUICK_USERS;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 10) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SEQCL_QUICK_USERS must be an integer >= 10, got '" + v + "'");
        }
    }

    /**
     * The training settings of a paper's protocol: its history mode, monitor and tie break, cut-offs (the paper's
     * with seqcl's 5, 10, 20, so that every table has the usual columns), and at the full budget its patience and
     * maximum epochs.
     *
     * @param paper whose protocol
     * @param budget the budget
     * @param seed the seed
     * @return the settings
     */
    public static TrainConfig train(Paper paper, Budget budget, long seed) {
        return train(paper.protocol(), budget, seed);
    }

    /**
     * The training settings of a protocol (see {@link #train(Paper, Budget, long)}).
     *
     * @param protocol the protocol (a sequential one)
     * @param budget the budget
     * @param seed the seed
     * @return the settings
     * @throws IllegalArgumentException for the CF protocol of AdvInfoNCE (see {@code io.seqcl.cf.CfConfig})
     */
    public static TrainConfig train(PaperProtocol protocol, Budget budget, long seed) {
        if (!protocol.sequential()) {
            throw new IllegalArgumentException("protocol " + protocol.paper() + " is for collaborative filtering "
                    + "(io.seqcl.cf), not for sequential models");
        }
        java.util.TreeSet<Integer> ks = new java.util.TreeSet<>(protocol.ks());
        for (int k : io.seqcl.eval.RankingEvaluator.DEFAULT_KS) {
            ks.add(k);
        }
        TrainConfig base = TrainConfig.defaults().withSeed(seed).withHistory(protocol.history())
                .withMonitor(protocol.monitor()).withTieBreak(protocol.tieBreakKey())
                .withKs(ks.stream().mapToInt(Integer::intValue).toArray());
        if (budget == Budget.QUICK) {
            return quick(base);
        }
        return base.withEpochs(protocol.maxEpochs()).withPatience(protocol.patience());
    }

    /**
     * T of a protocol for a dataset: the protocol's (e.g. 200 on ML-1M for Meta-SGCL, 50 for MCLRec) at the full
     * budget, {@value #QUICK_MAX_LEN} at the quick budget.
     *
     * @param protocol the protocol
     * @param ds the dataset
     * @param budget the budget
     * @return T
     */
    public static int maxLen(PaperProtocol protocol, SequenceDataset ds, Budget budget) {
        return budget == Budget.QUICK ? QUICK_MAX_LEN : protocol.maxLenFor(ds.key());
    }

    /**
     * The training settings of the CoSeRec-family protocol (baselines.md §1.2; {@link TrainConfig#coserecFamily()}:
     * valid NDCG@20, patience 40, at most 300 epochs, history scores 0), under which ICLRec's released checkpoints
     * give exactly MCLRec Table 3's ICLRec column; at the quick budget the same caps as {@link #train}.
     *
     * @param budget the budget
     * @param seed the seed (the family's code uses 1)
     * @return the settings
     */
    public static TrainConfig coserecFamilyTrain(Budget budget, long seed) {
        TrainConfig base = TrainConfig.coserecFamily().withSeed(seed);
        if (budget == Budget.QUICK) {
            return quick(base);
        }
        return base;
    }

    /** The quick budget's caps on a configuration: epochs, batch size and batches per epoch. */
    private static TrainConfig quick(TrainConfig base) {
        return base.withEpochs(QUICK_EPOCHS).withPatience(QUICK_EPOCHS).withBatchSize(QUICK_BATCH)
                .withMaxStepsPerEpoch(QUICK_MAX_STEPS).withLearningRate(QUICK_LEARNING_RATE);
    }

    /**
     * A configuration with another batch size that, at the quick budget, keeps the samples per epoch of
     * {@link #QUICK_MAX_STEPS} batches of {@link #QUICK_BATCH} (so that a batch-size sweep compares equal data,
     * not equal steps); at the full budget only the batch size changes.
     *
     * @param t the settings
     * @param batch the batch size
     * @param budget the budget
     * @return the settings
     */
    public static TrainConfig withBatch(TrainConfig t, int batch, Budget budget) {
        TrainConfig out = t.withBatchSize(batch);
        if (budget == Budget.QUICK) {
            out = out.withMaxStepsPerEpoch(Math.max(1, QUICK_MAX_STEPS * QUICK_BATCH / batch));
        }
        return out;
    }

    /**
     * The training settings of a model under a paper's protocol: {@link #coserecFamilyTrain} for a CoSeRec-family
     * configuration with preset {@link io.seqcl.model.BaselinePreset#PAPER_TABLE} (the lineage that produced
     * MCLRec Table 3's CoSeRec/ICLRec numbers), {@link #train} otherwise.
     *
     * @param config the model's configuration
     * @param paper whose protocol
     * @param budget the budget
     * @param seed the seed
     * @return the settings
     */
    public static TrainConfig trainFor(ModelConfig config, Paper paper, Budget budget, long seed) {
        if (config instanceof io.seqcl.model.CoSeRecFamilyConfig<?> f
                && f.preset() == io.seqcl.model.BaselinePreset.PAPER_TABLE) {
            return coserecFamilyTrain(budget, seed);
        }
        return train(paper, budget, seed);
    }

    /**
     * The training settings for notebooks that train many models (sweeps, noise levels): at the quick budget
     * {@value #QUICK_SWEEP_EPOCHS} epochs; at the full budget the same as {@link #train}.
     *
     * @param paper whose protocol
     * @param budget the budget
     * @param seed the seed
     * @return the settings
     */
    public static TrainConfig sweepTrain(Paper paper, Budget budget, long seed) {
        TrainConfig t = train(paper, budget, seed);
        return budget == Budget.QUICK ? t.withEpochs(QUICK_SWEEP_EPOCHS).withPatience(QUICK_SWEEP_EPOCHS) : t;
    }

    /**
     * The data for notebooks that train many models: at the quick budget a sample of
     * {@value #QUICK_SWEEP_USERS} users (or half of {@code SEQCL_QUICK_USERS}) of the {@link #data} cut.
     *
     * @param ds the dataset
     * @param budget the budget
     * @param seed the sampling seed
     * @return the dataset to use
     */
    public static SequenceDataset sweepData(SequenceDataset ds, Budget budget, long seed) {
        String v = io.seqcl.Settings.get(io.seqcl.Settings.Variable.SEQCL_QUICK_USERS).orElse(null);
        return data(ds, budget, seed, v == null || v.isBlank() ? QUICK_SWEEP_USERS : Math.max(10, quickUsers() / 2));
    }

    /**
     * The datasets a notebook runs: the comma-separated list in {@code SEQCL_DATASETS} if set; otherwise all of
     * the paper's datasets at the full budget and only {@code quickDefault} at the quick budget.
     *
     * @param paperDatasets the paper's datasets, e.g. clothing, toys, ml-1m
     * @param quickDefault the one dataset of the quick budget (the paper's dataset with the fewest items)
     * @param budget the budget
     * @return registry names
     */
    public static java.util.List<String> datasets(java.util.List<String> paperDatasets, String quickDefault,
                                                  Budget budget) {
        String v = io.seqcl.Settings.get(io.seqcl.Settings.Variable.SEQCL_DATASETS).orElse(null);
        if (v != null && !v.isBlank()) {
            return java.util.Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        }
        return budget == Budget.FULL ? paperDatasets : java.util.List.of(quickDefault);
    }

    /**
     * Loads a benchmark dataset if its files are in the data directory ({@code SEQCL_DATA}), otherwise the
     * built-in synthetic dataset (so that notebooks run on a fresh clone), and applies the budget's cut and user
     * sample ({@link #data}).
     *
     * @param name registry name, e.g. "toys"
     * @param budget the budget
     * @param seed the sampling seed
     * @param sweep whether to use the smaller sweep sample ({@link #sweepData})
     * @return the dataset
     * @throws io.seqcl.data.DataFormatException if {@code SEQCL_DATA} names a directory that does not exist
     */
    public static SequenceDataset load(String name, Budget budget, long seed, boolean sweep) {
        SequenceDataset ds;
        if (!name.equalsIgnoreCase("synthetic")) {
            io.seqcl.data.Datasets.requireConfiguredDataDir(); // a mistyped SEQCL_DATA never falls back silently
        }
        if (name.equalsIgnoreCase("synthetic") || !io.seqcl.data.Datasets.isAvailable(name)) {
            if (!name.equalsIgnoreCase("synthetic")) {
                System.out.println("dataset '" + name + "' is not in " + io.seqcl.data.Datasets.dataDir()
                        + " (see data/README.md); using the synthetic dataset instead");
            }
            ds = io.seqcl.data.SyntheticDataset.defaultDataset();
        } else {
            ds = io.seqcl.data.Datasets.load(name);
        }
        return sweep ? sweepData(ds, budget, seed) : data(ds, budget, seed);
    }

    /**
     * The maximum sequence length: 200 for ML-1M and 50 otherwise at the full budget; {@value #QUICK_MAX_LEN} at
     * the quick budget.
     *
     * @param ds the dataset
     * @param budget the budget
     * @return T
     */
    public static int maxLen(SequenceDataset ds, Budget budget) {
        if (budget == Budget.QUICK) {
            return QUICK_MAX_LEN;
        }
        return isMl1m(ds) ? 200 : 50;
    }

    /**
     * SASRec at a budget: RecBole defaults with the budget's T.
     *
     * @param ds the dataset
     * @param budget the budget
     * @return the configuration
     */
    public static SASRecConfig sasrec(SequenceDataset ds, Budget budget) {
        return (SASRecConfig) config("sasrec", ds, budget);
    }

    /**
     * Meta-SGCL at a budget: metasgcl.md defaults with the dataset's preset (beta 0.2 Toys, 0.3 Clothing; the
     * defaults' 0.2, our choice, elsewhere; on Toys, Clothing and ML-1M the KL on ContrastVAE's scale,
     * {@code klOverSlots}) and the budget's T.
     *
     * @param ds the dataset
     * @param budget the budget
     * @return the configuration
     */
    public static MetaSGCLConfig metaSGCL(SequenceDataset ds, Budget budget) {
        return (MetaSGCLConfig) config("metasgcl", ds, budget);
    }

    /**
     * A registered model's configuration for a dataset: the registry's defaults with the preset for the dataset's
     * benchmark key ({@link SequenceDataset#key()}) and, for Transformer models, the budget's T.
     *
     * @param modelKey registry key (see {@link ModelRegistry#names()})
     * @param ds the dataset
     * @param budget the budget
     * @return the configuration
     */
    public static ModelConfig config(String modelKey, SequenceDataset ds, Budget budget) {
        return atBudget(config(modelKey, ds.key(), maxLen(ds, budget)), budget);
    }

    /**
     * What a budget changes in a model's configuration besides T: at the quick budget, S3-Rec's MIP pre-training
     * (run by the model before the trainer's epochs) is cut to {@value #QUICK_EPOCHS} epochs of at most
     * {@value #QUICK_PRETRAIN_MAX_STEPS} of its batches; at the full budget nothing changes.
     *
     * @param c a configuration
     * @param budget the budget
     * @return the configuration for the budget
     */
    public static ModelConfig atBudget(ModelConfig c, Budget budget) {
        if (budget == Budget.QUICK && c instanceof io.seqcl.model.S3RecConfig s) {
            return s.withShortPretraining(QUICK_EPOCHS, QUICK_PRETRAIN_MAX_STEPS);
        }
        return c;
    }

    /**
     * A registered model's configuration: defaults, the preset of a benchmark key, and a maximum length T for
     * Transformer models.
     *
     * @param modelKey registry key
     * @param datasetKey benchmark key, e.g. "beauty" (null: no preset)
     * @param maxLen T for models with an encoder
     * @return the configuration
     */
    public static ModelConfig config(String modelKey, String datasetKey, int maxLen) {
        ModelConfig c = ModelRegistry.get(modelKey).presetFor(datasetKey);
        if (c instanceof io.seqcl.model.MaxLenConfig<?> r) {
            return r.withMaxLen(maxLen);
        }
        return c instanceof TransformerModelConfig<?> t ? t.withMaxLen(maxLen) : c;
    }

    /**
     * A registered model with its per-dataset preset and the budget's T, named as the registry names it.
     *
     * @param name registry key (see {@link ModelRegistry#names()})
     * @param ds the dataset
     * @param budget the budget
     * @return the spec
     */
    public static ModelSpec model(String name, SequenceDataset ds, Budget budget) {
        return spec(config(name, ds, budget), budget);
    }

    /**
     * A model at a budget, named by the registry: at the quick budget with its {@link #quickEpochFactor}.
     *
     * @param config the configuration
     * @param budget the budget
     * @return the spec
     */
    public static ModelSpec spec(ModelConfig config, Budget budget) {
        return atBudget(ModelSpec.of(config), budget);
    }

    /**
     * A model spec at a budget: at the quick budget with its {@link #quickEpochFactor} (unless it has a factor
     * already), at the full budget unchanged.
     *
     * @param m the spec
     * @param budget the budget
     * @return the spec to run
     */
    public static ModelSpec atBudget(ModelSpec m, Budget budget) {
        return budget == Budget.QUICK && m.epochFactor() == 1 ? m.withEpochFactor(quickEpochFactor(m.config())) : m;
    }

    /**
     * One line on what a budget trains, for the top of a notebook.
     *
     * @param budget the budget
     * @param sweep whether the notebook trains many models (the quick budget's sweep sample and epochs)
     * @return e.g. "quick: the 1000 most frequent items, ... 8 epochs of at most 20 batches of 128 ..."
     */
    public static String describe(Budget budget, boolean sweep) {
        if (budget == Budget.FULL) {
            return "full: the papers' data and settings (PaperSettings), each paper's protocol";
        }
        int epochs = sweep ? QUICK_SWEEP_EPOCHS : QUICK_EPOCHS;
        return "quick: the " + QUICK_ITEMS + " most frequent items, " + (sweep ? QUICK_SWEEP_USERS + " of the" : "up to "
                + QUICK_USERS) + " users with at least " + QUICK_MIN_LENGTH + " of them, T " + QUICK_MAX_LEN + ", "
                + epochs + " epochs of at most " + QUICK_MAX_STEPS + " batches of " + QUICK_BATCH + ", learning rate "
                + QUICK_LEARNING_RATE + "; DuoRec " + epochs * QUICK_SLOW_START_FACTOR + " epochs (its supervised "
                + "contrastive term holds it at Pop's level for its first few hundred steps); numbers not comparable "
                + "with the paper's, nor DuoRec's with the other models'";
    }

    /**
     * How many times the quick budget's epochs (and patience) a model trains: {@value #QUICK_SLOW_START_FACTOR} for
     * DuoRec with its supervised contrastive term, whose first few hundred steps stay at Pop's level (its code's
     * dot-product NT-Xent at temperature 1); 1 for every other model. Quick numbers are not comparable with the
     * papers', and this makes them not comparable between DuoRec and the other models either: it exists so that
     * every trained model of a quick notebook has learnt something.
     *
     * @param config a model configuration
     * @return the factor
     */
    public static int quickEpochFactor(ModelConfig config) {
        return config instanceof io.seqcl.model.DuoRecConfig d && d.supervised() ? QUICK_SLOW_START_FACTOR : 1;
    }

    private static boolean isMl1m(SequenceDataset ds) {
        return "ml-1m".equals(ds.key());
    }
}
