package io.seqcl.cf;

import io.seqcl.data.DataFormatException;
import io.seqcl.data.Datasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CfDataTest {

    @TempDir
    Path dir;

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }

    private void validFiles() throws IOException {
        write("train.txt", "0 1 2\n1 0\n2 3 1\n");
        write("valid.txt", "0 3\n");
        write("test_id.txt", "1 2\n2 0\n");
    }

    @Test
    void loadsADirectoryWithZeroBasedIds() throws IOException {
        validFiles();
        CfDataset d = CfDatasets.loadDirectory("tiny", dir);
        assertEquals(3, d.numUsers());
        assertEquals(4, d.numItems());
        assertEquals(5, d.numTrain());
        assertArrayEquals(new int[] {1, 2}, d.train(0));
        assertArrayEquals(new int[] {}, d.split("valid", 1));
        assertEquals(List.of("valid", "test_id"), d.splitNames());
        assertEquals(List.of("test_id"), d.testSplits());
        assertEquals(3, d.sha256().size());
    }

    @Test
    void malformedLineNamesFileAndLine() throws IOException {
        validFiles();
        write("valid.txt", "0 3\n\n2 x7\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CfDatasets.loadDirectory("t", dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("valid.txt") + ":3: "), e.getMessage());
        assertTrue(e.getMessage().contains("'x7'"), e.getMessage());
        assertEquals(3, e.line());
    }

    @Test
    void negativeIdDuplicateUserAndUnknownUserAreReportedWithTheirLine() throws IOException {
        validFiles();
        write("test_id.txt", "1 2\n2 -4\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CfDatasets.loadDirectory("t", dir));
        assertTrue(e.getMessage().contains("test_id.txt:2: item id -4 is negative"), e.getMessage());
        write("test_id.txt", "1 2\n1 0\n");
        e = assertThrows(DataFormatException.class, () -> CfDatasets.loadDirectory("t", dir));
        assertTrue(e.getMessage().contains("test_id.txt:2: user 1 is listed twice"), e.getMessage());
        write("test_id.txt", "1 2\n9 0\n");
        e = assertThrows(DataFormatException.class, () -> CfDatasets.loadDirectory("t", dir));
        assertTrue(e.getMessage().contains("test_id.txt:2: user 9 does not occur in the training file"),
                e.getMessage());
    }

    @Test
    void missingFilesGiveAClearMessage() {
        String old = System.getProperty(Datasets.DATA_PROPERTY);
        System.setProperty(Datasets.DATA_PROPERTY, dir.toString());
        try {
            DataFormatException e = assertThrows(DataFormatException.class, () -> CfDatasets.load("coat"));
            assertTrue(e.getMessage().contains("train.txt not found"), e.getMessage());
            assertTrue(e.getMessage().contains("data/fetch.sh coat"), e.getMessage());
            assertTrue(!CfDatasets.isAvailable("yahoo"));
        } finally {
            restore(old);
        }
    }

    @Test
    void changedFileFailsTheChecksum() throws IOException {
        Path coat = dir.resolve("coat");
        Files.createDirectories(coat);
        for (String f : CfDatasets.FILES) {
            Files.writeString(coat.resolve(f + ".txt"), "0 1\n");
        }
        String old = System.getProperty(Datasets.DATA_PROPERTY);
        System.setProperty(Datasets.DATA_PROPERTY, dir.toString());
        try {
            DataFormatException e = assertThrows(DataFormatException.class, () -> CfDatasets.load("coat"));
            assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
        } finally {
            restore(old);
        }
    }

    private static void restore(String old) {
        if (old == null) {
            System.clearProperty(Datasets.DATA_PROPERTY);
        } else {
            System.setProperty(Datasets.DATA_PROPERTY, old);
        }
    }

    @Test
    void unknownNameListsKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CfDatasets.entry("kuairec"));
        assertTrue(e.getMessage().contains("coat, yahoo"));
        assertEquals(CfDatasets.Entry.YAHOO, CfDatasets.entry("Yahoo!R3"));
        assertEquals(CfDatasets.Entry.YAHOO, CfDatasets.entry("yahoo.new"));
    }

    @Test
    void publishedCoatAndYahooLoadWithTheSpecCounts() {
        assumeTrue(CfDatasets.isAvailable("coat") && CfDatasets.isAvailable("yahoo"),
                "SEQCL_DATA has no coat/yahoo.new");
        CfDataset coat = CfDatasets.load("coat");
        assertEquals(290, coat.numUsers());
        assertEquals(295, coat.numItems());
        assertEquals(1363, coat.numTrain());
        assertEquals(222, coat.numUsersIn("valid"));
        assertEquals(237, coat.numUsersIn("test_id"));
        assertEquals(553, coat.numPairs("valid"));
        assertEquals(860, coat.numPairs("test_ood"));
        CfDataset y = CfDatasets.load("yahoo");
        assertEquals(14382, y.numUsers());
        assertEquals(1000, y.numItems());
        assertEquals(88684, y.numTrain());
        assertEquals(11130, y.numUsersIn("valid"));
        assertEquals(36393, y.numPairs("valid"));
        assertEquals(2383, y.numUsersIn("test_id"));
        assertEquals(4671, y.numPairs("test_id"));
        assertEquals(4, coat.stats().rowCount());
        assertEquals(71, coat.trainingOverlap("test_id"), "issue 12: 71 of 860 Coat test pairs are training items");
        assertEquals(71, coat.trainingOverlap("test_ood"));
        assertEquals(0, coat.trainingOverlap("valid"));
        assertEquals(860 - 71, coat.withoutTrainingItemsInTests().numPairs("test_id"));
    }

    /** 2 users, 5 items: train u0 {0, 1}, u1 {2}; valid u0 {4}, u1 {3}; test_id u0 {1, 3}, u1 {2}. */
    private static CfDataset overlapData() {
        Map<String, int[][]> s = new LinkedHashMap<>();
        s.put(CfDataset.VALID, new int[][] {{4}, {3}});
        s.put("test_id", new int[][] {{1, 3}, {2}});
        return new CfDataset("overlap", "test", 2, 5, new int[][] {{0, 1}, {2}}, s, Map.of());
    }

    @Test
    void droppingTrainingItemsFromTestPositivesChangesWhatCounts() {
        CfDataset d = overlapData();
        assertEquals(2, d.trainingOverlap("test_id"));
        CfDataset f = d.withoutTrainingItemsInTests();
        assertEquals("overlap-no-train-overlap", f.name());
        assertEquals(0, f.trainingOverlap("test_id"));
        assertArrayEquals(new int[] {3}, f.split("test_id", 0));
        assertArrayEquals(new int[0], f.split("test_id", 1));
        assertEquals(1, f.numUsersIn("test_id"), "u1 had only a training item as test positive");
        assertArrayEquals(d.split(CfDataset.VALID, 0), f.split(CfDataset.VALID, 0), "valid is unchanged");
        assertArrayEquals(d.train(0), f.train(0));
        // scores favour low ids, i.e. the training items: 5 4 3 2 1
        CfEvaluator.Scorer s = (u, out) -> {
            for (int i = 0; i < out.length; i++) {
                out[i] = 5 - i;
            }
        };
        // authors' protocol: u0 candidates {1, 2, 3} (own positives stay in) -> training item 1 hits at rank 1;
        // u1 candidates {0, 1, 2, 4} -> item 2 at rank 3. Recall@1 = (1/2 + 0) / 2
        assertEquals(0.25, CfEvaluator.evaluate(d, "test_id", 1, s).get(CfEvaluator.Metric.RECALL), 1e-12);
        // option: only u0 with positive {3}, candidates {2, 3} -> rank 2
        assertEquals(0.0, CfEvaluator.evaluate(f, "test_id", 1, s).get(CfEvaluator.Metric.RECALL), 1e-12);
        assertEquals(1.0, CfEvaluator.evaluate(f, "test_id", 2, s).get(CfEvaluator.Metric.RECALL), 1e-12);
    }

    @Test
    void syntheticIsSeededAndSplitsAreDisjoint() {
        CfDataset a = CfTestData.synthetic();
        CfDataset b = CfTestData.synthetic();
        for (int u = 0; u < a.numUsers(); u++) {
            assertArrayEquals(a.train(u), b.train(u));
            for (int i : a.split("test_id", u)) {
                assertTrue(java.util.Arrays.binarySearch(a.train(u), i) < 0);
                assertTrue(java.util.Arrays.binarySearch(a.split("valid", u), i) < 0);
            }
        }
        assertEquals(400 * 14, a.numTrain());
    }

    @Test
    void missingConfiguredDataDirectoryNeverFallsBackToSyntheticData() throws Exception {
        String saved = System.getProperty(io.seqcl.data.Datasets.DATA_PROPERTY);
        java.nio.file.Path missing = java.nio.file.Files.createTempDirectory("seqcl-data").resolve("typo");
        System.setProperty(io.seqcl.data.Datasets.DATA_PROPERTY, missing.toString());
        try {
            io.seqcl.data.DataFormatException e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.seqcl.data.DataFormatException.class, () -> CfDatasets.loadOrSynthetic("coat"));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("seqcl.data")
                    && e.getMessage().contains(missing.toString()), e.getMessage());
        } finally {
            if (saved == null) {
                System.clearProperty(io.seqcl.data.Datasets.DATA_PROPERTY);
            } else {
                System.setProperty(io.seqcl.data.Datasets.DATA_PROPERTY, saved);
            }
        }
    }
}
