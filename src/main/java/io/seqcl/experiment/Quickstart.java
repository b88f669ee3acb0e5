package io.seqcl.experiment;

import io.seqcl.data.SequenceDataset;
import io.seqcl.model.SASRecConfig;
import io.seqcl.train.ProgressListener;
import io.seqcl.train.TrainConfig;

import java.util.List;

/**
 * The first experiment of the README and of notebook 00: Pop against SASRec on one dataset.
 *
 * <p>Budgets: {@link Budget#FULL} trains up to 100 epochs with patience 10 (RecBole's MCLRec scripts).
 * {@link Budget#QUICK} is sized to finish in minutes on 2 cores: datasets with at most 100,000 interactions
 * (the synthetic one) get {@value #QUICK_SMALL_EPOCHS} epochs with patience 5; larger ones get {@value #QUICK_LARGE_EPOCHS} epochs of at
 * most {@value #QUICK_LARGE_STEPS} batches each, which is enough for SASRec to pass Pop clearly but is not a
 * converged result.
 */
public final class Quickstart {

    /** Epochs of the quick budget on small datasets (at most 100,000 interactions). */
    public static final int QUICK_SMALL_EPOCHS = 8;
    /** Epochs of the quick budget on real (large) datasets. */
    public static final int QUICK_LARGE_EPOCHS = 2;
    /** Batches per epoch of the quick budget on real (large) datasets. */
    public static final int QUICK_LARGE_STEPS = 300;

    private Quickstart() {
    }

    /**
     * The training settings for a dataset and budget.
     *
     * @param dataset the dataset
     * @param budget quick or full
     * @param seed the seed
     * @return the settings
     */
    public static TrainConfig trainConfig(SequenceDataset dataset, Budget budget, long seed) {
        TrainConfig base = TrainConfig.defaults().withSeed(seed);
        if (budget == Budget.FULL) {
            return base.withEpochs(100).withPatience(10);
        }
        if (dataset.numInteractions() <= 100_000) {
            return base.withEpochs(QUICK_SMALL_EPOCHS).withPatience(5);
        }
        return base.withEpochs(QUICK_LARGE_EPOCHS).withMaxStepsPerEpoch(QUICK_LARGE_STEPS);
    }

    /**
     * SASRec's configuration for a dataset: RecBole defaults with T = 50, or 200 for ML-1M at the full budget
     * (Meta-SGCL's setting); quick runs use dropout 0.2 so that a few epochs already learn.
     *
     * @param dataset the dataset
     * @param budget quick or full
     * @return the configuration
     */
    public static SASRecConfig sasrecConfig(SequenceDataset dataset, Budget budget) {
        SASRecConfig c = SASRecConfig.defaults();
        if (budget == Budget.FULL && dataset.name().equalsIgnoreCase("ml-1m")) {
            c = c.withMaxLen(200);
        }
        return budget == Budget.QUICK ? c.withDropout(0.2) : c;
    }

    /**
     * The experiment: Pop and SASRec.
     *
     * @param dataset the dataset
     * @param budget quick or full
     * @param seed the seed
     * @return the spec
     */
    public static ExperimentSpec spec(SequenceDataset dataset, Budget budget, long seed) {
        return new ExperimentSpec("quickstart-" + dataset.name() + "-" + budget.name().toLowerCase(),
                List.of(ModelSpec.pop(), ModelSpec.sasrec(sasrecConfig(dataset, budget))),
                trainConfig(dataset, budget, seed));
    }

    /**
     * Runs the quickstart.
     *
     * @param dataset the dataset
     * @param budget quick or full
     * @param seed the seed
     * @param listener progress receiver
     * @return metrics, curves and provenance
     */
    public static RunResult run(SequenceDataset dataset, Budget budget, long seed, ProgressListener listener) {
        return Runner.run(dataset, spec(dataset, budget, seed), listener);
    }
}
