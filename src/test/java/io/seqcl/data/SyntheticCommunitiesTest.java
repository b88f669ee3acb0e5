package io.seqcl.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The user-community generator {@link SyntheticDataset#communities} (baselines.md section 2). */
class SyntheticCommunitiesTest {

    @Test
    void everyUserDrawsDistinctItemsFromOneBlock() {
        SequenceDataset d = SyntheticDataset.communities(300, 100, 4, 5, 12, 3L);
        assertEquals(300, d.numUsers());
        assertEquals(100, d.numItems());
        int[] usersPerBlock = new int[4];
        for (int u = 0; u < d.numUsers(); u++) {
            int[] s = d.sequence(u);
            assertTrue(s.length >= 5 && s.length <= 12, "length " + s.length);
            assertEquals(s.length, Arrays.stream(s).distinct().count(), "repeated item for user " + u);
            int block = (s[0] - 1) / 25;
            usersPerBlock[block]++;
            for (int i : s) {
                assertEquals(block, (i - 1) / 25, "user " + u + " mixes blocks: " + Arrays.toString(s));
            }
        }
        for (int n : usersPerBlock) {
            // 300 users over 4 blocks: 75 +- 3 sigma (sigma = 7.5)
            assertTrue(Math.abs(n - 75) < 23, Arrays.toString(usersPerBlock));
        }
    }

    @Test
    void sameArgumentsGiveTheSameDatasetAndBlocksCoverAllItems() {
        SequenceDataset a = SyntheticDataset.communities(50, 23, 3, 3, 7, 9L);
        SequenceDataset b = SyntheticDataset.communities(50, 23, 3, 3, 7, 9L);
        for (int u = 0; u < 50; u++) {
            assertTrue(Arrays.equals(a.sequence(u), b.sequence(u)));
        }
        assertEquals(1, SyntheticDataset.communityStart(23, 3, 0));
        assertEquals(24, SyntheticDataset.communityStart(23, 3, 3));
        assertTrue(!Arrays.equals(a.sequence(0), SyntheticDataset.communities(50, 23, 3, 3, 7, 10L).sequence(0))
                || !Arrays.equals(a.sequence(1), SyntheticDataset.communities(50, 23, 3, 3, 7, 10L).sequence(1)));
    }

    @Test
    void invalidArgumentsNameTheParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SyntheticDataset.communities(10, 20, 4, 3, 6, 1L));
        assertTrue(e.getMessage().contains("maxLength"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SyntheticDataset.communities(10, 20, 0, 3, 4, 1L));
        assertTrue(e.getMessage().contains("communities"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SyntheticDataset.communities(0, 20, 2, 3, 4, 1L));
        assertTrue(e.getMessage().contains("users"), e.getMessage());
    }
}
