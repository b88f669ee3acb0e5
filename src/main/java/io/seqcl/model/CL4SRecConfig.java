package io.seqcl.model;

import io.seqcl.loss.FullSoftmaxCrossEntropy;
import io.seqcl.loss.RecLoss;
import io.seqcl.protocol.SampleMode;
import io.soabase.recordbuilder.core.RecordBuilder;
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
 * @param encoder the shared encoder settings (T, blocks, initialisation, padding)
 * @param sampleMode training-sample convention of the next-item loss (RecBole: prefix)
 * @param loss the next-item loss (RecBole: full-softmax cross-entropy)
 * @param lambda weight of the contrastive term ({@code lmd}, 0.1)
 * @param temperature NT-Xent temperature tau (1)
 * @param similarity NT-Xent similarity (DOT)
 * @param cropKeep fraction kept by crop, eta (0.6)
 * @param maskRatio fraction masked, gamma (0.3)
 * @param reorderRatio fraction reordered, beta (0.6)
 * @param maskToken id the mask writes (MASK_ITEM = N+1)
 * @param maskSameTarget drop in-batch negatives with the anchor's target item (false)
 */
@RecordBuilder
public record CL4SRecConfig(EncoderConfig encoder, SampleMode sampleMode, RecLoss loss, double lambda, double temperature, InfoNCE.Similarity similarity,
                            double cropKeep, double maskRatio, double reorderRatio, MaskToken maskToken,
                            boolean maskSameTarget)
        implements SASRecBasedConfig<CL4SRecConfig>, CL4SRecConfigBuilder.With {

    /** Validates every field and names the one that is wrong. */
    public CL4SRecConfig {
        Checks.notNull("encoder", encoder);
        Checks.notNull("sampleMode", sampleMode);
        Checks.notNull("loss", loss);
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
        return new CL4SRecConfig(EncoderConfig.recbole(), SampleMode.PREFIX, new FullSoftmaxCrossEntropy(), 0.1, 1.0, InfoNCE.Similarity.DOT, 0.6, 0.3, 0.6,
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
}
