package io.seqcl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterFilesTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    @Test
    void groupsByUserInFirstAppearanceOrderWithoutTimestamps() throws IOException {
        Path f = write("a.inter", "user_id:token\titem_id:token\n"
                + "bob\tX\nann\tY\nbob\tZ\nann\tX\nbob\tY\n");
        InterData r = InterFiles.read(f);
        SequenceDataset d = r.dataset();
        assertEquals(2, d.numUsers());
        assertEquals(3, d.numItems());
        // items numbered by first appearance: X=1, Y=2, Z=3; users bob=1, ann=2
        assertEquals(1, r.itemId("X"));
        assertEquals(2, r.itemId("Y"));
        assertEquals(3, r.itemId("Z"));
        assertEquals(0, r.itemId("nope"));
        assertEquals("Z", r.itemToken(3));
        assertEquals(List.of("bob", "ann"), r.userTokens());
        assertEquals("bob", r.userToken(d.userId(0)));
        assertEquals(2, r.userId("ann"));
        assertArrayEquals(new int[] {1, 3, 2}, d.sequence(0)); // file order kept
        assertArrayEquals(new int[] {2, 1}, d.sequence(1));
    }

    @Test
    void sortsByTimestampStably() throws IOException {
        Path f = write("t.inter", "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
                + "u1\ta\t5\t300\n"
                + "u2\tb\t4\t10\n"
                + "u1\tb\t3\t100\n"
                + "u1\tc\t4\t200\n"
                + "u1\td\t4\t100\n"   // tie with b: must stay after b (file order)
                + "u2\ta\t1\t5\n");
        InterData r = InterFiles.read(f);
        SequenceDataset d = r.dataset();
        int a = r.itemId("a");
        int b = r.itemId("b");
        int c = r.itemId("c");
        int dd = r.itemId("d");
        assertArrayEquals(new int[] {b, dd, c, a}, d.sequence(0));
        assertArrayEquals(new int[] {a, b}, d.sequence(1));
        assertEquals(4, d.numItems());
    }

    @Test
    void minRatingFilterKeepsRowsAtOrAboveThreshold() throws IOException {
        Path f = write("r.inter", "user_id:token\titem_id:token\trating:float\n"
                + "u1\ta\t5\nu2\tb\t2\nu1\tc\t3\nu2\td\t4\nu3\te\t1\n");
        InterData r = InterFiles.read(f, "r", OptionalDouble.of(4));
        SequenceDataset d = r.dataset();
        assertEquals(2, d.numUsers());
        assertEquals(2, d.numItems(), "ids are assigned to kept rows only");
        assertEquals(List.of("a", "d"), r.itemTokens());
        assertEquals(List.of("u1", "u2"), r.userTokens());
        assertEquals(0, r.userId("u3"));
    }

    @Test
    void minRatingWithoutRatingColumnIsAnError() throws IOException {
        Path f = write("nr.inter", "user_id:token\titem_id:token\nu\ti\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> InterFiles.read(f, "nr", OptionalDouble.of(4)));
        assertTrue(e.getMessage().contains("nr.inter") && e.getMessage().contains("no rating column"), e.getMessage());
    }

    @Test
    void wrongColumnCountNamesLine() throws IOException {
        Path f = write("c.inter", "user_id:token\titem_id:token\nu\ti\nu\tj\textra\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> InterFiles.read(f));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("c.inter:3:") && e.getMessage().contains("expected 2"), e.getMessage());
    }

    @Test
    void missingItemColumnInHeader() throws IOException {
        Path f = write("h.inter", "user_id:token\tproduct:token\nu\ti\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> InterFiles.read(f));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("h.inter:1:") && e.getMessage().contains("item_id"), e.getMessage());
        Path g = write("h2.inter", "item_id:token\tx:float\ni\t1\n");
        e = assertThrows(DataFormatException.class, () -> InterFiles.read(g));
        assertTrue(e.getMessage().contains("user_id"), e.getMessage());
    }

    @Test
    void nonNumericRatingAndTimestamp() throws IOException {
        Path f = write("n.inter", "user_id:token\titem_id:token\trating:float\nu\ti\t4\nu\tj\tgood\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> InterFiles.read(f));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("n.inter:3:") && e.getMessage().contains("rating 'good'"), e.getMessage());
        Path g = write("ts.inter", "user_id:token\titem_id:token\ttimestamp:float\nu\ti\tyesterday\n");
        e = assertThrows(DataFormatException.class, () -> InterFiles.read(g));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("timestamp 'yesterday'"), e.getMessage());
    }

    @Test
    void emptyAndHeaderOnlyFiles() throws IOException {
        Path f = write("e.inter", "");
        DataFormatException e = assertThrows(DataFormatException.class, () -> InterFiles.read(f));
        assertTrue(e.getMessage().contains("e.inter") && e.getMessage().contains("file is empty"), e.getMessage());
        Path g = write("ho.inter", "user_id:token\titem_id:token\n");
        e = assertThrows(DataFormatException.class, () -> InterFiles.read(g));
        assertTrue(e.getMessage().contains("no interactions"), e.getMessage());
    }

    @Test
    void loneCarriageReturnsAndCrLfEndLines() throws IOException {
        Path f = write("cr.inter", "user_id:token\titem_id:token\rbob\tX\r\nann\tY\rbob\tZ\n");
        InterData r = InterFiles.read(f);
        assertEquals(2, r.dataset().numUsers());
        assertArrayEquals(new int[] {1, 3}, r.dataset().sequence(0));
    }

    @Test
    void byteOrderMarkBeforeTheHeaderIsSkipped() throws IOException {
        Path f = dir.resolve("bom.inter");
        Files.write(f, "\uFEFFuser_id:token\titem_id:token\nbob\tX\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(1, InterFiles.read(f).dataset().numUsers());
    }

    @Test
    void invalidUtf8NamesTheLineAndInvisibleCharactersAreEscaped() throws IOException {
        Path f = dir.resolve("latin1.inter");
        byte[] head = "user_id:token\titem_id:token\nbob\tX\nann\t".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(head, head.length + 2);
        all[head.length] = (byte) 0xE9; // 'e' acute in Latin-1, invalid UTF-8
        all[head.length + 1] = '\n';
        Files.write(f, all);
        DataFormatException e = assertThrows(DataFormatException.class, () -> InterFiles.read(f));
        assertEquals(3, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
        Path g = write("nbsp.inter", "user_id:token\titem_id:token\trating:float\nbob\tX\t4\u00A0\n");
        e = assertThrows(DataFormatException.class, () -> InterFiles.read(g));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("'4\\u00A0'") && e.getMessage().contains("no-break space"),
                e.getMessage());
    }
}
