package io.seqcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The process settings for libtorch: {@link Settings#processSettings()} names the allocator actually loaded, and
 * environment/runtime-env.sh (sourced by every launcher) picks jemalloc or glibc with their options.
 */
class SettingsTest {

    private static final Path RUNTIME_ENV = Path.of("environment", "runtime-env.sh");

    @Test
    void processSettingsNamesTheAllocatorMappedIntoThisProcess() {
        // surefire's JVM inherits LD_PRELOAD from environment/test.sh when jemalloc is installed
        String preload = java.util.Optional.ofNullable(System.getenv("LD_PRELOAD")).orElse("");
        boolean preloaded = preload.contains("libjemalloc");
        assertEquals(preloaded, Settings.jemallocLoaded(), "LD_PRELOAD=" + preload);
        String s = Settings.processSettings();
        assertTrue(s.startsWith("allocator " + (preloaded ? "jemalloc (MALLOC_CONF=" : "glibc (MALLOC_MMAP_THRESHOLD_=")),
                s);
        assertTrue(s.contains("THP_MEM_ALLOC_ENABLE=") && s.contains("OMP_WAIT_POLICY="), s);
    }

    @Test
    void runtimeEnvGlibcKeepsFreedTensorsAndUsesHugePages() throws Exception {
        Result r = source(Map.of("SEQCL_ALLOCATOR", "glibc"));
        assertEquals(0, r.code, r.err);
        assertEquals("glibc", r.vars.get("SEQCL_ALLOCATOR"));
        assertEquals("1", r.vars.get("THP_MEM_ALLOC_ENABLE"));
        assertEquals("268435456", r.vars.get("MALLOC_MMAP_THRESHOLD_"));
        assertEquals("1073741824", r.vars.get("MALLOC_TRIM_THRESHOLD_"));
        assertEquals("PASSIVE", r.vars.get("OMP_WAIT_POLICY"));
        assertEquals("", r.vars.get("LD_PRELOAD"));
    }

    @Test
    void runtimeEnvDefaultPreloadsJemallocWhenInstalledAndRespectsOverrides() throws Exception {
        Result r = source(Map.of("OMP_WAIT_POLICY", "ACTIVE"));
        assertEquals(0, r.code, r.err);
        assertEquals("ACTIVE", r.vars.get("OMP_WAIT_POLICY"), "a value set by the user wins");
        if (jemallocInstalled()) {
            assertEquals("jemalloc", r.vars.get("SEQCL_ALLOCATOR"));
            assertTrue(r.vars.get("LD_PRELOAD").endsWith("libjemalloc.so.2"), r.vars.get("LD_PRELOAD"));
            assertEquals("oversize_threshold:0,dirty_decay_ms:30000,muzzy_decay_ms:0,background_thread:true",
                    r.vars.get("MALLOC_CONF"));
            assertEquals("0", r.vars.get("THP_MEM_ALLOC_ENABLE"));
            Result again = source(Map.of("THP_MEM_ALLOC_ENABLE", "1", "LD_PRELOAD", r.vars.get("LD_PRELOAD")));
            assertEquals("1", again.vars.get("THP_MEM_ALLOC_ENABLE"));
            assertEquals(r.vars.get("LD_PRELOAD"), again.vars.get("LD_PRELOAD"), "jemalloc is not preloaded twice");
        } else {
            assertEquals("glibc", r.vars.get("SEQCL_ALLOCATOR"), "falls back to glibc without libjemalloc2");
            Result forced = source(Map.of("SEQCL_ALLOCATOR", "jemalloc"));
            assertEquals(2, forced.code);
            assertTrue(forced.err.contains("apt-get install libjemalloc2"), forced.err);
        }
    }

    @Test
    void runtimeEnvRejectsAnUnknownAllocatorByName() throws Exception {
        Result r = source(Map.of("SEQCL_ALLOCATOR", "tcmalloc"));
        assertEquals(2, r.code);
        assertTrue(r.err.contains("SEQCL_ALLOCATOR must be jemalloc or glibc, got 'tcmalloc'"), r.err);
    }

    private static boolean jemallocInstalled() {
        return List.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2",
                "/usr/lib64/libjemalloc.so.2", "/usr/lib/libjemalloc.so.2", "/usr/local/lib/libjemalloc.so.2")
                .stream().anyMatch(p -> Files.isRegularFile(Path.of(p)));
    }

    private record Result(int code, Map<String, String> vars, String err) {
    }

    /** Sources runtime-env.sh in a clean bash with the given variables and reads back what it exported. */
    private static Result source(Map<String, String> env) throws IOException, InterruptedException {
        List<String> names = List.of("SEQCL_ALLOCATOR", "LD_PRELOAD", "MALLOC_CONF", "THP_MEM_ALLOC_ENABLE",
                "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "OMP_WAIT_POLICY");
        StringBuilder script = new StringBuilder("set -eu; . '" + RUNTIME_ENV.toAbsolutePath() + "'");
        for (String n : names) {
            script.append("; echo \"").append(n).append("=${").append(n).append(":-}\"");
        }
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script.toString());
        Map<String, String> penv = pb.environment();
        penv.keySet().removeIf(names::contains);
        penv.putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        Map<String, String> vars = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int i = line.indexOf('=');
            if (i > 0) {
                vars.put(line.substring(0, i), line.substring(i + 1));
            }
        }
        return new Result(p.exitValue(), vars, err);
    }
}
