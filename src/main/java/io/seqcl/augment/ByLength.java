package io.seqcl.augment;

import java.util.SplittableRandom;

/**
 * Routes a sequence to one of two operators by its length: {@code len > threshold} ("long") uses {@code longOp},
 * otherwise {@code shortOp}; a negative threshold sends every sequence to {@code longOp}. CoSeRec's {@code Random}
 * augmenter with {@code augment_threshold} (baselines.md §9: long sequences draw from all five operators, short ones
 * from the {@code augment_type_for_short} set).
 *
 * @param threshold the length above which a sequence is long ({@code -1}: all long)
 * @param shortOp operator for short sequences
 * @param longOp operator for long sequences
 */
public record ByLength(int threshold, Augmentation shortOp, Augmentation longOp) implements Augmentation {

    /** Validates the operators. */
    public ByLength {
        if (shortOp == null || longOp == null) {
            throw new IllegalArgumentException("shortOp and longOp must be set");
        }
    }

    @Override
    public int[] apply(int[] seq, int length, SplittableRandom rng) {
        Augmentation.checkArgs(seq, length);
        return (threshold < 0 || length > threshold ? longOp : shortOp).apply(seq, length, rng);
    }

    @Override
    public String describe() {
        return "byLength(<=" + threshold + ": " + shortOp.describe() + "; else " + longOp.describe() + ")";
    }
}
