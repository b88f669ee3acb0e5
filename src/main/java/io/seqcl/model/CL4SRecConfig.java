package io.seqcl.model;

import io.seqcl.augment.DistinctPair;
import io.seqcl.loss.InfoNCE;

/**
 * Configuration of {@link CL4SRec}; every open choice of cl4srec_duorec.md §1-3 is a field, so {@link #toString()}
 * logs them with each run.
 *
 * <p>CL4SRec: Xie et al., ICDE 2022, as implemented in the DuoRec repository (the "CL4SRec" baseline of MCLRec,
 * ../shared/papers/002_8cbc21390195a073.txt, and DuoRec). Defaults are that code's: lambda 0.1, tau 1, dot, crop keeps
 * 0.6, mask 0.3 with the mask item N+1, reorder 0.6, no same-target masking, SASRec RecBole backbone (right padding,
 * prefix samples, dropout 0.5/0.5).
 *
 * <p>Deviations: copy semantics for the augmentations (the repo code corrupts its stored data in place; the spec
 * offers no flag for the bug); the padding row is not a softmax class unless the backbone loss says so.
 *
 * @param backbone SASRec encoder and next-item loss
 * @param lambda weight of the contrastive term ({@code lmd}, 0.1)
 * @param temperature NT-Xent temperature tau (1)
 * @param similarity NT-Xent similarity (DOT)
 * @param cropKeep fraction kept by crop, eta (0.6)
 * @param maskRatio fraction masked, gamma (0.3)
 * @param reorderRatio fraction reordered, beta (0.6)
 * @param maskToken id the mask writes (MASK_ITEM = N+1)
 * @param maskSameTarget drop in-batch negatives with the anchor's target item (false)
 */
public record CL4SRecConfig(SASRecConfig backbone, double lambda, double temperature, InfoNCE.Similarity similarity,
                            double cropKeep, double maskRatio, double reorderRatio, MaskToken maskToken,
                            boolean maskSameTarget) {

    /** Validates every field and names the one that is wrong. */
    public CL4SRecConfig {
        Checks.notNull("backbone", backbone);
        Checks.weight("lambda", lambda);
        Checks.positive("temperature", temperature);
        Checks.notNull("similarity", similarity);
        Checks.ratio("cropKeep", cropKeep);
        Checks.ratio("maskRatio", maskRatio);
        Checks.ratio("reorderRatio", reorderRatio);
        Checks.notNull("maskToken", maskToken);
    }

    /** @return the DuoRec-repo defaults described above */
    public static CL4SRecConfig defaults() {
        return new CL4SRecConfig(SASRecConfig.defaults(), 0.1, 1.0, InfoNCE.Similarity.DOT, 0.6, 0.3, 0.6,
                MaskToken.MASK_ITEM, false);
    }

    /** @return the NT-Xent loss (2B-2 in-batch negatives) */
    public InfoNCE infoNCE() {
        return new InfoNCE(temperature, similarity, InfoNCE.Negatives.BOTH_VIEWS);
    }

    /**
     * The view generator for a catalogue size.
     *
     * @param numItems N
     * @return two distinct ops of crop / mask / reorder
     */
    public DistinctPair views(int numItems) {
        return DistinctPair.cropMaskReorder(cropKeep, maskRatio, maskToken.id(numItems), reorderRatio);
    }

    /** @param v new backbone @return a copy */
    public CL4SRecConfig withBackbone(SASRecConfig v) {
        return new CL4SRecConfig(v, lambda, temperature, similarity, cropKeep, maskRatio, reorderRatio, maskToken, maskSameTarget);
    }

    /** @param v new lambda @return a copy */
    public CL4SRecConfig withLambda(double v) {
        return new CL4SRecConfig(backbone, v, temperature, similarity, cropKeep, maskRatio, reorderRatio, maskToken, maskSameTarget);
    }

    /** @param v new temperature @return a copy */
    public CL4SRecConfig withTemperature(double v) {
        return new CL4SRecConfig(backbone, lambda, v, similarity, cropKeep, maskRatio, reorderRatio, maskToken, maskSameTarget);
    }

    /** @param v new similarity @return a copy */
    public CL4SRecConfig withSimilarity(InfoNCE.Similarity v) {
        return new CL4SRecConfig(backbone, lambda, temperature, v, cropKeep, maskRatio, reorderRatio, maskToken, maskSameTarget);
    }

    /** @param v new crop keep fraction @return a copy */
    public CL4SRecConfig withCropKeep(double v) {
        return new CL4SRecConfig(backbone, lambda, temperature, similarity, v, maskRatio, reorderRatio, maskToken, maskSameTarget);
    }

    /** @param v new mask ratio @return a copy */
    public CL4SRecConfig withMaskRatio(double v) {
        return new CL4SRecConfig(backbone, lambda, temperature, similarity, cropKeep, v, reorderRatio, maskToken, maskSameTarget);
    }

    /** @param v new reorder ratio @return a copy */
    public CL4SRecConfig withReorderRatio(double v) {
        return new CL4SRecConfig(backbone, lambda, temperature, similarity, cropKeep, maskRatio, v, maskToken, maskSameTarget);
    }

    /** @param v new mask token @return a copy */
    public CL4SRecConfig withMaskToken(MaskToken v) {
        return new CL4SRecConfig(backbone, lambda, temperature, similarity, cropKeep, maskRatio, reorderRatio, v, maskSameTarget);
    }

    /** @param v new same-target masking flag @return a copy */
    public CL4SRecConfig withMaskSameTarget(boolean v) {
        return new CL4SRecConfig(backbone, lambda, temperature, similarity, cropKeep, maskRatio, reorderRatio, maskToken, v);
    }
}
