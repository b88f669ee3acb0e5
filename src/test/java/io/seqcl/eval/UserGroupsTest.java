package io.seqcl.eval;

import io.seqcl.data.SequenceDataset;
import io.seqcl.protocol.LeaveOneOutSplit;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserGroupsTest {

    /** Users 0..5 with sequence lengths 5, 5, 7, 8, 12, 3. */
    private static LeaveOneOutSplit split() {
        int[][] seqs = {{1, 2, 3, 4, 5}, {2, 3, 4, 5, 6}, {1, 2, 3, 4, 5, 6, 7}, {1, 2, 3, 4, 5, 6, 7, 8},
                {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {3, 2, 1}};
        return LeaveOneOutSplit.of(new SequenceDataset("groups", new int[] {10, 11, 12, 13, 14, 15}, seqs, 12,
                "test", null));
    }

    @Test
    void mclrecGroupsAverageTheRanksOfTheirUsers() {
        // ranks of users 0..5: 1, 20, 3, 11, 2, 1
        EvalResult r = new EvalResult("test", new int[] {0, 1, 2, 3, 4, 5}, new int[] {1, 20, 3, 11, 2, 1},
                new int[] {10});
        Table t = UserGroups.mclrecFig8().evaluate(r, split(), "HR@10", "NDCG@10");
        assertEquals(6, t.rowCount());
        assertEquals(List.of("group", "users", "metric", "value"), t.columnNames());
        // =5: users 0 and 1 -> HR 1/2, NDCG (1/log2(2) + 0)/2 = 0.5
        assertRow(t, 0, "=5", 2, "HR@10", 0.5);
        assertRow(t, 1, "=5", 2, "NDCG@10", 0.5);
        // 6-8: users 2 (rank 3) and 3 (rank 11) -> HR 1/2, NDCG (1/log2(4))/2 = 0.25
        assertRow(t, 2, "6-8", 2, "HR@10", 0.5);
        assertRow(t, 3, "6-8", 2, "NDCG@10", 0.25);
        // >8: user 4 (rank 2); user 5 (length 3) is in no group
        assertRow(t, 4, ">8", 1, "HR@10", 1.0);
        assertRow(t, 5, ">8", 1, "NDCG@10", 1 / (Math.log(3) / Math.log(2)));
    }

    @Test
    void trainingLengthBasisAndContiguousBoundsAndEmptyGroups() {
        EvalResult r = new EvalResult("valid", new int[] {0, 1, 2, 3, 4, 5}, new int[] {1, 20, 3, 11, 2, 1},
                new int[] {10});
        // training lengths n-2: 3, 3, 5, 6, 10, 1 -> <=3: users 0, 1, 5; 4-6: 2, 3; >6: 4
        UserGroups g = UserGroups.byUpperBounds(UserGroups.Basis.TRAINING_LENGTH, 3, 6);
        assertEquals(List.of("<=3", "4-6", ">6"), g.groups().stream().map(UserGroups.Group::label).toList());
        Table t = g.evaluate(r, split(), MetricKey.parse("HR@5"));
        assertRow(t, 0, "<=3", 3, "HR@5", 2.0 / 3);
        assertRow(t, 1, "4-6", 2, "HR@5", 0.5);
        assertRow(t, 2, ">6", 1, "HR@5", 1.0);
        Table empty = new UserGroups(UserGroups.Basis.SEQUENCE_LENGTH, List.of(new UserGroups.Group("=100", 100, 100)))
                .evaluate(r, split(), "HR@10");
        assertEquals(0, empty.intColumn("users").getInt(0));
        assertTrue(Double.isNaN(empty.doubleColumn("value").getDouble(0)));
        assertThrows(IllegalArgumentException.class, () -> UserGroups.byUpperBounds(UserGroups.Basis.SEQUENCE_LENGTH,
                5, 3));
        assertThrows(IllegalArgumentException.class, () -> new UserGroups.Group("x", 5, 4));
    }

    private static void assertRow(Table t, int row, String group, int users, String metric, double value) {
        assertEquals(group, t.stringColumn("group").get(row));
        assertEquals(users, t.intColumn("users").getInt(row));
        assertEquals(metric, t.stringColumn("metric").get(row));
        assertEquals(value, t.doubleColumn("value").getDouble(row), 1e-12);
    }
}
