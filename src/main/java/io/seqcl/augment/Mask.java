package io.seqcl.augment;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Item mask: replaces {@code m = floor(ratio * len)} distinct positions, drawn uniformly, by {@code token}
 * (cl4srec_duorec.md §1). CL4SRec (DuoRec repo) uses ratio 0.3 and the mask item {@code N+1}; MCLRec uses ratio 0.5
 * and token 0, i.e. the masked items become padding and are removed from the attention keys.
 *
 * <p>Positions are chosen by a partial Fisher-Yates shuffle of {@code 0..len-1} (first {@code m} draws).
 *
 * @param ratio fraction {@code gamma} of positions masked, in [0, 1]
 * @param token the replacement id (0 or N+1)
 */
public record Mask(double ratio, int token) implements Augmentation {

    /** Validates the parameters. */
    public Mask {
        Augmentation.ratio("ratio", ratio);
        if (token < 0) {
            throw new IllegalArgumentException("token must be >= 0, got " + token);
        }
    }

    @Override
    public int[] apply(int[] seq, int length, SplittableRandom rng) {
        Augmentation.checkArgs(seq, length);
        int[] out = Arrays.copyOf(seq, length);
        int m = (int) Math.floor(ratio * length);
        int[] pos = new int[length];
        for (int i = 0; i < length; i++) {
            pos[i] = i;
        }
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(length - i);
            int tmp = pos[i];
            pos[i] = pos[j];
            pos[j] = tmp;
            out[pos[i]] = token;
        }
        return out;
    }

    @Override
    public String describe() {
        return "mask(ratio=" + ratio + ", token=" + token + ")";
    }
}
