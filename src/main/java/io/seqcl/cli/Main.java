package io.seqcl.cli;

import io.seqcl.config.Configs;
import io.seqcl.data.DatasetStats;
import io.seqcl.data.Datasets;
import io.seqcl.data.SequenceDataset;
import io.seqcl.experiment.Budget;
import io.seqcl.experiment.ExperimentFile;
import io.seqcl.experiment.Experiments;
import io.seqcl.experiment.PaperSettings;
import io.seqcl.experiment.Quickstart;
import io.seqcl.experiment.RunResult;
import io.seqcl.model.ModelRegistry;
import io.seqcl.train.EpochReport;
import io.seqcl.train.ProgressListener;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The {@code seqcl} command line (picocli): {@code run}, {@code quickstart}, {@code bench}, {@code bench-epoch},
 * {@code gpu-check}, {@code merge-seed}, {@code eval-checkpoint}, {@code datasets}, {@code models}. {@code seqcl --help} and {@code seqcl help COMMAND} list every option.
 *
 * <p>Run through the launcher {@code environment/seqcl}, which builds the library if needed. Every number is
 * checked before any work starts, and {@code --out} is checked for writing first.
 */
@Command(name = "seqcl", mixinStandardHelpOptions = true, version = "seqcl " + io.seqcl.experiment.Provenance.SEQCL_VERSION,
        description = "Sequential recommendation and contrastive learning on the JVM.",
        subcommands = {Main.Run.class, Main.QuickstartCmd.class, Main.Bench.class, Main.BenchEpoch.class,
                Main.DatasetsCmd.class, Main.Models.class, Main.GpuCheckCmd.class, Main.MergeSeed.class,
                Main.EvalCheckpoint.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Environment: SEQCL_DATA (data directory, default data/), SEQCL_BUDGET (quick|full),",
                "SEQCL_DEVICE (cpu | gpu | gpu:N; GPU needs a build with -Pcuda)."})
