package io.seqcl.cli;

import io.seqcl.data.DatasetStats;
import io.seqcl.data.Datasets;
import io.seqcl.data.SequenceDataset;
import io.seqcl.experiment.Budget;
import io.seqcl.experiment.ModelRegistry;
import io.seqcl.experiment.Quickstart;
import io.seqcl.experiment.RunResult;
import io.seqcl.train.EpochReport;
import io.seqcl.train.ProgressListener;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code seqcl} command line: {@code quickstart}, {@code bench}, {@code bench-epoch}, {@code datasets}, {@code models}.
 *
 * <p>Run through the launcher {@code environment/seqcl}, which builds the library if needed.
 */
public final class Main {

    private static final String USAGE = String.join("\n",
            "usage: seqcl <command> [options]",
            "",
            "commands:",
            "  quickstart [--dataset NAME] [--budget quick|full] [--epochs N] [--seed S] [--out DIR]",
            "             train Pop and SASRec, print the metrics table and the time taken",
            "             (default dataset: beauty if $SEQCL_DATA has it, else the synthetic one)",
            "  bench [--steps N] [--batch B] [--len T] [--dim D] [--items N] [--threads K] [--eval 0|1]",
            "             time one padded SASRec training step (and its GFLOP/s beside plain matmuls of its",
            "             shapes) and one full evaluation pass",
            "  bench-epoch [--dataset NAME] [--model NAME] [--steps N] [--rounds R] [--batch B] [--threads K]",
            "              [--layouts both|packed|padded] [--eval 0|1] [--over-padding 0|1]",
            "             time real training steps of a model at the paper's full settings, packed and padded",
            "             alternating in one run, and print both epoch times, their ratio, time shares and",
            "             memory (default: metasgcl on toys)",
            "  datasets   list the benchmark datasets, where they are looked up and whether they are present",
            "  models     list the registered models",
            "",
            "environment: SEQCL_DATA (data directory, default data/), SEQCL_BUDGET (quick|full),",
            "             SEQCL_DEVICE (cpu | gpu | gpu:N; GPU needs a build with -Pcuda)");

    private Main() {
    }

    /**
     * Entry point.
     *
     * @param args command and options
     */
    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("seqcl: " + e.getMessage());
            code = 2;
        } catch (RuntimeException e) {
            System.err.println("seqcl: " + e);
            code = 1;
        }
        System.exit(code);
    }

    /**
     * Runs a command.
     *
     * @param args command and options
     * @param out where to print
     * @return exit code
     * @throws Exception if the command fails
     */
    static int run(String[] args, PrintStream out) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        Map<String, String> opts = parse(args);
        switch (args[0]) {
            case "quickstart":
                return quickstart(opts, out);
            case "bench":
                return io.seqcl.bench.StepBenchmark.run(opts, out);
            case "bench-epoch":
                return io.seqcl.bench.EpochBenchmark.run(opts, out);
            case "datasets":
                out.println("data directory: " + Datasets.dataDir().toAbsolutePath());
                for (String n : Datasets.names()) {
                    out.printf(Locale.ROOT, "  %-10s %s%n", n, Datasets.isAvailable(n) ? "present" : "missing");
                }
                return 0;
            case "models":
                ModelRegistry.entries().forEach(e -> out.printf(Locale.ROOT, "  %-10s %s%n", e.name(), e.description()));
                return 0;
            default:
                throw new IllegalArgumentException("unknown command '" + args[0] + "'\n" + USAGE);
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("option --" + key + " needs a value");
            }
            m.put(key, value);
        }
        return m;
    }

    /**
     * Removes an integer option from a parsed option map.
     *
     * @param o the options (the key is removed, so leftovers can be reported as unknown)
     * @param key option name without dashes
     * @param def value when absent
     * @return the value
     * @throws IllegalArgumentException naming the option if the value is not an integer
     */
    public static int intOpt(Map<String, String> o, String key, int def) {
        String v = o.remove(key);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " needs an integer, got '" + v + "'");
        }
    }

    private static int quickstart(Map<String, String> opts, PrintStream out) {
        String name = opts.remove("dataset");
        Budget budget = opts.containsKey("budget") ? Budget.parse(opts.remove("budget")) : Budget.fromEnv();
        int epochs = intOpt(opts, "epochs", -1);
        long seed = intOpt(opts, "seed", 2020);
        String outDir = opts.remove("out");
        if (!opts.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) for quickstart: " + opts.keySet());
        }
        long t0 = System.nanoTime();
        SequenceDataset ds = name == null ? Datasets.loadOrSynthetic("beauty") : Datasets.load(name);
        out.println(DatasetStats.table(ds).print());
        var spec = Quickstart.spec(ds, budget, seed);
        if (epochs >= 0) {
            spec = spec.withTrain(spec.train().withEpochs(epochs));
        }
        out.println("budget " + budget.name().toLowerCase(Locale.ROOT) + ": " + spec.train());
        RunResult r = io.seqcl.experiment.Runner.run(ds, spec, consoleProgress(out));
        out.println(r.summary("test").print());
        double secs = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "total time %.1f s (%s)%n", secs, EpochReport.formatDuration(secs));
        if (outDir != null) {
            try {
                r.save(Path.of(outDir));
                out.println("results written to " + Path.of(outDir).toAbsolutePath());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("could not write results to " + outDir, e);
            }
        }
        return 0;
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
