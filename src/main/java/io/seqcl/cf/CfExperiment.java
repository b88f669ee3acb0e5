package io.seqcl.cf;

import io.seqcl.data.SequenceDataset;
import io.seqcl.experiment.Budget;
import io.seqcl.experiment.Provenance;
import io.seqcl.train.ProgressListener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs a CF comparison in one call: each {@link CfModelSpec} is configured for the dataset and budget, trained
 * with {@link CfTrainer} (or ranked by popularity), evaluated on valid and every test split, and for AdvInfoNCE
 * models the learned hardness of later-interacted (test) items is compared with the rest.
 *
 * <p>AdvInfoNCE: Zhang et al., NeurIPS'23 (../shared/papers/004_d175cd9068ec927a.txt), settings
 * advinfonce.md §7. Budgets: {@link Budget#FULL} = the README commands (2000 epochs, validation every 5,
 * patience 10). {@link Budget#QUICK} keeps the README hyperparameters but shortens training (see
 * {@link #configFor}); its numbers are not converged.
 */
public final class CfExperiment {

    /** Test users sampled for the hardness analysis. */
    public static final int HARDNESS_USERS = 300;
    /** Non-positive candidate items sampled per user for the hardness analysis. */
    public static final int HARDNESS_OTHERS = 20;

    /** The models' Adam learning rate at the quick budget (the README's is 1e-3 on Coat, 5e-4 on Yahoo!R3). */
    public static final double QUICK_LEARNING_RATE = 1e-2;

    private CfExperiment() {
    }

    /**
     * The configuration a spec gets for a dataset and budget (before {@link CfModelSpec#tweak()}).
     *
     * <p>QUICK keeps the README hyperparameters including the adversarial schedule (τ, N, k, the adversary's
     * learning rate, T_adv, E_adv) and changes the length of training and the model's learning rate: batches of
     * 256 instead of 1024 (more updates per second), learning rate {@value #QUICK_LEARNING_RATE} instead of the
     * README's 1e-3 (Coat) or 5e-4 (Yahoo!R3), and short runs — Coat 40 epochs (5 batches each, adversarial
     * phases at epochs 13 and 28), Yahoo!R3 20 epochs of at most 40 batches, other datasets 10 epochs of at most
     * 20 batches; validation every 5 epochs and after the last. Patience is never reached. At the README's
     * learning rate MF stays at Pop's level for about 65 full-batch epochs on Coat (the recorded full-budget
     * curves), so a short run at that rate left MF at or below Pop (Yahoo!R3 Recall@20 0.081 against Pop's
     * 0.095); at 1e-2 MF+InfoNCE reaches 0.272 on Coat (Pop 0.156) and 0.119 on Yahoo!R3 (seed 101, the CI run of
     * 1 Dec 2026; notebooks/BUDGETS.md).
     *
     * @param dataset the dataset
     * @param spec the model
     * @param budget the budget
     * @return the configuration
     */
    public static CfConfig configFor(CfDataset dataset, CfModelSpec spec, Budget budget) {
        CfConfig c = CfConfig.paper(dataset.name(), spec.backbone(), spec.loss());
        if (budget == Budget.QUICK) {
            String n = dataset.name();
            if (n.startsWith("coat")) {
                c = c.withBatchSize(256).withSchedule(40, 5, 100, 0);
            } else if (n.startsWith("yahoo")) {
                c = c.withBatchSize(256).withSchedule(20, 5, 100, 40);
            } else {
                c = c.withBatchSize(256).withSchedule(10, 5, 100, 20);
            }
            c = c.withLearningRate(QUICK_LEARNING_RATE);
        }
        return spec.tweak().apply(c);
    }

    /**
     * The settings each model gets on each dataset under a budget, one row per (dataset, model).
     *
     * @param datasets the datasets
     * @param specs the models
     * @param budget the budget
     * @return dataset, model, τ, lr, batch, N, k, adv lr, T_adv, E_adv, epochs, steps/epoch cap
     */
    public static tech.tablesaw.api.Table settings(java.util.Collection<CfDataset> datasets, List<CfModelSpec> specs,
                                                   Budget budget) {
        var ds = tech.tablesaw.api.StringColumn.create("dataset");
        var model = tech.tablesaw.api.StringColumn.create("model");
        String[] names = {"tau", "lr", "batch", "N", "k", "adv_lr", "T_adv", "E_adv", "layers", "epochs",
            "max_steps_per_epoch"};
        var t = tech.tablesaw.api.Table.create("settings (" + budget + ")", ds, model);
        for (String n : names) {
            t.addColumns(tech.tablesaw.api.DoubleColumn.create(n));
        }
        for (CfDataset d : datasets) {
            for (CfModelSpec s : specs) {
                if (s.pop()) {
                    continue;
                }
                CfConfig c = configFor(d, s, budget);
                boolean adv = c.loss() == CfConfig.Loss.ADV_INFONCE;
                ds.append(d.name());
                model.append(s.name());
                double[] v = {c.temperature(), c.learningRate(), c.batchSize(), c.negatives(),
                    c.loss() == CfConfig.Loss.INFONCE ? 1 : c.kNeg(), adv ? c.advLearningRate() : Double.NaN,
                    adv ? c.advInterval() : Double.NaN, adv ? c.etaEpochs() : Double.NaN, c.effectiveLayers(),
                    c.epochs(), c.maxStepsPerEpoch()};
                for (int i = 0; i < names.length; i++) {
                    t.doubleColumn(names[i]).append(v[i]);
                }
            }
        }
        return t;
    }

    /**
     * Runs the models.
     *
     * @param dataset the dataset
     * @param specs the models, in display order
     * @param budget QUICK or FULL
     * @param seed seed of initialisation and sampling (the same for every model)
     * @param listener progress callbacks
     * @return tables and provenance
     */
    public static CfResult run(CfDataset dataset, List<CfModelSpec> specs, Budget budget, long seed,
                               ProgressListener listener) {
        return run(dataset, specs, budget, seed, listener, false);
    }

    /** Suffix of the test splits evaluated without the test positives that are training items. */
    public static final String NO_TRAIN_OVERLAP = "-no-train-overlap";

    /**
     * Runs the models, optionally also evaluating every test split under the protocol option that removes test
     * positives which are training items ({@link CfDataset#withoutTrainingItemsInTests()}); those results are
     * stored under the split name plus {@value #NO_TRAIN_OVERLAP} (e.g. "test_id-no-train-overlap"), beside the
     * authors' protocol. Training is the same in both: only the evaluation differs.
     *
     * @param dataset the dataset
     * @param specs the models, in display order
     * @param budget QUICK or FULL
     * @param seed seed of initialisation and sampling (the same for every model)
     * @param listener progress callbacks
     * @param alsoWithoutTrainingItems whether to add the evaluation without training items in the tests
     * @return tables and provenance
     */
    public static CfResult run(CfDataset dataset, List<CfModelSpec> specs, Budget budget, long seed,
                               ProgressListener listener, boolean alsoWithoutTrainingItems) {
        return run(dataset, specs, budget, seed, listener, alsoWithoutTrainingItems, null);
    }

    /**
     * Runs the models as {@link #run(CfDataset, List, Budget, long, ProgressListener, boolean)} does, each trained
     * model checkpointing to {@code checkpoints/<model>.ckpt} and resuming from it ({@link CfTrainer#withCheckpoint});
     * a model whose checkpoint holds a finished training is restored without training.
     *
     * @param dataset the dataset
     * @param specs the models, in display order
     * @param budget QUICK or FULL
     * @param seed seed of initialisation and sampling (the same for every model)
     * @param listener progress callbacks
     * @param alsoWithoutTrainingItems whether to add the evaluation without training items in the tests
     * @param checkpoints directory of the checkpoints (null: none)
     * @return tables and provenance
     */
    public static CfResult run(CfDataset dataset, List<CfModelSpec> specs, Budget budget, long seed,
                               ProgressListener listener, boolean alsoWithoutTrainingItems, java.nio.file.Path checkpoints) {
        CfDataset filtered = alsoWithoutTrainingItems ? dataset.withoutTrainingItemsInTests() : null;
        long t0 = System.nanoTime();
        Provenance prov = provenance(dataset, seed);
        prov.put("budget", budget.toString());
        List<CfResult.Run> runs = new ArrayList<>();
        java.time.Instant firstStart = null;
        for (CfModelSpec spec : specs) {
            String run = dataset.name() + " " + spec.name();
            if (spec.pop()) {
                long ts = System.nanoTime();
                listener.onRunStart(run, 0, 0);
                CfEvaluator.Scorer s = CfEvaluator.popularity(dataset);
                Map<String, CfEvaluator.PerUser> pu = evaluateAll(dataset, 20, s);
                if (filtered != null) {
                    addFiltered(pu, filtered, 20, CfEvaluator.popularity(filtered));
                }
                listener.onRunEnd(run, "popularity ranking");
                runs.add(new CfResult.Run(spec, null, null, means(pu), List.of(), (System.nanoTime() - ts) / 1e9,
                        pu));
                prov.put("config." + spec.name(), "Pop (training counts, ties by item id)");
                continue;
            }
            CfConfig c = configFor(dataset, spec, budget);
            prov.put("config." + spec.name(), c.toString());
            try (CfModel model = new CfModel(c, dataset, seed)) {
                CfTrainer trainer = new CfTrainer(model, dataset, seed + 1).withCheckpoint(checkpoints == null ? null
                        : checkpoints.resolve(checkpointName(spec)));
                CfTrainer.Result r = trainer.fit(run, listener);
                float[] emb = model.rankingEmbeddings();
                CfEvaluator.Scorer scorer = CfEvaluator.dot(emb, model.numUsers(), model.numItems(), c.dim());
                Map<String, CfEvaluator.PerUser> pu = evaluateAll(dataset, c.topK(), scorer);
                if (filtered != null) {
                    addFiltered(pu, filtered, c.topK(), scorer);
                }
                List<CfResult.HardnessRow> h = model.hasHardness() ? hardness(model, dataset, seed)
                        : List.of();
                runs.add(new CfResult.Run(spec, c, r, means(pu), h, r.seconds(), pu));
                // a resumed run began when its first epoch did, possibly sittings ago
                if (!r.curve().isEmpty()) {
                    firstStart = Provenance.earlier(firstStart,
                            Provenance.epochStart(r.curve().get(0).ended(), r.curve().get(0).seconds()));
                    prov.startedAt(firstStart);
                }
            }
        }
        prov.put("wall.seconds", String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
        return new CfResult(dataset, List.copyOf(runs), prov);
    }

    /**
     * The checkpoint file name of a model: its name with every character other than a letter, digit, '+', '-' or
     * '.' replaced ("LightGCN+InfoNCE×k" becomes "LightGCN+InfoNCE_k.ckpt").
     *
     * @param spec the model
     * @return the file name
     */
    public static String checkpointName(CfModelSpec spec) {
        return spec.name().replaceAll("[^A-Za-z0-9+.-]", "_") + ".ckpt";
    }

    private static void addFiltered(Map<String, CfEvaluator.PerUser> out, CfDataset filtered, int k,
                                    CfEvaluator.Scorer s) {
        for (String split : filtered.testSplits()) {
            out.put(split + NO_TRAIN_OVERLAP, CfEvaluator.evaluatePerUser(filtered, split, k, s));
        }
    }

    private static Map<String, CfEvaluator.PerUser> evaluateAll(CfDataset d, int k, CfEvaluator.Scorer s) {
        Map<String, CfEvaluator.PerUser> out = new LinkedHashMap<>();
        for (String split : d.splitNames()) {
            out.put(split, CfEvaluator.evaluatePerUser(d, split, k, s));
        }
        return out;
    }

    private static Map<String, Map<CfEvaluator.Metric, Double>> means(Map<String, CfEvaluator.PerUser> pu) {
        Map<String, Map<CfEvaluator.Metric, Double>> out = new LinkedHashMap<>();
        pu.forEach((split, v) -> out.put(split, v.means()));
        return out;
    }

    /**
     * Learned hardness δ_uj = ln(|C_u| p_uj), p_u = softmax of the hardness logits over the user's candidate
     * items C_u (all items not in train), for up to {@value #HARDNESS_USERS} test users: every test positive
     * ("later positive") and up to {@value #HARDNESS_OTHERS} sampled items that are in no held-out split
     * ("other"). δ = 0 is the uniform weight; the AdvInfoNCE weight of a sampled negative is k·e^δ.
     *
     * @param model a trained AdvInfoNCE model
     * @param d its dataset
     * @param seed sampling seed
     * @return the rows
     */
    public static List<CfResult.HardnessRow> hardness(CfModel model, CfDataset d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<Integer> users = new ArrayList<>();
        for (int u = 0; u < d.numUsers(); u++) {
            boolean any = false;
            for (String t : d.testSplits()) {
                any |= d.split(t, u).length > 0;
            }
            if (any && d.train(u).length > 0) {
                users.add(u);
            }
        }
        for (int i = users.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Integer t = users.get(i);
            users.set(i, users.get(j));
            users.set(j, t);
        }
        List<CfResult.HardnessRow> rows = new ArrayList<>();
        int ni = d.numItems();
        for (int u : users.subList(0, Math.min(HARDNESS_USERS, users.size()))) {
            float[] h = model.hardnessRow(u);
            byte[] kind = new byte[ni]; // 0 other candidate, 1 train, 2 later positive, 3 valid only
            for (int i : d.train(u)) {
                kind[i] = 1;
            }
            for (int i : d.split(CfDataset.VALID, u)) {
                if (kind[i] == 0) {
                    kind[i] = 3;
                }
            }
            for (String t : d.testSplits()) {
                for (int i : d.split(t, u)) {
                    if (kind[i] != 1) {
                        kind[i] = 2;
                    }
                }
            }
            double max = Double.NEGATIVE_INFINITY;
            int nc = 0;
            for (int i = 0; i < ni; i++) {
                if (kind[i] != 1) {
                    max = Math.max(max, h[i]);
                    nc++;
                }
            }
            double z = 0;
            for (int i = 0; i < ni; i++) {
                if (kind[i] != 1) {
                    z += Math.exp(h[i] - max);
                }
            }
            double lse = max + Math.log(z);
            int[] others = java.util.stream.IntStream.range(0, ni).filter(i -> kind[i] == 0).toArray();
            for (int i = 0; i < ni; i++) {
                if (kind[i] == 2) {
                    rows.add(new CfResult.HardnessRow(u, i, true, Math.log(nc) + h[i] - lse));
                }
            }
            int take = Math.min(HARDNESS_OTHERS, others.length);
            for (int k = 0; k < take; k++) {
                int j = k + rng.nextInt(others.length - k);
                int t = others[k];
                others[k] = others[j];
                others[j] = t;
                rows.add(new CfResult.HardnessRow(u, others[k], false, Math.log(nc) + h[others[k]] - lse));
            }
        }
        return List.copyOf(rows);
    }

    /**
     * Provenance of a CF dataset run (versions, hardware, seed, per-file checksums and counts).
     *
     * @param d the dataset
     * @param seed the seed
     * @return the record
     */
    public static Provenance provenance(CfDataset d, long seed) {
        List<Integer> ids = new ArrayList<>();
        List<int[]> seqs = new ArrayList<>();
        for (int u = 0; u < d.numUsers(); u++) {
            if (d.train(u).length > 0) {
                ids.add(u);
                seqs.add(Arrays.stream(d.train(u)).map(i -> i + 1).toArray());
            }
        }
        SequenceDataset view = new SequenceDataset(d.name(), ids.stream().mapToInt(Integer::intValue).toArray(),
                seqs.toArray(new int[0][]), d.numItems(), d.source(), null);
        Provenance p = Provenance.start(view, seed);
        p.put("dataset.sha256", d.sha256().isEmpty() ? "(generated)" : d.sha256().toString());
        StringBuilder counts = new StringBuilder(d.numUsers() + " users / " + d.numItems() + " items / train "
                + d.numTrain());
        for (String s : d.splitNames()) {
            counts.append(" / ").append(s).append(' ').append(d.numUsersIn(s)).append(" users ")
                    .append(d.numPairs(s)).append(" pairs");
        }
        p.put("dataset.counts", counts.toString());
        p.put("protocol", "full ranking top-20; valid excludes train; test excludes train+valid+other tests "
                + "minus own positives; ties by item id");
        return p;
    }
}
