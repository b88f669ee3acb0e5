package io.seqcl.model;

import io.seqcl.loss.InfoNCE;
import io.seqcl.loss.RecLoss;
import io.seqcl.protocol.SampleMode;
import io.soabase.recordbuilder.core.RecordBuilder;

/**
 * Configuration of {@link LMA4Rec}: CoSeRec's fields (baselines.md §9, same meaning and defaults as
 * {@link CoSeRecConfig}) plus the learnable Bernoulli dropout of the contrastive branch (§12).
 *
 * <p>LMA4Rec: Hao, Zhao, Xian, Liu, Wang, Zhao, Liu, Sheng, "Learnable Model Augmentation Self-Supervised Learning
 * for Sequential Recommendation", arXiv:2204.10128, 2022. <b>seqcl's own design from the spec, unverified</b>: no
 * code or full text was available, so the LBD sites, estimator and hyper-parameters are [INFERRED]/[CHOICE].
 *
 * @param encoder the shared encoder settings (left padding)
 * @param sampleMode training samples of the next-item loss (ALL_POSITIONS)
 * @param loss the next-item loss (sampled BCE, one negative per position)
 * @param preset PAPER_TABLE (CoSeRec code quirks) or SEQCL (clean)
 * @param lambda weight of the contrastive term (0.1)
 * @param temperature NCE temperature (1)
 * @param similarity NCE similarity (DOT)
 * @param cropKeep see {@link CoSeRecConfig}
 * @param maskRatio see {@link CoSeRecConfig}
 * @param reorderRatio see {@link CoSeRecConfig}
 * @param insertRate see {@link CoSeRecConfig}
 * @param substituteRate see {@link CoSeRecConfig}
 * @param augmentThreshold see {@link CoSeRecConfig}
 * @param shortOps see {@link CoSeRecConfig}
 * @param warmUpEpochs see {@link CoSeRecConfig}
 * @param similarityModel see {@link CoSeRecConfig}
 * @param estimator gradient estimator of the keep-probability logits (ARM, the spec's choice, or CONCRETE)
 * @param initKeep initial keep probability of every LBD site (0.5 = CoSeRec's dropout 0.5); 1 only with
 *     {@code learnKeep} false (LBD is then the identity)
 * @param concreteTemperature relaxation temperature of CONCRETE (0.1)
 * @param learnKeep whether the keep probabilities are learned (false = frozen at {@code initKeep})
 */
@RecordBuilder
public record LMA4RecConfig(EncoderConfig encoder, SampleMode sampleMode, RecLoss loss, BaselinePreset preset,
                            double lambda, double temperature, InfoNCE.Similarity similarity, double cropKeep,
                            double maskRatio, double reorderRatio, double insertRate, double substituteRate,
                            int augmentThreshold, String shortOps, int warmUpEpochs,
                            CoSeRecConfig.SimilarityModel similarityModel, Estimator estimator, double initKeep,
                            double concreteTemperature, boolean learnKeep)
        implements CoSeRecFamilyConfig<LMA4RecConfig>, LMA4RecConfigBuilder.With {

    /** Gradient estimator of the learnable keep probabilities. */
    public enum Estimator {
        /** Augment-REINFORCE-Merge: two extra antithetic CL forwards per step (unbiased). */
        ARM,
        /** Relaxed Bernoulli (binary concrete) masks with pathwise gradients (biased, cheaper). */
        CONCRETE
    }

    /** Validates every field and names the one that is wrong. */
    public LMA4RecConfig {
        coserec(encoder, sampleMode, loss, preset, lambda, temperature, similarity, cropKeep, maskRatio, reorderRatio,
                insertRate, substituteRate, augmentThreshold, shortOps, warmUpEpochs, similarityModel);
        Checks.notNull("estimator", estimator);
        if (!(initKeep > 0 && initKeep <= 1)) {
            throw new IllegalArgumentException("initKeep must be in (0, 1], got " + initKeep);
        }
        if (initKeep == 1 && learnKeep) {
            throw new IllegalArgumentException("initKeep 1 has an infinite logit: set learnKeep false");
        }
        Checks.positive("concreteTemperature", concreteTemperature);
    }

    private static CoSeRecConfig coserec(EncoderConfig encoder, SampleMode sampleMode, RecLoss loss,
                                         BaselinePreset preset, double lambda, double temperature,
                                         InfoNCE.Similarity similarity, double cropKeep, double maskRatio,
                                         double reorderRatio, double insertRate, double substituteRate,
                                         int augmentThreshold, String shortOps, int warmUpEpochs,
                                         CoSeRecConfig.SimilarityModel similarityModel) {
        return new CoSeRecConfig(encoder, sampleMode, loss, preset, lambda, temperature, similarity, cropKeep,
                maskRatio, reorderRatio, insertRate, substituteRate, augmentThreshold, shortOps, warmUpEpochs,
                similarityModel);
    }

    /** @return the CoSeRec part of this configuration */
    public CoSeRecConfig coserec() {
        return coserec(encoder, sampleMode, loss, preset, lambda, temperature, similarity, cropKeep, maskRatio,
                reorderRatio, insertRate, substituteRate, augmentThreshold, shortOps, warmUpEpochs, similarityModel);
    }

    /**
     * @param c a CoSeRec configuration
     * @param estimator the keep-probability estimator
     * @return LMA4Rec on top of it (keep 0.5, learned, concrete temperature 0.1)
     */
    public static LMA4RecConfig of(CoSeRecConfig c, Estimator estimator) {
        return new LMA4RecConfig(c.encoder(), c.sampleMode(), c.loss(), c.preset(), c.lambda(), c.temperature(),
                c.similarity(), c.cropKeep(), c.maskRatio(), c.reorderRatio(), c.insertRate(), c.substituteRate(),
                c.augmentThreshold(), c.shortOps(), c.warmUpEpochs(), c.similarityModel(), estimator, 0.5, 0.1, true);
    }

    /** @return seqcl's clean default (preset SEQCL): CoSeRec's defaults (Sports script) with ARM */
    public static LMA4RecConfig defaults() {
        return of(CoSeRecConfig.defaults(), Estimator.ARM);
    }

    /** @return the CoSeRec-family protocol (preset PAPER_TABLE), Sports script */
    public static LMA4RecConfig paperTable() {
        return defaults().withPreset(BaselinePreset.PAPER_TABLE);
    }

    /**
     * CoSeRec's Beauty script (the spec takes CoSeRec's hyper-parameters).
     *
     * @param c a configuration
     * @return the copy
     */
    public static LMA4RecConfig forBeauty(LMA4RecConfig c) {
        CoSeRecConfig b = CoSeRecConfig.forBeauty(c.coserec());
        return c.withAugmentThreshold(b.augmentThreshold()).withWarmUpEpochs(b.warmUpEpochs())
                .withShortOps(b.shortOps()).withInsertRate(b.insertRate()).withSubstituteRate(b.substituteRate());
    }

    /**
     * CoSeRec's Yelp script.
     *
     * @param c a configuration
     * @return the copy
     */
    public static LMA4RecConfig forYelp(LMA4RecConfig c) {
        CoSeRecConfig y = CoSeRecConfig.forYelp(c.coserec());
        return c.withWarmUpEpochs(y.warmUpEpochs()).withInsertRate(y.insertRate());
    }
}
