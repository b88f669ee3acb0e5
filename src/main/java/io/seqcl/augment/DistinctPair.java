package io.seqcl.augment;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Two augmented views of one sequence made with two distinct operators drawn uniformly without replacement
 * (cl4srec_duorec.md §1: DuoRec-repo CL4SRec and MCLRec both draw two of {crop, mask, reorder}); view 1 uses the
 * first operator, view 2 the second. A sequence of length {@code <= minLength - 1} (1 in the codes) is not
 * augmented: both views are copies.
 *
 * <p>Draw order (fixed, for reproducibility): first operator index, second operator index, then the draws of
 * operator 1, then those of operator 2.
 *
 * @param ops the candidate operators (at least two)
 * @param minLength sequences shorter than this are copied unchanged (2 in the codes: {@code len > 1} is augmented)
 */
public record DistinctPair(List<Augmentation> ops, int minLength) {

    /** Validates and copies the list. */
    public DistinctPair {
        if (ops == null || ops.size() < 2 || ops.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("ops must hold at least two operators and no null");
        }
        if (minLength < 0) {
            throw new IllegalArgumentException("minLength must be >= 0, got " + minLength);
        }
        ops = List.copyOf(ops);
    }

    /**
     * The crop / mask / reorder triple with the codes' threshold ({@code len > 1} is augmented).
     *
     * @param cropKeep fraction kept by crop
     * @param maskRatio fraction masked
     * @param maskToken mask id (0 or N+1)
     * @param reorderRatio fraction reordered
     * @return the pair generator
     */
    public static DistinctPair cropMaskReorder(double cropKeep, double maskRatio, int maskToken, double reorderRatio) {
        return new DistinctPair(List.of(new Crop(cropKeep), new Mask(maskRatio, maskToken), new Reorder(reorderRatio)),
                2);
    }

    /**
     * Makes the two views.
     *
     * @param seq real items (not modified)
     * @param length number of items to read
     * @param rng random stream
     * @return {@code {view1, view2}}, new arrays
     */
    public int[][] views(int[] seq, int length, SplittableRandom rng) {
        Augmentation.checkArgs(seq, length);
        if (length < minLength) {
            return new int[][] {Arrays.copyOf(seq, length), Arrays.copyOf(seq, length)};
        }
        int a = rng.nextInt(ops.size());
        int b = rng.nextInt(ops.size() - 1);
        if (b >= a) {
            b++;
        }
        return new int[][] {ops.get(a).apply(seq, length, rng), ops.get(b).apply(seq, length, rng)};
    }

    /** @return a description of the operators */
    public String describe() {
        return "distinctPair" + ops.stream().map(Augmentation::describe).collect(Collectors.joining(", ", "(", ")"))
                + " if len>=" + minLength;
    }
}
