package io.seqcl.cf;

/**
 * One batch of AdvInfoNCE-style draws: a user, one of the user's training items, and N sampled negatives.
 *
 * @param users user ids {@code [B]}
 * @param positives positive item ids {@code [B]}
 * @param negatives negative item ids, row-major {@code [B * N]}
 * @param numNegatives N
 */
public record CfBatch(long[] users, long[] positives, long[] negatives, int numNegatives) {

    /** Validates the shapes. */
    public CfBatch {
        if (users.length != positives.length || negatives.length != (long) users.length * numNegatives
                || numNegatives < 1) {
            throw new IllegalArgumentException("batch shapes do not match: users " + users.length + ", positives "
                    + positives.length + ", negatives " + negatives.length + " for N=" + numNegatives);
        }
    }

    /** @return the batch size B */
    public int size() {
        return users.length;
    }
}
