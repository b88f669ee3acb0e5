package io.seqcl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class DatasetStatsTest {

    private static final SequenceDataset D = new SequenceDataset("hand", new int[] {1, 2, 3},
            new int[][] {{1, 2, 3}, {2, 3}, {4, 4, 1, 2}}, 5, "test", null);

    @Test
    void statsComputedByHand() {
        DatasetStats s = DatasetStats.of(D);
        assertEquals("hand", s.name());
        assertEquals(3, s.users());
        assertEquals(4, s.items(), "item 5 never occurs");
        assertEquals(9, s.interactions());
        assertEquals(3.0, s.avgLength(), 1e-12);
        assertEquals(2, s.minLength());
        assertEquals(4, s.maxLength());
        assertEquals(1 - 8.0 / 12.0, s.sparsity(), 1e-12); // 8 distinct (user, item) pairs: item 4 repeats
    }

    @Test
    void tableHasOneRowPerDataset() {
        SequenceDataset other = new SequenceDataset("one", new int[] {7}, new int[][] {{1}}, 1, "t", null);
        Table t = DatasetStats.table(D, other);
        assertEquals(2, t.rowCount());
        assertEquals(List.of("name", "users", "items", "interactions", "avg_length", "min_length", "max_length",
                "sparsity"), t.columnNames());
        assertEquals("hand", t.stringColumn("name").get(0));
        assertEquals(9L, t.longColumn("interactions").get(0));
        assertEquals(1 - 8.0 / 12.0, t.doubleColumn("sparsity").get(0), 1e-12);
        assertEquals(1, t.intColumn("users").get(1));
        assertEquals(0.0, t.doubleColumn("sparsity").get(1), 1e-12);
    }

    @Test
    void compareReportsEachDifferingCount() {
        assertTrue(DatasetStats.compare(D, 3, 4, 9).isEmpty());
        List<String> m = DatasetStats.compare(D, 3, 5, 10);
        assertEquals(List.of("hand: items 4, expected 5", "hand: interactions 9, expected 10"), m);
    }

    @Test
    void sparsityCountsRepeatedInteractionsOnce() {
        // one user repeating one item 1,000 times: 1 - 1000 / (1 x 1) was -999
        int[] s = new int[1000];
        java.util.Arrays.fill(s, 1);
        DatasetStats st = DatasetStats.of(new SequenceDataset("rep", new int[] {1}, new int[][] {s}, 1, "t", null));
        assertEquals(1000, st.interactions());
        assertEquals(0.0, st.sparsity(), 1e-12);
        SequenceDataset two = new SequenceDataset("two", new int[] {1, 2}, new int[][] {{1, 1, 2}, {2, 2, 2}}, 2,
                "t", null);
        assertEquals(1 - 3.0 / 4.0, DatasetStats.of(two).sparsity(), 1e-12);
    }

    @Test
    void anItemTableThatCannotExistIsRejectedOnConstruction() {
        // before: accepted, then NegativeArraySizeException in itemCounts()
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SequenceDataset("max", new int[] {1}, new int[][] {{Integer.MAX_VALUE}}, Integer.MAX_VALUE,
                        "t", null));
        assertTrue(e.getMessage().contains("numItems"), e.getMessage());
    }
}
