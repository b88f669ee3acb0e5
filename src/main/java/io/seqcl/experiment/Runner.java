package io.seqcl.experiment;

import io.seqcl.data.SequenceDataset;
import io.seqcl.model.SequentialRecommender;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.train.ProgressListener;
import io.seqcl.train.TrainConfig;
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
        return run(split, splitNote, spec, listener, null);
    }

    /**
     * Runs an experiment with a resumable checkpoint per model in a directory: a run interrupted after any epoch
     * continues from there when called again with the same directory (see {@link Trainer#withCheckpoint}).
     *
     * @param split the split to train and evaluate on
     * @param splitNote how the split was made, logged in the provenance
     * @param spec models and settings
     * @param listener progress receiver
     * @param checkpointDir directory of the checkpoints (null: none)
     * @return metrics, curves and provenance
     */
    public static RunResult run(LeaveOneOutSplit split, String splitNote, ExperimentSpec spec,
                                ProgressListener listener, java.nio.file.Path checkpointDir) {
        return run(split, splitNote, spec, listener, checkpointDir, null);
    }

    /**
     * As {@link #run(LeaveOneOutSplit, String, ExperimentSpec, ProgressListener, java.nio.file.Path)}, and hands the
     * result of the models finished so far to {@code afterEachModel} after every model but the last (provenance key
     * {@code models.done}, e.g. "2 of 5"), so that a run spanning several sittings shows its finished models before
     * the whole experiment ends.
     *
     * @param split the split to train and evaluate on
     * @param splitNote how the split was made, logged in the provenance
     * @param spec models and settings
     * @param listener progress receiver
     * @param checkpointDir directory of the checkpoints (null: none)
     * @param afterEachModel receives the partial result (null: none)
     * @return metrics, curves and provenance of all models
     */
    public static RunResult run(LeaveOneOutSplit split, String splitNote, ExperimentSpec spec,
                                ProgressListener listener, java.nio.file.Path checkpointDir,
                                java.util.function.Consumer<RunResult> afterEachModel) {
        long t0 = System.nanoTime();
        SequenceDataset dataset = split.dataset();
        Provenance prov = Provenance.start(dataset, spec.train().seed());
        prov.put("experiment", spec.name());
        prov.put("train.config", spec.train().toString());
        PaperProtocol.matching(spec.train()).ifPresent(p -> p.addTo(prov));
        prov.put("protocol.heading", PaperProtocol.heading(spec.train()));
        prov.put("split", splitNote + ": " + split.numUsers() + " users (" + split.droppedUsers()
                + " with < 3 interactions left out)");
        List<TrainResult> results = new ArrayList<>();
        double allEpochSeconds = 0;
        java.time.Instant firstStart = null;
        for (int i = 0; i < spec.models().size(); i++) {
            ModelSpec m = spec.models().get(i);
            prov.put("model." + m.name(), String.valueOf(m.config()));
            TrainConfig own = spec.trainFor(m);
            if (!own.equals(spec.train())) {
                prov.put("train.config." + m.name(), own.toString());
            }
            Trainer trainer = new Trainer(own).withBuild(GitInfo.commit());
            if (checkpointDir != null) {
                trainer = trainer.withCheckpoint(checkpointDir.resolve(checkpointName(i, m)));
            }
            try (SequentialRecommender model = m.create(dataset.numItems(), own.seed())) {
                // what the model was given, which differs from the protocol line where a model has its own convention
                prov.put("input." + m.name(), model.inputSpec().describe());
                results.add(fit(trainer, model, m.name(), split, listener));
            }
            // wall.seconds is this sitting's; the epoch times come back with a resumed checkpoint's curve
            double epochSeconds = epochSeconds(results.get(results.size() - 1));
            allEpochSeconds += epochSeconds;
            prov.put("epoch.seconds." + m.name(), String.format(java.util.Locale.ROOT, "%.1f", epochSeconds));
            String builds = builds(results.get(results.size() - 1));
            if (!builds.isEmpty()) {
                prov.put("build." + m.name(), builds);
            }
            prov.put("epoch.seconds", String.format(java.util.Locale.ROOT, "%.1f", allEpochSeconds));
            prov.put("models.done", (i + 1) + " of " + spec.models().size());
            // a resumed run began when its first epoch did, possibly sittings ago
            firstStart = Provenance.earlier(firstStart, Provenance.firstEpochStart(results.get(i).curve()));
            prov.startedAt(firstStart);
            if (afterEachModel != null && i + 1 < spec.models().size()) {
                prov.put("wall.seconds", String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
                afterEachModel.accept(new RunResult(new ExperimentSpec(spec.name(), spec.models().subList(0, i + 1),
                        spec.train()), List.copyOf(results), prov));
            }
        }
        prov.put("wall.seconds", String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
        return new RunResult(spec, results, prov);
    }

    /**
     * Which build trained which epochs of a result, from its curve's {@code build} column (a resumed run may span
     * several sittings and commits), e.g. "epochs 1-57 not recorded; 58-66 272ad5093409" (commits shortened to
     * 12 characters, "+dirty" kept); "not recorded" for epochs resumed from checkpoints older than the column.
     *
     * @param r a result
     * @return the ranges, empty for a model without epochs
     */
    static String builds(TrainResult r) {
        tech.tablesaw.api.Table c = r.curve();
        if (c == null || !c.columnNames().contains("build") || c.rowCount() == 0) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        int from = 0;
        for (int i = 1; i <= c.rowCount(); i++) {
            String label = c.stringColumn("build").get(from);
            if (i < c.rowCount() && c.stringColumn("build").get(i).equals(label)) {
                continue;
            }
            int e0 = c.intColumn("epoch").get(from);
            int e1 = c.intColumn("epoch").get(i - 1);
            b.append(b.length() == 0 ? "epochs " : "; ").append(e0 == e1 ? String.valueOf(e0) : e0 + "-" + e1)
                    .append(' ').append(label.isEmpty() ? "not recorded" : shortBuild(label));
            from = i;
        }
        return b.toString();
    }

    private static String shortBuild(String commit) {
        String dirty = commit.endsWith("+dirty") ? "+dirty" : "";
        String head = commit.substring(0, commit.length() - dirty.length());
        return (head.length() > 12 ? head.substring(0, 12) : head) + dirty;
    }

    /**
     * The summed epoch times of a result's curve: a model's training time across all sittings of a resumed run
     * (each epoch's wall time, validation included; an epoch during which the process was paused counts the pause).
     *
     * @param r a result
     * @return seconds, 0 for a model without epochs (Pop)
     */
    static double epochSeconds(TrainResult r) {
        tech.tablesaw.api.Table c = r.curve();
        return c == null || !c.columnNames().contains("seconds") || c.rowCount() == 0 ? 0
                : c.numberColumn("seconds").sum();
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
        return fit(new Trainer(train), model, name, split, listener);
    }

    /**
     * The file name of a model's checkpoint in an experiment's checkpoint directory.
     *
     * @param index the model's position in the experiment
     * @param m the model
     * @return e.g. "1-sasrec.ckpt"
     */
    public static String checkpointName(int index, ModelSpec m) {
        return index + "-" + m.key() + ".ckpt";
    }

    private static TrainResult fit(Trainer trainer, SequentialRecommender model, String name, LeaveOneOutSplit split,
                                   ProgressListener listener) {
        TrainResult r = trainer.fit(model, split, listener);
        return new TrainResult(name, r.bestEpoch(), r.epochsRun(), r.stoppedEarly(), r.valid(), r.test(),
                relabel(r.curve(), name), r.seconds(), r.testByHistory());
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
