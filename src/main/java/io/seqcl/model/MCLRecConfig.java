package io.seqcl.model;

import io.seqcl.loss.FullSoftmaxCrossEntropy;
import io.seqcl.loss.RecLoss;
import io.seqcl.protocol.SampleMode;
import io.soabase.recordbuilder.core.RecordBuilder;
import io.seqcl.augment.DistinctPair;
import io.seqcl.loss.ContrastiveRegularizer;
import io.seqcl.loss.InfoNCE;

import java.util.List;

/**
 * Configuration of {@link MCLRec}; every point where the MCLRec paper and the authors' code differ is a field
 * (default = code, mclrec.md [CHOICE]), so {@link #toString()} logs the full set of choices with each run.
 *
 * <p>MCLRec: Qin et al., "Meta-optimized Contrastive Learning for Sequential Recommendation", SIGIR 2023
 * (../shared/papers/002_8cbc21390195a073.txt), as specified in /work/shared/specs/mclrec.md. Presets:
 * {@link #defaults()} (code's {@code MCLRec.yaml}), per-dataset settings ({@link #beauty()}, {@link #sports()},
 * {@link #yelp()}, {@link #ml1m()}, {@link #toys()}), {@link #paper()} (every switch on the paper's side),
 * {@link #withAblation(Ablation)} (Table 4) and {@link #joint()} (MCLRec-J).
 *
 * <p>Deviations from the code: augmenter widths follow d (the code hard-codes 64); the augmenter normalisation
 * divides by {@code max(||x||, 1e-12)} (the code has no epsilon); the padding row is not a softmax class unless
 * the backbone loss says so; ablation E (shared augmenter) is not in the code.
 *
 * @param encoder the shared encoder settings (T, blocks, initialisation, padding)
 * @param sampleMode training-sample convention of the next-item loss (RecBole: prefix)
 * @param loss the next-item loss (RecBole: full-softmax cross-entropy)
 * @param lambda weight of L_cl1 ({@code lmd}; MCLRec.yaml 0.0; Beauty 0.0, Sports 0.04, Yelp 0.03)
 * @param beta weight of L_cl2 (+ R) in the encoder loss ({@code beta}; MCLRec.yaml 0.01; Beauty 0.05, Sports 0.4, Yelp 0.1)
 * @param rWeight factor of R inside the L_cl2 term (code {@code use_rl}: 0.1, i.e. gamma = 0.1 beta; 0 = ablation w/o R)
 * @param temperature tau of L_cl1 and R (1); L_cl2 uses tau 1 and dot, hard-coded as in the code
 * @param similarity similarity of L_cl1 (DOT)
 * @param cropKeep fraction kept by crop (1 - crop_ratio = 0.5)
 * @param maskRatio fraction masked ({@code mask_ratio} 0.5)
 * @param reorderRatio fraction reordered ({@code reorder_ratio} 0.8)
 * @param maskToken id the mask writes (PADDING = 0, code)
 * @param augmenterHidden hidden widths of the augmenter MLPs (code Extractor [64,32,16,64]: [32, 16]; paper: "3-layer MLP" = two hidden layers)
 * @param augmenterInit augmenter weight initialisation (UNIFORM_FAN_IN = PyTorch Linear default, code)
 * @param augmenterNormalize whether the augmenter output is L2-normalised per row (true, code)
 * @param sharedAugmenter one augmenter for both views (ablation E; false)
 * @param rPairs view pairs of R (THREE = code, Z_ONLY = paper)
 * @param rMargins margins of R (ROW = code, BATCH = paper)
 * @param schedule META (bi-level, default) or JOINT (MCLRec-J)
 * @param thirdStep META: a second encoder step after the augmenter step (true = code; false = paper Algorithm 1)
 * @param stage2Loss loss of the augmenter step (CODE: lambda L_cl1 + L_cl2 + rWeight R; PAPER: L_cl2 + rWeight beta R)
 * @param metaLearningRate Adam learning rate of the augmenters; 0 = the training learning rate (code: both 1e-3)
 */
