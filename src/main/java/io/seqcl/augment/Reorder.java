package io.seqcl.augment;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Item reorder: shuffles a window of {@code r = floor(ratio * len)} consecutive items starting at
 * {@code c ~ U{0..len-r}} (cl4srec_duorec.md §1; CL4SRec 0.6, MCLRec {@code reorder_ratio} 0.8).
 *
 * <p>The window is shuffled with Fisher-Yates from its last index down (Python's {@code random.shuffle} order).
 *
 * <p>{@code coserecStart} selects the CoSeRec family's rule (baselines.md §1.2): start {@code c ~ U{0..len-r-1}}
 * (the last possible window is never drawn; {@code c = 0} when {@code r = len}).
 *
 * @param ratio fraction {@code beta} of the items in the window, in [0, 1]
 * @param coserecStart whether the CoSeRec-family start rule is used (false: {@code c ~ U{0..len-r}})
 */
public record Reorder(double ratio, boolean coserecStart) implements Augmentation {

    /** Validates {@code ratio}. */
    public Reorder {
        Augmentation.ratio("ratio", ratio);
    }

    /**
     * Reorder with seqcl's start rule {@code c ~ U{0..len-r}}.
     *
     * @param ratio fraction of the items in the window
     */
    public Reorder(double ratio) {
        this(ratio, false);
    }

    /**
     * Reorder with the CoSeRec family's start rule.
     *
     * @param ratio fraction of the items in the window (CoSeRec/ICLRec 0.2; CoSeRec's list uses gamma)
     * @return the operator
     */
    public static Reorder coserec(double ratio) {
        return new Reorder(ratio, true);
    }

    @Override
    public int[] apply(int[] seq, int length, SplittableRandom rng) {
        Augmentation.checkArgs(seq, length);
        int[] out = Arrays.copyOf(seq, length);
        int r = (int) Math.floor(ratio * length);
        if (coserecStart && length == 0) {
            return out;
        }
        int c = coserecStart ? rng.nextInt(Math.max(1, length - r)) : rng.nextInt(length - r + 1);
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
        return "reorder(ratio=" + ratio + (coserecStart ? ", coserec start" : "") + ")";
    }
}
