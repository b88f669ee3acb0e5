package io.seqcl.augment;

import io.seqcl.protocol.Batch;
import io.seqcl.protocol.Padding;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Applies sequence augmentations row by row to a padded {@link Batch} and re-pads the results on the batch's own
 * side (RIGHT for RecBole-style models, LEFT for CoSeRec-style), keeping the most recent {@code T} items when an
 * operator makes a sequence longer. The input batch is not modified; the views carry no targets.
 */
public final class BatchViews {

    private BatchViews() {
    }

    /**
     * The real items of row {@code b}, oldest first (a copy).
     *
     * @param batch the batch
     * @param b the row
     * @return the items without padding
     */
    public static int[] realItems(Batch batch, int b) {
        int[] row = batch.items()[b];
        int len = batch.lengths()[b];
        int from = batch.padding() == Padding.RIGHT ? 0 : row.length - len;
        return Arrays.copyOfRange(row, from, from + len);
    }

    /**
     * Builds an input batch (no targets) from sequences, padded like {@code like}.
     *
     * @param like the batch whose T, padding and users are used
     * @param seqs one sequence per row, oldest first; longer ones keep their most recent T items
     * @return the new batch
     */
    public static Batch of(Batch like, int[][] seqs) {
        int t = like.maxLen();
        int[][] items = new int[seqs.length][];
        int[] lengths = new int[seqs.length];
        for (int b = 0; b < seqs.length; b++) {
            int[] s = seqs[b];
            int from = Math.max(0, s.length - t);
            items[b] = Batch.pad(s, from, s.length, t, like.padding());
            lengths[b] = s.length - from;
        }
        return new Batch(items, null, null, lengths, like.users().clone(), like.padding());
    }

    /**
     * Applies one operator to every row.
     *
     * @param batch the batch (not modified)
     * @param op the operator
     * @param rng random stream, used row by row in order
     * @return the augmented batch
     */
    public static Batch apply(Batch batch, Augmentation op, SplittableRandom rng) {
        int[][] out = new int[batch.size()][];
        for (int b = 0; b < out.length; b++) {
            int[] s = realItems(batch, b);
            out[b] = op.apply(s, s.length, rng);
        }
        return of(batch, out);
    }

    /**
     * Two views of every row with {@link DistinctPair}; the rows are processed in order, each drawing its two
     * operators and then their randomness.
     *
     * @param batch the batch (not modified)
     * @param pair the view generator
     * @param rng random stream
     * @return {@code {view1 batch, view2 batch}}
     */
    public static Batch[] twoViews(Batch batch, DistinctPair pair, SplittableRandom rng) {
        int[][] v1 = new int[batch.size()][];
        int[][] v2 = new int[batch.size()][];
        for (int b = 0; b < v1.length; b++) {
            int[] s = realItems(batch, b);
            int[][] v = pair.views(s, s.length, rng);
            v1[b] = v[0];
            v2[b] = v[1];
        }
        return new Batch[] {of(batch, v1), of(batch, v2)};
    }
}
