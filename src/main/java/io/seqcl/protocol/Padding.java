package io.seqcl.protocol;

/**
 * Which side of a fixed-length input row holds the padding zeros (common.md section 4).
 *
 * <p>In both layouts the item at array index {@code t} receives position embedding {@code t}; they differ only
 * in which position vector each item gets and in where the sequence representation is read.
 */
public enum Padding {
    /** Zeros first, items at the end (CoSeRec, ContrastVAE, original SASRec); the last item is at index T-1. */
    LEFT,
    /** Items from index 0, zeros after (RecBole: MCLRec, DuoRec, CL4SRec); the last item is at index len-1. */
    RIGHT
}
