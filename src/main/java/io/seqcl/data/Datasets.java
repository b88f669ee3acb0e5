package io.seqcl.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Entry point for loading datasets by name (the {@link Benchmark} files and the synthetic default) and for
 * loading one's own file by path ({@link #loadFile(Path, LoadOptions)}).
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
        requireName(name);
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
        requireName(name);
        if (options == null) {
            throw new IllegalArgumentException("options is null; use LoadOptions.defaults()");
        }
        if (isSynthetic(name)) {
            return applyKCore(SyntheticDataset.defaultDataset(), options.kCore()).withKey(SYNTHETIC);
        }
        Benchmark b = benchmark(name);
        return applyKCore(loadBenchmark(b, options), options.kCore()).withKey(b.family());
    }

    /**
     * Loads one's own file by path with the default options (ids as-is, k-core off); see
     * {@link #loadFile(Path, LoadOptions)}.
     *
     * @param file a sequence text file or a RecBole {@code .inter} file
     * @return the dataset, named after the file
     * @throws DataFormatException if the file is missing or malformed (the message names file and line)
     */
    public static SequenceDataset loadFile(Path file) {
        return loadFile(file, LoadOptions.defaults());
    }

    /**
     * Loads any sequence file or RecBole {@code .inter} file by path; the dataset is named after the file.
     *
     * <p>The format is detected: a file whose name ends in {@code .inter}, or whose first non-blank line contains
     * {@code user_id:} (a RecBole header), is read with {@link InterFiles} (tokens renumbered by first appearance,
     * stable sort by timestamp if there is a timestamp column); anything else with {@link SequenceFiles} (one line
     * per user, {@code user item item ...}). No registry check is made: the file is the user's. Options:
     * {@link LoadOptions#remapIds()} (sequence files: renumber item ids, e.g. for 0-based files) and
     * {@link LoadOptions#kCore()}.
     *
     * @param file the file
     * @param options remapping and k-core
     * @return the dataset
     * @throws IllegalArgumentException if {@code file} or {@code options} is null
     * @throws DataFormatException if the file is missing or malformed (the message names file and line)
     */
    public static SequenceDataset loadFile(Path file, LoadOptions options) {
        if (file == null) {
            throw new IllegalArgumentException("file is null; pass the path of a sequence file or a .inter file");
        }
        if (options == null) {
            throw new IllegalArgumentException("options is null; use LoadOptions.defaults()");
        }
        if (Files.isDirectory(file)) {
            throw new DataFormatException(file, 0, "is a directory; pass the path of a sequence file"
                    + " ('user item item ...' per line) or of a RecBole .inter file");
        }
        String name = SequenceFiles.baseName(file);
        if (isInterFile(file)) {
            return applyKCore(InterFiles.read(file, name, OptionalDouble.empty()).dataset(), options.kCore());
        }
        return SequenceFiles.read(file, name, options);
    }

    /**
     * Tells whether {@link #loadFile} reads a file as RecBole {@code .inter}.
     *
     * @param file the file
     * @return true if the name ends in {@code .inter} or the first non-blank line holds {@code user_id:}
     */
    static boolean isInterFile(Path file) {
        if (file.getFileName() != null
                && file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".inter")) {
            return true;
        }
        byte[] head = new byte[4096];
        int n = 0;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            int r;
            while (n < head.length && (r = in.read(head, n, head.length - n)) > 0) {
                n += r;
            }
        } catch (java.io.IOException e) {
            return false; // the sequence reader reports missing or unreadable files with the file name
        }
        String text = new String(head, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String line : text.split("[\r\n]")) {
            if (!line.isBlank()) {
                return line.contains("user_id:");
            }
        }
        return false;
    }

    /**
     * Loads a dataset if its file is available, otherwise returns the synthetic default.
     *
     * <p>The synthetic dataset is only substituted when no data directory was chosen ({@value #DATA_ENV} and
     * {@value #DATA_PROPERTY} unset) and the default {@code data/} lacks the file, so that a fresh clone runs.
     * When a directory was chosen explicitly, a missing directory or file is a setup mistake and raises an
     * error naming the variable and the path.
     *
     * @param name a registry name or "synthetic"
     * @return the dataset, or {@link SyntheticDataset#defaultDataset()}
     * @throws DataFormatException if {@value #DATA_ENV} (or the property) names a missing directory, or the
     *         directory was chosen explicitly and lacks the file
     */
    public static SequenceDataset loadOrSynthetic(String name) {
        requireName(name);
        if (isSynthetic(name)) {
            return load(name);
        }
        requireConfiguredDataDir();
        if (!isDataDirConfigured() && !isAvailable(name)) {
            System.getLogger("io.seqcl.data").log(System.Logger.Level.INFO, "dataset '" + name + "' is not in "
                    + dataDir().toAbsolutePath() + " and " + DATA_ENV + " is not set; using the synthetic dataset");
            return SyntheticDataset.defaultDataset();
        }
        return load(name);
    }

    /**
     * Tells whether the data directory was chosen explicitly, with {@value #DATA_PROPERTY} or {@value #DATA_ENV}.
     *
     * @return true if one of them is set (non-blank)
     */
    public static boolean isDataDirConfigured() {
        String p = System.getProperty(DATA_PROPERTY);
        String e = io.seqcl.Settings.get(io.seqcl.Settings.Variable.SEQCL_DATA).orElse(null);
        return (p != null && !p.isBlank()) || (e != null && !e.isBlank());
    }

    /**
     * Fails if the data directory was chosen explicitly but does not exist, so that a typo in
     * {@value #DATA_ENV} never silently switches to synthetic data. Callers that fall back to synthetic data
     * when a file is missing call this first.
     *
     * @throws DataFormatException naming the variable (or property) and the path when it is set to a path that
     *         is not a directory
     */
    public static void requireConfiguredDataDir() {
        if (isDataDirConfigured() && !Files.isDirectory(dataDir())) {
            Path dir = dataDir();
            throw new DataFormatException(dir, 0, "data directory does not exist ("
                    + dirOrigin().replace("from ", "set by ") + " = '" + dir + "', absolute "
                    + dir.toAbsolutePath() + "); fix or unset " + DATA_ENV + " (unset, the synthetic dataset is "
                    + "used when data/ lacks the file)");
        }
    }

    /**
     * Loads Beauty if it is available, otherwise the synthetic default (see {@link #loadOrSynthetic(String)}).
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
        requireName(name);
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
            case SEQUENCE_TXT -> SequenceFiles.read(file, b.key(), options.withKCore(0));
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
            throw new DataFormatException(file, 0, message + ". Re-download it with data/fetch.sh (which checks"
                    + " data/SHA256SUMS), or, to use this file as it is, load it as your own data with"
                    + " Datasets.loadFile(path) (command line: seqcl run --data " + file + ") or pass"
                    + " LoadOptions.defaults().warnOnly(...) to Datasets.load");
        }
        options.warnings().accept(file + ": " + message);
    }

    /** Applies a k-core threshold and re-indexes if anything was removed. */
    static SequenceDataset applyKCore(SequenceDataset d, int k) {
        if (k <= 1) {
            return d;
        }
        SequenceDataset f = Filters.kCore(d, k);
        if (f.numInteractions() == d.numInteractions()) {
            return d;
        }
        return Filters.reindexItems(f);
    }

    private static void requireName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("dataset name is null; known: " + String.join(", ", names())
                    + " (to load your own file use Datasets.loadFile(path))");
        }
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
