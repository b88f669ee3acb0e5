package io.seqcl.model;

import io.seqcl.loss.FullSoftmaxCrossEntropy;
import io.seqcl.loss.RecLoss;
import io.seqcl.protocol.SampleMode;
import io.soabase.recordbuilder.core.RecordBuilder;
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
 * @param encoder the shared encoder settings (T, blocks, initialisation, padding)
 * @param sampleMode training-sample convention of the next-item loss (RecBole: prefix)
 * @param loss the next-item loss (RecBole: full-softmax cross-entropy)
 * @param contrast which contrastive terms ({@code contrast} in the code; US_X)
 * @param lambda weight of the unsupervised dropout term ({@code lmd}, 0.1; unused by US_X and SU)
 * @param lambdaSem weight of the supervised term ({@code lmd_sem}, 0.1; unused by UN)
 * @param temperature NT-Xent temperature (1)
 * @param similarity NT-Xent similarity (DOT)
 * @param maskSameTarget drop in-batch negatives with the anchor's target item (false, as the code)
 */
@RecordBuilder
public record DuoRecConfig(EncoderConfig encoder, SampleMode sampleMode, RecLoss loss, Contrast contrast, double lambda, double lambdaSem,
                           double temperature, InfoNCE.Similarity similarity, boolean maskSameTarget)
        implements SASRecBasedConfig<DuoRecConfig>, DuoRecConfigBuilder.With {

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
        Checks.notNull("encoder", encoder);
        Checks.notNull("sampleMode", sampleMode);
        Checks.notNull("loss", loss);
        if (sampleMode != SampleMode.PREFIX) {
            throw new IllegalArgumentException("sampleMode must be PREFIX (DuoRec's positives are prefix "
                    + "samples), got " + sampleMode);
        }
        Checks.notNull("contrast", contrast);
        Checks.weight("lambda", lambda);
        Checks.weight("lambdaSem", lambdaSem);
        Checks.positive("temperature", temperature);
        Checks.notNull("similarity", similarity);
    }

    /** @return the authors' defaults described above */
    public static DuoRecConfig defaults() {
        return new DuoRecConfig(EncoderConfig.recbole(), SampleMode.PREFIX, new FullSoftmaxCrossEntropy(), Contrast.US_X, 0.1, 0.1, 1.0, InfoNCE.Similarity.DOT, false);
    }

    /** @return the NT-Xent loss (2B-2 in-batch negatives) */
    public InfoNCE infoNCE() {
        return new InfoNCE(temperature, similarity, InfoNCE.Negatives.BOTH_VIEWS);
    }

    /** @return whether the loss needs the supervised (same-target) positives */
    public boolean supervised() {
        return contrast != Contrast.UN && lambdaSem > 0;
    }
}
