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
 * @param keep fraction {@code eta} of the items kept, in [0, 1]
 */
public record Crop(double keep) implements Augmentation {

    /** Validates {@code keep}. */
    public Crop {
        Augmentation.ratio("keep", keep);
    }

    @Override
    public int[] apply(int[] seq, int length, SplittableRandom rng) {
        Augmentation.checkArgs(seq, length);
        if (length == 0) {
            return new int[0];
        }
        int k = Math.max(1, (int) Math.floor(keep * length));
        int c = rng.nextInt(length - k + 1);
        return Arrays.copyOfRange(seq, c, c + k);
    }

    @Override
    public String describe() {
        return "crop(keep=" + keep + ")";
    }
}
