package io.seqcl.protocol;

import io.seqcl.data.SequenceDataset;

import java.util.Arrays;

/**
 * The leave-one-out split of common.md section 2: last item = test target, second last = validation target.
 *
 * <p>For user {@code u} with sequence {@code s_1..s_n}: the test input is {@code s_1..s_{n-1}} (it includes the
 * validation item), the validation input is {@code s_1..s_{n-2}}, and training uses only {@code s_1..s_{n-2}}.
 * Users with fewer than 3 interactions cannot be split; they are left out and counted in
 * {@link #droppedUsers()}.
 */
public final class LeaveOneOutSplit {

    private final SequenceDataset dataset;
    private final int[] users;
    private final int[][] train;
    private final EvalSet valid;
    private final EvalSet test;
    private final int dropped;

    private LeaveOneOutSplit(SequenceDataset dataset) {
        this.dataset = dataset;
        int n = dataset.numUsers();
        int kept = 0;
        for (int u = 0; u < n; u++) {
            if (dataset.length(u) >= 3) {
                kept++;
            }
        }
        this.dropped = n - kept;
        if (kept == 0) {
            throw new IllegalArgumentException("dataset " + dataset.name()
                    + " has no user with at least 3 interactions; leave-one-out needs 3 (train, valid, test)");
        }
        users = new int[kept];
        train = new int[kept][];
        int[][] validIn = new int[kept][];
        int[] validTarget = new int[kept];
        int[][] testIn = new int[kept][];
        int[] testTarget = new int[kept];
        int i = 0;
        for (int u = 0; u < n; u++) {
            if (dataset.length(u) < 3) {
                continue;
            }
            int[] s = dataset.sequence(u);
            int len = s.length;
            users[i] = u;
            train[i] = Arrays.copyOf(s, len - 2);
            validIn[i] = train[i];
            validTarget[i] = s[len - 2];
            testIn[i] = Arrays.copyOf(s, len - 1);
            testTarget[i] = s[len - 1];
            i++;
        }
        valid = new EvalSet("valid", users, validIn, validTarget);
        test = new EvalSet("test", users, testIn, testTarget);
    }

    private LeaveOneOutSplit(LeaveOneOutSplit base, EvalSet test) {
        this.dataset = base.dataset;
        this.users = base.users;
        this.train = base.train;
        this.valid = base.valid;
        this.test = test;
        this.dropped = base.dropped;
    }

    /**
     * A copy with another test set (e.g. noisy test inputs); training data and validation set are shared.
     *
     * @param newTest the test set; it must have the same users in the same order
     * @return the copy
     * @throws IllegalArgumentException if the users differ
     */
    public LeaveOneOutSplit withTest(EvalSet newTest) {
        if (!java.util.Arrays.equals(newTest.users(), test.users())) {
            throw new IllegalArgumentException("the new test set must have the split's users in the same order");
        }
        return new LeaveOneOutSplit(this, newTest);
    }

    /**
     * Splits a dataset.
     *
     * @param dataset the chronological sequences
     * @return the split
     * @throws IllegalArgumentException if no user has at least 3 interactions
     */
    public static LeaveOneOutSplit of(SequenceDataset dataset) {
        return new LeaveOneOutSplit(dataset);
    }

    /** @return the dataset that was split */
    public SequenceDataset dataset() {
        return dataset;
    }

    /** @return the number of items; ids run 1..numItems */
    public int numItems() {
        return dataset.numItems();
    }

    /** @return the number of users in the split */
    public int numUsers() {
        return users.length;
    }

    /** @return how many users were left out because they have fewer than 3 interactions */
    public int droppedUsers() {
        return dropped;
    }

    /**
     * The dataset user index of split user {@code i}.
     *
     * @param i index within the split
     * @return the 0-based user index in {@link #dataset()}
     */
    public int datasetUser(int i) {
        return users[i];
    }

    /**
     * The training part {@code s_1..s_{n-2}} of split user {@code i}.
     *
     * @param i index within the split
     * @return a copy of the training items
     */
    public int[] trainSequence(int i) {
        return train[i].clone();
    }

    /** @return length of the training part of split user {@code i} */
    int trainLength(int i) {
        return train[i].length;
    }

    /** @return the internal training array of split user {@code i}; callers in this package must not modify it */
    int[] trainView(int i) {
        return train[i];
    }

    /** @return validation inputs {@code s_1..s_{n-2}} and targets {@code s_{n-1}} */
    public EvalSet valid() {
        return valid;
    }

    /** @return test inputs {@code s_1..s_{n-1}} and targets {@code s_n} */
    public EvalSet test() {
        return test;
    }

    /**
     * Counts how often each item occurs in the training parts.
     *
     * @return counts indexed by item id (index 0 = padding, always 0)
     */
    public long[] trainItemCounts() {
        long[] c = new long[numItems() + 1];
        for (int[] s : train) {
            for (int item : s) {
                c[item]++;
            }
        }
        return c;
    }
}
