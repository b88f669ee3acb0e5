package io.seqcl.data;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Options for {@link Datasets#load(String, LoadOptions)}.
 *
 * @param kCore k-core threshold applied after loading (common.md §1.1); values {@code <= 1} mean off (default).
 *              When it removes anything, items are re-indexed to {@code 1..N'} ({@link Filters#reindexItems})
 * @param onMismatch what to do when the checksum or the counts differ from the registry
 * @param warnings receives the messages of mismatches handled with {@link OnMismatch#WARN}
 */
public record LoadOptions(int kCore, OnMismatch onMismatch, Consumer<String> warnings) {

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
     * @throws NullPointerException if {@code onMismatch} or {@code warnings} is null
     */
    public LoadOptions {
        Objects.requireNonNull(onMismatch, "onMismatch");
        Objects.requireNonNull(warnings, "warnings");
    }

    /** @return k-core off, mismatches fail, warnings go to the {@code io.seqcl.data} logger */
    public static LoadOptions defaults() {
        return new LoadOptions(0, OnMismatch.FAIL, LoadOptions::log);
    }

    /**
     * Returns a copy with another k-core threshold.
     *
     * @param k the threshold ({@code <= 1} = off)
     * @return the new options
     */
    public LoadOptions withKCore(int k) {
        return new LoadOptions(k, onMismatch, warnings);
    }

    /**
     * Returns a copy that only warns on checksum or count mismatches.
     *
     * @param sink where warnings go
     * @return the new options
     */
    public LoadOptions warnOnly(Consumer<String> sink) {
        return new LoadOptions(kCore, OnMismatch.WARN, sink);
    }

    /**
     * Returns a copy with another mismatch policy, keeping the warning sink.
     *
     * @param policy the policy
     * @return the new options
     */
    public LoadOptions withOnMismatch(OnMismatch policy) {
        return new LoadOptions(kCore, policy, warnings);
    }

    private static void log(String message) {
        System.getLogger("io.seqcl.data").log(System.Logger.Level.WARNING, message);
    }
}
