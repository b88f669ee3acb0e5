package io.seqcl;

import io.seqcl.data.SequenceDataset;
import io.seqcl.data.SyntheticConfig;
import io.seqcl.data.SyntheticDataset;

/** Small datasets shared by tests. */
public final class TestData {

    private TestData() {
    }

    /**
     * A hand-written dataset: user 1 = 1..6, user 2 = 7 8 9 10, user 3 = 2 4 6 8 10 3 5.
     *
     * @return the dataset (10 items)
     */
    public static SequenceDataset tiny() {
        return new SequenceDataset("tiny", new int[] {1, 2, 3},
                new int[][] {{1, 2, 3, 4, 5, 6}, {7, 8, 9, 10}, {2, 4, 6, 8, 10, 3, 5}}, 10, "test", null);
    }

    /**
     * A small synthetic Markov-chain dataset that trains in seconds.
     *
     * @return 600 users over 120 items
     */
    public static SequenceDataset smallSynthetic() {
        SyntheticConfig c = new SyntheticConfig(600, 120, 5, 20, 3, 0.1, 1.0, 7L);
        return SyntheticDataset.create(c).dataset();
    }
}
