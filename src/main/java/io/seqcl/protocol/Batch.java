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

    /**
     * The rows {@code from..to-1} as a batch of their own (the row arrays are shared, not copied).
     *
     * @param from first row
     * @param to end row (exclusive)
     * @return the sub-batch
     * @throws IllegalArgumentException if the range is empty or outside the batch
     */
    public Batch rows(int from, int to) {
        if (from < 0 || to > size() || from >= to) {
            throw new IllegalArgumentException("rows " + from + ".." + to + " of a batch of " + size());
        }
        return new Batch(java.util.Arrays.copyOfRange(items, from, to),
                targets == null ? null : java.util.Arrays.copyOfRange(targets, from, to),
                negatives == null ? null : java.util.Arrays.copyOfRange(negatives, from, to),
                java.util.Arrays.copyOfRange(lengths, from, to), java.util.Arrays.copyOfRange(users, from, to), padding);
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
     * The target at each row's last real position ({@link #lastIndex(int)}): the next item of a prefix sample.
     *
     * @return one target per row (0 where the row has none)
     * @throws IllegalStateException if this is a scoring batch (no targets)
     */
    public long[] lastTargets() {
        return atLast(targets, "targets");
    }

    /**
     * The sampled negative at each row's last real position, or {@code null} if the batch has no negatives.
     *
     * @return one negative per row, or {@code null}
     */
    public long[] lastNegatives() {
        return negatives == null ? null : atLast(negatives, "negatives");
    }

    private long[] atLast(int[][] m, String what) {
        if (m == null) {
            throw new IllegalStateException("batch has no " + what + " (a scoring batch)");
        }
        long[] v = new long[size()];
        for (int b = 0; b < v.length; b++) {
            v[b] = m[b][lastIndex(b)];
        }
        return v;
    }

    /**
     * Every position that carries a target, in row-major order, with its target and (if sampled) negative: where a
     * next-item loss is taken (one slot per row for prefix samples, every real position for all-positions samples).
     *
     * @return the target slots
     * @throws IllegalStateException if this is a scoring batch (no targets)
     */
    public TargetSlots targetSlots() {
        if (targets == null) {
            throw new IllegalStateException("batch has no targets (a scoring batch)");
        }
        int count = 0;
        for (int[] row : targets) {
            for (int v : row) {
                if (v != 0) {
                    count++;
                }
            }
        }
        int[] rows = new int[count];
        int[] positions = new int[count];
        long[] t = new long[count];
        long[] n = negatives == null ? null : new long[count];
        int k = 0;
        for (int b = 0; b < targets.length; b++) {
            int[] tr = targets[b];
            for (int q = 0; q < tr.length; q++) {
                if (tr[q] != 0) {
                    rows[k] = b;
                    positions[k] = q;
                    t[k] = tr[q];
                    if (n != null) {
                        n[k] = negatives[b][q];
                    }
                    k++;
                }
            }
        }
        return new TargetSlots(rows, positions, t, n);
    }

    /**
     * The positions of a batch that carry a target (see {@link Batch#targetSlots()}).
     *
     * @param rows row of each slot
     * @param positions position of each slot within its row
     * @param targets target item of each slot
     * @param negatives sampled negative of each slot, or {@code null}
     */
    public record TargetSlots(int[] rows, int[] positions, long[] targets, long[] negatives) {

        /** @return the number of slots */
        public int size() {
            return targets.length;
        }

        /**
         * Flat indices of the slots in a {@code [B * T, ...]} view of a padded {@code [B, T, ...]} tensor.
         *
         * @param maxLen T
         * @return {@code rows[k] * T + positions[k]}
         */
        public long[] flatIndices(int maxLen) {
            long[] idx = new long[rows.length];
            for (int k = 0; k < idx.length; k++) {
                idx[k] = (long) rows[k] * maxLen + positions[k];
            }
            return idx;
        }
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
