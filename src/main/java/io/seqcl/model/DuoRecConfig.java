package io.seqcl.model;

import io.seqcl.loss.InfoNCE;

/**
 * Configuration of {@link DuoRec}; every open choice of cl4srec_duorec.md §4 is a field, so {@link #toString()} logs
 * them with each run.
 *
 * <p>DuoRec: Qiu et al., "Contrastive Learning for Representation Degeneration Problem in Sequential
 * Recommendation", WSDM 2022 (a baseline of MCLRec, ../shared/papers/002_8cbc21390195a073.txt). Defaults are the
 * authors' code ({@code duorec.sh}): contrast {@code us_x}, lambda_sem 0.1, tau 1, dot, no same-target masking,
 * SASRec RecBole backbone (right padding, prefix samples, dropout 0.5/0.5).
 *
 * @param backbone SASRec encoder and next-item loss (must use prefix samples: positives are prefix samples)
 * @param contrast which contrastive terms ({@code contrast} in the code; US_X)
 * @param lambda weight of the unsupervised dropout term ({@code lmd}, 0.1; unused by US_X and SU)
 * @param lambdaSem weight of the supervised term ({@code lmd_sem}, 0.1; unused by UN)
 * @param temperature NT-Xent temperature (1)
 * @param similarity NT-Xent similarity (DOT)
 * @param maskSameTarget drop in-batch negatives with the anchor's target item (false, as the code)
 */
public record DuoRecConfig(SASRecConfig backbone, Contrast contrast, double lambda, double lambdaSem,
                           double temperature, InfoNCE.Similarity similarity, boolean maskSameTarget) {

    /** The loss variants of the DuoRec code (cl4srec_duorec.md §4). */
    public enum Contrast {
        /** {@code L_rec + lambdaSem NTXent(f(x), f(x_j))} with a second dropout pass of x (default, duorec.sh). */
        US_X,
        /** {@code L_rec + lambda NTXent(h, f(x))}: unsupervised dropout augmentation only. */
        UN,
        /** {@code L_rec + lambdaSem NTXent(h, f(x_j))}: supervised positive only, anchored on h. */
        SU,
        /** {@code L_rec + lambda NTXent(h, f(x)) + lambdaSem NTXent(h, f(x_j))}. */
        US
    }

    /** Validates every field and names the one that is wrong. */
    public DuoRecConfig {
        Checks.notNull("backbone", backbone);
        if (backbone.sampleMode() != io.seqcl.protocol.SampleMode.PREFIX) {
            throw new IllegalArgumentException("backbone.sampleMode must be PREFIX (DuoRec's positives are prefix "
                    + "samples), got " + backbone.sampleMode());
        }
        Checks.notNull("contrast", contrast);
        Checks.weight("lambda", lambda);
        Checks.weight("lambdaSem", lambdaSem);
        Checks.positive("temperature", temperature);
        Checks.notNull("similarity", similarity);
    }

    /** @return the authors' defaults described above */
    public static DuoRecConfig defaults() {
        return new DuoRecConfig(SASRecConfig.defaults(), Contrast.US_X, 0.1, 0.1, 1.0, InfoNCE.Similarity.DOT, false);
    }

    /** @return the NT-Xent loss (2B-2 in-batch negatives) */
    public InfoNCE infoNCE() {
        return new InfoNCE(temperature, similarity, InfoNCE.Negatives.BOTH_VIEWS);
    }

    /** @return whether the loss needs the supervised (same-target) positives */
    public boolean supervised() {
        return contrast != Contrast.UN && lambdaSem > 0;
    }

    /** @param v new backbone @return a copy */
    public DuoRecConfig withBackbone(SASRecConfig v) {
        return new DuoRecConfig(v, contrast, lambda, lambdaSem, temperature, similarity, maskSameTarget);
    }

    /** @param v new contrast variant @return a copy */
    public DuoRecConfig withContrast(Contrast v) {
        return new DuoRecConfig(backbone, v, lambda, lambdaSem, temperature, similarity, maskSameTarget);
    }

    /** @param v new lambda @return a copy */
    public DuoRecConfig withLambda(double v) {
        return new DuoRecConfig(backbone, contrast, v, lambdaSem, temperature, similarity, maskSameTarget);
    }

    /** @param v new lambdaSem @return a copy */
    public DuoRecConfig withLambdaSem(double v) {
        return new DuoRecConfig(backbone, contrast, lambda, v, temperature, similarity, maskSameTarget);
    }

    /** @param v new temperature @return a copy */
    public DuoRecConfig withTemperature(double v) {
        return new DuoRecConfig(backbone, contrast, lambda, lambdaSem, v, similarity, maskSameTarget);
    }

    /** @param v new similarity @return a copy */
    public DuoRecConfig withSimilarity(InfoNCE.Similarity v) {
        return new DuoRecConfig(backbone, contrast, lambda, lambdaSem, temperature, v, maskSameTarget);
    }

    /** @param v new same-target masking flag @return a copy */
    public DuoRecConfig withMaskSameTarget(boolean v) {
        return new DuoRecConfig(backbone, contrast, lambda, lambdaSem, temperature, similarity, v);
    }
}
