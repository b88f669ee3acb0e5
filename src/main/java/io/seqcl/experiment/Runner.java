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
        long t0 = System.nanoTime();
        Provenance prov = Provenance.start(dataset, spec.train().seed());
        prov.put("experiment", spec.name());
        prov.put("train.config", spec.train().toString());
        LeaveOneOutSplit split = LeaveOneOutSplit.of(dataset);
        prov.put("split", "leave-one-out: " + split.numUsers() + " users (" + split.droppedUsers()
                + " with < 3 interactions left out)");
        List<TrainResult> results = new ArrayList<>();
        for (ModelSpec m : spec.models()) {
            prov.put("model." + m.name(), String.valueOf(m.config()));
            try (SequentialRecommender model = m.factory().create(dataset.numItems(), spec.train().seed())) {
                TrainResult r = new Trainer(spec.train()).fit(model, split, listener);
                results.add(new TrainResult(m.name(), r.bestEpoch(), r.epochsRun(), r.stoppedEarly(), r.valid(),
                        r.test(), relabel(r.curve(), m.name()), r.seconds()));
            }
        }
        prov.put("wall.seconds", String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
        return new RunResult(spec, results, prov);
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
