package io.seqcl.augment;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;

/**
 * CoSeRec's item substitute: replaces {@code max(1, floor(rate * len))} distinct random items by their most
 * similar item (cl4srec_duorec.md §1, CoSeRec default rate 0.1).
 *
 * <p>The similarity model is supplied by the caller ({@code similar}: item id to the id of its most similar item);
 * CoSeRec's offline ItemCF-IUF / online hybrid similarity is not part of seqcl.
 *
 * @param rate fraction of items substituted, in [0, 1]
 * @param similar the most similar item of an item
 */
public record Substitute(double rate, IntUnaryOperator similar) implements Augmentation {

    /** Validates the parameters. */
    public Substitute {
        Augmentation.ratio("rate", rate);
        if (similar == null) {
            throw new IllegalArgumentException("similar must not be null");
        }
    }

    @Override
    public int[] apply(int[] seq, int length, SplittableRandom rng) {
        Augmentation.checkArgs(seq, length);
        int[] out = Arrays.copyOf(seq, length);
        if (length == 0) {
            return out;
        }
        int m = Math.max(1, (int) Math.floor(rate * length));
        int[] pos = new int[length];
        for (int i = 0; i < length; i++) {
            pos[i] = i;
        }
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(length - i);
            int tmp = pos[i];
            pos[i] = pos[j];
            pos[j] = tmp;
            out[pos[i]] = similar.applyAsInt(seq[pos[i]]);
        }
        return out;
    }

    @Override
    public String describe() {
        return "substitute(rate=" + rate + ")";
    }
}