@RecordBuilder
public record MCLRecConfig(EncoderConfig encoder, SampleMode sampleMode, RecLoss loss, double lambda, double beta, double rWeight, double temperature, InfoNCE.Similarity similarity, double cropKeep, double maskRatio, double reorderRatio, MaskToken maskToken, List<Integer> augmenterHidden, AugmenterInit augmenterInit, boolean augmenterNormalize, boolean sharedAugmenter, RPairs rPairs, ContrastiveRegularizer.Margins rMargins, Schedule schedule, boolean thirdStep, Stage2Loss stage2Loss, double metaLearningRate)
        implements SASRecBasedConfig<MCLRecConfig>, MCLRecConfigBuilder.With {

    /** Which view pairs the regulariser R sums over (mclrec.md §5). */
    public enum RPairs {
        /** (h~1, z~2), (h~2, z~1), (z~1, z~2): the authors' code. */
        THREE,
        /** (z~1, z~2) only: paper Eq. 11-13. */
        Z_ONLY
    }

    /** How the parameters are optimised per batch (mclrec.md §6). */
    public enum Schedule {
        /** Bi-level: encoder step on L0, augmenter step on L1 (and, with thirdStep, encoder again). */
        META,
        /** MCLRec-J: one Adam over encoder and augmenters, one step on L0 per batch. */
        JOINT
    }

    /** The augmenter step's loss (mclrec.md §5, weights). */
    public enum Stage2Loss {
        /** {@code lambda L_cl1 + L_cl2 + rWeight R} (code; effective gamma = rWeight). */
        CODE,
        /** {@code L_cl2 + rWeight beta R} (paper Eq. 15 with gamma = 0.1 beta). */
        PAPER
    }

    /** Initialisation of the augmenter MLPs. */
    public enum AugmenterInit {
        /** Weights and biases U(+-1/sqrt(fan_in)) (PyTorch Linear default; the code builds them outside the model init). */
        UNIFORM_FAN_IN,
        /** Weights Normal(0, backbone initStd), zero biases (the encoder's init). */
        NORMAL
    }

    /** The ablations of Table 4 (mclrec.md §7). */
    public enum Ablation {
        /** (A) MCLRec as configured. */
        FULL,
        /** (B) w/o L_cl1: lambda = 0. */
        WITHOUT_CL1,
        /** (C) w/o L_cl2: beta = 0 (removes L_cl2 and R from the encoder loss; "equivalent to CL4SRec"). */
        WITHOUT_CL2,
        /** (D) w/o R: rWeight = 0 in every stage. */
        WITHOUT_R,
        /** (E) one shared augmenter for both views. */
        SHARED_AUGMENTER
    }

    /** Validates every field and names the one that is wrong. */
    public MCLRecConfig {
        Checks.notNull("encoder", encoder);
        Checks.notNull("sampleMode", sampleMode);
        Checks.notNull("loss", loss);
        Checks.weight("lambda", lambda);
        Checks.weight("beta", beta);
        Checks.weight("rWeight", rWeight);
        Checks.positive("temperature", temperature);
        Checks.notNull("similarity", similarity);
        Checks.ratio("cropKeep", cropKeep);
        Checks.ratio("maskRatio", maskRatio);
        Checks.ratio("reorderRatio", reorderRatio);
        Checks.notNull("maskToken", maskToken);
        if (augmenterHidden == null || augmenterHidden.stream().anyMatch(java.util.Objects::isNull)
                || augmenterHidden.stream().anyMatch(w -> w < 1)) {
            throw new IllegalArgumentException("augmenterHidden must be a list of widths >= 1, got " + augmenterHidden);
        }
        augmenterHidden = List.copyOf(augmenterHidden);
        Checks.notNull("augmenterInit", augmenterInit);
        Checks.notNull("rPairs", rPairs);
        Checks.notNull("rMargins", rMargins);
        Checks.notNull("schedule", schedule);
        Checks.notNull("stage2Loss", stage2Loss);
        if (!(metaLearningRate >= 0) || Double.isInfinite(metaLearningRate)) {
            throw new IllegalArgumentException("metaLearningRate must be >= 0 (0 = the training learning rate), got "
                    + metaLearningRate);
        }
    }

    /**
     * The code's {@code MCLRec.yaml} defaults: lambda 0, beta 0.01, R factor 0.1, tau 1, dot, crop keep 0.5, mask 0.5
     * with id 0, reorder 0.8, augmenters [d, 32, 16, d] GELU with PyTorch init and L2-normalised output, R over three
     * pairs with per-row margins, META schedule with the third (encoder) step, CODE stage-2 loss, same learning rate.
     *
     * @return the defaults
     */
    public static MCLRecConfig defaults() {
        return new MCLRecConfig(EncoderConfig.recbole(), SampleMode.PREFIX, new FullSoftmaxCrossEntropy(), 0.0, 0.01, 0.1, 1.0, InfoNCE.Similarity.DOT, 0.5, 0.5, 0.8,
                MaskToken.PADDING, List.of(32, 16), AugmenterInit.UNIFORM_FAN_IN, true, false, RPairs.THREE,
                ContrastiveRegularizer.Margins.ROW, Schedule.META, true, Stage2Loss.CODE, 0.0);
    }

    /** @return Beauty (paper Sec. 4.5.2 and script): lambda 0, beta 0.05 */
    public static MCLRecConfig beauty() {
        return forBeauty(defaults());
    }

    /** @param c base configuration @return it with Beauty's lambda 0, beta 0.05 (the registry's "beauty" preset) */
    public static MCLRecConfig forBeauty(MCLRecConfig c) {
        return c.withLambda(0.0).withBeta(0.05);
    }

    /** @param c base configuration @return it with Sports' lambda 0.04, beta 0.4 */
    public static MCLRecConfig forSports(MCLRecConfig c) {
        return c.withLambda(0.04).withBeta(0.4);
    }

    /** @param c base configuration @return it with Yelp's lambda 0.03, beta 0.1 */
    public static MCLRecConfig forYelp(MCLRecConfig c) {
        return c.withLambda(0.03).withBeta(0.1);
    }

    /** @param c base configuration @return it with ML-1M's (script only) lambda 0, beta 0.01, dropout 0.1/0.1 */
    public static MCLRecConfig forMl1m(MCLRecConfig c) {
        return c.withLambda(0.0).withBeta(0.01).withDropout(0.1);
    }

    /** @param c base configuration @return it with Toys' (script only, which actually ran Beauty) lambda 0.01, beta 0.1 */
    public static MCLRecConfig forToys(MCLRecConfig c) {
        return c.withLambda(0.01).withBeta(0.1);
    }

    /**
     * Every paper/code switch on the paper's side: R on (z~1, z~2) with batch margins, two-step schedule
     * (Algorithm 1), stage-2 loss {@code L_cl2 + gamma R}.
     *
     * @return a copy
     */
    public MCLRecConfig paper() {
        return withRPairs(RPairs.Z_ONLY).withRMargins(ContrastiveRegularizer.Margins.BATCH).withThirdStep(false)
                .withStage2Loss(Stage2Loss.PAPER);
    }

    /** @return MCLRec-J: joint learning of encoder and augmenters (paper Sec. 4.4) */
    public MCLRecConfig joint() {
        return withSchedule(Schedule.JOINT);
    }

    /**
     * A Table 4 ablation of this configuration.
     *
     * @param a the ablation
     * @return a copy
     */
    public MCLRecConfig withAblation(Ablation a) {
        return switch (a) {
            case FULL -> this;
            case WITHOUT_CL1 -> withLambda(0);
            case WITHOUT_CL2 -> withBeta(0);
            case WITHOUT_R -> withRWeight(0);
            case SHARED_AUGMENTER -> withSharedAugmenter(true);
        };
    }

    /** @return the L_cl1 loss (NT-Xent with tau and the similarity, 2B-2 negatives) */
    public InfoNCE infoNCE() {
        return new InfoNCE(temperature, similarity, InfoNCE.Negatives.BOTH_VIEWS);
    }

    /** @return the regulariser R for one pair */
    public ContrastiveRegularizer regularizer() {
        return new ContrastiveRegularizer(temperature, rMargins);
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
