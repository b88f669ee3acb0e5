package io.seqcl.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import io.seqcl.config.ConfigException;
import io.seqcl.config.Configs;
import io.seqcl.data.Datasets;
import io.seqcl.data.SequenceDataset;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.train.ProgressListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Runs an {@link ExperimentFile}: every dataset and seed, each model trained with a resumable checkpoint, results
 * and provenance written atomically to {@code OUT/<dataset>/seed-<seed>/} (metrics.csv, curves.csv,
 * provenance.csv, provenance.json; checkpoints in {@code checkpoints/}).
 */
public final class Experiments {

    private Experiments() {
    }

    /**
     * Reads an experiment file, or the provenance.json of an earlier run (which holds its resolved experiment, so
     * that the same seed gives the same metrics).
     *
     * @param file a {@code .yaml}, {@code .yml} or {@code .json} file
     * @return the experiment
     * @throws ConfigException naming the file, line and key if it is neither
     */
    public static ExperimentFile read(Path file) {
        JsonNode tree;
        try {
            tree = Configs.mapperFor(file).readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (tree != null && tree.has("experiment") && tree.has("run")) {
            return Configs.fromTree(ExperimentFile.class, tree.get("experiment"), file + ": experiment");
        }
        return ExperimentFile.read(file);
    }

    /**
     * Runs every dataset and seed of an experiment.
     *
     * @param exp the experiment
     * @param out the output directory (null: nothing written, no checkpoints)
     * @param resume whether to continue from the checkpoints of an earlier, interrupted run in {@code out}; without
     *     it, existing checkpoints are an error (so that two runs never mix)
     * @param listener progress receiver
     * @return one result per dataset and seed, in order
     */
    public static List<RunResult> run(ExperimentFile exp, Path out, boolean resume, ProgressListener listener) {
        List<RunResult> results = new ArrayList<>();
        for (String key : exp.datasets()) {
            SequenceDataset full = load(key, Boolean.TRUE.equals(exp.remapIds()));
            for (long seed : exp.seeds()) {
                SequenceDataset ds = PaperSettings.data(full, exp.budget(), seed);
                Path dir = out == null ? null : runDir(out, dirName(key), seed);
                Path ckpt = dir == null ? null : dir.resolve("checkpoints");
                if (ckpt != null && !resume && hasCheckpoints(ckpt)) {
                    throw new IllegalArgumentException(ckpt + " holds checkpoints of an earlier run: pass --resume "
                            + "to continue it, or choose another --out");
                }
                ExperimentSpec spec = new ExperimentSpec(exp.name(), exp.modelSpecs(ds), exp.trainConfig(seed));
                if (spec.train().shards() > 1) { // every model is checked before the first one trains
                    for (ModelSpec m : spec.models()) {
                        try (io.seqcl.model.SequentialRecommender model = m.create(ds.numItems(), seed)) {
                            io.seqcl.train.Trainer.checkShards(model, spec.trainFor(m));
                        }
                    }
                }
                java.util.function.Consumer<RunResult> record = r -> {
                    exp.paperProtocol().addTo(r.provenance());
                    r.provenance().put("protocol.line", exp.paperProtocol().line());
                    // the heading names the file's paper (the settings that ran follow), changed or not
                    r.provenance().put("protocol.heading", PaperProtocol.heading(spec.train()).replaceFirst(
                            "^\\S+ protocol", exp.paperProtocol().paper()
                                    + (exp.protocolSettings() == null ? "" : " (changed)") + " protocol"));
                    r.provenance().put("budget", exp.budget().name().toLowerCase(Locale.ROOT));
                    r.provenance().experiment(exp.resolved(key, ds, seed));
                    if (dir != null) {
                        try {
                            r.save(dir);
                        } catch (IOException e) {
                            throw new UncheckedIOException("could not write results to " + dir + ": "
                                    + e.getMessage(), e);
                        }
                    }
                };
                // partial results after every model (models.done in the provenance), the full result at the end
                RunResult r = Runner.run(LeaveOneOutSplit.of(ds), "leave-one-out", spec, listener, ckpt,
                        dir == null ? null : record);
                record.accept(r);
                results.add(r);
            }
        }
        return results;
    }

    /**
     * Loads a dataset entry of an experiment: a registry key, or the path of a sequence or {@code .inter} file.
     *
     * @param entry e.g. "beauty" or "data/my-sequences.txt"
     * @param remapIds whether a file's item ids are renumbered 1..N
     * @return the dataset
     */
    public static SequenceDataset load(String entry, boolean remapIds) {
        if (isPath(entry)) {
            return Datasets.loadFile(Path.of(entry), io.seqcl.data.LoadOptions.defaults().withRemapIds(remapIds));
        }
        return Datasets.load(entry);
    }

    private static boolean isPath(String entry) {
        return entry.contains("/") || entry.contains(java.io.File.separator) || entry.endsWith(".txt")
                || entry.endsWith(".inter") || Files.isRegularFile(Path.of(entry));
    }

    /**
     * The output directory name of a dataset entry: the key, or a file's name without its extension.
     *
     * @param entry the entry
     * @return e.g. "beauty" or "my-sequences"
     */
    public static String dirName(String entry) {
        if (!isPath(entry)) {
            return entry;
        }
        String n = Path.of(entry).getFileName().toString();
        int dot = n.lastIndexOf('.');
        return (dot > 0 ? n.substring(0, dot) : n).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /**
     * The directory of one dataset and seed under an output directory.
     *
     * @param out the output directory
     * @param dataset dataset key
     * @param seed the seed
     * @return {@code out/<dataset>/seed-<seed>}
     */
    public static Path runDir(Path out, String dataset, long seed) {
        return out.resolve(dataset).resolve("seed-" + seed);
    }

    private static boolean hasCheckpoints(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".ckpt"));
        } catch (IOException e) {
            return false;
        }
    }
}
