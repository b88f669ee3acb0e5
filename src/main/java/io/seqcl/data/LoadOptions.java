package io.seqcl.data;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Options for {@link Datasets#load(String, LoadOptions)}, {@link Datasets#loadFile(java.nio.file.Path, LoadOptions)}
 * and {@link SequenceFiles#read(java.nio.file.Path, String, LoadOptions)}.
 *
 * @param kCore k-core threshold applied after loading (common.md §1.1); values {@code <= 1} mean off (default).
 *              When it removes anything, items are re-indexed to {@code 1..N'} ({@link Filters#reindexItems})
 * @param onMismatch what to do when the checksum or the counts differ from the registry
 * @param warnings receives the messages of mismatches handled with {@link OnMismatch#WARN}
 * @param remapIds renumber the distinct item ids of a sequence file {@code 1..N} (ascending original id) instead
 *                 of using them as-is; the answer for 0-based files, files with large gaps between ids and ids
 *                 from a large catalogue (see {@link SequenceFiles}). Off by default; {@code .inter} files are
 *                 always renumbered by token, so it does not change them
 */
public record LoadOptions(int kCore, OnMismatch onMismatch, Consumer<String> warnings, boolean remapIds) {

    /** What to do when a file does not match its registry entry. */
    public enum OnMismatch {
        /** Throw a {@link DataFormatException} (default). */
        FAIL,
        /** Report through {@link LoadOptions#warnings()} and continue. */
        WARN
    }

    /**
     * Validates the options.
     *
     * @param kCore k-core threshold ({@code <= 1} = off)
     * @param onMismatch mismatch policy
     * @param warnings warning sink
     * @param remapIds whether item ids are renumbered
     * @throws NullPointerException if {@code onMismatch} or {@code warnings} is null
     */
    public LoadOptions {
        Objects.requireNonNull(onMismatch, "onMismatch");
        Objects.requireNonNull(warnings, "warnings");
    }

    /**
     * Options without id remapping (the form before {@code remapIds} existed).
     *
     * @param kCore k-core threshold ({@code <= 1} = off)
     * @param onMismatch mismatch policy
     * @param warnings warning sink
     */
    public LoadOptions(int kCore, OnMismatch onMismatch, Consumer<String> warnings) {
        this(kCore, onMismatch, warnings, false);
    }

    /** @return k-core off, mismatches fail, warnings go to the {@code io.seqcl.data} logger, ids as-is */
    public static LoadOptions defaults() {
        return new LoadOptions(0, OnMismatch.FAIL, LoadOptions::log, false);
    }

    /**
     * Returns a copy with another k-core threshold.
     *
     * @param k the threshold ({@code <= 1} = off)
     * @return the new options
     */
    public LoadOptions withKCore(int k) {
        return new LoadOptions(k, onMismatch, warnings, remapIds);
    }

    /**
     * Returns a copy that only warns on checksum or count mismatches.
     *
     * @param sink where warnings go
     * @return the new options
     */
    public LoadOptions warnOnly(Consumer<String> sink) {
        return new LoadOptions(kCore, OnMismatch.WARN, sink, remapIds);
    }

    /**
     * Returns a copy with another mismatch policy, keeping the warning sink.
     *
     * @param policy the policy
     * @return the new options
     */
    public LoadOptions withOnMismatch(OnMismatch policy) {
        return new LoadOptions(kCore, policy, warnings, remapIds);
    }

    /**
     * Returns a copy with item-id remapping switched on or off (see {@link SequenceFiles}).
     *
     * @param remap true to renumber the distinct item ids {@code 1..N}
     * @return the new options
     */
    public LoadOptions withRemapIds(boolean remap) {
        return new LoadOptions(kCore, onMismatch, warnings, remap);
    }

    private static void log(String message) {
        System.getLogger("io.seqcl.data").log(System.Logger.Level.WARNING, message);
    }
}
