package io.seqcl.experiment;

import io.seqcl.model.ModelRegistry;
import io.seqcl.data.SequenceDataset;
import io.seqcl.model.ContrastVAE;
import io.seqcl.model.ContrastVAEConfig;
import io.seqcl.analysis.LatentDiagnostics;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.train.ProgressListener;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.TrainResult;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ContrastVAE experiments for the notebooks in {@code notebooks/contrastvae/} (Wang et al., CIKM'22; notes in
 * ../shared/papers/003_35e0abd0e5b770ab.txt): ContrastVAE against SASRec and Meta-SGCL, and posterior collapse
 * made visible with {@link LatentDiagnostics} per epoch, with and without the contrastive term.
 */
public final class ContrastVAEExperiments {

    /** The datasets of the comparison. */
    public static final List<String> DATASETS = List.of("beauty", "toys");
    /** The dataset of the quick budget. */
    public static final String QUICK_DATASET = "beauty";
    /** KL annealing steps of the collapse experiment at the quick budget (the cap is reached within the run). */
    public static final long QUICK_ANNEAL_STEPS = 20;

    private ContrastVAEExperiments() {
    }

    /**
     * ContrastVAE with the README command of the dataset (Toys: variational augmentation; otherwise the Beauty
     * command, model augmentation) and the budget's T (quick: {@value PaperSettings#QUICK_MAX_LEN}).
     *
     * @param ds the dataset
     * @param budget the budget
     * @return the configuration
     */
    public static ContrastVAEConfig contrastvae(SequenceDataset ds, Budget budget) {
        ContrastVAEConfig c = (ContrastVAEConfig) ModelRegistry.get("contrastvae").presetFor(ds.key());
        return budget == Budget.QUICK ? c.withMaxLen(PaperSettings.QUICK_MAX_LEN) : c;
    }

    /**
     * SASRec, ContrastVAE and Meta-SGCL under the Meta-SGCL protocol (whose Table II lists all three).
     *
     * @param ds the dataset
     * @param budget the budget
     * @param seed the seed
     * @return the spec
     */
    public static ExperimentSpec compare(SequenceDataset ds, Budget budget, long seed) {
        return new ExperimentSpec("contrastvae-compare-" + ds.name(), List.of(
                ModelSpec.sasrec(PaperSettings.sasrec(ds, budget)),
                ModelSpec.contrastvae(contrastvae(ds, budget)),
                ModelSpec.metasgcl(PaperSettings.metaSGCL(ds, budget))),
                PaperSettings.train(PaperSettings.Paper.METASGCL, budget, seed));
    }

    /**
     * The result of the collapse experiment.
     *
     * @param summary per model, epoch (0 = before training) and group (all, popular, long-tail): users, kl,
     *     klPerDim, activeUnits, dims, meanMuVariance, meanSigma on the validation inputs
     * @param perPosition the same per position (stepsBack) at every epoch
     * @param results the models' training results
     */
    public record Collapse(Table summary, Table perPosition, List<TrainResult> results) {
    }

    /**
     * Posterior collapse with and without the contrastive term: ContrastVAE as configured, and the same model
     * with {@code clWeight = 0}; the KL weight is annealed over {@value #QUICK_ANNEAL_STEPS} steps at the quick
     * budget (the spec's 10,000 at the full budget), so that the KL term acts within a short run.
     *
     * @param ds the dataset
     * @param budget the budget
     * @param seed the seed
     * @param listener progress
     * @return per-epoch diagnostics of both models
     */
    public static Collapse collapse(SequenceDataset ds, Budget budget, long seed, ProgressListener listener) {
        ContrastVAEConfig c = contrastvae(ds, budget);
        if (budget == Budget.QUICK) {
            c = c.withAnnealSteps(QUICK_ANNEAL_STEPS);
        }
        List<ModelSpec> specs = List.of(ModelSpec.contrastvae(c).named("with CL"),
                ModelSpec.contrastvae(c.withClWeight(0)).named("without CL"));
        LeaveOneOutSplit split = LeaveOneOutSplit.of(ds);
        TrainConfig train = PaperSettings.train(PaperSettings.Paper.CONTRASTVAE, budget, seed); // ContrastVAE's own
        LatentDiagnostics diag = LatentDiagnostics.of(split);
        Table summary = null;
        Table positions = null;
        List<TrainResult> results = new ArrayList<>();
        for (ModelSpec s : specs) {
            try (ContrastVAE m = (ContrastVAE) s.create(ds.numItems(), seed)) {
                LatentDiagnostics.Recorder rec = diag.recorder(m, split.valid(), listener).recordInitial();
                results.add(Runner.fit(m, s.name(), split, train, rec));
                Table t = withModel(rec.summary(), s.name());
                Table p = withModel(rec.perPosition(), s.name());
                summary = summary == null ? t : summary.append(t);
                positions = positions == null ? p : positions.append(p);
            }
        }
        return new Collapse(summary.setName("posterior diagnostics per epoch (validation inputs)"),
                positions.setName("posterior diagnostics per position"), results);
    }

    /**
     * Rows of one group of a diagnostics table.
     *
     * @param t a table with a {@code group} column
     * @param group "all", "popular" or "long-tail"
     * @return the rows
     */
    public static Table group(Table t, String group) {
        return t.where(t.stringColumn("group").isEqualTo(group)).setName(t.name() + " (" + group + ")");
    }

    /**
     * The last epoch's summary of each model, for the popular versus long-tail comparison.
     *
     * @param c the collapse result
     * @return rows of the last recorded epoch per model
     */
    public static Table lastEpoch(Collapse c) {
        Table s = c.summary();
        int last = (int) s.intColumn("epoch").max();
        return s.where(s.intColumn("epoch").isEqualTo(last)).setName("after the last epoch (" + last + ")");
    }

    private static Table withModel(Table t, String model) {
        StringColumn m = StringColumn.create("model");
        for (int i = 0; i < t.rowCount(); i++) {
            m.append(model);
        }
        Table out = t.copy();
        out.insertColumn(0, m);
        return out;
    }
}
