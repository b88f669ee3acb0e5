package io.seqcl.augment;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Item reorder: shuffles a window of {@code r = floor(ratio * len)} consecutive items starting at
 * {@code c ~ U{0..len-r}} (cl4srec_duorec.md §1; CL4SRec 0.6, MCLRec {@code reorder_ratio} 0.8).
 *
 * <p>The window is shuffled with Fisher-Yates from its last index down (Python's {@code random.shuffle} order).
 *
 * @param ratio fraction {@code beta} of the items in the window, in [0, 1]
 */
public record Reorder(double ratio) implements Augmentation {

    /** Validates {@code ratio}. */
    public Reorder {
        Augmentation.ratio("ratio", ratio);
    }

    @Override
    public int[] apply(int[] seq, int length, SplittableRandom rng) {
        Augmentation.checkArgs(seq, length);
        int[] out = Arrays.copyOf(seq, length);
        int r = (int) Math.floor(ratio * length);
        int c = rng.nextInt(length - r + 1);
        for (int i = r - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = out[c + i];
            out[c + i] = out[c + j];
            out[c + j] = tmp;
        }
        return out;
    }

    @Override
    public String describe() {
        return "reorder(ratio=" + ratio + ")";
    }
}
