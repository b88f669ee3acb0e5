package io.seqcl.augment;

import java.util.SplittableRandom;

/**
 * A random transformation of one item sequence (cl4srec_duorec.md §1).
 *
 * <p>Paper: Xie et al., "Contrastive Learning for Sequential Recommendation" (CL4SRec), and Qin et al., "Meta-optimized
 * Contrastive Learning for Sequential Recommendation" (MCLRec, ../shared/papers/002_8cbc21390195a073.txt, Sec. 3.2).
 * Implementations read {@code seq[0..length)} (the real items, oldest first, no padding), never modify {@code seq},
 * and return a new array whose length is the new sequence length; all randomness comes from {@code rng}.
 *
 * <p>Deviation from the DuoRec-repo CL4SRec code: that code masks and reorders a view of the stored training
 * tensor in place; here every operator copies (the MCLRec code's behaviour, spec [CHOICE]).
 */
@FunctionalInterface
public interface Augmentation {

    /**
     * Applies the transformation.
     *
     * @param seq real items, oldest first (not modified)
     * @param length number of real items to read, {@code 0 <= length <= seq.length}
     * @param rng the random stream (advanced)
     * @return a new array with the augmented items
     */
    int[] apply(int[] seq, int length, SplittableRandom rng);

    /** @return a short description with the parameters, logged with configurations */
    default String describe() {
        return getClass().getSimpleName();
    }

    /**
     * Checks the arguments every operator receives.
     *
     * @param seq the sequence
     * @param length the length to read
     */
    static void checkArgs(int[] seq, int length) {
        if (seq == null) {
            throw new IllegalArgumentException("seq must not be null");
        }
        if (length < 0 || length > seq.length) {
            throw new IllegalArgumentException("length must be in [0, " + seq.length + "], got " + length);
        }
    }

    /**
     * Checks a ratio parameter.
     *
     * @param name parameter name used in the message
     * @param v value
     * @return v
     */
    static double ratio(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
        }
        return v;
    }
}
