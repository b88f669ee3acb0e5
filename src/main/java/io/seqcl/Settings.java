package io.seqcl;

import java.util.Optional;

/**
 * The one place where seqcl reads environment variables. Each variable is listed here with what it does; no other
 * class calls {@code System.getenv} (an architecture test checks this).
 */
public final class Settings {

    /** The environment variables seqcl reads. */
    public enum Variable {
        /** Directory of the benchmark datasets (default: the repository's {@code data/}). */
        SEQCL_DATA,
        /** Budget of the notebooks and of ad hoc runs: {@code quick} (default) or {@code full}. */
        SEQCL_BUDGET,
        /** Dataset of the quickstart notebook (a registry key). */
        SEQCL_DATASET,
        /** Datasets a paper notebook runs, comma-separated registry keys. */
        SEQCL_DATASETS,
        /** Users sampled by the quick budget. */
        SEQCL_QUICK_USERS,
        /** Device: {@code cpu} (default), {@code gpu} or {@code gpu:N}. */
        SEQCL_DEVICE,
        /** Directory of charts saved outside notebooks (default {@code out}). */
        SEQCL_OUT,
        /** Progress display outside notebooks: {@code lines} or {@code inplace}. */
        SEQCL_PROGRESS,
        /** Directory of imported checkpoints (default {@code $SEQCL_DATA/checkpoints}). */
        SEQCL_CHECKPOINTS,
        /** libtorch's OpenMP wait policy; read only to print it in benchmarks (set PASSIVE, see README). */
        OMP_WAIT_POLICY,
        /**
         * libtorch's transparent-huge-page allocation of tensors of 2 MB or more ({@code 1} in the launchers); read
         * by libtorch itself, here only to print it in benchmarks (README "Packed execution").
         */
        THP_MEM_ALLOC_ENABLE,
        /**
         * glibc's mmap threshold (the launchers set 256 MB, with {@link #MALLOC_TRIM_THRESHOLD_} 1 GB, so that freed
         * large tensors are reused instead of unmapped and faulted in again); read by glibc at process start, here
         * only to print it in benchmarks (README "Packed execution").
         */
        MALLOC_MMAP_THRESHOLD_,
        /** glibc's trim threshold (see {@link #MALLOC_MMAP_THRESHOLD_}). */
        MALLOC_TRIM_THRESHOLD_,
        /**
         * jemalloc's options ({@code oversize_threshold:0,dirty_decay_ms:30000,muzzy_decay_ms:0,background_thread:true}
         * in the launchers: freed memory is kept for reuse for 30 s); read by jemalloc at process start, here only to
         * print it in benchmarks.
         */
        MALLOC_CONF
    }

    private Settings() {
    }

    /**
     * The process settings that decide libtorch's speed on the CPU, for benchmark output: the memory allocator in
     * use (jemalloc when the launchers preloaded it, environment/runtime-env.sh; otherwise glibc) with its options,
     * {@code THP_MEM_ALLOC_ENABLE}, {@code OMP_WAIT_POLICY} and the {@link io.seqcl.nn.WideThreads} setting.
     *
     * @return e.g. {@code "allocator jemalloc (MALLOC_CONF=oversize_threshold:0,...), THP_MEM_ALLOC_ENABLE=0,
     *     OMP_WAIT_POLICY=PASSIVE, wide threads off"}
     */
    public static String processSettings() {
        String alloc = jemallocLoaded()
                ? "jemalloc (MALLOC_CONF=" + get(Variable.MALLOC_CONF).orElse("(unset)") + ")"
                : "glibc (MALLOC_MMAP_THRESHOLD_=" + get(Variable.MALLOC_MMAP_THRESHOLD_).orElse("(unset)")
                        + ", MALLOC_TRIM_THRESHOLD_=" + get(Variable.MALLOC_TRIM_THRESHOLD_).orElse("(unset)") + ")";
        int wide = io.seqcl.nn.WideThreads.get();
        return "allocator " + alloc + ", THP_MEM_ALLOC_ENABLE=" + get(Variable.THP_MEM_ALLOC_ENABLE).orElse("(unset)")
                + ", OMP_WAIT_POLICY=" + get(Variable.OMP_WAIT_POLICY).orElse("(unset)")
                + ", wide threads " + (wide > 0 ? wide + " for the large operators" : "off");
    }

    /** @return whether libjemalloc is mapped into this process (Linux; false where /proc is absent) */
    static boolean jemallocLoaded() {
        java.nio.file.Path maps = java.nio.file.Path.of("/proc/self/maps");
        if (!java.nio.file.Files.isReadable(maps)) {
            return false;
        }
        try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(maps)) {
            return lines.anyMatch(l -> l.contains("libjemalloc"));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /**
     * The value of an environment variable, blank values treated as unset.
     *
     * @param v the variable
     * @return its value, trimmed, if set and not blank
     */
    public static Optional<String> get(Variable v) {
        String s = System.getenv(v.name());
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }
}
