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

    /**
     * Asserts that a model trained on {@link #smallSynthetic()} ranks clearly better than Pop on its test split
     * (HR@10 above 1.5 x Pop's and at least 0.1 higher) and prints both numbers.
     *
     * @param model display name for the message
     * @param r the model's result on {@code LeaveOneOutSplit.of(smallSynthetic())}
     */
    public static void assertBeatsPop(String model, io.seqcl.train.TrainResult r) {
        assertBeatsPop(model, r, smallSynthetic());
    }

    /**
     * A small dataset with user communities and no sequential signal (for non-sequential models such as BPR-MF):
     * 600 users, 120 items in 6 blocks of 20, lengths 5..12, seed 7.
     *
     * @return the dataset
     */
    public static SequenceDataset smallCommunities() {
        return SyntheticDataset.communities(600, 120, 6, 5, 12, 7L);
    }

    /**
     * As {@link #assertBeatsPop(String, io.seqcl.train.TrainResult)} on another dataset.
     *
     * @param model display name for the message
     * @param r the model's result on {@code LeaveOneOutSplit.of(data)}
     * @param data the dataset the model was trained on
     */
    public static void assertBeatsPop(String model, io.seqcl.train.TrainResult r, SequenceDataset data) {
        io.seqcl.train.TrainResult pop;
        try (io.seqcl.model.Pop p = new io.seqcl.model.Pop(data.numItems())) {
            pop = new io.seqcl.train.Trainer(io.seqcl.train.TrainConfig.defaults().withEpochs(1)).fit(p,
                    io.seqcl.protocol.LeaveOneOutSplit.of(data), io.seqcl.train.ProgressListener.NONE);
        }
        double popHr = pop.test().value("HR@10");
        double hr = r.test().value("HR@10");
        System.out.printf(java.util.Locale.ROOT, data.name() + " test HR@10: Pop %.4f, %s %.4f (best epoch %d, %.1f s)%n",
                popHr, model, hr, r.bestEpoch(), r.seconds());
        org.junit.jupiter.api.Assertions.assertTrue(hr > popHr * 1.5 && hr > popHr + 0.1,
                model + " HR@10 " + hr + " vs Pop " + popHr);
    }
}
