package io.seqcl.model;

import io.seqcl.protocol.SampleMode;
import io.soabase.recordbuilder.core.RecordBuilder;

/**
 * Configuration of {@link BERT4Rec}: the Cloze sampler, the output head and the test-time row are fields, so the
 * two RecBole behaviours and seqcl's clean default are presets of one record (baselines.md §5).
 *
 * <p>BERT4Rec: Sun et al., "BERT4Rec: Sequential Recommendation with Bidirectional Encoder Representations from
 * Transformer", CIKM 2019, arXiv:1904.06690. Presets:
 * <ul>
 *   <li>{@link #defaults()} = {@link #seqcl()}, the default because it is the one variant without a known defect:
 *       the Cloze sequence of a prefix sample is its input followed by its target (so the last training item is
 *       used), every masked real position is scored (no cap, the first position included), a row with no drawn
 *       mask masks its last item, the original output head with bias, and the test row (the most recent T-1
 *       items + [mask]) is read <em>at the [mask]</em>, the position the model was trained to fill; dropout 0.2
 *       (RecBole's current value; the original's attention dropout); the padding row is not a softmax class.</li>
 *   <li>{@link #recboleV1()}: RecBole v1.0.0 (the release of DuoRec's and MCLRec's time): the input prefix alone is
 *       masked, only the last {@code floor(rho T)} masked positions are scored and position 0 never is, no head or
 *       bias, dropout 0.5, softmax over rows 0..N, and the test row writes [mask] after the T items but reads the
 *       output of the <em>last real item</em> (a T+1-row position table).</li>
 *   <li>{@link #recboleHead()}: RecBole HEAD: as v1.0.0 but dropout 0.2, the output head with bias, {@code
 *       ft_ratio} 0.5 (half of the batches mask only their last item), and the test row shifted left by one so
 *       that it is read at the [mask] (which also drops the oldest item when the history is shorter than T).</li>
 * </ul>
 * The original TF code's data generation (dupe factor, sliding windows, masked_lm_prob 0.6 on Beauty) is not a
 * preset (baselines.md §5, §14 item 8).
 *
 * @param encoder the shared encoder settings (T, blocks, initialisation, padding)
 * @param sampleMode training-sample convention (PREFIX: one Cloze row per prefix sample)
 * @param maskRatio probability rho that a real position is replaced by [mask] (0.2)
 * @param clozeTarget whether a sample's last target is appended to its input before masking (seqcl: true;
 *        RecBole masks the input prefix only)
 * @param maxPredictions at most this many masked positions per row are scored, the last ones; 0 = all,
 *        -1 = {@code floor(maskRatio * T)} (RecBole's {@code mask_item_length})
 * @param scoreFirstPosition whether a masked first position is scored (RecBole treats masked index 0 as padding)
 * @param atLeastOneMask whether a row without any drawn mask masks its last item (seqcl; RecBole: the row gives
 *        no loss)
 * @param lastOnlyRatio probability per batch that every row masks only its last item (RecBole HEAD
 *        {@code ft_ratio} 0.5; 0 otherwise)
 * @param outputHead whether the output passes {@code LN(GELU(W h + b))} and the logits get a bias per item
 * @param includePaddingRow whether row 0 is a class of the softmax (RecBole: yes)
 * @param inference how the test row is built and where it is read
 */
@RecordBuilder
public record BERT4RecConfig(EncoderConfig encoder, SampleMode sampleMode, double maskRatio, boolean clozeTarget,
                             int maxPredictions, boolean scoreFirstPosition, boolean atLeastOneMask,
                             double lastOnlyRatio, boolean outputHead, boolean includePaddingRow, Inference inference)
        implements TransformerModelConfig<BERT4RecConfig>, BERT4RecConfigBuilder.With {

    /** How the scoring row is built from a history and where its output is read (baselines.md §5). */
    public enum Inference {
        /** The most recent T-1 items + [mask] in a T-row; read at the [mask] (seqcl). */
        MASK_APPENDED,
        /**
         * RecBole v1.0.0: the T most recent items + [mask] in a T+1-row (position table of T+1 rows); read at the
         * last real item, not at the [mask].
         */
        RECBOLE_V1,
        /**
         * RecBole HEAD: the T+1-row of v1.0.0 shifted left by one (the oldest item is dropped even when the history
         * is shorter than T); read at the [mask].
         */
        RECBOLE_HEAD
    }

    /** Validates every field and names the one that is wrong. */
    public BERT4RecConfig {
        Checks.notNull("encoder", encoder);
        Checks.notNull("sampleMode", sampleMode);
        if (!(maskRatio > 0 && maskRatio <= 1)) {
            throw new IllegalArgumentException("maskRatio must be in (0, 1], got " + maskRatio);
        }
        if (maxPredictions < -1) {
            throw new IllegalArgumentException("maxPredictions must be >= -1 (-1 = floor(maskRatio * T), 0 = no cap),"
                    + " got " + maxPredictions);
        }
        Checks.ratio("lastOnlyRatio", lastOnlyRatio);
        Checks.notNull("inference", inference);
    }

    /** @return {@link #seqcl()}, the default (see the class documentation for why) */
    public static BERT4RecConfig defaults() {
        return seqcl();
    }

    /** @return seqcl's clean variant (baselines.md §5 [CHOICE]) */
    public static BERT4RecConfig seqcl() {
        return new BERT4RecConfig(EncoderConfig.recbole().withDropout(0.2), SampleMode.PREFIX, 0.2, true, 0, true,
                true, 0.0, true, false, Inference.MASK_APPENDED);
    }

    /** @return RecBole v1.0.0's BERT4Rec (BERT4Rec.yaml of v1.0.0 and the DuoRec fork: dropout 0.5/0.5) */
    public static BERT4RecConfig recboleV1() {
        return new BERT4RecConfig(EncoderConfig.recbole(), SampleMode.PREFIX, 0.2, false, -1, false, false, 0.0,
                false, true, Inference.RECBOLE_V1);
    }

    /** @return RecBole HEAD's BERT4Rec (dropout 0.2/0.2, ft_ratio 0.5, output head, shifted test row) */
    public static BERT4RecConfig recboleHead() {
        return new BERT4RecConfig(EncoderConfig.recbole().withDropout(0.2), SampleMode.PREFIX, 0.2, false, -1, false,
                false, 0.5, true, true, Inference.RECBOLE_HEAD);
    }

    /** @return the number of masked positions scored per row at most (0 = all), {@link #maxPredictions} resolved */
    public int predictionCap() {
        return maxPredictions >= 0 ? maxPredictions : (int) Math.floor(maskRatio * encoder.maxLen() + 1e-9);
    }

    /** @return the rows of the position table: T, or T+1 for {@link Inference#RECBOLE_V1} */
    public int positions() {
        return encoder.maxLen() + (inference == Inference.RECBOLE_V1 ? 1 : 0);
    }

    /** @return the display name: BERT4Rec, with the RecBole release for the RecBole test rows */
    public String displayName() {
        return switch (inference) {
            case MASK_APPENDED -> "BERT4Rec";
            case RECBOLE_V1 -> "BERT4Rec (RecBole 1.0)";
            case RECBOLE_HEAD -> "BERT4Rec (RecBole HEAD)";
        };
    }

    @Override
    public InputSpec inputSpec() {
        return new InputSpec(encoder.maxLen(), encoder.padding(), sampleMode, false);
    }
}
