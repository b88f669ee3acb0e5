package io.seqcl.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Entry point for loading datasets by name: the {@link Benchmark} files and the synthetic default.
 *
 * <p>The data directory is the system property {@value #DATA_PROPERTY} if set, else the environment variable
 * {@value #DATA_ENV}, else {@code data/} relative to the working directory; files use the layout of
 * {@code data/README.md}. Loaded files are checked against the registry's SHA-256 and the counts of
 * common.md §1.3.
 */
public final class Datasets {

    /** Environment variable naming the data directory. */
    public static final String DATA_ENV = "SEQCL_DATA";
    /** System property naming the data directory; overrides {@value #DATA_ENV}. */
    public static final String DATA_PROPERTY = "seqcl.data";
    /** Name of the generated dataset ({@link SyntheticDataset#defaultDataset()}). */
    public static final String SYNTHETIC = "synthetic";

    private Datasets() {
    }

    /** @return the data directory currently configured (it need not exist) */
    public static Path dataDir() {
        String p = System.getProperty(DATA_PROPERTY);
        if (p == null || p.isBlank()) {
            p = io.seqcl.Settings.get(io.seqcl.Settings.Variable.SEQCL_DATA).orElse(null);
        }
        if (p == null || p.isBlank()) {
            p = "data";
        }
        return Path.of(p);
    }

    /** @return the registry keys followed by {@value #SYNTHETIC} */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (Benchmark b : Benchmark.values()) {
            out.add(b.key());
        }
        out.add(SYNTHETIC);
        return List.copyOf(out);
    }

    /**
     * Tells whether {@link #load(String)} can find the data for a name.
     *
     * @param name a dataset name
     * @return true for "synthetic" and for registry entries whose file exists in {@link #dataDir()}
     * @throws IllegalArgumentException if the name is unknown
     */
    public static boolean isAvailable(String name) {
        if (isSynthetic(name)) {
            return true;
        }
        return benchmark(name).locate(dataDir()).isPresent();
    }

    /**
     * Loads a dataset by name with the default options (checks on, k-core off).
     *
     * @param name a registry name (case-insensitive, e.g. "beauty", "ml-1m", "ml1m") or "synthetic"
     * @return the dataset
     * @throws IllegalArgumentException if the name is unknown (the message lists the known names)
     * @throws DataFormatException if the file is missing, malformed or does not match the registry
     */
    public static SequenceDataset load(String name) {
        return load(name, LoadOptions.defaults());
    }

    /**
     * Loads a dataset by name.
     *
     * @param name a registry name or "synthetic"
     * @param options k-core and mismatch handling
     * @return the dataset (k-cored and re-indexed if {@code options.kCore() > 1} removed anything)
     * @throws IllegalArgumentException if the name is unknown
     * @throws DataFormatException if the file is missing or malformed, or does not match the registry and
     *         {@code options.onMismatch()} is {@code FAIL}
     */
    public static SequenceDataset load(String name, LoadOptions options) {
        if (isSynthetic(name)) {
            return applyKCore(SyntheticDataset.defaultDataset(), options.kCore()).withKey(SYNTHETIC);
        }
        Benchmark b = benchmark(name);
        return applyKCore(loadBenchmark(b, options), options.kCore()).withKey(b.family());
    }

    /**
     * Loads a dataset if a data directory exists, otherwise returns the synthetic default.
     *
     * <p>The synthetic dataset is only substituted when the directory itself is missing: a directory without the
     * requested file is a setup mistake and raises an error.
     *
     * @param name a registry name or "synthetic"
     * @return the dataset, or {@link SyntheticDataset#defaultDataset()} when {@link #dataDir()} does not exist
     */
    public static SequenceDataset loadOrSynthetic(String name) {
        if (!Files.isDirectory(dataDir())) {
            return SyntheticDataset.defaultDataset();
        }
        return load(name);
    }

    /**
     * Loads Beauty if a data directory exists, otherwise the synthetic default.
     *
     * @return see {@link #loadOrSynthetic(String)}
     */
    public static SequenceDataset loadOrSynthetic() {
        return loadOrSynthetic(Benchmark.BEAUTY.key());
    }

    /**
     * Resolves a registry name.
     *
     * @param name a name such as "beauty" or "ML_1M"
     * @return the registry entry
     * @throws IllegalArgumentException if the name is unknown (the message lists the known names)
     */
    public static Benchmark benchmark(String name) {
        return Benchmark.byName(name).orElseThrow(() -> new IllegalArgumentException("unknown dataset '" + name
                + "'; known: " + String.join(", ", names())));
    }

    /**
     * Finds a benchmark's file in {@link #dataDir()}.
     *
     * @param b the registry entry
     * @return the existing file
     * @throws DataFormatException if it is in neither candidate location; the message says where the
     *         directory came from and which paths were tried
     */
    public static Path locate(Benchmark b) {
        Path dir = dataDir();
        return b.locate(dir).orElseThrow(() -> new DataFormatException(b.candidates(dir).get(0), 0,
                "dataset '" + b.key() + "' not found; tried " + b.candidates(dir) + " in data directory '" + dir
                        + "' (" + dirOrigin() + "). Run data/fetch.sh or set " + DATA_ENV
                        + " (or -D" + DATA_PROPERTY + ") to the directory holding " + b.relativePath()));
    }

    private static SequenceDataset loadBenchmark(Benchmark b, LoadOptions options) {
        Path file = locate(b);
        String checksum = Checksums.mismatch(file, b.sha256());
        if (checksum != null) {
            report(file, checksum, options);
        }
        SequenceDataset d = switch (b.format()) {
            case SEQUENCE_TXT -> SequenceFiles.read(file, b.key());
            case RECBOLE_INTER -> InterFiles.read(file, b.key(), OptionalDouble.empty()).dataset();
        };
        List<String> counts = DatasetStats.compare(d, b.users(), b.items(), b.interactions());
        if (!counts.isEmpty()) {
            report(file, "counts differ from the registry (common.md §1.3): " + String.join("; ", counts), options);
        }
        return d;
    }

    private static void report(Path file, String message, LoadOptions options) {
        if (options.onMismatch() == LoadOptions.OnMismatch.FAIL) {
            throw new DataFormatException(file, 0, message
                    + " (use LoadOptions.warnOnly(...) to load anyway)");
        }
        options.warnings().accept(file + ": " + message);
    }

    private static SequenceDataset applyKCore(SequenceDataset d, int k) {
        if (k <= 1) {
            return d;
        }
        SequenceDataset f = Filters.kCore(d, k);
        if (f.numInteractions() == d.numInteractions()) {
            return d;
        }
        return Filters.reindexItems(f);
    }

    private static boolean isSynthetic(String name) {
        return Benchmark.normalize(name).equals(SYNTHETIC);
    }

    private static String dirOrigin() {
        String p = System.getProperty(DATA_PROPERTY);
        if (p != null && !p.isBlank()) {
            return "from system property " + DATA_PROPERTY;
        }
        String e = io.seqcl.Settings.get(io.seqcl.Settings.Variable.SEQCL_DATA).orElse(null);
        if (e != null && !e.isBlank()) {
            return "from environment variable " + DATA_ENV;
        }
        return DATA_ENV + " is not set, so the default 'data/' relative to " + Path.of("").toAbsolutePath()
                + " was used";
    }
}
