package io.seqcl.model;

import io.seqcl.augment.Augmentation;
import io.seqcl.augment.ByLength;
import io.seqcl.augment.Crop;
import io.seqcl.augment.Insert;
import io.seqcl.augment.Mask;
import io.seqcl.augment.RandomChoice;
import io.seqcl.augment.Reorder;
import io.seqcl.augment.Substitute;
import io.seqcl.loss.InfoNCE;
import io.seqcl.loss.RecLoss;
import io.seqcl.protocol.SampleMode;
import io.soabase.recordbuilder.core.RecordBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * Configuration of {@link CoSeRec}; every choice of baselines.md §9 is a field.
 *
 * <p>CoSeRec: Liu, Chen, Li, Yu, McAuley, Xiong, "Contrastive Self-supervised Sequential Recommendation with Robust
 * Augmentation", arXiv:2108.06479, 2021, as in the code (YChen1993/CoSeRec {@code main.py} defaults and scripts):
 * SASRec encoder with left padding, one sample per user, BCE with one negative per position; {@code lambda} 0.1,
 * tau 1, dot; crop keeps 0.2, mask 0.7 (to 0), reorder gamma (beta 0.2 only with threshold -1), insert 0.4,
 * substitute 0.1, threshold 4 with the short set SIM, hybrid similarity after 160 warm-up epochs; dropout 0.5/0.5,
 * d 64, 2 layers, 2 heads, T 50. Dataset presets: {@link #forBeauty} and {@link #forYelp} (scripts; Sports = defaults).
 *
 * @param encoder the shared encoder settings (left padding)
 * @param sampleMode training samples of the next-item loss (ALL_POSITIONS)
 * @param loss the next-item loss (sampled BCE, one negative per position)
 * @param preset PAPER_TABLE (the code's quirks) or SEQCL (clean), see {@link BaselinePreset}
 * @param lambda weight of the contrastive term ({@code cf_weight}, 0.1)
 * @param temperature NCE temperature (1)
 * @param similarity NCE similarity (DOT)
 * @param cropKeep fraction kept by crop ({@code tao}, 0.2)
 * @param maskRatio fraction masked to 0 ({@code gamma}, 0.7); also the reorder ratio of both operator lists
 * @param reorderRatio reorder ratio used only with {@code augmentThreshold = -1} ({@code beta}, 0.2)
 * @param insertRate fraction of positions that get an inserted similar item ({@code insert_rate}, 0.4)
 * @param substituteRate fraction of positions substituted ({@code substitute_rate}, 0.1)
 * @param augmentThreshold sequences longer than this draw from all five operators, others from {@code shortOps}
 *     (4; -1 = all five for every sequence, reorder with {@code reorderRatio})
 * @param shortOps operators for short sequences, letters of S(ubstitute) I(nsert) M(ask) R(eorder) C(rop): one of
 *     SI, SIM, SIR, SIC, SIMR, SIMC, SIRC, SIMRC ({@code augment_type_for_short}, SIM)
 * @param warmUpEpochs epochs with the offline similarity only ({@code augmentation_warm_up_epoches}, 160)
 * @param similarityModel OFFLINE (ItemCF-IUF throughout), ONLINE or HYBRID (from epoch warm-up + 1; HYBRID is the
 *     code's)
 */
@RecordBuilder
public record CoSeRecConfig(EncoderConfig encoder, SampleMode sampleMode, RecLoss loss, BaselinePreset preset,
                            double lambda, double temperature, InfoNCE.Similarity similarity, double cropKeep,
                            double maskRatio, double reorderRatio, double insertRate, double substituteRate,
                            int augmentThreshold, String shortOps, int warmUpEpochs, SimilarityModel similarityModel)
        implements CoSeRecFamilyConfig<CoSeRecConfig>, CoSeRecConfigBuilder.With {

    /** Which item-similarity model drives insert and substitute after the warm-up. */
    public enum SimilarityModel {
        /** Offline ItemCF-IUF throughout. */
        OFFLINE,
        /** Online embedding similarity after the warm-up. */
        ONLINE,
        /** The higher-scoring of offline and online after the warm-up (CoSeRec's code). */
        HYBRID
    }

    private static final Set<String> SHORT_SETS = Set.of("SI", "SIM", "SIR", "SIC", "SIMR", "SIMC", "SIRC", "SIMRC");

    /** Validates every field and names the one that is wrong. */
    public CoSeRecConfig {
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
        Checks.ratio("insertRate", insertRate);
        Checks.ratio("substituteRate", substituteRate);
        if (augmentThreshold < -1) {
            throw new IllegalArgumentException("augmentThreshold must be >= -1 (-1 = no short list), got "
                    + augmentThreshold);
        }
        if (shortOps == null || !SHORT_SETS.contains(shortOps)) {
            throw new IllegalArgumentException("shortOps must be one of " + new java.util.TreeSet<>(SHORT_SETS)
                    + ", got " + shortOps);
        }
        if (warmUpEpochs < 0) {
            throw new IllegalArgumentException("warmUpEpochs must be >= 0, got " + warmUpEpochs);
        }
        Checks.notNull("similarityModel", similarityModel);
    }

    /** @return seqcl's clean default (preset SEQCL) with the code's hyper-parameters (Sports script) */
    public static CoSeRecConfig defaults() {
        SASRecConfig b = SASRecConfig.bceAllPositions();
        return new CoSeRecConfig(b.encoder(), b.sampleMode(), b.loss(), BaselinePreset.SEQCL, 0.1, 1.0,
                InfoNCE.Similarity.DOT, 0.2, 0.7, 0.2, 0.4, 0.1, 4, "SIM", 160, SimilarityModel.HYBRID);
    }

    /** @return the code lineage that produced the table numbers (preset PAPER_TABLE), Sports script */
    public static CoSeRecConfig paperTable() {
        return defaults().withPreset(BaselinePreset.PAPER_TABLE);
    }

    /**
     * The Beauty script: threshold 12, warm-up 220, short set SIMRC, insert 0.5, substitute 0.05.
     *
     * @param c a configuration
     * @return the copy
     */
    public static CoSeRecConfig forBeauty(CoSeRecConfig c) {
        return c.withAugmentThreshold(12).withWarmUpEpochs(220).withShortOps("SIMRC").withInsertRate(0.5)
                .withSubstituteRate(0.05);
    }

    /**
     * The Yelp script: warm-up 300 (the hybrid never starts within 300 epochs), insert 0.5.
     *
     * @param c a configuration
     * @return the copy
     */
    public static CoSeRecConfig forYelp(CoSeRecConfig c) {
        return c.withWarmUpEpochs(300).withInsertRate(0.5);
    }

    /** @return the NCE loss (2B-2 in-batch negatives, mean over 2B rows) */
    public InfoNCE infoNCE() {
        return new InfoNCE(temperature, similarity, InfoNCE.Negatives.BOTH_VIEWS);
    }

    /**
     * CoSeRec's {@code Random} augmenter: one operator drawn uniformly per view, from all five for long sequences
     * and from {@link #shortOps} for short ones.
     *
     * @param similar the current most-similar-item map
     * @return the augmenter
     */
    public Augmentation augmenter(IntUnaryOperator similar) {
        boolean coserecStart = preset == BaselinePreset.PAPER_TABLE;
        Augmentation insert = new Insert(insertRate, similar);
        Augmentation substitute = new Substitute(substituteRate, similar);
        Augmentation crop = new Crop(cropKeep, coserecStart);
        Augmentation mask = new Mask(maskRatio, 0);
        if (augmentThreshold < 0) {
            return new RandomChoice(List.of(insert, crop, mask, new Reorder(reorderRatio, coserecStart), substitute));
        }
        Augmentation reorder = new Reorder(maskRatio, coserecStart);
        List<Augmentation> shortList = new ArrayList<>();
        for (char ch : shortOps.toCharArray()) {
            shortList.add(switch (ch) {
                case 'S' -> substitute;
                case 'I' -> insert;
                case 'M' -> mask;
                case 'R' -> reorder;
                case 'C' -> crop;
                default -> throw new IllegalStateException("shortOps " + shortOps);
            });
        }
        return new ByLength(augmentThreshold, new RandomChoice(shortList),
                new RandomChoice(List.of(insert, crop, mask, reorder, substitute)));
    }
}
