package io.seqcl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Facade tests against a temporary data directory selected with the {@code seqcl.data} system property. */
class DatasetsTest {

    @TempDir
    Path dir;

    private String saved;

    @BeforeEach
    void point() {
        saved = System.getProperty(Datasets.DATA_PROPERTY);
        System.setProperty(Datasets.DATA_PROPERTY, dir.toString());
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(Datasets.DATA_PROPERTY);
        } else {
            System.setProperty(Datasets.DATA_PROPERTY, saved);
        }
    }

    private Path fakeBeauty(boolean flat) throws IOException {
        Path f = flat ? dir.resolve("Amazon_Beauty.txt") : dir.resolve("amazon-beauty/Amazon_Beauty.txt");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "1 1 2 3\n2 2 3\n");
        return f;
    }

    @Test
    void dataDirComesFromSystemProperty() {
        assertEquals(dir, Datasets.dataDir());
    }

    @Test
    void namesAndLookup() {
        assertTrue(Datasets.names().containsAll(List.of("beauty", "sports", "toys", "toys-ideadl", "clothing", "yelp",
                "ml-1m", "synthetic")));
        assertSame(Benchmark.ML_1M, Datasets.benchmark("ML-1M"));
        assertSame(Benchmark.ML_1M, Datasets.benchmark("ml1m"));
        assertSame(Benchmark.ML_1M, Datasets.benchmark("ml_1m"));
        assertSame(Benchmark.BEAUTY, Datasets.benchmark("Beauty"));
        assertSame(Benchmark.TOYS_IDEADL, Datasets.benchmark("toys-ideadl"));
        assertSame(Benchmark.SPORTS, Datasets.benchmark("amazon-sports"));
        assertEquals(200, Benchmark.ML_1M.maxLength());
        assertEquals(50, Benchmark.BEAUTY.maxLength());
        assertTrue(Benchmark.CLOTHING.papers().contains("Meta-SGCL"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.load("netflix"));
        assertTrue(e.getMessage().contains("netflix") && e.getMessage().contains("beauty")
                && e.getMessage().contains("ml-1m") && e.getMessage().contains("synthetic"), e.getMessage());
    }

    @Test
    void syntheticByName() {
        assertEquals(SyntheticDataset.defaultDataset(), Datasets.load("Synthetic"));
        assertTrue(Datasets.isAvailable("synthetic"));
    }

    @Test
    void missingFileSaysWhereItLooked() {
        assertFalse(Datasets.isAvailable("beauty"));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.load("beauty"));
        String m = e.getMessage();
        assertTrue(m.contains("amazon-beauty/Amazon_Beauty.txt".replace('/', java.io.File.separatorChar)), m);
        assertTrue(m.contains(dir.toString()), m);
        assertTrue(m.contains("seqcl.data") && m.contains("SEQCL_DATA"), m);
    }

    @Test
    void checksumMismatchIsAnErrorNamingFileExpectedAndActual() throws IOException {
        Path f = fakeBeauty(false);
        assertTrue(Datasets.isAvailable("beauty"));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.load("beauty"));
        String m = e.getMessage();
        assertTrue(m.contains(f.toString()), m);
        assertTrue(m.contains("expected " + Benchmark.BEAUTY.sha256()), m);
        assertTrue(m.contains("actual " + Checksums.sha256(f)), m);
    }

    @Test
    void warnOnlyLoadsAndReportsChecksumAndCounts() throws IOException {
        fakeBeauty(true); // flat layout
        List<String> warnings = new ArrayList<>();
        SequenceDataset d = Datasets.load("beauty", LoadOptions.defaults().warnOnly(warnings::add));
        assertEquals(2, d.numUsers());
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("SHA-256 mismatch") && warnings.get(0).contains("Amazon_Beauty.txt"));
        assertTrue(warnings.get(1).contains("users 2, expected 22363"), warnings.get(1));
        assertTrue(warnings.get(1).contains("interactions 5, expected 198502"), warnings.get(1));
    }

    @Test
    void kCoreOptionFiltersAndReindexes() throws IOException {
        Path f = dir.resolve("yelp/Yelp.txt");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "1 5 6 5\n2 6 5\n3 9 9 6\n");
        List<String> warnings = new ArrayList<>();
        LoadOptions o = LoadOptions.defaults().warnOnly(warnings::add).withKCore(2);
        SequenceDataset d = Datasets.load("yelp", o);
        // item 9 occurs twice (repeats count), item 6 three times, item 5 three times: nothing removed
        assertEquals(3, d.numUsers());
        assertEquals(9, d.numItems(), "nothing removed -> ids untouched");
        Files.writeString(f, "1 5 6 5\n2 6 5\n3 9 6\n");
        d = Datasets.load("yelp", o);
        // item 9 occurs once -> removed; user 3 is left with [6] -> removed; items 5, 6 re-indexed to 1, 2
        assertEquals(2, d.numUsers());
        assertEquals(2, d.numItems(), "item 9 removed -> re-indexed to 1..2");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {1, 2, 1}, d.sequence(0));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {2, 1}, d.sequence(1));
    }

    @Test
    void loadOrSyntheticNeverFallsBackWhenTheConfiguredDirectoryIsMissing() throws IOException {
        Path missing = dir.resolve("does-not-exist");
        System.setProperty(Datasets.DATA_PROPERTY, missing.toString());
        // before: a typo in SEQCL_DATA silently switched to synthetic data
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.loadOrSynthetic());
        assertTrue(e.getMessage().contains("seqcl.data") && e.getMessage().contains(missing.toString())
                && e.getMessage().contains("does not exist"), e.getMessage());
        assertThrows(DataFormatException.class, () -> Datasets.loadOrSynthetic("yelp"));
        assertThrows(DataFormatException.class, Datasets::requireConfiguredDataDir);
        assertEquals("synthetic", Datasets.loadOrSynthetic("synthetic").name(), "asking for synthetic is fine");
        System.setProperty(Datasets.DATA_PROPERTY, dir.toString());
        Datasets.requireConfiguredDataDir();
        assertThrows(DataFormatException.class, () -> Datasets.loadOrSynthetic("yelp"),
                "a configured directory without the file is an error");
    }

    @Test
    void loadNullIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.load(null));
        assertTrue(e.getMessage().contains("null") && e.getMessage().contains("beauty"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Datasets.load(null, LoadOptions.defaults()));
        assertThrows(IllegalArgumentException.class, () -> Datasets.isAvailable(null));
        assertThrows(IllegalArgumentException.class, () -> Datasets.loadFile(null));
    }

    @Test
    void loadFileDetectsSequenceAndInterFiles() throws IOException {
        Path txt = dir.resolve("mine.txt");
        Files.writeString(txt, "1 3 1 2\n2 2 3\n");
        SequenceDataset d = Datasets.loadFile(txt);
        assertEquals("mine", d.name());
        assertEquals(2, d.numUsers());
        assertEquals(3, d.numItems());
        Path inter = dir.resolve("mine.inter");
        Files.writeString(inter, "user_id:token\titem_id:token\ttimestamp:float\na\tX\t2\na\tY\t1\nb\tX\t5\n");
        d = Datasets.loadFile(inter);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {2, 1}, d.sequence(0), "sorted by timestamp");
        Path headerOnly = dir.resolve("recbole-export.csv"); // detected by its header, not its name
        Files.writeString(headerOnly, "user_id:token\titem_id:token\nu\tA\nu\tB\n");
        assertEquals(2, Datasets.loadFile(headerOnly).numItems());
        Path zero = dir.resolve("zero.txt");
        Files.writeString(zero, "0 0 1\n1 1 2\n");
        assertThrows(DataFormatException.class, () -> Datasets.loadFile(zero));
        d = Datasets.loadFile(zero, LoadOptions.defaults().withRemapIds(true));
        assertEquals(3, d.numItems());
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Datasets.loadFile(dir.resolve("nope.txt")));
        assertTrue(e.getMessage().contains("nope.txt") && e.getMessage().contains("not found"), e.getMessage());
        e = assertThrows(DataFormatException.class, () -> Datasets.loadFile(dir));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
    }

    @Test
    void checksumHintNamesWhatAUserCanDo() throws IOException {
        fakeBeauty(false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.load("beauty"));
        assertTrue(e.getMessage().contains("data/fetch.sh") && e.getMessage().contains("Datasets.loadFile")
                && e.getMessage().contains("--data"), e.getMessage());
    }

    @Test
    void kCoreThatRemovesEverythingNamesTheThreshold() throws IOException {
        Path f = dir.resolve("small.txt");
        Files.writeString(f, "1 1 2\n2 2 3\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.loadFile(f, LoadOptions.defaults().withKCore(10)));
        assertTrue(e.getMessage().contains("threshold 10"), e.getMessage());
    }

    @Test
    void checksumCacheTracksFileChanges() throws IOException {
        Path f = dir.resolve("c.txt");
        Files.writeString(f, "abc");
        String a = Checksums.sha256(f);
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", a);
        assertEquals(a, Checksums.sha256(f));
        Files.writeString(f, "abcd");
        assertEquals("88d4266fd4e6338d13b845fcf289579d209c897823b9217da3e161936f031589", Checksums.sha256(f));
        assertEquals(null, Checksums.mismatch(f, "88D4266FD4E6338D13B845FCF289579D209C897823B9217DA3E161936F031589"));
    }

    @Test
    void registryChecksumsMatchProjectSha256Sums() throws IOException {
        Path sums = Path.of("data", "SHA256SUMS");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(sums));
        java.util.Map<String, String> bySum = new java.util.HashMap<>();
        for (String line : Files.readAllLines(sums)) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                bySum.put(f[1], f[0]);
            }
        }
        for (Benchmark b : Benchmark.values()) {
            assertEquals(bySum.get(b.relativePath()), b.sha256(), b.key());
        }
    }
}
