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
        assertEquals(1 - 9.0 / 12.0, s.sparsity(), 1e-12);
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
        assertEquals(0.25, t.doubleColumn("sparsity").get(0), 1e-12);
        assertEquals(1, t.intColumn("users").get(1));
        assertEquals(0.0, t.doubleColumn("sparsity").get(1), 1e-12);
    }

    @Test
    void compareReportsEachDifferingCount() {
        assertTrue(DatasetStats.compare(D, 3, 4, 9).isEmpty());
        List<String> m = DatasetStats.compare(D, 3, 5, 10);
        assertEquals(List.of("hand: items 4, expected 5", "hand: interactions 9, expected 10"), m);
    }
}
