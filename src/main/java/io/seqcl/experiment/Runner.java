package io.seqcl.experiment;

import io.seqcl.data.SequenceDataset;
import io.seqcl.model.SequentialRecommender;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.train.ProgressListener;
import io.seqcl.train.TrainResult;
import io.seqcl.train.Trainer;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs an {@link ExperimentSpec} on a dataset: splits it (leave-one-out), trains and tests every model with the
 * same seed, and returns the tables with provenance. Same spec and seed give the same numbers.
 */
public final class Runner {

    private Runner() {
    }

    /**
     * Runs an experiment.
     *
     * @param dataset the dataset
     * @param spec models and settings
     * @param listener progress receiver
     * @return metrics, curves and provenance
     */
    public static RunResult run(SequenceDataset dataset, ExperimentSpec spec, ProgressListener listener) {
        return run(LeaveOneOutSplit.of(dataset), "leave-one-out", spec, listener);
    }

    /**
     * Runs an experiment on a prepared split (e.g. one with noise, see
     * {@link io.seqcl.protocol.NoiseInjection}).
     *
     * @param split the split to train and evaluate on
     * @param splitNote how the split was made, logged in the provenance
     * @param spec models and settings
     * @param listener progress receiver
     * @return metrics, curves and provenance
     */
    public static RunResult run(LeaveOneOutSplit split, String splitNote, ExperimentSpec spec,
                                ProgressListener listener) {
        long t0 = System.nanoTime();
        SequenceDataset dataset = split.dataset();
        Provenance prov = Provenance.start(dataset, spec.train().seed());
        prov.put("experiment", spec.name());
        prov.put("train.config", spec.train().toString());
        prov.put("split", splitNote + ": " + split.numUsers() + " users (" + split.droppedUsers()
                + " with < 3 interactions left out)");
        List<TrainResult> results = new ArrayList<>();
        for (ModelSpec m : spec.models()) {
            prov.put("model." + m.name(), String.valueOf(m.config()));
            try (SequentialRecommender model = m.factory().create(dataset.numItems(), spec.train().seed())) {
                results.add(fit(model, m.name(), split, spec.train(), listener));
            }
        }
        prov.put("wall.seconds", String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
        return new RunResult(spec, results, prov);
    }

    /**
     * Trains one model and labels its result with a display name.
     *
     * @param model the model (trained in place, not closed)
     * @param name display name for the result tables
     * @param split the split
     * @param train training settings
     * @param listener progress receiver
     * @return the result under {@code name}
     */
    public static TrainResult fit(SequentialRecommender model, String name, LeaveOneOutSplit split,
                                  io.seqcl.train.TrainConfig train, ProgressListener listener) {
        TrainResult r = new Trainer(train).fit(model, split, listener);
        return new TrainResult(name, r.bestEpoch(), r.epochsRun(), r.stoppedEarly(), r.valid(), r.test(),
                relabel(r.curve(), name), r.seconds());
    }

    private static tech.tablesaw.api.Table relabel(tech.tablesaw.api.Table curve, String name) {
        tech.tablesaw.api.Table c = curve.copy();
        tech.tablesaw.api.StringColumn col = c.stringColumn("model");
        for (int i = 0; i < col.size(); i++) {
            col.set(i, name);
        }
        return c;
    }
}
