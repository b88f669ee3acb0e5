package io.seqcl.protocol;

/**
 * A batch of fixed-length model inputs with optional per-position targets and sampled negatives.
 *
 * <p>All matrices are {@code [B][T]}. {@code items} holds item ids with 0 as padding on the side given by
 * {@link #padding()}. {@code targets[b][t]} is the item to predict from position {@code t}, or 0 where no loss
 * applies: in {@link SampleMode#PREFIX} only the last real position has a target, in
 * {@link SampleMode#ALL_POSITIONS} every real position has one. {@code negatives} is {@code null} unless the
 * model asked for sampled negatives (BCE loss). For scoring batches {@code targets} is {@code null}.
 *
 * @param items input item ids {@code [B][T]}
 * @param targets next-item targets {@code [B][T]} (0 = no loss), or {@code null}
 * @param negatives one sampled negative per target position {@code [B][T]}, or {@code null}
 * @param lengths number of real (non-padding) items in each row
 * @param users dataset user index of each row (-1 if unknown)
 * @param padding which side holds the padding
 */
public record Batch(int[][] items, int[][] targets, int[][] negatives, int[] lengths, int[] users, Padding padding) {

    /** @return the batch size B */
    public int size() {
        return items.length;
    }

    /** @return the row length T */
    public int maxLen() {
        return items.length == 0 ? 0 : items[0].length;
    }

    /**
     * Index of the most recent real item of row {@code b}, where the sequence representation is read.
     *
     * @param b the row
     * @return {@code lengths[b]-1} for right padding, {@code T-1} for left padding
     */
    public int lastIndex(int b) {
        return padding == Padding.RIGHT ? Math.max(0, lengths[b] - 1) : maxLen() - 1;
    }

    /**
     * Builds a scoring batch from full histories, keeping the most recent {@code maxLen} items of each.
     *
     * @param histories chronological histories (not modified)
     * @param users dataset user index per row, or {@code null}
     * @param maxLen T
     * @param padding padding side
     * @return a batch without targets
     */
    public static Batch ofHistories(int[][] histories, int[] users, int maxLen, Padding padding) {
        int bsz = histories.length;
        int[][] items = new int[bsz][];
        int[] lengths = new int[bsz];
        int[] u = users != null ? users.clone() : new int[bsz];
        if (users == null) {
            java.util.Arrays.fill(u, -1);
        }
        for (int b = 0; b < bsz; b++) {
            int[] h = histories[b];
            int from = Math.max(0, h.length - maxLen);
            items[b] = pad(h, from, h.length, maxLen, padding);
            lengths[b] = h.length - from;
        }
        return new Batch(items, null, null, lengths, u, padding);
    }

    /**
     * Copies {@code src[from..to)} into a new row of length {@code maxLen}, padded on the given side.
     *
     * @param src source items
     * @param from first index (inclusive)
     * @param to last index (exclusive); {@code to - from <= maxLen}
     * @param maxLen row length T
     * @param padding padding side
     * @return the padded row
     */
    public static int[] pad(int[] src, int from, int to, int maxLen, Padding padding) {
        int len = to - from;
        if (len > maxLen) {
            throw new IllegalArgumentException("segment of length " + len + " does not fit maxLen " + maxLen);
        }
        int[] row = new int[maxLen];
        int offset = padding == Padding.RIGHT ? 0 : maxLen - len;
        System.arraycopy(src, from, row, offset, len);
        return row;
    }
}
