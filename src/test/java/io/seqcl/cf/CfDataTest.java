package io.seqcl.cf;

import io.seqcl.data.DataFormatException;
import io.seqcl.data.Datasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
