package io.seqcl.model;

/**
 * The id the mask augmentation writes (cl4srec_duorec.md §1, common.md note 10).
 */
public enum MaskToken {
    /** Id 0: masked items become padding and leave the attention keys (MCLRec, CoSeRec). */
    PADDING,
    /**
     * A learned {@code [mask]} item with id {@code N+1} (DuoRec-repo CL4SRec, ContrastVAE); the item table gets one
     * extra row that is never a class of the softmax nor a scored candidate.
     */
    MASK_ITEM;

    /**
     * The token id for a catalogue of {@code numItems} items.
     *
     * @param numItems N
     * @return 0 or N+1
     */
    public int id(int numItems) {
        return this == PADDING ? 0 : numItems + 1;
    }
}
