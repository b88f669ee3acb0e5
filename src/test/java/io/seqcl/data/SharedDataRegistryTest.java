package io.seqcl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * Loads every registry entry from {@code ../shared/data} (relative to the project directory), which this test
 * selects through the system property {@code seqcl.data}; skipped when that directory is absent.
 */
class SharedDataRegistryTest {

    private static final Path SHARED = Path.of("..", "shared", "data");
    private static String saved;

    @BeforeAll
    static void pointAtSharedData() {
        Assumptions.assumeTrue(Files.isDirectory(SHARED), "no shared data directory at " + SHARED.toAbsolutePath());
        saved = System.getProperty(Datasets.DATA_PROPERTY);
        System.setProperty(Datasets.DATA_PROPERTY, SHARED.toString());
    }

    @AfterAll
    static void restore() {
        if (saved == null) {
            System.clearProperty(Datasets.DATA_PROPERTY);
        } else {
            System.setProperty(Datasets.DATA_PROPERTY, saved);
        }
    }

    @Test
    void beautyHasExactlyThePublishedCounts() {
        SequenceDataset d = Datasets.load("beauty");
        assertEquals(22363, d.numUsers());
        assertEquals(12101, d.numItems());
        assertEquals(198502L, d.numInteractions());
        assertEquals(Benchmark.BEAUTY.sha256(), d.sha256());
        assertEquals(5, DatasetStats.of(d).minLength());
    }

    @Test
    void everyRegistryEntryLoadsVerifiedWithExpectedCounts() {
        List<SequenceDataset> all = new ArrayList<>();
        for (Benchmark b : Benchmark.values()) {
            Assumptions.assumeTrue(Datasets.isAvailable(b.key()), b.key() + " missing");
            Datasets.load(b.key()); // warm-up (checksum cached)
            long t0 = System.nanoTime();
            SequenceDataset d = Datasets.load(b.key()); // fails on checksum or count mismatch
            double ms = (System.nanoTime() - t0) / 1e6;
            System.out.printf(Locale.ROOT, "loaded %-12s %8.1f ms  %s%n", b.key(), ms, d);
            assertEquals(b.users(), d.numUsers(), b.key());
            assertEquals(b.items(), d.numItems(), b.key() + ": ids are contiguous 1..N");
            assertEquals(b.interactions(), d.numInteractions(), b.key());
            assertTrue(DatasetStats.compare(d, b.users(), b.items(), b.interactions()).isEmpty());
            all.add(d);
        }
        Table t = DatasetStats.table(all);
        System.out.println(t);
        assertEquals(Benchmark.values().length, t.rowCount());
        // ML-1M statistics of common.md §1.3: avg 165.5, sparsity 95.16 %
        SequenceDataset ml = all.get(Benchmark.ML_1M.ordinal());
        assertEquals(165.5, DatasetStats.of(ml).avgLength(), 0.01);
        assertEquals(0.9516, DatasetStats.of(ml).sparsity(), 1e-4);
    }

    @Test
    void beautyInterMatchesBeautyTxt() {
        SequenceDataset txt = Datasets.load("beauty");
        SequenceDataset inter = Datasets.load("beauty-inter");
        assertEquals(txt.numUsers(), inter.numUsers());
        for (int u = 0; u < txt.numUsers(); u++) {
            assertArrayEquals(txt.sequence(u), inter.sequence(u));
        }
    }

    @Test
    void kCoreFiveIsNoOpOnPublishedFiles() {
        // common.md §1.1: the files are already 5-cored
        SequenceDataset d = Datasets.load("toys");
        assertEquals(d.numInteractions(), Filters.kCore(d, 5).numInteractions());
        assertEquals(d, Datasets.load("toys", LoadOptions.defaults().withKCore(5)));
    }
}
