package io.seqcl.augment;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Item crop: keeps {@code k = floor(keep * len)} consecutive items starting at {@code c ~ U{0..len-k}}
 * (cl4srec_duorec.md §1; CL4SRec/DuoRec code keep 0.6, MCLRec code keep {@code 1 - crop_ratio} = 0.5).
 *
 * <p>Deviation: {@code k} is at least 1 for a non-empty input (CoSeRec's rule); the RecBole codes would produce an
 * empty sequence for {@code floor(keep * len) = 0}, which never happens with their ratios and {@code len >= 2}.
 *
 * <p>{@code coserecStart} selects the CoSeRec family's rule (baselines.md §1.2, CoSeRec/ICLRec/SRMA
 * {@code data_augmentation.py}): {@code k = floor(keep * len)}, start {@code c ~ U{0..len-k-1}} (the last possible
 * window is never drawn; {@code c = 0} when {@code k = len}), and for {@code k < 1} the single item at
 * {@code c ~ U{0..len-1}}.
 *
 * @param keep fraction {@code eta} of the items kept, in [0, 1]
 * @param coserecStart whether the CoSeRec-family start rule is used (false: {@code c ~ U{0..len-k}})
 */
public record Crop(double keep, boolean coserecStart) implements Augmentation {

    /** Validates {@code keep}. */
    public Crop {
        Augmentation.ratio("keep", keep);
    }

    /**
     * Crop with seqcl's start rule {@code c ~ U{0..len-k}}.
     *
     * @param keep fraction of the items kept
     */
    public Crop(double keep) {
        this(keep, false);
    }

    /**
     * Crop with the CoSeRec family's start rule.
     *
     * @param keep fraction of the items kept ({@code tau_c}, CoSeRec 0.2)
     * @return the operator
     */
    public static Crop coserec(double keep) {
        return new Crop(keep, true);
    }

    @Override
    public int[] apply(int[] seq, int length, SplittableRandom rng) {
        Augmentation.checkArgs(seq, length);
        if (length == 0) {
            return new int[0];
        }
        if (coserecStart) {
            int k = (int) Math.floor(keep * length);
            if (k < 1) {
                int c = rng.nextInt(length);
                return new int[] {seq[c]};
            }
            int c = rng.nextInt(Math.max(1, length - k));
            return Arrays.copyOfRange(seq, c, c + k);
        }
        int k = Math.max(1, (int) Math.floor(keep * length));
        int c = rng.nextInt(length - k + 1);
        return Arrays.copyOfRange(seq, c, c + k);
    }

    @Override
    public String describe() {
        return "crop(keep=" + keep + (coserecStart ? ", coserec start" : "") + ")";
    }
}
