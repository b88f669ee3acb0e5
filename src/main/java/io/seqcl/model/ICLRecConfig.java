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
 * Configuration of {@link ICLRec}; every choice of baselines.md §10 is a field.
 *
 * <p>ICLRec: Chen, Liu, Li, McAuley, Xiong, "Intent Contrastive Learning for Sequential Recommendation", WWW 2022,
 * arXiv:2202.02519, as in the code (salesforce/ICLRec scripts, contrast type Hybrid): K 256 intents, 20 k-means
 * iterations with 5 restarts, {@code lambda} ({@code cf_weight}) 0.1, {@code beta} ({@code intent_cf_weight}) 0.1,
 * tau 1, dot, views from crop 0.2 / mask 0.7 (to 0) / reorder 0.2, warm-up 0, no de-noising; SASRec encoder with
 * left padding, one sample per user, BCE with one negative per position, dropout 0.5/0.5, d 64, 2 heads, T 50.
 * Dataset presets (layers): Beauty 1, Sports 2, Toys 3, Yelp 2; ML-1M {@code lambda} 0 (intent CL only).
 *
 * @param encoder the shared encoder settings (left padding)
 * @param sampleMode training samples of the next-item loss (ALL_POSITIONS)
 * @param loss the next-item loss (sampled BCE)
 * @param preset PAPER_TABLE (means and vec(H) over all T rows, padding included; CoSeRec start rule) or SEQCL
 *     (real positions only; seqcl start rule)
 * @param lambda weight of the instance NCE ({@code cf_weight}, 0.1)
 * @param beta weight of the intent NCE ({@code intent_cf_weight}, 0.1)
 * @param temperature NCE temperature (1)
 * @param similarity NCE similarity (DOT)
 * @param numIntents K, the number of k-means clusters (256)
 * @param kmeansIterations Lloyd iterations per restart (20)
 * @param kmeansRestarts restarts, the lowest inertia wins (5)
 * @param cropKeep fraction kept by crop (0.2)
 * @param maskRatio fraction masked to 0 (0.7)
 * @param reorderRatio fraction reordered (0.2)
 * @param warmUpEpochs epochs without intent learning ({@code warm_up_epoches}, 0)
 * @param deNoise drop same-intent negatives in the intent NCE (false in all scripts)
 */
@RecordBuilder
public record ICLRecConfig(EncoderConfig encoder, SampleMode sampleMode, RecLoss loss, BaselinePreset preset,
                           double lambda, double beta, double temperature, InfoNCE.Similarity similarity,
                           int numIntents, int kmeansIterations, int kmeansRestarts, double cropKeep,
                           double maskRatio, double reorderRatio, int warmUpEpochs, boolean deNoise)
        implements CoSeRecFamilyConfig<ICLRecConfig>, ICLRecConfigBuilder.With {

    /** Validates every field and names the one that is wrong. */
    public ICLRecConfig {
        Checks.notNull("encoder", encoder);
        Checks.notNull("sampleMode", sampleMode);
        Checks.notNull("loss", loss);
        Checks.notNull("preset", preset);
        Checks.weight("lambda", lambda);
        Checks.weight("beta", beta);
        Checks.positive("temperature", temperature);
        Checks.notNull("similarity", similarity);
        if (numIntents < 1) {
            throw new IllegalArgumentException("numIntents must be >= 1, got " + numIntents);
        }
        if (kmeansIterations < 0) {
            throw new IllegalArgumentException("kmeansIterations must be >= 0, got " + kmeansIterations);
        }
        if (kmeansRestarts < 1) {
            throw new IllegalArgumentException("kmeansRestarts must be >= 1, got " + kmeansRestarts);
        }
        Checks.ratio("cropKeep", cropKeep);
        Checks.ratio("maskRatio", maskRatio);
        Checks.ratio("reorderRatio", reorderRatio);
        if (warmUpEpochs < 0) {
            throw new IllegalArgumentException("warmUpEpochs must be >= 0, got " + warmUpEpochs);
        }
    }

    /** @return seqcl's clean default (preset SEQCL) with the code's hyper-parameters (2 layers, Sports/Yelp) */
    public static ICLRecConfig defaults() {
        SASRecConfig b = SASRecConfig.bceAllPositions();
        return new ICLRecConfig(b.encoder(), b.sampleMode(), b.loss(), BaselinePreset.SEQCL, 0.1, 0.1, 1.0,
                InfoNCE.Similarity.DOT, 256, 20, 5, 0.2, 0.7, 0.2, 0, false);
    }

    /** @return the code lineage that produced MCLRec Table 3's ICLRec column (preset PAPER_TABLE) */
    public static ICLRecConfig paperTable() {
        return defaults().withPreset(BaselinePreset.PAPER_TABLE);
    }

    /** @param c a configuration @return the Beauty script (1 layer) */
    public static ICLRecConfig forBeauty(ICLRecConfig c) {
        return c.withLayers(1);
    }

    /** @param c a configuration @return the Toys script (3 layers) */
    public static ICLRecConfig forToys(ICLRecConfig c) {
        return c.withLayers(3);
    }

    /** @param c a configuration @return the ML-1M script (intent CL only: lambda 0) */
    public static ICLRecConfig forMl1m(ICLRecConfig c) {
        return c.withLambda(0);
    }

    /** @return the NCE loss of both terms (2B-2 in-batch negatives) */
    public InfoNCE infoNCE() {
        return new InfoNCE(temperature, similarity, InfoNCE.Negatives.BOTH_VIEWS);
    }

    /** @return the view augmenter: one of crop, mask (to 0), reorder drawn uniformly per view */
    public Augmentation augmenter() {
        boolean coserecStart = preset == BaselinePreset.PAPER_TABLE;
        return new RandomChoice(List.of(new Crop(cropKeep, coserecStart), new Mask(maskRatio, 0),
                new Reorder(reorderRatio, coserecStart)));
    }
}
