package io.seqcl.cf;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.seqcl.config.ConfigException;
import io.seqcl.config.Configs;
import io.seqcl.experiment.Budget;
import io.seqcl.experiment.PaperProtocol;
import io.seqcl.experiment.PaperSettings;
import io.seqcl.experiment.Provenance;
import io.seqcl.experiment.Stats;
import io.seqcl.train.ProgressListener;
import io.seqcl.util.AtomicFiles;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A collaborative-filtering experiment (AdvInfoNCE's protocol) as a file, run by {@code seqcl run FILE} like the
 * sequential experiment files: each dataset and seed trains the models with {@link CfExperiment} and writes
 * metrics.csv, per-user.csv, curves.csv, provenance.csv and provenance.json to {@code OUT/<dataset>/seed-<seed>/}.
 * A seed whose directory already holds results is read back with {@code --resume}; a seed interrupted half-way
 * resumes each model from its last checkpoint ({@code seed-<seed>/.checkpoints/<model>.ckpt}, written after every
 * validation; {@link CfTrainer#withCheckpoint}), and models that had finished are restored without training.
 *
 * <pre>
 * kind: cf
 * name: advinfonce-coat
 * datasets: [coat]
 * budget: full
 * seeds: [101, 102, 103, 104, 105]
 * minEpochs: 100                    # early stopping never before this epoch (issue 12 item 7)
 * withoutTrainingItemsInTests: true # also evaluate with test positives that are training items removed
 * models: [MF+InfoNCE, MF+AdvInfoNCE]
 * </pre>
 *
 * @param kind must be "cf"
 * @param name experiment name
 * @param datasets CF dataset keys (coat, yahoo, ...; see {@link CfDatasets}; "synthetic": a small generated
 *     dataset with cluster structure)
 * @param budget quick or full (null: quick)
 * @param seeds the seeds (null or empty: 101, the README's)
 * @param models model names as {@link CfModelSpec#paperComparison()} names them (Pop, MF+InfoNCE,
 *     MF+InfoNCE×k (also written MF+InfoNCExk), MF+AdvInfoNCE, LightGCN+...)
 * @param minEpochs epochs before early stopping may fire (null: 0, the authors' code)
 * @param withoutTrainingItemsInTests whether every test split is also evaluated without the test positives that
 *     are training items (split names with suffix {@value CfExperiment#NO_TRAIN_OVERLAP}); null: false
 * @param maxEpochs a cap on the number of epochs replacing the budget's (null: the budget's, 2000 at the full
 *     budget); with {@code minEpochs} equal to it, a fixed epoch count. Recorded in the provenance and heading.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CfExperimentFile(String kind, String name, List<String> datasets, Budget budget, List<Long> seeds,
                               List<String> models, Integer minEpochs, Boolean withoutTrainingItemsInTests,
                               Integer maxEpochs) {

    /** The README seed. */
    public static final long DEFAULT_SEED = 101;

    /** Validates and fills defaults. */
    public CfExperimentFile {
        if (!"cf".equalsIgnoreCase(kind)) {
            throw new IllegalArgumentException("a CF experiment file needs 'kind: cf', got " + kind);
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an experiment needs a name");
        }
        if (datasets == null || datasets.isEmpty()) {
            throw new IllegalArgumentException("experiment '" + name + "' names no dataset (key 'datasets')");
        }
        if (models == null || models.isEmpty()) {
            throw new IllegalArgumentException("experiment '" + name + "' names no model (key 'models')");
        }
        datasets = List.copyOf(datasets);
        models = List.copyOf(models);
        models.forEach(CfExperimentFile::spec);
        budget = budget == null ? Budget.QUICK : budget;
        seeds = seeds == null || seeds.isEmpty() ? List.of(DEFAULT_SEED) : List.copyOf(seeds);
        if (minEpochs != null && minEpochs < 0) {
            throw new IllegalArgumentException("experiment '" + name + "': minEpochs must be >= 0, got " + minEpochs);
        }
        if (maxEpochs != null && maxEpochs < 1) {
            throw new IllegalArgumentException("experiment '" + name + "': maxEpochs must be >= 1, got " + maxEpochs);
        }
    }

    /**
     * A file without an epoch cap.
     *
     * @param kind must be "cf"
     * @param name experiment name
     * @param datasets CF dataset keys
     * @param budget quick or full
     * @param seeds the seeds
     * @param models model names
     * @param minEpochs epochs before early stopping may fire
     * @param withoutTrainingItemsInTests whether the tests are also evaluated without training items
     */
    public CfExperimentFile(String kind, String name, List<String> datasets, Budget budget, List<Long> seeds,
                            List<String> models, Integer minEpochs, Boolean withoutTrainingItemsInTests) {
        this(kind, name, datasets, budget, seeds, models, minEpochs, withoutTrainingItemsInTests, null);
    }

    /**
     * Whether a parsed file is a CF experiment ({@code kind: cf}).
     *
     * @param tree the parsed file
     * @return true for a CF experiment
     */
    public static boolean isCf(JsonNode tree) {
        return tree != null && tree.has("kind") && "cf".equalsIgnoreCase(tree.get("kind").asText());
    }

    /**
     * Reads a CF experiment file, or the provenance.json of a CF run (its {@code experiment} entry).
     *
     * @param file the file
     * @return the experiment
     */
    public static CfExperimentFile read(Path file) {
        JsonNode tree;
        try {
            tree = Configs.mapperFor(file).readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (tree != null && tree.has("experiment") && isCf(tree.get("experiment"))) {
            tree = tree.get("experiment");
        }
        return Configs.fromTree(CfExperimentFile.class, tree, file.toString());
    }

    /**
     * Whether a file is a CF experiment file or the provenance.json of a CF run.
     *
     * @param file the file
     * @return true if it says {@code kind: cf}
     */
    public static boolean isCfFile(Path file) {
        try {
            JsonNode tree = Configs.mapperFor(file).readTree(file.toFile());
            return isCf(tree) || tree != null && tree.has("experiment") && isCf(tree.get("experiment"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * A copy with other seeds.
     *
     * @param newSeeds the seeds
     * @return the copy
     */
    public CfExperimentFile withSeeds(List<Long> newSeeds) {
        return new CfExperimentFile(kind, name, datasets, budget, newSeeds, models, minEpochs,
                withoutTrainingItemsInTests, maxEpochs);
    }

    /**
     * The model of a name.
     *
     * @param name e.g. "MF+AdvInfoNCE" or "Pop"
     * @return the spec
     * @throws IllegalArgumentException listing the known names
     */
    public static CfModelSpec spec(String name) {
        String n = name == null ? "" : name.trim().replace("x", "×").replace("X", "×");
        for (CfModelSpec s : CfModelSpec.paperComparison()) {
            if (s.name().equalsIgnoreCase(n) || s.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown CF model '" + name + "': expected one of "
                + CfModelSpec.paperComparison().stream().map(CfModelSpec::name).toList());
    }

    /** @return the specs with the file's minimum epochs applied */
    public List<CfModelSpec> specs() {
        List<CfModelSpec> out = new ArrayList<>();
        for (String m : models) {
            CfModelSpec s = spec(m);
            if (minEpochs != null && minEpochs > 0 && !s.pop()) {
                int me = minEpochs;
                s = s.with(s.name(), c -> c.withMinEpochs(me));
            }
            if (maxEpochs != null && !s.pop()) {
                int cap = maxEpochs;
                s = s.with(s.name(), c -> c.withSchedule(cap, c.evalEvery(), c.patience(), c.maxStepsPerEpoch()));
            }
            out.add(s);
        }
        return out;
    }

    /**
     * Runs every dataset and seed; with {@code resume}, a seed whose directory already holds a metrics.csv is
     * read back instead of run.
     *
     * @param out output directory (null: nothing written)
     * @param resume whether earlier seeds' results are reused; without it, existing results are an error
     * @param listener progress
     * @return the long metrics of every dataset and seed (columns dataset, model, split, metric, value, seed)
     */
    public Table run(Path out, boolean resume, ProgressListener listener) {
        return runAll(out, resume, listener).metrics();
    }

    /**
     * What {@link #runAll} produced: the long metrics and the per-user values of every dataset and seed.
     *
     * @param metrics columns dataset, model, split, metric, value, seed
     * @param perUser columns dataset, model, split, user, Recall@20, NDCG@20, HR@20, seed (test splits only; seeds
     *     read back from directories without a per-user.csv have no rows)
     */
    public record Outcome(Table metrics, Table perUser) {
    }

    /**
     * Runs every dataset and seed as {@link #run} does, also keeping the per-user values (written to
     * {@code per-user.csv} beside metrics.csv and read back with {@code --resume}).
     *
     * @param out output directory (null: nothing written)
     * @param resume whether earlier seeds' results are reused
     * @param listener progress
     * @return the metrics and per-user values
     */
    public Outcome runAll(Path out, boolean resume, ProgressListener listener) {
        Table all = null;
        Table users = null;
        for (String key : datasets) {
            CfDataset d = "synthetic".equalsIgnoreCase(key) ? CfDatasets.synthetic(300, 150, 5, 15, 0.8, 7)
                    : CfDatasets.load(key);
            for (long seed : seeds) {
                Path dir = out == null ? null : out.resolve(key).resolve("seed-" + seed);
                Table m;
                Table pu = null;
                if (dir != null && Files.isRegularFile(dir.resolve("metrics.csv"))) {
                    if (!resume) {
                        throw new IllegalArgumentException(dir + " holds the results of an earlier run: pass --resume "
                                + "to reuse them, or choose another --out");
                    }
                    m = readCsv(dir.resolve("metrics.csv"));
                    if (Files.isRegularFile(dir.resolve(PER_USER_FILE))) {
                        pu = metricsAsDouble(readCsv(dir.resolve(PER_USER_FILE)));
                    }
                } else {
                    Path ckpt = dir == null ? null : dir.resolve(CHECKPOINT_DIR);
                    CfResult r = CfExperiment.run(d, specs(), budget, seed, listener,
                            Boolean.TRUE.equals(withoutTrainingItemsInTests), ckpt);
                    Provenance p = r.provenance();
                    PaperSettings.Paper.ADVINFONCE.protocol().addTo(p);
                    p.put("protocol.minEpochs", String.valueOf(minEpochs == null ? 0 : minEpochs));
                    if (maxEpochs != null) {
                        p.put("protocol.maxEpochs", String.valueOf(maxEpochs));
                    }
                    p.put("protocol.withoutTrainingItemsInTests",
                            String.valueOf(Boolean.TRUE.equals(withoutTrainingItemsInTests)));
                    p.put("budget", budget.name().toLowerCase(Locale.ROOT));
                    p.put("experiment", name);
                    m = r.metrics();
                    m.addColumns(seedColumn(m.rowCount(), seed));
                    pu = r.perUserTable();
                    pu.addColumns(seedColumn(pu.rowCount(), seed));
                    if (dir != null) {
                        try {
                            AtomicFiles.writeString(dir.resolve(PER_USER_FILE), perUserCsv(pu));
                            AtomicFiles.writeString(dir.resolve("curves.csv"), csv(r.curves()));
                            AtomicFiles.writeString(dir.resolve("provenance.csv"), csv(p.table()));
                            AtomicFiles.writeString(dir.resolve("provenance.json"), provenanceJson(p, key, seed));
                            AtomicFiles.writeString(dir.resolve("metrics.csv"), csv(m)); // last: marks the seed done
                            deleteCheckpoints(ckpt);
                        } catch (IOException e) {
                            throw new UncheckedIOException("could not write results to " + dir + ": "
                                    + e.getMessage(), e);
                        }
                    }
                }
                all = all == null ? m : all.append(m);
                if (pu != null && pu.rowCount() > 0) {
                    users = users == null ? pu : users.append(pu);
                }
            }
        }
        return new Outcome(all.setName(name + " metrics"), users == null ? null : users.setName(name + " per-user"));
    }

    /**
     * The directory, inside a seed's directory, of the per-model training checkpoints of an unfinished seed
     * (ignored by git; deleted once the seed's metrics.csv is written).
     */
    public static final String CHECKPOINT_DIR = ".checkpoints";

    private static void deleteCheckpoints(Path ckpt) throws IOException {
        if (ckpt == null || !Files.isDirectory(ckpt)) {
            return;
        }
        try (var files = Files.list(ckpt)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(ckpt);
    }

    /**
     * Makes every metric column of a per-user table read back from CSV a double column (a column whose values are
     * all whole numbers, e.g. HR@20 at one seed, is otherwise read as integers and cannot be appended to a
     * freshly computed table).
     */
    private static Table metricsAsDouble(Table t) {
        for (CfEvaluator.Metric m : CfEvaluator.Metric.values()) {
            String n = m.at(20);
            if (t.containsColumn(n) && !(t.column(n) instanceof tech.tablesaw.api.DoubleColumn)) {
                tech.tablesaw.api.DoubleColumn d = ((tech.tablesaw.api.NumericColumn<?>) t.column(n)).asDoubleColumn()
                        .setName(n);
                t.replaceColumn(n, d);
            }
        }
        return t;
    }

    /** File name of the per-user values in a seed's directory. */
    public static final String PER_USER_FILE = "per-user.csv";

    /**
     * The per-user table as CSV with 6 decimals (the values are ratios of small counts and DCG sums; 6 decimals
     * keep paired tests unchanged at the precision reported and the files small).
     */
    private static String perUserCsv(Table pu) {
        StringBuilder b = new StringBuilder(String.join(",", pu.columnNames())).append('\n');
        for (int r = 0; r < pu.rowCount(); r++) {
            for (int c = 0; c < pu.columnCount(); c++) {
                if (c > 0) {
                    b.append(',');
                }
                Object v = pu.column(c).get(r);
                b.append(v instanceof Double d ? String.format(Locale.ROOT, "%.6f", d) : String.valueOf(v));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /**
     * Paired tests of every trained model against the first trained one (see {@link CfPaired#csv}) on one dataset.
     *
     * @param outcome what {@link #runAll} returned
     * @param dataset the dataset key
     * @return the text of seeds-paired.csv
     */
    public String pairedCsv(Outcome outcome, String dataset) {
        Table m = outcome.metrics();
        Table d = m.where(m.stringColumn("dataset").startsWith(dataset));
        Table u = outcome.perUser() == null ? null
                : outcome.perUser().where(outcome.perUser().stringColumn("dataset").startsWith(dataset));
        return CfPaired.csv(d, u, specs(), List.of("Recall@20", "NDCG@20", "HR@20"));
    }

    /**
     * The heading of this experiment's tables: the AdvInfoNCE protocol line with the options of this file.
     *
     * @return the heading
     */
    public String heading() {
        PaperProtocol p = PaperSettings.Paper.ADVINFONCE.protocol();
        return name + " (" + p.line() + "; minEpochs " + (minEpochs == null ? 0 : minEpochs)
                + (maxEpochs == null ? "" : "; maxEpochs " + maxEpochs) + "; budget " + budget.name().toLowerCase(Locale.ROOT) + ")";
    }

    /**
     * Mean ± 95 % CI over seeds of every model on every split of a dataset.
     *
     * @param metrics the table {@link #run} returned
     * @param dataset the dataset key
     * @param split the split, e.g. "test_id" or "test_id-no-train-overlap"
     * @return the table (see {@link Stats#seedTable(Table, String, String)})
     */
    public Table seedTable(Table metrics, String dataset, String split) {
        Table d = metrics.where(metrics.stringColumn("dataset").startsWith(dataset));
        return Stats.seedTable(d, split, heading() + ", " + dataset + " " + split + ", mean ± 95% CI over seeds");
    }

    private String provenanceJson(Provenance p, String dataset, long seed) {
        com.fasterxml.jackson.databind.node.ObjectNode root;
        try {
            root = (com.fasterxml.jackson.databind.node.ObjectNode) Configs.json().readTree(p.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        root.set("experiment", Configs.toTree(new CfExperimentFile(kind, name, List.of(dataset), budget,
                List.of(seed), models, minEpochs, withoutTrainingItemsInTests, maxEpochs)));
        return Configs.toJson(root);
    }

    private static IntColumn seedColumn(int rows, long seed) {
        IntColumn c = IntColumn.create("seed");
        for (int i = 0; i < rows; i++) {
            c.append((int) seed);
        }
        return c;
    }

    private static Table readCsv(Path file) {
        try {
            return Table.read().usingOptions(CsvReadOptions.builder(new StringReader(Files.readString(file)))
                    .tableName(file.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String csv(Table t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.write().csv(w);
        return w.toString();
    }
}
