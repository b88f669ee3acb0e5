package io.seqcl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequenceFilesTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void parsesUsersItemsAndSkipsBlankLines() throws IOException {
        Path f = write("tiny.txt", "1 3 1 2\n\n7\t2  5\r\n3 4\n");
        SequenceDataset d = SequenceFiles.read(f);
        assertEquals("tiny", d.name());
        assertEquals(3, d.numUsers());
        assertEquals(5, d.numItems(), "numItems = largest item id");
        assertEquals(6, d.numInteractions());
        assertArrayEquals(new int[] {3, 1, 2}, d.sequence(0));
        assertArrayEquals(new int[] {2, 5}, d.sequence(1));
        assertArrayEquals(new int[] {4}, d.sequence(2));
        assertEquals(7, d.userId(1));
        assertEquals(Checksums.sha256(f), d.sha256());
        assertEquals(f.toString(), d.source());
    }

    @Test
    void nonNumericItemNamesFileAndLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int u = 1; u <= 16; u++) {
            sb.append(u).append(" 1 2 3\n");
        }
        sb.append("17 4 abc 5\n");
        Path f = write("bad.txt", sb.toString());
        DataFormatException e = assertThrows(DataFormatException.class, () -> SequenceFiles.read(f));
        assertTrue(e.getMessage().contains("bad.txt"), e.getMessage());
        assertTrue(e.getMessage().contains("line 17") || e.getMessage().contains(":17:"), e.getMessage());
        assertTrue(e.getMessage().contains("item 'abc' is not an integer"), e.getMessage());
        assertEquals(17, e.line());
        assertEquals(f, e.file());
    }

    @Test
    void nonNumericUser() throws IOException {
        Path f = write("u.txt", "1 2\nx 3 4\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SequenceFiles.read(f));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("u.txt:2:") && e.getMessage().contains("user 'x'"), e.getMessage());
    }

    @Test
    void zeroAndNegativeIdsAreRejected() throws IOException {
        Path zero = write("zero.txt", "1 2 3\n2 0 4\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SequenceFiles.read(zero));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("zero.txt:2:") && e.getMessage().contains("not positive"), e.getMessage());

        Path neg = write("neg.txt", "1 2\n2 3\n3 -4\n");
        e = assertThrows(DataFormatException.class, () -> SequenceFiles.read(neg));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("neg.txt:3:") && e.getMessage().contains("-4"), e.getMessage());

        Path negUser = write("neguser.txt", "-1 2\n");
        e = assertThrows(DataFormatException.class, () -> SequenceFiles.read(negUser));
        assertEquals(1, e.line());
    }

    @Test
    void overflowingIdIsRejected() throws IOException {
        Path f = write("big.txt", "1 99999999999\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SequenceFiles.read(f));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
    }

    @Test
    void userWithoutItems() throws IOException {
        Path f = write("lonely.txt", "1 2 3\n\n5   \n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SequenceFiles.read(f));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("lonely.txt:3:") && e.getMessage().contains("user 5 has no items"),
                e.getMessage());
    }

    @Test
    void duplicateUser() throws IOException {
        Path f = write("dup.txt", "1 2 3\n2 4\n1 5\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SequenceFiles.read(f));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("dup.txt:3:") && e.getMessage().contains("duplicate user 1")
                && e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void emptyFiles() throws IOException {
        Path empty = write("empty.txt", "");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SequenceFiles.read(empty));
        assertTrue(e.getMessage().contains("empty.txt") && e.getMessage().contains("file is empty"), e.getMessage());
        assertEquals(0, e.line());
        Path blank = write("blank.txt", "\n  \n\n");
        e = assertThrows(DataFormatException.class, () -> SequenceFiles.read(blank));
        assertTrue(e.getMessage().contains("blank.txt") && e.getMessage().contains("file is empty"), e.getMessage());
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("nope.txt");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SequenceFiles.read(f));
        assertTrue(e.getMessage().contains("nope.txt") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void lastLineWithoutNewline() throws IOException {
        Path f = write("nonl.txt", "1 1 2\n2 2 3");
        SequenceDataset d = SequenceFiles.read(f, "x");
        assertEquals("x", d.name());
        assertArrayEquals(new int[] {2, 3}, d.sequence(1));
        assertEquals(3, d.numItems());
    }

    @Test
    void largeFileParsesQuickly() throws IOException {
        // ~1M interactions, the size of ML-1M
        StringBuilder sb = new StringBuilder(5_000_000);
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int u = 1; u <= 6000; u++) {
            sb.append(u);
            for (int t = 0; t < 167; t++) {
                sb.append(' ').append(1 + r.nextInt(3500));
            }
            sb.append('\n');
        }
        Path f = write("big.txt", sb.toString());
        SequenceFiles.read(f); // warm-up
        long t0 = System.nanoTime();
        SequenceDataset d = SequenceFiles.read(f);
        double ms = (System.nanoTime() - t0) / 1e6;
        assertEquals(6000L * 167, d.numInteractions());
        assertTrue(ms < 1500, "parsing 1M interactions took " + ms + " ms");
    }

    @Test
    void loneCarriageReturnAndCrLfEndLines() throws IOException {
        // before: \r was whitespace, so a CR-only file was ONE user holding every id of the file
        Path cr = write("mac.txt", "1 1 2\r2 2 3\r3 3 1\r");
        SequenceDataset d = SequenceFiles.read(cr);
        assertEquals(3, d.numUsers());
        assertArrayEquals(new int[] {2, 3}, d.sequence(1));
        assertEquals(3, d.userId(2));
        Path mixed = write("mixed.txt", "1 1 2\r\n2 2 3\r3 3 1\n4 x\r\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SequenceFiles.read(mixed));
        assertEquals(4, e.line(), "CRLF counts as one line end, a lone CR as one: " + e.getMessage());
    }

    @Test
    void itemIdFarAboveTheDistinctCountIsRejectedWithFileAndLine() throws IOException {
        // ten distinct items, one of them 100,000,000: the vocabulary would have 1e8 rows
        Path f = write("huge.txt", "1 1 2 3 4 5\n2 6 7 8 9\n3 100000000 2\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SequenceFiles.read(f));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("huge.txt:3:") && e.getMessage().contains("100000000")
                && e.getMessage().contains("10 distinct") && e.getMessage().contains("remap"), e.getMessage());
        // the largest int: before, NegativeArraySizeException in itemCounts without file or line
        Path max = write("max.txt", "1 1 2\n2 2147483647\n");
        e = assertThrows(DataFormatException.class, () -> SequenceFiles.read(max));
        assertEquals(2, e.line());
    }

    @Test
    void idBoundIsTwiceTheDistinctCountPlusSlack() throws IOException {
        assertEquals(1020, SequenceFiles.maxItemIdAsIs(10));
        StringBuilder ok = new StringBuilder("1");
        for (int i = 1; i <= 9; i++) {
            ok.append(' ').append(i);
        }
        Path atBound = write("at.txt", ok + " 1020\n");
        assertEquals(1020, SequenceFiles.read(atBound).numItems());
        Path above = write("above.txt", ok + " 1021\n");
        assertThrows(DataFormatException.class, () -> SequenceFiles.read(above));
    }

    @Test
    void remapIdsLoadsZeroBasedAndSparseFiles() throws IOException {
        Path zero = write("zero-based.txt", "0 0 1 2\n1 2 3 0\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SequenceFiles.read(zero));
        assertTrue(e.getMessage().contains("zero-based.txt:1:") && e.getMessage().contains("remap"), e.getMessage());
        SequenceDataset d = SequenceFiles.read(zero, LoadOptions.defaults().withRemapIds(true));
        assertEquals(4, d.numItems());
        assertArrayEquals(new int[] {1, 2, 3}, d.sequence(0), "0-based contiguous ids become id + 1");
        assertArrayEquals(new int[] {3, 4, 1}, d.sequence(1));
        assertEquals(0, d.userId(0), "user id 0 is a label, not padding");

        Path sparse = write("sparse.txt", "7 2147483647 5\n9 5 100000000\n");
        d = SequenceFiles.read(sparse, LoadOptions.defaults().withRemapIds(true));
        assertEquals(3, d.numItems(), "ascending original ids: 5 -> 1, 1e8 -> 2, 2^31-1 -> 3");
        assertArrayEquals(new int[] {3, 1}, d.sequence(0));
        assertArrayEquals(new int[] {1, 2}, d.sequence(1));
    }

    @Test
    void userIdZeroIsAllowedWithoutRemapping() throws IOException {
        Path f = write("user0.txt", "0 1 2\n1 2 1\n");
        SequenceDataset d = SequenceFiles.read(f);
        assertEquals(0, d.userId(0));
        assertEquals(2, d.numItems());
    }

    @Test
    void invisibleCharactersAreShownEscaped() throws IOException {
        // a leading UTF-8 byte-order mark is skipped
        Path bom = dir.resolve("bom.txt");
        Files.write(bom, ("\uFEFF1 1 2\n2 2 3\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(2, SequenceFiles.read(bom).numUsers());
        // one inside the file (two files concatenated) is named
        Path inner = write("inner.txt", "1 1 2\n\uFEFF2 2 3\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SequenceFiles.read(inner));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("'\\uFEFF2'") && e.getMessage().contains("byte-order mark"),
                e.getMessage());
        Path nbsp = write("nbsp.txt", "1\u00A02 3\n");
        e = assertThrows(DataFormatException.class, () -> SequenceFiles.read(nbsp));
        assertTrue(e.getMessage().contains("'1\\u00A02'") && e.getMessage().contains("no-break space"),
                e.getMessage());
        Path ctl = write("ctl.txt", "1 2\u00013\n");
        e = assertThrows(DataFormatException.class, () -> SequenceFiles.read(ctl));
        assertTrue(e.getMessage().contains("'2\\u00013'"), e.getMessage());
    }

    @Test
    void readWithOptionsAppliesKCore() throws IOException {
        Path f = write("k.txt", "1 5 6 5\n2 6 5\n3 9 6\n");
        SequenceDataset d = SequenceFiles.read(f, LoadOptions.defaults().withKCore(2));
        assertEquals(2, d.numUsers());
        assertEquals(2, d.numItems());
    }
}
