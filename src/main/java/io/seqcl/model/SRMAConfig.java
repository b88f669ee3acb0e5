package io.seqcl.model;

import io.seqcl.augment.Augmentation;
import io.seqcl.augment.Crop;
import io.seqcl.augment.Mask;
import io.seqcl.augment.RandomChoice;
import io.seqcl.augment.Reorder;
import io.seqcl.loss.InfoNCE;
import io.seqcl.loss.RecLoss;
import io.seqcl.protocol.SampleMode;
import io.soabase.recordbuilder.core.RecordBuilder;

import java.util.List;

/**
 * Configuration of {@link SRMA}; the choices of baselines.md §11 are fields.
 *
 * <p>SRMA: Liu, Chen, Li, Luo, Xiong, "Improving Contrastive Learning with Model Augmentation", arXiv:2203.15508,
 * 2022, as in the code (salesforce/SRMA {@code main.py} defaults and README): SASRec encoder (2 blocks, d 64, 2
 * heads, T 50, hidden dropout 0.5, attention dropout 0.1) followed by {@code augLayers} "single" layers
 * {@code h -> LN(h + Dropout(GELU(W h + b)))}; {@code L = L_BCE + lambda NCE}, lambda 0.1, tau 1, dot; views from
 * crop 0.2 / mask 0.7 (to 0) / reorder 0.2; README: K 2, M 1, {@code rec_model_aug} on, w_en 0.5.
 *
 * @param encoder the shared encoder settings (left padding)
 * @param sampleMode training samples of the next-item loss (ALL_POSITIONS)
 * @param loss the next-item loss (sampled BCE, one negative per position)
 * @param preset PAPER_TABLE (the code's quirks, README-literal: no encoder complementing) or SEQCL (clean)
 * @param lambda weight of the contrastive term ({@code cf_weight}, 0.1)
 * @param temperature NCE temperature (1)
 * @param similarity NCE similarity (DOT)
 * @param cropKeep fraction kept by crop ({@code tao}, 0.2)
 * @param maskRatio fraction masked to 0 ({@code gamma}, 0.7)
 * @param reorderRatio reorder ratio ({@code beta}, 0.2)
 * @param augLayers K, the augmented layers appended to the encoder ({@code num_augmented_layers}, README 2)
 * @param layerDrop M, the augmented layers skipped in each training forward ({@code layer_drop_num}, README 1)
 * @param recModelAug whether the next-item loss goes through the augmented layers (with a random drop) rather than
 *     skipping them ({@code rec_model_aug}, README step 2: true)
 * @param viewMode SAME (both views in one forward, shared layer-drop draw) or DISTINCT (two forwards)
 * @param enWeight weight of the encoder-complementing terms ({@code en_weight}, 0.5); active only when a
 *     complementary encoder is available ({@code complementCheckpoint} or {@link SRMA#complementWith})
 * @param complementCheckpoint file written by {@link SRMA#saveWeights} of an SRMA of the same shape (run 1 of the
 *     two-run pipeline), loaded in {@link SRMA#prepare}; empty = none
 * @param complementTrainMode whether the frozen encoder runs with dropout active (the code's: true)
 */
@RecordBuilder
public record SRMAConfig(EncoderConfig encoder, SampleMode sampleMode, RecLoss loss, BaselinePreset preset,
                         double lambda, double temperature, InfoNCE.Similarity similarity, double cropKeep,
                         double maskRatio, double reorderRatio, int augLayers, int layerDrop, boolean recModelAug,
                         ViewMode viewMode, double enWeight, String complementCheckpoint,
                         boolean complementTrainMode)
        implements CoSeRecFamilyConfig<SRMAConfig>, SRMAConfigBuilder.With {

    /** How the two views meet the model augmentation ({@code model_aug_in_batch}). */
    public enum ViewMode {
        /** Both views in one forward: one layer-drop draw shared by both, independent dropout (the code's). */
        SAME,
        /** One forward per view: independent layer drops. */
        DISTINCT
    }

    /** Validates every field and names the one that is wrong. */
    public SRMAConfig {
        Checks.notNull("encoder", encoder);
        Checks.notNull("sampleMode", sampleMode);
        Checks.notNull("loss", loss);
        Checks.notNull("preset", preset);
        Checks.weight("lambda", lambda);
        Checks.positive("temperature", temperature);
        Checks.notNull("similarity", similarity);
        Checks.ratio("cropKeep", cropKeep);
        Checks.ratio("maskRatio", maskRatio);
        Checks.ratio("reorderRatio", reorderRatio);
        if (augLayers < 0) {
            throw new IllegalArgumentException("augLayers must be >= 0, got " + augLayers);
        }
        if (layerDrop < 0 || layerDrop > augLayers) {
            throw new IllegalArgumentException("layerDrop must be in [0, augLayers=" + augLayers + "], got "
                    + layerDrop);
        }
        Checks.notNull("viewMode", viewMode);
        Checks.weight("enWeight", enWeight);
        Checks.notNull("complementCheckpoint", complementCheckpoint);
    }

    /** @return seqcl's clean default (preset SEQCL) with the README's hyper-parameters (no checkpoint) */
    public static SRMAConfig defaults() {
        SASRecConfig b = SASRecConfig.bceAllPositions();
        EncoderConfig e = b.encoder().withTransformer(b.encoder().transformer().withAttnDropout(0.1));
        return new SRMAConfig(e, b.sampleMode(), b.loss(), BaselinePreset.SEQCL, 0.1, 1.0, InfoNCE.Similarity.DOT,
                0.2, 0.7, 0.2, 2, 1, true, ViewMode.SAME, 0.5, "", true);
    }

    /**
     * The code lineage, README-literal (preset PAPER_TABLE): step 2 of the README never selects
     * {@code sasrec-static}, so encoder complementing is off ({@code enWeight} 0).
     *
     * @return the configuration
     */
    public static SRMAConfig paperTable() {
        return defaults().withPreset(BaselinePreset.PAPER_TABLE).withEnWeight(0);
    }

    /** @return the NCE loss (2B-2 in-batch negatives, mean over 2B rows) */
    public InfoNCE infoNCE() {
        return new InfoNCE(temperature, similarity, InfoNCE.Negatives.BOTH_VIEWS);
    }

    /** @return SRMA's {@code Random} augmenter: one of crop, mask, reorder drawn uniformly per view */
    public Augmentation augmenter() {
        boolean coserecStart = preset == BaselinePreset.PAPER_TABLE;
        return new RandomChoice(List.of(new Crop(cropKeep, coserecStart), new Mask(maskRatio, 0),
                new Reorder(reorderRatio, coserecStart)));
    }
}
