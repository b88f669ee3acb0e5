package io.seqcl.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import io.seqcl.config.Configs;
import io.seqcl.data.DataFormatException;
import io.seqcl.model.ModelRegistry;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The full-budget runs recorded in the repository ({@code notebooks/results/}) for a paper experiment, read back
 * and put beside the paper's numbers: mean ± 95 % Student-t interval over the seeds present ({@link Stats}), the
 * provenance line of each run (when, which commit, which machine, how long, budget, protocol, seeds), the relative
 * difference to the paper ({@link PaperNumbers}) and whether the paper's ordering of the methods holds.
 *
 * <p>Layout read (written by {@code seqcl run FILE --out DIR}, sequential and {@code kind: cf} files alike):
 * {@code notebooks/results/<paper>/<name>.yaml} (the experiment file) and
 * {@code notebooks/results/<paper>/<name>/<dataset>/seed-<seed>/{metrics.csv, provenance.csv}}. A sequential
 * metrics.csv has the columns {@code model,split,metric,k,value}; a CF one {@code dataset,model,split,metric,value,
 * seed} with the cut-off in the metric name. Partial results are expected (a run spans sittings): seeds or models
 * that the experiment file names but that have no metrics yet are listed as missing, and every statistic uses the
 * seeds present for that model. Seeds-summary files are not read: the statistics are recomputed from the seeds'
 * own files, so that a summary written before the last seed cannot be out of date here.
 *
 * <p>Ordering: for each dataset and metric, every pair of models that both have a paper number and a recorded mean
 * is a pair; it is <em>in the paper's order</em> when the recorded means differ in the same direction as the
 * paper's numbers (pairs the paper ties are left out). The paper's ordering <em>holds</em> when every pair is in
 * the paper's order. Kendall's τ-a = (in order − reversed) / pairs (a recorded tie counts as neither) summarises it,
 * and a reversed pair is <em>beyond the seed spread</em> when the two 95 % intervals do not overlap (with one seed
 * there is no interval, so this is not judged). For a paper that reports only a gain of one method over another
 * ({@link Kind#HEADLINE_GAIN}, AdvInfoNCE's "up to +21.90 % Recall@20"), the ordering is that one pair per backbone,
 * and the relative difference to the paper is the difference of the two gains in percentage points.
 *
 * <p>Malformed files raise a {@link DataFormatException} naming the file and line.
 */
public final class RecordedResults {

    /** System property naming the results directory (default: {@value #RESULTS_DIR} found above the working one). */
    public static final String ROOT_PROPERTY = "seqcl.results";
    /** The seed of a {@code kind: cf} file that names none (io.seqcl.cf.CfExperimentFile's, the README's). */
    static final long CF_DEFAULT_SEED = 101;
    /** The results directory, relative to the repository root. */
    public static final String RESULTS_DIR = "notebooks/results";

    /** How the recorded runs meet the paper's numbers. */
    public enum Kind {
        /** the paper's table gives a value per dataset, model and metric */
        TABLE,
        /** the paper gives only a relative gain of one method over another (a headline, e.g. "up to") */
        HEADLINE_GAIN
    }

    /**
     * Where a paper experiment's full-budget runs are recorded and how they meet the paper. A recipe names one, or
     * none when nothing is recorded for its experiment.
     *
     * @param what the paper's item, e.g. "MCLRec Table 3"
     * @param experiments glob of experiment names under the results directory, e.g. "mclrec/table3-*" or
     *     "advinfonce/*" (an experiment is a file {@code <name>.yaml} and/or a directory {@code <name>/} of results)
     * @param kind how the paper's numbers are given
     * @param paper {@link PaperNumbers} paper key, e.g. "mclrec"
     * @param table {@link PaperNumbers} table, e.g. "3" or "headline"
     * @param split TABLE: the split compared (e.g. "test": the protocol's own history mode); HEADLINE_GAIN: null
     *     for every test split present
     * @param setting the paper's setting column ("" for none; "up to" for AdvInfoNCE's headline)
     * @param paperRow HEADLINE_GAIN: the paper's row (e.g. "AdvInfoNCE vs InfoNCE"); TABLE: null
     * @param treatment HEADLINE_GAIN: the suffix of the better method's model names (e.g. "AdvInfoNCE" matches
     *     "MF+AdvInfoNCE"); TABLE: null
     * @param baseline HEADLINE_GAIN: the suffix of the baseline's model names (e.g. "InfoNCE"); TABLE: null
     * @param paperNames TABLE: our model name to the paper's row where they differ (absent: the same name)
     */
    public record Source(String what, String experiments, Kind kind, String paper, String table, String split,
                         String setting, String paperRow, String treatment, String baseline,
                         Map<String, String> paperNames) {

        /** Checks the source. */
        public Source {
            Objects.requireNonNull(what, "what");
            Objects.requireNonNull(experiments, "experiments");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(paper, "paper");
            Objects.requireNonNull(table, "table");
            setting = setting == null ? "" : setting;
            paperNames = paperNames == null ? Map.of() : Map.copyOf(paperNames);
            if (kind == Kind.TABLE && split == null) {
                throw new IllegalArgumentException(what + ": a table comparison needs a split");
            }
            if (kind == Kind.HEADLINE_GAIN && (paperRow == null || treatment == null || baseline == null)) {
                throw new IllegalArgumentException(what + ": a headline gain needs the paper's row, the treatment "
                        + "and the baseline");
            }
        }

        /**
         * This source with our model names mapped to the paper's rows, e.g. a variant of the paper's method compared
         * with the paper's row of that method (pairs of our models with the same paper value are left out of the
         * ordering).
         *
         * @param names our model name to the paper's row name
         * @return the source
         */
        public Source withPaperNames(Map<String, String> names) {
            return new Source(what, experiments, kind, paper, table, split, setting, paperRow, treatment, baseline,
                    names);
        }

        /**
         * A paper table with a value per dataset, model and metric.
         *
         * @param what the paper's item
         * @param experiments glob of experiment names, e.g. "mclrec/table3-*"
         * @param paper paper key
         * @param table table
         * @param split the split compared, e.g. "test"
         * @return the source
         */
        public static Source table(String what, String experiments, String paper, String table, String split) {
            return new Source(what, experiments, Kind.TABLE, paper, table, split, "", null, null, null, Map.of());
        }

        /**
         * A paper that gives only the gain of one method over another.
         *
         * @param what the paper's item
         * @param experiments glob of experiment names, e.g. "advinfonce/*"
         * @param paper paper key
         * @param table table of the headline
         * @param setting the headline's setting, e.g. "up to"
         * @param paperRow the headline's row, e.g. "AdvInfoNCE vs InfoNCE"
         * @param treatment suffix of the better method's model names
         * @param baseline suffix of the baseline's model names
         * @return the source
         */
        public static Source headlineGain(String what, String experiments, String paper, String table,
                                          String setting, String paperRow, String treatment, String baseline) {
            return new Source(what, experiments, Kind.HEADLINE_GAIN, paper, table, null, setting, paperRow,
                    treatment, baseline, Map.of());
        }

        /**
         * The paper's name of one of our models.
         *
         * @param ours our model name
         * @return the paper's row name
         */
        public String paperName(String ours) {
            return paperNames.getOrDefault(ours, ours);
        }
    }

    /**
     * One seed of one dataset of a recorded experiment.
     *
     * @param dataset the dataset directory name, e.g. "coat"
     * @param seed the seed
     * @param dir the seed's directory
     * @param metrics model to split to metric (with cut-off, e.g. "HR@10") to value, in file order; empty when the
     *     seed has no metrics.csv yet
     * @param provenance provenance.csv's keys and values (empty when the file is missing)
     */
    public record SeedRun(String dataset, long seed, Path dir, Map<String, Map<String, Map<String, Double>>> metrics,
                          Map<String, String> provenance) {

        /** @return whether this seed has metrics */
        public boolean done() {
            return !metrics.isEmpty();
        }
    }

    /**
     * One recorded experiment: its file (what it should contain) and the seeds found.
     *
     * @param name e.g. "advinfonce/coat-mf"
     * @param file the experiment file, or null if there is none
     * @param dir the results directory (it may not exist yet)
     * @param datasets the datasets the file names (directory names), or those found when there is no file
     * @param seeds the seeds the file names (empty when there is no file)
     * @param models the model names the file names, as they appear in metrics.csv (empty when there is no file)
     * @param runs every seed directory found, by dataset then seed
     */
    public record Experiment(String name, Path file, Path dir, List<String> datasets, List<Long> seeds,
                             List<String> models, List<SeedRun> runs) {

        /** @return whether any seed has metrics */
        public boolean hasResults() {
            return runs.stream().anyMatch(SeedRun::done);
        }

        /**
         * The seeds with metrics for a dataset.
         *
         * @param dataset the dataset
         * @return its finished seed runs, by seed
         */
        public List<SeedRun> done(String dataset) {
            return runs.stream().filter(r -> r.dataset().equals(dataset) && r.done()).toList();
        }

        /** @return the datasets named or found, in file order then found order */
        public List<String> allDatasets() {
            LinkedHashSet<String> all = new LinkedHashSet<>(datasets);
            runs.forEach(r -> all.add(r.dataset()));
            return List.copyOf(all);
        }
    }

    private final Source source;
    private final Path root;
    private final List<Experiment> experiments;
    private final String what;

    private RecordedResults(Source source, Path root, List<Experiment> experiments, String what) {
        this.source = source;
        this.root = root;
        this.experiments = experiments;
        this.what = what;
    }

    /**
     * Nothing recorded for an experiment: {@link #message()} says so plainly.
     *
     * @param what the paper's item, e.g. "Meta-SGCL Fig. 3"
     * @return results without any run
     */
    public static RecordedResults none(String what) {
        return new RecordedResults(null, null, List.of(), what);
    }

    /**
     * The recorded runs a recipe names, read from the results directory ({@link #root()}).
     *
     * @param source what the recipe names, or null for none
     * @return the results (possibly none)
     */
    public static RecordedResults of(Source source) {
        return of(source, root());
    }

    /**
     * The recorded runs of a source under a results directory.
     *
     * @param source what to read, or null for none
     * @param root the results directory (null: not found)
     * @return the results (possibly none)
     * @throws DataFormatException naming the file and line of a malformed file
     */
    public static RecordedResults of(Source source, Path root) {
        if (source == null || root == null || !Files.isDirectory(root)) {
            return new RecordedResults(source, root, List.of(), source == null ? "this experiment" : source.what());
        }
        List<Experiment> out = new ArrayList<>();
        for (String name : names(root, source.experiments())) {
            out.add(read(root, name));
        }
        return new RecordedResults(source, root, List.copyOf(out), source.what());
    }

    /**
     * The results directory: the system property {@value #ROOT_PROPERTY} if set, else the first
     * {@value #RESULTS_DIR} found in the working directory or above it (a notebook runs in its own folder).
     *
     * @return the directory, or null if none is found
     */
    public static Path root() {
        String p = System.getProperty(ROOT_PROPERTY);
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path r = d.resolve(RESULTS_DIR);
            if (Files.isDirectory(r)) {
                return r;
            }
        }
        return null;
    }

    /** @return the source (null when the recipe names none) */
    public Source source() {
        return source;
    }

    /** @return the experiments found (files and/or result directories), by name */
    public List<Experiment> experiments() {
        return experiments;
    }

    /** @return whether any recorded seed has metrics */
    public boolean exists() {
        return experiments.stream().anyMatch(Experiment::hasResults);
    }

    // ---------------------------------------------------------------- the plain message and the provenance line

    /**
     * What is recorded, in plain words: nothing (and why), or one provenance line per experiment and dataset
     * followed by what is still missing.
     *
     * @return the message
     */
    public String message() {
        if (source == null) {
            return "No full-budget run of " + what + " has been recorded: notebooks/results/ holds none for it, so "
                    + "the only numbers here are the live run above (at the budget you chose) and the paper's.";
        }
        String where = RESULTS_DIR + "/";
        if (root == null || !Files.isDirectory(root)) {
            return "No full-budget run of " + source.what() + " can be shown: the results directory "
                    + (root == null ? RESULTS_DIR + " was not found in the working directory or above it" : root
                    + " does not exist") + " (set -D" + ROOT_PROPERTY + "=DIR).";
        }
        if (experiments.isEmpty()) {
            return "No full-budget run of " + source.what() + " has been recorded yet: " + where + " holds no "
                    + "experiment matching '" + source.experiments() + "'. The only numbers here are the live run "
                    + "above and the paper's.";
        }
        StringBuilder b = new StringBuilder();
        if (!exists()) {
            b.append("No full-budget run of ").append(source.what()).append(" has finished a seed yet; the only "
                    + "numbers here are the live run above and the paper's.\n");
        }
        for (Experiment e : experiments) {
            if (!e.hasResults()) {
                b.append(e.name()).append(": ");
                if (e.file() != null) {
                    b.append("experiment file ").append(RESULTS_DIR).append('/').append(root.relativize(e.file()))
                            .append(" (").append(String.join(", ", e.datasets())).append("; ")
                            .append(String.join(", ", e.models())).append("; seeds ").append(join(e.seeds()))
                            .append("), ");
                }
                b.append("no seed recorded yet").append(e.runs().isEmpty() ? ""
                        : " (" + e.runs().size() + " seed director" + (e.runs().size() == 1 ? "y" : "ies")
                        + " without metrics.csv: run in progress)").append(".\n");
                continue;
            }
            for (String ds : e.allDatasets()) {
                b.append(provenanceLine(e, ds)).append('\n');
                String missing = missing(e, ds);
                if (!missing.isEmpty()) {
                    b.append("  missing: ").append(missing).append('\n');
                }
                List<String> cut = new ArrayList<>();
                for (SeedRun r : e.done(ds)) {
                    List<String> models = cutShort(r);
                    if (!models.isEmpty()) {
                        cut.add("seed " + r.seed() + ": " + String.join(", ", models));
                    }
                }
                if (!cut.isEmpty()) {
                    b.append("  ended before the protocol's stopping rule (numbers of the best epoch so far, not of "
                            + "a finished run): ").append(String.join("; ", cut)).append('\n');
                }
            }
        }
        return b.toString().stripTrailing();
    }

    /**
     * The provenance line of one dataset of a recorded experiment: seeds present (of those named), when they ran,
     * the commits, the machine, the wall time, the budget and the protocol.
     *
     * @param e the experiment
     * @param dataset the dataset
     * @return e.g. "advinfonce/coat-mf on coat: seeds 101, 102 (2 of 5); started 2026-11-30 14:39 to 16:44 UTC;
     *     commit d295152+dirty (101), 6ef7d59 (102); wall time 1 h 24 min (259-4792 s per seed); ..."
     */
    public static String provenanceLine(Experiment e, String dataset) {
        List<SeedRun> done = e.done(dataset);
        if (done.isEmpty()) {
            return e.name() + " on " + dataset + ": no seed recorded yet";
        }
        List<Long> seeds = done.stream().map(SeedRun::seed).toList();
        StringBuilder b = new StringBuilder(e.name()).append(" on ").append(dataset).append(": ")
                .append(seeds.size() == 1 ? "seed " : "seeds ").append(join(seeds));
        if (!e.seeds().isEmpty()) {
            b.append(" (").append(seeds.size()).append(" of ").append(e.seeds().size()).append(')');
        }
        List<String> started = done.stream().map(r -> r.provenance().get("started")).filter(Objects::nonNull)
                .map(RecordedResults::minute).sorted().toList();
        if (!started.isEmpty()) {
            b.append("; started ").append(started.get(0));
            if (started.size() > 1 && !started.get(started.size() - 1).equals(started.get(0))) {
                b.append(" to ").append(started.get(started.size() - 1));
            }
            b.append(" UTC");
        }
        b.append("; commit ").append(grouped(done, r -> shortCommit(r.provenance().get("git.commit"))));
        if (done.stream().anyMatch(r -> !builds(r).isEmpty())) {
            // a run resumed across sittings: git.commit is the last sitting's, the epochs name their own builds
            b.append(" (last sitting); epochs trained by ").append(grouped(done, r -> builds(r).isEmpty()
                    ? "not recorded" : builds(r)));
        }
        b.append("; machine ").append(grouped(done, RecordedResults::machine));
        if (done.stream().anyMatch(r -> r.provenance().containsKey("parts"))) {
            // models run by a separate process and merged into the seed (SeedMerge)
            b.append("; run separately and merged: ").append(grouped(done, RecordedResults::parts));
        }
        double total = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        int timed = 0;
        for (SeedRun r : done) {
            String w = r.provenance().get("wall.seconds");
            if (w != null) {
                double s = number(w);
                if (!Double.isNaN(s)) {
                    total += s;
                    min = Math.min(min, s);
                    max = Math.max(max, s);
                    timed++;
                }
            }
        }
        double epochs = 0;
        for (SeedRun r : done) {
            String es = r.provenance().get("epoch.seconds");
            double s = es == null ? Double.NaN : number(es);
            epochs += Double.isNaN(s) ? 0 : s;
        }
        if (epochs > 0) {
            b.append("; epoch time across sittings ").append(duration(epochs));
        }
        if (timed > 0) {
            b.append(epochs > 0 ? "; wall time of the last sitting " : "; wall time ").append(duration(total));
            if (timed > 1) {
                b.append(String.format(Locale.ROOT, " (%.0f-%.0f s per seed)", min, max));
            }
        } else {
            b.append("; wall time unknown");
        }
        b.append("; budget ").append(grouped(done, r -> r.provenance().getOrDefault("budget", "unknown")));
        b.append("; protocol ").append(grouped(done, RecordedResults::protocol));
        return b.toString();
    }

    /**
     * The models of a recorded seed whose training ended before its protocol's stopping rule, read from the seed's
     * {@code curves.csv} (validation value per epoch) and the protocol in its provenance ({@code protocol.patience},
     * {@code protocol.maxEpochs}, {@code protocol.evalEvery}): the last epoch is below the maximum and fewer than
     * {@code patience x evalEvery} epochs came after the best validation epoch (the first epoch with the highest
     * value; a tie broken by another metric can only move the best epoch later). Such a run was capped (e.g.
     * {@code --set train.epochs=N}) or stopped and recorded early: its test numbers are those of the best epoch seen
     * so far. Seeds without a sequential curve (CF runs, Pop) or without those provenance keys give none.
     *
     * @param r a recorded seed
     * @return e.g. "DuoRec (best epoch 102, last 150: 48 epochs without improvement of the rule's 100; at most
     *     1000)", one entry per model, in curve order
     * @throws DataFormatException naming the file and line of a malformed curve row
     */
    public static List<String> cutShort(SeedRun r) {
        Path file = r.dir() == null ? null : r.dir().resolve("curves.csv");
        double patience = number(r.provenance().getOrDefault("protocol.patience", ""));
        double max = number(r.provenance().getOrDefault("protocol.maxEpochs", ""));
        double every = number(r.provenance().getOrDefault("protocol.evalEvery", "1"));
        if (file == null || !Files.isRegularFile(file) || Double.isNaN(patience) || Double.isNaN(max)) {
            return List.of();
        }
        List<String> lines = lines(file);
        if (lines.isEmpty()) {
            return List.of();
        }
        List<String> header = fields(file, 1, lines.get(0));
        int model = header.indexOf("model");
        int epoch = header.indexOf("epoch");
        int valid = header.indexOf("valid");
        if (model < 0 || epoch < 0 || valid < 0) {
            return List.of(); // not a sequential run's curve (a CF curve has valid_recall every few epochs)
        }
        Map<String, int[]> bestAndLast = new LinkedHashMap<>();
        Map<String, Double> bestValue = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> f = fields(file, i + 1, lines.get(i));
            if (f.size() != header.size()) {
                throw new DataFormatException(file, i + 1, "expected " + header.size() + " fields, got " + f.size());
            }
            String m = f.get(model);
            int ep;
            double v;
            try {
                ep = Integer.parseInt(f.get(epoch).trim());
                v = f.get(valid).isBlank() ? Double.NaN : Double.parseDouble(f.get(valid).trim());
            } catch (NumberFormatException ex) {
                throw new DataFormatException(file, i + 1, "epoch '" + f.get(epoch) + "' or valid '" + f.get(valid)
                        + "' is not a number");
            }
            int[] bl = bestAndLast.computeIfAbsent(m, k -> new int[] {0, 0});
            bl[1] = Math.max(bl[1], ep);
            if (!Double.isNaN(v) && (!bestValue.containsKey(m) || v > bestValue.get(m))) {
                bestValue.put(m, v);
                bl[0] = ep;
            }
        }
        List<String> out = new ArrayList<>();
        long window = Math.round(patience * every);
        bestAndLast.forEach((m, bl) -> {
            int without = bl[1] - bl[0];
            if (bl[1] < max && without < window) {
                out.add(String.format(Locale.ROOT, "%s (best epoch %d, last %d: %d epochs without improvement of "
                        + "the rule's %d; at most %.0f)", m, bl[0], bl[1], without, window, max));
            }
        });
        return out;
    }

    /** The merged parts of a seed ({@link SeedMerge}): "MCLRec (commit e067cc1, started 2026-12-01 13:52)". */
    private static String parts(SeedRun r) {
        String parts = r.provenance().get("parts");
        if (parts == null) {
            return "none";
        }
        List<String> out = new ArrayList<>();
        for (String part : parts.split("; ")) {
            String started = r.provenance().get("part." + part + ".started");
            out.add(part + " (commit " + shortCommit(r.provenance().get("part." + part + ".git.commit"))
                    + (started == null ? "" : ", started " + minute(started) + " UTC") + ")");
        }
        return String.join(", ", out);
    }

    /**
     * What an experiment's file names for a dataset but is not recorded: seeds without metrics, and models missing
     * from recorded seeds.
     *
     * @param e the experiment
     * @param dataset the dataset
     * @return e.g. "seeds 2021, 2022; seed 2020: CL4SRec, DuoRec, MCLRec", or "" when nothing is missing
     */
    public static String missing(Experiment e, String dataset) {
        List<String> parts = new ArrayList<>();
        List<SeedRun> done = e.done(dataset);
        Set<Long> doneSeeds = done.stream().map(SeedRun::seed).collect(Collectors.toSet());
        List<Long> absent = e.seeds().stream().filter(s -> !doneSeeds.contains(s)).toList();
        if (!absent.isEmpty()) {
            parts.add((absent.size() == 1 ? "seed " : "seeds ") + join(absent) + " (no metrics yet)");
        }
        Map<String, List<Long>> byModels = new LinkedHashMap<>();
        for (SeedRun r : done) {
            List<String> m = e.models().stream().filter(x -> !r.metrics().containsKey(x)).toList();
            if (!m.isEmpty()) {
                byModels.computeIfAbsent(String.join(", ", m), k -> new ArrayList<>()).add(r.seed());
            }
        }
        byModels.forEach((m, s) -> parts.add((s.size() == 1 ? "seed " : "seeds ") + join(s) + ": " + m));
        return String.join("; ", parts);
    }

    /**
     * One row per recorded seed: experiment, dataset, seed, started, commit, machine, wall time, budget,
     * protocol and the models present.
     *
     * @return the table (no rows when nothing is recorded)
     */
    public Table provenance() {
        StringColumn exp = StringColumn.create("experiment");
        StringColumn ds = StringColumn.create("dataset");
        IntColumn seed = IntColumn.create("seed");
        StringColumn started = StringColumn.create("started (UTC)");
        StringColumn commit = StringColumn.create("commit");
        StringColumn machine = StringColumn.create("machine");
        StringColumn wall = StringColumn.create("wall time");
        StringColumn budget = StringColumn.create("budget");
        StringColumn protocol = StringColumn.create("protocol");
        StringColumn models = StringColumn.create("models");
        for (Experiment e : experiments) {
            for (SeedRun r : e.runs()) {
                exp.append(e.name());
                ds.append(r.dataset());
                seed.append((int) r.seed());
                String s = r.provenance().get("started");
                started.append(s == null ? "" : minute(s));
                commit.append(shortCommit(r.provenance().get("git.commit")));
                machine.append(machine(r));
                String w = r.provenance().get("wall.seconds");
                wall.append(w == null ? "" : duration(number(w)));
                budget.append(r.provenance().getOrDefault("budget", ""));
                protocol.append(protocol(r));
                models.append(r.done() ? String.join(", ", r.metrics().keySet()) : "(no metrics.csv yet)");
            }
        }
        return Table.create("provenance of the recorded runs" + (source == null ? "" : " of " + source.what()), exp,
                ds, seed, started, commit, machine, wall, budget, protocol, models);
    }

    // ---------------------------------------------------------------- against the paper

    /**
     * The recorded results beside the paper's: for a table, dataset, model, metric, paper value, recorded mean
     * ± 95 % CI, seeds and the relative difference {@code 100 (recorded - paper) / paper}; for a headline gain,
     * dataset, backbone, split, metric, the two methods' means ± CI, seeds, our gain with its paired 95 % interval
     * over seeds, the paper's gain and the difference of the gains in percentage points.
     *
     * @return the table (no rows when nothing is recorded)
     */
    public Table comparison() {
        return source != null && source.kind() == Kind.HEADLINE_GAIN ? gainComparison() : tableComparison(List.of());
    }

    /**
     * {@link #comparison()} with the live run of the chosen budget beside the recorded one (tables only): a column
     * {@code live run} with the live test value of the same dataset (matched by the paper's spelling), model and
     * metric, empty where the live run has no such row. Quick-budget values are smoke tests, not results.
     *
     * @param live the notebook's runs, one per dataset (empty: no live column values)
     * @return the table
     */
    public Table comparison(List<RunResult> live) {
        return source != null && source.kind() == Kind.HEADLINE_GAIN ? gainComparison() : tableComparison(live);
    }

    /**
     * Whether the paper's ordering of the methods holds in the recorded means (see the class comment): per
     * dataset and metric (and split, for a headline gain), the paper's order, the recorded order, the pairs in the
     * paper's order, Kendall's τ-a, whether the order holds, and the reversed pairs.
     *
     * @return the table (no rows when nothing is recorded)
     */
    public Table ordering() {
        return source != null && source.kind() == Kind.HEADLINE_GAIN ? gainOrdering() : tableOrdering();
    }

    /**
     * What a notebook shows, in order: the message (provenance lines and what is missing, or that nothing is
     * recorded), then, when something is recorded, the comparison with the paper, the ordering and the
     * provenance of every seed.
     *
     * @return the things to show
     */
    public Object[] view() {
        return view(List.of());
    }

    /**
     * {@link #view()} with the live run beside the recorded one in the comparison ({@link #comparison(List)}).
     *
     * @param live the notebook's runs at the chosen budget
     * @return the things to show
     */
    public Object[] view(List<RunResult> live) {
        if (!exists()) {
            return new Object[] {message()};
        }
        return new Object[] {message(), comparison(live), ordering(), provenance()};
    }

    /**
     * One model's recorded mean ± CI of one metric on one split, over the seeds that have it.
     *
     * @param e the experiment
     * @param dataset the dataset
     * @param model the model name as in metrics.csv
     * @param split the split
     * @param metric e.g. "HR@10"
     * @return the summary, or null when no seed has the value
     */
    public static Stats.Summary summary(Experiment e, String dataset, String model, String split, String metric) {
        Map<Long, Double> v = perSeed(e, dataset, model, split, metric);
        return v.isEmpty() ? null : Stats.meanCI95(v.values().stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static Map<Long, Double> perSeed(Experiment e, String dataset, String model, String split, String metric) {
        Map<Long, Double> out = new TreeMap<>();
        for (SeedRun r : e.done(dataset)) {
            Double x = r.metrics().getOrDefault(model, Map.of()).getOrDefault(split, Map.of()).get(metric);
            if (x != null) {
                out.put(r.seed(), x);
            }
        }
        return out;
    }

    private List<String> paperMetrics(Table paperTable) {
        return List.copyOf(new LinkedHashSet<>(paperTable.stringColumn("metric").asList()));
    }

    private static List<String> modelsOf(Experiment e, String dataset) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String m : e.models()) {
            if (e.done(dataset).stream().anyMatch(r -> r.metrics().containsKey(m))) {
                names.add(m);
            }
        }
        e.done(dataset).forEach(r -> names.addAll(r.metrics().keySet()));
        return List.copyOf(names);
    }

    private static Map<String, Double> liveValues(List<RunResult> live, String split) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (RunResult r : live) {
            String pd = Comparison.paperDataset(r.provenance().get("dataset") == null ? ""
                    : r.provenance().get("dataset"));
            Table m = r.metrics();
            for (int i = 0; i < m.rowCount(); i++) {
                if (m.stringColumn("split").get(i).equals(split)) {
                    String metric = m.stringColumn("metric").get(i) + "@" + m.column("k").getString(i);
                    out.put(pd + "|" + m.stringColumn("model").get(i) + "|" + metric, m.doubleColumn("value").get(i));
                }
            }
        }
        return out;
    }

    private Table tableComparison(List<RunResult> live) {
        StringColumn ds = StringColumn.create("dataset");
        StringColumn model = StringColumn.create("model");
        StringColumn metric = StringColumn.create("metric");
        DoubleColumn paper = DoubleColumn.create("paper");
        StringColumn recorded = StringColumn.create("recorded (mean ± 95% CI)");
        DoubleColumn mean = DoubleColumn.create("recorded mean");
        IntColumn seeds = IntColumn.create("seeds");
        DoubleColumn diff = DoubleColumn.create("diff_pct");
        DoubleColumn liveCol = DoubleColumn.create("live run");
        String title = "recorded full-budget runs vs the paper";
        if (source != null && exists()) {
            Map<String, Double> liveValues = liveValues(live, source.split());
            Table paperTable = PaperNumbers.table(source.paper(), source.table());
            List<String> metrics = paperMetrics(paperTable);
            for (Experiment e : experiments) {
                for (String d : e.allDatasets()) {
                    String pd = Comparison.paperDataset(d);
                    for (String m : modelsOf(e, d)) {
                        for (String k : metrics) {
                            Stats.Summary s = summary(e, d, m, source.split(), k);
                            if (s == null) {
                                continue;
                            }
                            OptionalDouble pv = PaperNumbers.lookup(paperTable, pd, source.setting(),
                                    source.paperName(m), k);
                            ds.append(pd);
                            model.append(m);
                            metric.append(k);
                            recorded.append(s.toString());
                            mean.append(Comparison.round(s.mean(), 4));
                            seeds.append(s.n());
                            Double lv = liveValues.get(pd + "|" + m + "|" + k);
                            if (lv == null) {
                                liveCol.appendMissing();
                            } else {
                                liveCol.append(Comparison.round(lv, 4));
                            }
                            if (pv.isPresent()) {
                                paper.append(pv.getAsDouble());
                                diff.append(Comparison.relativePct(s.mean(), pv.getAsDouble()));
                            } else {
                                paper.appendMissing();
                                diff.appendMissing();
                            }
                        }
                    }
                }
            }
            title = source.what() + ": recorded full-budget runs (" + source.split() + ") vs the paper";
        }
        if (live.isEmpty()) {
            return Table.create(title, ds, model, metric, paper, recorded, mean, seeds, diff);
        }
        return Table.create(title + ", with the live run of the chosen budget (quick: not comparable)", ds, model,
                metric, paper, recorded, mean, seeds, diff, liveCol);
    }

    private Table tableOrdering() {
        StringColumn ds = StringColumn.create("dataset");
        StringColumn metric = StringColumn.create("metric");
        StringColumn paperOrder = StringColumn.create("paper's order");
        StringColumn recOrder = StringColumn.create("recorded order");
        StringColumn inOrder = StringColumn.create("pairs in the paper's order");
        DoubleColumn tau = DoubleColumn.create("Kendall tau");
        StringColumn holds = StringColumn.create("paper's order holds");
        StringColumn reversed = StringColumn.create("reversed pairs");
        String title = "does the paper's ordering of methods hold in the recorded runs?";
        if (source != null && exists()) {
            Table paperTable = PaperNumbers.table(source.paper(), source.table());
            for (Experiment e : experiments) {
                for (String d : e.allDatasets()) {
                    String pd = Comparison.paperDataset(d);
                    for (String k : paperMetrics(paperTable)) {
                        List<String> names = new ArrayList<>();
                        List<Double> pv = new ArrayList<>();
                        List<Stats.Summary> rv = new ArrayList<>();
                        for (String m : modelsOf(e, d)) {
                            OptionalDouble p = PaperNumbers.lookup(paperTable, pd, source.setting(),
                                    source.paperName(m), k);
                            Stats.Summary s = summary(e, d, m, source.split(), k);
                            if (p.isPresent() && s != null) {
                                names.add(m);
                                pv.add(p.getAsDouble());
                                rv.add(s);
                            }
                        }
                        if (names.isEmpty()) {
                            continue;
                        }
                        double[] p = pv.stream().mapToDouble(Double::doubleValue).toArray();
                        double[] r = rv.stream().mapToDouble(Stats.Summary::mean).toArray();
                        double[] hw = rv.stream().mapToDouble(Stats.Summary::halfWidth).toArray();
                        Order o = order(names, p, r, hw);
                        ds.append(pd);
                        metric.append(k);
                        paperOrder.append(ranking(names, p));
                        recOrder.append(ranking(names, r));
                        inOrder.append(o.pairs() == 0 ? "no pair" : o.concordant() + " of " + o.pairs());
                        if (o.pairs() == 0) {
                            tau.appendMissing();
                        } else {
                            tau.append(Comparison.round(o.tau(), 3));
                        }
                        holds.append(o.verdict());
                        reversed.append(o.reversedText());
                    }
                }
            }
            title = source.what() + ": does the paper's ordering of methods hold in the recorded runs ("
                    + source.split() + ")?";
        }
        return Table.create(title, ds, metric, paperOrder, recOrder, inOrder, tau, holds, reversed);
    }

    private record GainRow(String dataset, String backbone, String split, String metric, Stats.Summary base,
                           Stats.Summary treat, int paired, double gainPct, double lowPct, double highPct,
                           double paperPct, boolean beyondSpread) {
    }

    private List<GainRow> gainRows() {
        List<GainRow> rows = new ArrayList<>();
        if (source == null || !exists()) {
            return rows;
        }
        for (Experiment e : experiments) {
            for (String d : e.allDatasets()) {
                List<String> models = modelsOf(e, d);
                LinkedHashSet<String> splits = new LinkedHashSet<>();
                LinkedHashSet<String> metrics = new LinkedHashSet<>();
                for (SeedRun r : e.done(d)) {
                    r.metrics().values().forEach(bySplit -> bySplit.forEach((s, byMetric) -> {
                        if (s.startsWith("test")) {
                            splits.add(s);
                            metrics.addAll(byMetric.keySet());
                        }
                    }));
                }
                for (String tm : models) {
                    if (!tm.endsWith("+" + source.treatment())) {
                        continue;
                    }
                    String backbone = tm.substring(0, tm.length() - source.treatment().length() - 1);
                    String bm = backbone + "+" + source.baseline();
                    if (!models.contains(bm)) {
                        continue;
                    }
                    for (String s : splits) {
                        for (String k : metrics) {
                            OptionalDouble pv = PaperNumbers.value(source.paper(), source.table(), "",
                                    source.setting(), source.paperRow(), k);
                            if (pv.isEmpty()) {
                                continue;
                            }
                            Stats.Summary sb = summary(e, d, bm, s, k);
                            Stats.Summary st = summary(e, d, tm, s, k);
                            if (sb == null || st == null) {
                                continue;
                            }
                            Map<Long, Double> vb = perSeed(e, d, bm, s, k);
                            Map<Long, Double> vt = perSeed(e, d, tm, s, k);
                            List<Long> common = vt.keySet().stream().filter(vb::containsKey).toList();
                            double lo = Double.NaN;
                            double hi = Double.NaN;
                            boolean beyond = false;
                            double baseMean = common.stream().mapToDouble(vb::get).average().orElse(Double.NaN);
                            double treatMean = common.stream().mapToDouble(vt::get).average().orElse(Double.NaN);
                            if (common.size() >= 2) {
                                Stats.Paired pt = Stats.paired(common.stream().mapToDouble(vt::get).toArray(),
                                        common.stream().mapToDouble(vb::get).toArray());
                                lo = 100 * pt.diff().lower() / baseMean;
                                hi = 100 * pt.diff().upper() / baseMean;
                                beyond = pt.diff().lower() > 0 || pt.diff().upper() < 0;
                            }
                            rows.add(new GainRow(Comparison.paperDataset(d), backbone, s, k, sb, st, common.size(),
                                    100 * (treatMean - baseMean) / baseMean, lo, hi, 100 * pv.getAsDouble(), beyond));
                        }
                    }
                }
            }
        }
        return rows;
    }

    private Table gainComparison() {
        StringColumn ds = StringColumn.create("dataset");
        StringColumn bb = StringColumn.create("backbone");
        StringColumn split = StringColumn.create("split");
        StringColumn metric = StringColumn.create("metric");
        String b = source == null ? "baseline" : source.baseline();
        String t = source == null ? "treatment" : source.treatment();
        StringColumn base = StringColumn.create(b + " (mean ± 95% CI)");
        StringColumn treat = StringColumn.create(t + " (mean ± 95% CI)");
        IntColumn seeds = IntColumn.create("paired seeds");
        DoubleColumn gain = DoubleColumn.create("recorded gain %");
        StringColumn ci = StringColumn.create("gain 95% CI (paired over seeds)");
        DoubleColumn paper = DoubleColumn.create("paper gain % (" + (source == null ? "" : source.setting()) + ")");
        DoubleColumn diff = DoubleColumn.create("recorded - paper (points)");
        for (GainRow r : gainRows()) {
            ds.append(r.dataset());
            bb.append(r.backbone());
            split.append(r.split());
            metric.append(r.metric());
            base.append(r.base().toString());
            treat.append(r.treat().toString());
            seeds.append(r.paired());
            gain.append(Comparison.round(r.gainPct(), 1));
            ci.append(Double.isNaN(r.lowPct()) ? "n/a (fewer than 2 seeds)"
                    : String.format(Locale.ROOT, "[%+.1f, %+.1f]", r.lowPct(), r.highPct()));
            paper.append(Comparison.round(r.paperPct(), 2));
            diff.append(Comparison.round(r.gainPct() - r.paperPct(), 1));
        }
        String title = source == null ? "recorded gains vs the paper" : source.what() + ": recorded gain of " + t
                + " over " + b + " vs the paper's \"" + source.setting() + "\" gain";
        return Table.create(title, ds, bb, split, metric, base, treat, seeds, gain, ci, paper, diff);
    }

    private Table gainOrdering() {
        StringColumn ds = StringColumn.create("dataset");
        StringColumn bb = StringColumn.create("backbone");
        StringColumn split = StringColumn.create("split");
        StringColumn metric = StringColumn.create("metric");
        StringColumn paperOrder = StringColumn.create("paper's order");
        StringColumn holds = StringColumn.create("paper's order holds");
        StringColumn spread = StringColumn.create("beyond the seed spread");
        String t = source == null ? "" : source.treatment();
        String b = source == null ? "" : source.baseline();
        for (GainRow r : gainRows()) {
            ds.append(r.dataset());
            bb.append(r.backbone());
            split.append(r.split());
            metric.append(r.metric());
            paperOrder.append(t + " > " + b);
            holds.append(r.gainPct() > 0 ? "yes" : "no");
            spread.append(Double.isNaN(r.lowPct()) ? "n/a (fewer than 2 seeds)"
                    : r.beyondSpread() ? "yes (paired 95% CI excludes 0)" : "no (paired 95% CI includes 0)");
        }
        return Table.create(source == null ? "ordering" : source.what() + ": does " + t + " > " + b
                + " hold in the recorded runs?", ds, bb, split, metric, paperOrder, holds, spread);
    }

    // ---------------------------------------------------------------- ordering, closed forms

    /**
     * Pairwise agreement of a recorded order with the paper's.
     *
     * @param pairs pairs with distinct paper values
     * @param concordant pairs whose recorded means differ in the paper's direction
     * @param reversed pairs whose recorded means differ in the opposite direction
     * @param reversedPairs each reversed pair as "A < B" (A ahead of B in the paper), with " (beyond the seed
     *     spread)" when the two intervals do not overlap
     * @param judged whether intervals were available to judge the spread (at least 2 seeds everywhere)
     */
    public record Order(int pairs, int concordant, int reversed, List<String> reversedPairs, boolean judged) {

        /** @return Kendall's τ-a: (concordant - reversed) / pairs (NaN without pairs) */
        public double tau() {
            return pairs == 0 ? Double.NaN : (concordant - reversed) / (double) pairs;
        }

        /** @return whether every pair is in the paper's order (false without pairs) */
        public boolean holds() {
            return pairs > 0 && concordant == pairs;
        }

        /** @return "yes", "no", or "n/a (...)" when fewer than two models can be compared */
        public String verdict() {
            if (pairs == 0) {
                return "n/a (fewer than 2 models with paper numbers)";
            }
            return holds() ? "yes" : "no";
        }

        /** @return the reversed pairs, or "none" */
        public String reversedText() {
            if (pairs == 0) {
                return "";
            }
            return reversedPairs.isEmpty() ? "none" : String.join("; ", reversedPairs)
                    + (judged ? "" : " (1 seed: spread not judged)");
        }
    }

    /**
     * Compares a recorded order with the paper's over every pair of models (see the class comment).
     *
     * @param names the models
     * @param paper the paper's values
     * @param recorded the recorded means
     * @param halfWidth the recorded 95 % half-widths (NaN for one seed)
     * @return the agreement
     */
    public static Order order(List<String> names, double[] paper, double[] recorded, double[] halfWidth) {
        int n = names.size();
        if (paper.length != n || recorded.length != n || halfWidth.length != n) {
            throw new IllegalArgumentException("order needs one paper value, mean and half-width per model");
        }
        int pairs = 0;
        int conc = 0;
        int rev = 0;
        boolean judged = true;
        List<String> reversed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dp = paper[i] - paper[j];
                if (dp == 0) {
                    continue;
                }
                pairs++;
                double dr = recorded[i] - recorded[j];
                if (Math.signum(dr) == Math.signum(dp)) {
                    conc++;
                } else if (dr != 0) {
                    rev++;
                    int hi = dp > 0 ? i : j;
                    int lo = dp > 0 ? j : i;
                    String text = names.get(hi) + " < " + names.get(lo);
                    if (Double.isNaN(halfWidth[i]) || Double.isNaN(halfWidth[j])) {
                        judged = false;
                    } else if (Math.abs(dr) > halfWidth[i] + halfWidth[j]) {
                        text += " (beyond the seed spread)";
                    }
                    reversed.add(text);
                }
            }
        }
        return new Order(pairs, conc, rev, List.copyOf(reversed), judged);
    }

    private static String ranking(List<String> names, double[] v) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            idx.add(i);
        }
        idx.sort((a, b) -> Double.compare(v[b], v[a]));
        StringBuilder s = new StringBuilder(names.get(idx.get(0)));
        for (int i = 1; i < idx.size(); i++) {
            s.append(v[idx.get(i)] == v[idx.get(i - 1)] ? " = " : " > ").append(names.get(idx.get(i)));
        }
        return s.toString();
    }

    // ---------------------------------------------------------------- reading

    private static List<String> names(Path root, String glob) {
        int slash = glob.lastIndexOf('/');
        Path parent = slash < 0 ? root : root.resolve(glob.substring(0, slash));
        String prefix = slash < 0 ? "" : glob.substring(0, slash + 1);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(slash + 1));
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        TreeSet<String> found = new TreeSet<>();
        try (Stream<Path> s = Files.list(parent)) {
            for (Path p : s.toList()) {
                String f = p.getFileName().toString();
                String name = null;
                if (Files.isRegularFile(p) && (f.endsWith(".yaml") || f.endsWith(".yml") || f.endsWith(".json"))) {
                    name = f.substring(0, f.lastIndexOf('.'));
                } else if (Files.isDirectory(p) && hasSeedDirs(p)) {
                    name = f;
                }
                if (name != null && matcher.matches(Path.of(name))) {
                    found.add(prefix + name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + parent, e);
        }
        return List.copyOf(found);
    }

    private static boolean hasSeedDirs(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).anyMatch(d -> !seedDirs(d).isEmpty());
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Path> seedDirs(Path datasetDir) {
        try (Stream<Path> s = Files.list(datasetDir)) {
            return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("seed-\\d+"))
                    .sorted((a, b) -> Long.compare(seedOf(a), seedOf(b))).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long seedOf(Path seedDir) {
        return Long.parseLong(seedDir.getFileName().toString().substring("seed-".length()));
    }

    /**
     * Reads one experiment: its file (if any) and every seed directory found.
     *
     * @param root the results directory
     * @param name the experiment's name under it, e.g. "mclrec/table3-beauty"
     * @return the experiment
     * @throws DataFormatException naming the file and line of a malformed file
     */
    public static Experiment read(Path root, String name) {
        Path dir = root.resolve(name);
        Path file = null;
        for (String ext : List.of(".yaml", ".yml", ".json")) {
            Path f = root.resolve(name + ext);
            if (Files.isRegularFile(f)) {
                file = f;
                break;
            }
        }
        List<String> datasets = new ArrayList<>();
        List<Long> seeds = new ArrayList<>();
        List<String> models = new ArrayList<>();
        if (file != null) {
            readExperimentFile(file, datasets, seeds, models);
        }
        List<SeedRun> runs = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            LinkedHashSet<String> dsDirs = new LinkedHashSet<>(datasets);
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().forEach(dsDirs::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
            for (String ds : dsDirs) {
                for (Path sd : seedDirs(dir.resolve(ds))) {
                    long seed = seedOf(sd);
                    Path m = sd.resolve("metrics.csv");
                    Path p = sd.resolve("provenance.csv");
                    runs.add(new SeedRun(ds, seed, sd, Files.isRegularFile(m) ? readMetrics(m, ds, seed) : Map.of(),
                            Files.isRegularFile(p) ? readProvenance(p) : Map.of()));
                }
            }
        }
        return new Experiment(name, file, dir, List.copyOf(datasets), List.copyOf(seeds), List.copyOf(models),
                List.copyOf(runs));
    }

    private static void readExperimentFile(Path file, List<String> datasets, List<Long> seeds, List<String> models) {
        JsonNode tree;
        try {
            tree = Configs.mapperFor(file).readTree(file.toFile());
        } catch (IOException e) {
            throw new DataFormatException(file, 0, "cannot read the experiment file (" + e.getMessage() + ")");
        }
        if (tree == null || !tree.isObject()) {
            throw new DataFormatException(file, 0, "an experiment file must be a group of keys");
        }
        boolean cf = "cf".equalsIgnoreCase(tree.path("kind").asText(""));
        for (JsonNode d : tree.path("datasets")) {
            datasets.add(Experiments.dirName(d.asText()));
        }
        for (JsonNode s : tree.path("seeds")) {
            if (!s.canConvertToLong()) {
                throw new DataFormatException(file, 0, "seeds: '" + s.asText() + "' is not an integer");
            }
            seeds.add(s.asLong());
        }
        if (seeds.isEmpty()) {
            seeds.add(cf ? CF_DEFAULT_SEED : ExperimentFile.DEFAULT_SEED);
        }
        String firstDataset = datasets.isEmpty() ? null : datasets.get(0);
        for (JsonNode m : tree.path("models")) {
            if (m.isTextual() && cf) {
                models.add(m.asText().replace("InfoNCExk", "InfoNCE×k")); // the file's spelling of the display name
            } else {
                String key = m.isTextual() ? m.asText() : m.path("model").asText("");
                String name = m.isObject() && m.hasNonNull("name") ? m.get("name").asText() : null;
                if (name == null) {
                    try {
                        ModelRegistry.Entry<?> entry = ModelRegistry.get(key);
                        name = entry.nameFor(entry.presetFor(firstDataset));
                    } catch (RuntimeException e) {
                        throw new DataFormatException(file, 0, "models: '" + key + "' is not a registered model ("
                                + e.getMessage() + ")");
                    }
                }
                models.add(name);
            }
        }
    }

    /**
     * Reads a metrics.csv of either layout (sequential {@code model,split,metric,k,value}; CF
     * {@code dataset,model,split,metric,value,seed}).
     *
     * @param file the file
     * @param dataset the dataset of its directory (a dataset column must agree)
     * @param seed the seed of its directory (a seed column must agree)
     * @return model to split to metric to value, in file order
     * @throws DataFormatException naming the file and line of a malformed row
     */
    public static Map<String, Map<String, Map<String, Double>>> readMetrics(Path file, String dataset, long seed) {
        List<String> lines = lines(file);
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new DataFormatException(file, 1, "empty file: expected a header with model, split, metric, value");
        }
        List<String> header = fields(file, 1, lines.get(0));
        int model = header.indexOf("model");
        int split = header.indexOf("split");
        int metric = header.indexOf("metric");
        int value = header.indexOf("value");
        int k = header.indexOf("k");
        int seedCol = header.indexOf("seed");
        int dsCol = header.indexOf("dataset");
        if (model < 0 || split < 0 || metric < 0 || value < 0) {
            throw new DataFormatException(file, 1, "header " + header + " lacks one of model, split, metric, value");
        }
        Map<String, Map<String, Map<String, Double>>> out = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            int no = i + 1;
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> f = fields(file, no, lines.get(i));
            if (f.size() != header.size()) {
                throw new DataFormatException(file, no, "expected " + header.size() + " fields " + header + ", got "
                        + f.size());
            }
            String name = f.get(metric);
            if (k >= 0 && !name.contains("@")) {
                if (!f.get(k).matches("\\d+")) {
                    throw new DataFormatException(file, no, "k '" + f.get(k) + "' is not a positive integer");
                }
                name = name + "@" + f.get(k);
            }
            if (seedCol >= 0 && !f.get(seedCol).equals(Long.toString(seed))) {
                throw new DataFormatException(file, no, "seed " + f.get(seedCol) + " in a seed-" + seed
                        + " directory");
            }
            if (dsCol >= 0 && !f.get(dsCol).equals(dataset)) {
                throw new DataFormatException(file, no, "dataset '" + f.get(dsCol) + "' in a '" + dataset
                        + "' directory");
            }
            if (f.get(model).isBlank() || f.get(split).isBlank() || name.isBlank()) {
                throw new DataFormatException(file, no, "empty model, split or metric");
            }
            double v;
            try {
                v = Double.parseDouble(f.get(value));
            } catch (NumberFormatException e) {
                throw new DataFormatException(file, no, "value '" + f.get(value) + "' is not a number");
            }
            Double before = out.computeIfAbsent(f.get(model), x -> new LinkedHashMap<>())
                    .computeIfAbsent(f.get(split), x -> new LinkedHashMap<>()).put(name, v);
            if (before != null) {
                throw new DataFormatException(file, no, "duplicate row for " + f.get(model) + ", " + f.get(split)
                        + ", " + name);
            }
        }
        if (out.isEmpty()) {
            throw new DataFormatException(file, 2, "no metric rows");
        }
        return out;
    }

    /**
     * Reads a provenance.csv ({@code key,value}).
     *
     * @param file the file
     * @return the keys and values in file order
     * @throws DataFormatException naming the file and line of a malformed row
     */
    public static Map<String, String> readProvenance(Path file) {
        List<String> lines = lines(file);
        if (lines.isEmpty() || !fields(file, 1, lines.get(0)).equals(List.of("key", "value"))) {
            throw new DataFormatException(file, 1, "expected the header key,value");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> f = fields(file, i + 1, lines.get(i));
            if (f.size() != 2) {
                throw new DataFormatException(file, i + 1, "expected 2 fields (key, value), got " + f.size());
            }
            out.put(f.get(0), f.get(1));
        }
        return Collections.unmodifiableMap(out);
    }

    private static List<String> lines(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            return text.lines().toList();
        } catch (IOException e) {
            throw new DataFormatException(file, 0, "cannot read (" + e.getMessage() + ")");
        }
    }

    /** Splits one CSV line (RFC 4180 quotes, "" inside quotes); an unterminated quote is an error. */
    static List<String> fields(Path file, int line, String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"' && cur.length() == 0) {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new DataFormatException(file, line, "unterminated quoted field");
        }
        out.add(cur.toString());
        return out;
    }

    // ---------------------------------------------------------------- formatting

    private static String minute(String instant) {
        try {
            return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC)
                    .format(Instant.parse(instant));
        } catch (DateTimeParseException e) {
            return instant;
        }
    }

    private static String shortCommit(String commit) {
        if (commit == null || commit.isBlank()) {
            return "unknown";
        }
        boolean dirty = commit.endsWith("+dirty");
        String c = dirty ? commit.substring(0, commit.length() - "+dirty".length()) : commit;
        return (c.length() > 7 ? c.substring(0, 7) : c) + (dirty ? "+dirty" : "");
    }

    private static String machine(SeedRun r) {
        Map<String, String> p = r.provenance();
        if (p.isEmpty()) {
            return "unknown";
        }
        return p.getOrDefault("cpu", "?") + ", " + p.getOrDefault("cores", "?") + " cores, "
                + p.getOrDefault("device", "?");
    }

    private static String protocol(SeedRun r) {
        Map<String, String> p = r.provenance();
        String line = p.get("protocol.line");
        if (line != null) {
            return line;
        }
        if (!p.containsKey("protocol")) {
            return "unknown";
        }
        StringBuilder b = new StringBuilder(p.get("protocol")).append(" protocol");
        List<String> parts = new ArrayList<>();
        for (String[] kv : new String[][] {{"protocol.history", "history "}, {"protocol.candidates", "candidates "},
                {"protocol.monitor", "valid "}, {"protocol.patience", "patience "},
                {"protocol.evalEvery", "validation every "}, {"protocol.maxEpochs", "max epochs "},
                {"protocol.minEpochs", "min epochs "}, {"protocol.ks", "k "}}) {
            String v = p.get(kv[0]);
            if (v != null) {
                parts.add(kv[1] + v);
            }
        }
        if (!parts.isEmpty()) {
            b.append(": ").append(String.join(", ", parts));
        }
        return b.toString();
    }

    /**
     * The distinct builds named by a seed's {@code build.<model>} provenance entries (Runner: e.g. "epochs 1-34 not
     * recorded; 35-40 1723b0fd6bf0"), in order of appearance.
     */
    private static String builds(SeedRun r) {
        java.util.LinkedHashSet<String> labels = new java.util.LinkedHashSet<>();
        for (Map.Entry<String, String> e : r.provenance().entrySet()) {
            if (!e.getKey().startsWith("build.")) {
                continue;
            }
            for (String range : e.getValue().replaceFirst("^epochs ", "").split("; ")) {
                int space = range.indexOf(' ');
                if (space > 0) {
                    labels.add(range.substring(space + 1));
                }
            }
        }
        return String.join(", ", labels);
    }

    private static String grouped(List<SeedRun> runs, java.util.function.Function<SeedRun, String> f) {
        Map<String, List<Long>> by = new LinkedHashMap<>();
        for (SeedRun r : runs) {
            by.computeIfAbsent(f.apply(r), x -> new ArrayList<>()).add(r.seed());
        }
        if (by.size() == 1) {
            return by.keySet().iterator().next();
        }
        return by.entrySet().stream().map(e -> e.getKey() + " (" + (e.getValue().size() == 1 ? "seed " : "seeds ")
                + join(e.getValue()) + ")").collect(Collectors.joining(", "));
    }

    private static String join(List<Long> seeds) {
        return seeds.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * A wall time in words.
     *
     * @param seconds seconds (NaN: "unknown")
     * @return e.g. "42 s", "4 min 19 s", "1 h 20 min"
     */
    public static String duration(double seconds) {
        if (Double.isNaN(seconds)) {
            return "unknown";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + ((s % 3600) / 60) + " min";
    }
}
