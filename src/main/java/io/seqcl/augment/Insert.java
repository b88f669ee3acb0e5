package io.seqcl.augment;

import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;

/**
 * CoSeRec's item insert: before {@code max(1, floor(rate * len))} distinct random positions inserts the most
 * similar item of the item at that position (cl4srec_duorec.md §1, CoSeRec default rate 0.4); the output is longer
 * than the input (callers keep the most recent T items).
 *
 * @param rate fraction of positions that get an insertion, in [0, 1]
 * @param similar the most similar item of an item (caller-supplied similarity model)
 */
public record Insert(double rate, IntUnaryOperator similar) implements Augmentation {

    /** Validates the parameters. */
    public Insert {
        Augmentation.ratio("rate", rate);
        if (similar == null) {
            throw new IllegalArgumentException("similar must not be null");
        }
    }

    @Override
    public int[] apply(int[] seq, int length, SplittableRandom rng) {
        Augmentation.checkArgs(seq, length);
        if (length == 0) {
            return new int[0];
        }
        int m = Math.max(1, (int) Math.floor(rate * length));
        int[] pos = new int[length];
        for (int i = 0; i < length; i++) {
            pos[i] = i;
        }
        boolean[] chosen = new boolean[length];
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(length - i);
            int tmp = pos[i];
            pos[i] = pos[j];
            pos[j] = tmp;
            chosen[pos[i]] = true;
        }
        int[] out = new int[length + m];
        int k = 0;
        for (int i = 0; i < length; i++) {
            if (chosen[i]) {
                out[k++] = similar.applyAsInt(seq[i]);
            }
            out[k++] = seq[i];
        }
        return out;
    }

    @Override
    public String describe() {
        return "insert(rate=" + rate + ")";
    }
}