public final class Main implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Entry point.
     *
     * @param args command and options
     */
    public static void main(String[] args) {
        io.seqcl.train.StopRequest.installSignalHandlers();
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs a command line.
     *
     * @param args command and options
     * @param out standard output
     * @param err error output
     * @return exit code: 0 success, 2 bad usage or input (options, configuration, data files), 1 failure, 143 or 130
     *     training stopped by SIGTERM or SIGINT ({@link io.seqcl.train.StopRequest}; the checkpoints stay resumable)
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main());
        PrintWriter errWriter = new PrintWriter(err, true);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(errWriter);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof io.seqcl.train.RunStoppedException stop) {
                errWriter.println("seqcl " + cmd.getCommandName() + ": " + e.getMessage());
                return stop.exitCode();
            }
            if (e instanceof IllegalArgumentException || e instanceof io.seqcl.data.DataFormatException) {
                errWriter.println("seqcl " + cmd.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            errWriter.println("seqcl " + cmd.getCommandName() + ": " + e);
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    /** Where results go, checked for writing before any work starts. */
    static final class OutOption {
        @Option(names = "--out", paramLabel = "DIR", description = "write metrics, curves and provenance here")
        Path out;

        void check() {
            if (out == null) {
                return;
            }
            try {
                Files.createDirectories(out);
                Path probe = Files.createTempFile(out, ".seqcl-write-check", ".tmp");
                Files.delete(probe);
            } catch (IOException | UnsupportedOperationException e) {
                throw new IllegalArgumentException("--out " + out + " is not writable: " + e, e);
            }
        }
    }

    static void positive(String option, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be >= 1, got " + value);
        }
    }

    static PrintStream stdout(CommandLine.Model.CommandSpec spec) {
        return new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                spec.commandLine().getOut().write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                spec.commandLine().getOut().write(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
            }

            @Override
            public void flush() {
                spec.commandLine().getOut().flush();
            }
        }, true, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** {@code seqcl run}: an experiment file, a provenance.json, or one model ad hoc. */
    @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Run an experiment file (YAML/JSON), re-run a provenance.json, or train models ad hoc:",
                    "  seqcl run experiments/table3.yaml --out results/",
                    "  seqcl run results/beauty/seed-2020/provenance.json",
                    "  seqcl run --model sasrec --dataset beauty --set encoder.maxLen=50 --set train.epochs=5",
                    "One row of a file at one seed, e.g. to merge it into a recorded table (seqcl merge-seed):",
                    "  seqcl run table2-toys.yaml --row DuoRec --seed 2021 --seeds 1 --out runs/duorec --resume"})
    static final class Run implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "FILE", description = "experiment file or provenance.json")
        Path file;

        @Option(names = {"-m", "--model"}, paramLabel = "M", description = "registered model key (repeatable); see `seqcl models`")
        List<String> models = new ArrayList<>();

        @Option(names = {"-d", "--dataset"}, paramLabel = "D", description = "dataset key (repeatable); see `seqcl datasets`")
        List<String> datasets = new ArrayList<>();

        @Option(names = "--data", paramLabel = "PATH",
                description = "a sequence file (user item item ...) or RecBole .inter file of your own (repeatable)")
        List<String> files = new ArrayList<>();

        @Option(names = "--remap-ids", description = "renumber the item ids of --data files 1..N (0-based or sparse ids)")
        boolean remapIds;

        @Option(names = "--set", paramLabel = "KEY=VALUE",
                description = "change a model setting (e.g. encoder.maxLen=200, lambda=0.1) or, with the prefix train., "
                        + "a training setting (train.epochs=5); repeatable. With an experiment FILE only training "
                        + "settings (train.shards=2), for every row")
        List<String> sets = new ArrayList<>();

        @Option(names = "--row", paramLabel = "NAME",
                description = "with an experiment FILE: run only the row of this name (repeatable), e.g. DuoRec or "
                        + "'Meta-SGCL (stage 2 FULL, KL over slots)'")
        List<String> rows = new ArrayList<>();

        @Option(names = "--protocol", paramLabel = "P", description = "paper protocol: metasgcl, mclrec, contrastvae or coserec (ad hoc runs; default: the models' paper, "
                + "mclrec for mclrec/duorec/cl4srec, else metasgcl)")
        String protocol;

        @Option(names = "--budget", paramLabel = "B", description = "quick or full (ad hoc default: $SEQCL_BUDGET or quick)")
        String budget;

        @Option(names = "--seed", paramLabel = "S", description = "first seed (default ${DEFAULT-VALUE}); with an experiment "
                + "FILE and no --seeds, the one seed run instead of the file's", defaultValue = "2020")
        long seed;

        @Option(names = "--seeds", paramLabel = "N", description = "number of seeds: S, S+1, ... (default: the file's seeds, else 1)")
        Integer seeds;

        @Option(names = "--name", paramLabel = "NAME", description = "experiment name for ad hoc runs (default: adhoc)")
        String name;

        @CommandLine.Mixin
        OutOption out = new OutOption();

        @Option(names = "--resume", description = "continue an interrupted run from its checkpoints in --out")
        boolean resume;

        @Override
        public Integer call() {
            PrintStream ps = stdout(spec);
            if (seeds != null) {
                positive("--seeds", seeds);
            }
            if (resume && out.out == null) {
                throw new IllegalArgumentException("--resume needs --out (the directory of the interrupted run)");
            }
            if (file != null && io.seqcl.cf.CfExperimentFile.isCfFile(file)) {
                return runCf(ps);
            }
            ExperimentFile exp;
            if (file != null) {
                if (!models.isEmpty() || !datasets.isEmpty() || !files.isEmpty() || protocol != null
                        || budget != null) {
                    throw new IllegalArgumentException("give either an experiment FILE or --model/--dataset/--data/"
                            + "--protocol/--budget, not both");
                }
                for (String s : sets) {
                    if (!s.startsWith("train.")) {
                        throw new IllegalArgumentException("--set " + s + ": with an experiment FILE, --set changes "
                                + "training settings only (train.KEY=VALUE, for every row); change a model's settings "
                                + "in the file (its row's config)");
                    }
                }
                exp = Experiments.read(file);
                if (!rows.isEmpty()) {
                    exp = exp.withRows(rows);
                }
                if (!sets.isEmpty()) {
                    exp = exp.withTrainChanges((com.fasterxml.jackson.databind.node.ObjectNode)
                            ExperimentFile.setsToObject(sets).get("train"));
                }
                List<Long> chosen = fileSeeds();
                if (chosen != null) {
                    exp = exp.withSeeds(chosen);
                }
            } else {
                if (!rows.isEmpty()) {
                    throw new IllegalArgumentException("--row selects rows of an experiment FILE; an ad hoc run "
                            + "names its models with --model");
                }
                exp = adHoc();
            }
            out.check();
            ps.println("experiment " + exp.name() + ": " + exp.datasets() + " x " + exp.models().size()
                    + " model(s), " + exp.paperProtocol().line() + ", budget "
                    + exp.budget().name().toLowerCase(Locale.ROOT) + ", seeds " + exp.seeds());
            List<RunResult> results = Experiments.run(exp, out.out, resume, consoleProgress(ps));
            for (RunResult r : results) {
                ps.println(r.summary("test").print());
            }
            if (exp.seeds().size() > 1) {
                printSeedStatistics(ps, exp, results);
            }
            if (out.out != null) {
                ps.println("results written to " + out.out.toAbsolutePath());
            }
            return 0;
        }

        /** Mean ± 95 % CI over seeds per dataset, and paired tests of the last model against each other one. */
        private void printSeedStatistics(PrintStream ps, ExperimentFile exp, List<RunResult> results) {
            int perDataset = exp.seeds().size();
            for (int d = 0; d < exp.datasets().size(); d++) {
                List<RunResult> runs = results.subList(d * perDataset, (d + 1) * perDataset);
                tech.tablesaw.api.Table t = io.seqcl.experiment.Stats.seedTable(runs, "test");
                ps.println(t.selectColumns(t.columnNames().stream().filter(c -> !c.endsWith(" mean")
                        && !c.endsWith(" ci95")).toArray(String[]::new)).print());
                List<String> names = runs.get(0).results().stream().map(io.seqcl.train.TrainResult::model).toList();
                StringBuilder csv = new StringBuilder();
                for (int i = 0; i + 1 < names.size(); i++) {
                    tech.tablesaw.api.Table p = io.seqcl.experiment.Stats.pairedTable(runs, names.get(names.size() - 1),
                            names.get(i), List.of(io.seqcl.eval.MetricKey.parse("HR@10"),
                                    io.seqcl.eval.MetricKey.parse("NDCG@10")));
                    ps.println(p.print());
                    csv.append("# ").append(p.name()).append('\n').append(csvOf(p));
                }
                if (out.out != null) {
                    java.nio.file.Path dir = out.out.resolve(Experiments.dirName(exp.datasets().get(d)));
                    try {
                        io.seqcl.util.AtomicFiles.writeString(dir.resolve("seeds-summary.csv"), csvOf(t));
                        io.seqcl.util.AtomicFiles.writeString(dir.resolve("seeds-paired.csv"), csv.toString());
                    } catch (IOException e) {
                        throw new UncheckedIOException("could not write " + dir + ": " + e.getMessage(), e);
                    }
                }
            }
        }

        /** The seeds that replace an experiment FILE's: --seed S --seeds N, or --seed S alone; null to keep them. */
        private List<Long> fileSeeds() {
            if (seeds != null) {
                return seedList(seed, seeds);
            }
            return spec.commandLine().getParseResult().hasMatchedOption("--seed") ? List.of(seed) : null;
        }

        private int runCf(PrintStream ps) {
            if (!models.isEmpty() || !datasets.isEmpty() || !files.isEmpty() || !sets.isEmpty() || protocol != null
                    || budget != null || !rows.isEmpty()) {
                throw new IllegalArgumentException("a CF experiment FILE runs as written: --model/--dataset/--data/"
                        + "--set/--row/--protocol/--budget do not apply to it");
            }
            io.seqcl.cf.CfExperimentFile exp = io.seqcl.cf.CfExperimentFile.read(file);
            List<Long> chosen = fileSeeds();
            if (chosen != null) {
                exp = exp.withSeeds(chosen);
            }
            out.check();
            ps.println("CF experiment " + exp.heading() + ": " + exp.datasets() + " x " + exp.models()
                    + ", seeds " + exp.seeds());
            io.seqcl.cf.CfExperimentFile.Outcome outcome = exp.runAll(out.out, resume, consoleProgress(ps));
            tech.tablesaw.api.Table m = outcome.metrics();
            for (String d : exp.datasets()) {
                java.util.LinkedHashSet<String> splits = new java.util.LinkedHashSet<>(m.where(
                        m.stringColumn("dataset").startsWith(d)).stringColumn("split").asList());
                StringBuilder all = new StringBuilder();
                for (String split : splits) {
                    tech.tablesaw.api.Table t = exp.seedTable(m, d, split);
                    ps.println(t.selectColumns(t.columnNames().stream().filter(c -> !c.endsWith(" mean")
                            && !c.endsWith(" ci95")).toArray(String[]::new)).print());
                    all.append("# ").append(t.name()).append('\n').append(csvOf(t));
                }
                if (out.out != null) {
                    try {
                        io.seqcl.util.AtomicFiles.writeString(out.out.resolve(d).resolve("seeds-summary.csv"),
                                all.toString());
                        String paired = exp.pairedCsv(outcome, d);
                        if (!paired.isEmpty()) {
                            io.seqcl.util.AtomicFiles.writeString(out.out.resolve(d).resolve("seeds-paired.csv"),
                                    paired);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException("could not write " + out.out + ": " + e.getMessage(), e);
                    }
                }
            }
            if (out.out != null) {
                ps.println("results written to " + out.out.toAbsolutePath());
            }
            return 0;
        }

        private static String csvOf(tech.tablesaw.api.Table t) {
            java.io.StringWriter w = new java.io.StringWriter();
            t.write().csv(w);
            return w.toString();
        }

        private ExperimentFile adHoc() {
            List<String> all = new ArrayList<>(datasets);
            for (String f : files) {
                if (!Files.isRegularFile(Path.of(f))) {
                    throw new IllegalArgumentException("--data " + f + ": no such file");
                }
                all.add(f);
            }
            if (models.isEmpty() || all.isEmpty()) {
                throw new IllegalArgumentException("give an experiment FILE, or at least one --model and one --dataset "
                        + "or --data");
            }
            List<String> modelSets = new ArrayList<>();
            List<String> trainSets = new ArrayList<>();
            for (String s : sets) {
                if (s.startsWith("train.")) {
                    trainSets.add(s.substring(6));
                } else {
                    modelSets.add(s);
                }
            }
            if (!modelSets.isEmpty() && models.size() > 1) {
                throw new IllegalArgumentException("--set of model settings needs exactly one --model; write an "
                        + "experiment file for several models with their own settings");
            }
            List<ExperimentFile.Model> ms = new ArrayList<>();
            for (String m : models) {
                ms.add(new ExperimentFile.Model(m, null, null,
                        modelSets.isEmpty() ? null : ExperimentFile.setsToObject(modelSets)));
            }
            Budget b = budget == null ? Budget.fromEnv() : Budget.parse(budget);
            PaperSettings.Paper p = protocol == null ? null : PaperSettings.Paper.parse(protocol);
            ExperimentFile exp = new ExperimentFile(name == null ? "adhoc" : name, all, p, b,
                    seedList(seed, seeds == null ? 1 : seeds),
                    trainSets.isEmpty() ? null : ExperimentFile.setsToObject(trainSets), ms, remapIds ? true : null);
            exp.trainConfig(seed);
            return exp;
        }

        private static List<Long> seedList(long first, int n) {
            List<Long> s = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                s.add(first + i);
            }
            return s;
        }
    }

    /** {@code seqcl quickstart}: Pop and SASRec on one dataset. */
    @Command(name = "quickstart", mixinStandardHelpOptions = true,
            description = "Train Pop and SASRec, print the metrics table and the time taken "
                    + "(default dataset: beauty if $SEQCL_DATA has it, else the synthetic one).")
    static final class QuickstartCmd implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--dataset", paramLabel = "NAME", description = "dataset key")
        String dataset;

        @Option(names = "--budget", paramLabel = "B", description = "quick or full (default: $SEQCL_BUDGET or quick)")
        String budget;

        @Option(names = "--epochs", paramLabel = "N", description = "epochs (default: the budget's)")
        Integer epochs;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "2020", description = "seed (default ${DEFAULT-VALUE})")
        long seed;

        @CommandLine.Mixin
        OutOption out = new OutOption();

        @Override
        public Integer call() {
            if (epochs != null && epochs < 0) {
                throw new IllegalArgumentException("--epochs must be >= 0, got " + epochs);
            }
            Budget b = budget == null ? Budget.fromEnv() : Budget.parse(budget);
            out.check();
            PrintStream ps = stdout(spec);
            long t0 = System.nanoTime();
            SequenceDataset ds = dataset == null ? Datasets.loadOrSynthetic("beauty") : Datasets.load(dataset);
            ps.println(DatasetStats.table(ds).print());
            var s = Quickstart.spec(ds, b, seed);
            if (epochs != null) {
                s = s.withTrain(s.train().withEpochs(epochs));
            }
            ps.println("budget " + b.name().toLowerCase(Locale.ROOT) + ": " + s.train());
            RunResult r = io.seqcl.experiment.Runner.run(ds, s, consoleProgress(ps));
            ps.println(r.summary("test").print());
            double secs = (System.nanoTime() - t0) / 1e9;
            ps.printf(Locale.ROOT, "total time %.1f s (%s)%n", secs, EpochReport.formatDuration(secs));
            if (out.out != null) {
                try {
                    r.save(out.out);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not write results to " + out.out + ": " + e.getMessage(), e);
                }
                ps.println("results written to " + out.out.toAbsolutePath());
            }
            return 0;
        }
    }

    /** {@code seqcl bench}: the SASRec step benchmark. */
    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Time one SASRec training step and one full evaluation pass.")
    static final class Bench implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--steps", defaultValue = "20", description = "timed steps (default ${DEFAULT-VALUE})")
        int steps;
        @Option(names = "--warmup", defaultValue = "5", description = "untimed steps first (default ${DEFAULT-VALUE})")
        int warmup;
        @Option(names = "--batch", defaultValue = "256", description = "batch size (default ${DEFAULT-VALUE})")
        int batch;
        @Option(names = "--len", defaultValue = "50", description = "sequence length T (default ${DEFAULT-VALUE})")
        int len;
        @Option(names = "--dim", defaultValue = "64", description = "width d (default ${DEFAULT-VALUE})")
        int dim;
        @Option(names = "--items", defaultValue = "12101", description = "items (default ${DEFAULT-VALUE})")
        int items;
        @Option(names = "--users", defaultValue = "22363", description = "users evaluated (default ${DEFAULT-VALUE})")
        int users;
        @Option(names = "--threads", defaultValue = "0", description = "libtorch intra-op threads (0 = its default)")
        int threads;
        @Option(names = "--eval", defaultValue = "1", description = "1: also time one full evaluation pass; 0: skip it")
        int eval;
        @Option(names = "--eval-threads", defaultValue = "0",
                description = "threads scoring evaluation batches at once (0: -Dseqcl.evalThreads, else 1)")
        int evalThreads;

        @Override
        public Integer call() {
            positive("--steps", steps);
            positive("--batch", batch);
            positive("--len", len);
            positive("--dim", dim);
            positive("--items", items);
            positive("--users", users);
            if (warmup < 0) {
                throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
            }
            Map<String, String> o = new LinkedHashMap<>();
            o.put("steps", "" + steps);
            o.put("warmup", "" + warmup);
            o.put("batch", "" + batch);
            o.put("len", "" + len);
            o.put("dim", "" + dim);
            o.put("items", "" + items);
            o.put("users", "" + users);
            o.put("threads", "" + threads);
            o.put("eval", "" + eval);
            if (evalThreads > 0) {
                o.put("eval-threads", "" + evalThreads);
            }
            return io.seqcl.bench.StepBenchmark.run(o, stdout(spec));
        }
    }

    /** {@code seqcl bench-epoch}: real training steps of a model at the paper's full settings. */
    @Command(name = "bench-epoch", mixinStandardHelpOptions = true,
            description = "Time real training steps of a model at the paper's full settings, packed and padded in the "
                    + "same run (alternating steps on the same batches), and print the epoch times, their ratio, the "
                    + "shares of forward, backward, optimizer and data preparation, and the peak resident memory.")
    static final class BenchEpoch implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--dataset", defaultValue = "toys", description = "dataset key (default ${DEFAULT-VALUE})")
        String dataset;
        @Option(names = "--model", defaultValue = "metasgcl", description = "model key (default ${DEFAULT-VALUE})")
        String model;
        @Option(names = "--steps", defaultValue = "20", description = "timed steps per round (default ${DEFAULT-VALUE})")
        int steps;
        @Option(names = "--warmup", defaultValue = "3", description = "untimed steps first (default ${DEFAULT-VALUE})")
        int warmup;
        @Option(names = "--batch", defaultValue = "256", description = "batch size (default ${DEFAULT-VALUE})")
        int batch;
        @Option(names = "--rounds", defaultValue = "2", description = "sample rounds (default ${DEFAULT-VALUE})")
        int rounds;
        @Option(names = "--layouts", defaultValue = "both", description = "both, packed or padded (default ${DEFAULT-VALUE})")
        String layouts;
        @Option(names = "--threads", defaultValue = "0", description = "libtorch intra-op threads (0 = its default)")
        int threads;
        @Option(names = "--eval", defaultValue = "0", description = "1: also time one validation pass per layout")
        int eval;
        @Option(names = "--over-padding", defaultValue = "1",
                description = "0: ContrastVAE's KL and pooling over real positions only (1: all T, the reference code)")
        int overPadding;
        @Option(names = "--wide-threads", defaultValue = "-1",
                description = "libtorch threads for the large operators only (full-softmax cross-entropies of 2^23 "
                        + "entries or more); "
                        + "0 = off; default: -Dseqcl.wideThreads, else off")
        int wideThreads;
        @Option(names = "--stage", defaultValue = "finetune",
                description = "s3rec only: finetune (default) or pretrain (the MIP pre-training step)")
        String stage;
        @Option(names = "--shards", defaultValue = "1",
                description = "N > 1: also time the first layout trained in N row ranges at once, one thread each "
                        + "(train.shards; models whose loss splits by rows, e.g. SASRec; use --threads 1)")
        int shards;
        @Option(names = "--profile", defaultValue = "",
                description = "write a libtorch operator trace (Chrome trace JSON) of --steps extra steps of the first "
                        + "layout to this file and print its operators by self time")
        String profile;

        @Override
        public Integer call() {
            positive("--steps", steps);
            positive("--rounds", rounds);
            positive("--batch", batch);
            if (warmup < 0) {
                throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
            }
            ModelRegistry.get(model);
            Map<String, String> o = new LinkedHashMap<>();
            o.put("dataset", dataset);
            o.put("model", model);
            o.put("steps", "" + steps);
            o.put("warmup", "" + warmup);
            o.put("batch", "" + batch);
            o.put("rounds", "" + rounds);
            o.put("layouts", layouts);
            o.put("threads", "" + threads);
            o.put("eval", "" + eval);
            o.put("over-padding", "" + overPadding);
            o.put("wide-threads", "" + wideThreads);
            o.put("stage", stage);
            o.put("shards", "" + shards);
            if (!profile.isEmpty()) {
                o.put("profile", profile);
            }
            return io.seqcl.bench.EpochBenchmark.run(o, stdout(spec));
        }
    }

    /** {@code seqcl gpu-check}: step and epoch benchmarks, CPU-vs-device agreement and a full SASRec run. */
    @Command(name = "gpu-check", mixinStandardHelpOptions = true,
            description = {"On the chosen device: the SASRec step benchmark, bench-epoch for SASRec and MCLRec on "
                    + "Beauty, a CPU-vs-device agreement check (same weights and batch, 1e-4), and one full-budget "
                    + "SASRec training on Beauty; writes gpu-check.txt, summary.json and summary.csv to --out.",
                    "Options are passed on to io.seqcl.bench.GpuCheck: --device D --parts P,.. --epochs N --dataset D "
                            + "--agree-batch B --tol T --out DIR (see environment/gpu/ and README, GPU)."})
    static final class GpuCheckCmd implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Unmatched
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() {
            Map<String, String> o = io.seqcl.util.Options.parse(args);
            return io.seqcl.bench.GpuCheck.run(o, stdout(spec));
        }
    }

    /** {@code seqcl merge-seed}. */
    @Command(name = "merge-seed", mixinStandardHelpOptions = true,
            description = {"Merge the files of one seed written by a separate run (models run on their own, e.g.",
                "after a sitting's checkpoints were lost) into the seed directory of the experiment:",
                "  seqcl merge-seed --into results/beauty/seed-2020 other/beauty/seed-2020",
                "Refuses runs of another experiment, seed, dataset, budget, protocol or training configuration, and",
                "models present in both; the separate run's commit, start and machine are kept in the provenance.",
                "A run recorded under another row name (a diagnostic whose configuration is a table's row) joins with",
                "  seqcl merge-seed --into DIR --rename 'Meta-SGCL=Meta-SGCL (stage 2 on L_cl)' --other-experiment FROM",
                "(both recorded in the provenance: part.<models>.renamed and part.<models>.experiment)."})
    static final class MergeSeed implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--into", required = true, paramLabel = "DIR", description = "seed directory that receives the models")
        java.nio.file.Path into;

        @Parameters(arity = "1", paramLabel = "FROM", description = "seed directory of the separate run")
        java.nio.file.Path from;

        @Option(names = "--rename", paramLabel = "OLD=NEW",
                description = "merge the source's model OLD as the row NEW (repeatable)")
        Map<String, String> rename = new java.util.LinkedHashMap<>();

        @Option(names = "--other-experiment",
                description = "accept a source of another experiment name (all other settings must still be equal)")
        boolean otherExperiment;

        @Override
        public Integer call() {
            List<String> merged = io.seqcl.experiment.SeedMerge.merge(into, from, rename, otherExperiment);
            spec.commandLine().getOut().println("merged " + String.join(", ", merged) + " from " + from + " into "
                    + into);
            return 0;
        }
    }

    /** {@code seqcl eval-checkpoint}. */
    @Command(name = "eval-checkpoint", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Evaluate a SASRec-family PyTorch checkpoint (RecBole, DuoRec or MCLRec parameter names;",
                "a torch.save state dict or a safetensors file) on a dataset's validation and test splits, in the",
                "three history modes (NONE, ZERO, NEG_INF), full ranking:",
                "  seqcl eval-checkpoint mclrec-beauty.pth --dataset beauty",
                "Width, layers, feed-forward size and T are read from the tensors; heads and activation are not",
                "stored in a state dict and come from the options. The dataset must number items as the checkpoint",
                "was trained (seqcl's .inter loader numbers them as RecBole does)."})
    static final class EvalCheckpoint implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "1", paramLabel = "FILE", description = "the checkpoint (.pth or .safetensors)")
        Path file;

        @Option(names = {"-d", "--dataset"}, required = true, paramLabel = "D",
                description = "dataset key (see seqcl datasets) or the path of a sequence or .inter file")
        String dataset;

        @Option(names = "--heads", defaultValue = "2", paramLabel = "H",
                description = "attention heads (default: ${DEFAULT-VALUE}, RecBole's SASRec)")
        int heads;

        @Option(names = "--activation", defaultValue = "GELU", paramLabel = "A",
                description = "feed-forward activation, ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
        io.seqcl.nn.ActivationFn activation;

        @Override
        public Integer call() {
            positive("--heads", heads);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("checkpoint " + file + " does not exist or is not a file");
            }
            SequenceDataset ds = Experiments.load(dataset, false);
            io.seqcl.model.SASRecConfig d = io.seqcl.model.SASRecConfig.defaults();
            io.seqcl.model.SASRecConfig base =
                    d.withTransformer(d.transformer().withHeads(heads).withActivation(activation));
            PrintWriter w = spec.commandLine().getOut();
            w.println(io.seqcl.experiment.ImportedCheckpoints.evaluateSplits(file, ds, base).print());
            w.println("history NONE: seen items stay candidates (RecBole, MCLRec's table); ZERO: their scores set to 0"
                    + " (ContrastVAE, CoSeRec); NEG_INF: excluded (seqcl's default for Meta-SGCL)");
            w.flush();
            return 0;
        }
    }

    /** {@code seqcl datasets}. */
    @Command(name = "datasets", mixinStandardHelpOptions = true,
            description = "List the benchmark datasets, where they are looked up and whether they are present.")
    static final class DatasetsCmd implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter w = spec.commandLine().getOut();
            w.println("data directory: " + Datasets.dataDir().toAbsolutePath());
            for (String n : Datasets.names()) {
                w.printf(Locale.ROOT, "  %-12s %s%n", n, Datasets.isAvailable(n) ? "present" : "missing");
            }
            return 0;
        }
    }

    /** {@code seqcl models}. */
    @Command(name = "models", mixinStandardHelpOptions = true,
            description = "List the registered models, or print one model's default configuration as YAML.")
    static final class Models implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "MODEL", description = "print this model's configuration")
        String model;

        @Option(names = "--dataset", paramLabel = "D", description = "with the preset for this dataset key")
        String dataset;

        @Override
        public Integer call() {
            PrintWriter w = spec.commandLine().getOut();
            if (model == null) {
                ModelRegistry.entries().forEach(e -> w.printf(Locale.ROOT, "  %-12s %s%n", e.key(), e.description()));
                return 0;
            }
            w.print(Configs.toYaml(ModelRegistry.get(model).presetFor(dataset)));
            w.flush();
            return 0;
        }
    }

    /**
     * The console progress: one line per epoch and a closing line per model (never one per batch).
     *
     * @param out where to print
     * @return the listener
     */
    static ProgressListener consoleProgress(PrintStream out) {
        return new ProgressListener() {
            @Override
            public void onEpochEnd(EpochReport report) {
                out.println(report.line());
            }

            @Override
            public void onRunEnd(String run, String message) {
                out.println(message);
            }
        };
    }
}
