package io.seqcl.model;

import io.seqcl.loss.FullSoftmaxCrossEntropy;
import io.seqcl.loss.RecLoss;
import io.seqcl.protocol.Padding;
import io.seqcl.protocol.SampleMode;
import io.soabase.recordbuilder.core.RecordBuilder;

/**
 * Configuration of {@link GRU4Rec}; the values are RecBole's {@code GRU4Rec.yaml} (HEAD = v1.0.0 = the DuoRec
 * fork): item embedding 64, one GRU layer of 128 units, dropout 0.3, full-softmax cross-entropy, T 50, prefix
 * samples with right padding. {@link #defaults()} is seqcl's clean default (the padding row is not a softmax
 * class); {@link #paperTable()} is the RecBole lineage of the tables (row 0 is a class, as in RecBole).
 *
 * @param maxLen maximum input length T (the most recent items are kept)
 * @param embeddingSize item embedding width (the output projection maps the GRU state back to it)
 * @param hiddenSize GRU state width H
 * @param dropout dropout on the item embeddings
 * @param fused whether the GRU runs as the engine's fused op (equal to the explicit cell to 1e-5,
 *              {@code GruTest}); false runs the explicit cell
 * @param loss the next-item loss on the last position
 */
@RecordBuilder
public record GRU4RecConfig(int maxLen, int embeddingSize, int hiddenSize, double dropout, boolean fused,
                            RecLoss loss) implements MaxLenConfig<GRU4RecConfig>, GRU4RecConfigBuilder.With {

    /** Validates the fields. */
    public GRU4RecConfig {
        if (maxLen < 1) {
            throw new IllegalArgumentException("maxLen must be >= 1, got " + maxLen);
        }
        Checks.positive("embeddingSize", embeddingSize);
        Checks.positive("hiddenSize", hiddenSize);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        Checks.notNull("loss", loss);
    }

    /** @return seqcl's default: RecBole's values, padding row excluded from the softmax, fused GRU */
    public static GRU4RecConfig defaults() {
        return new GRU4RecConfig(50, 64, 128, 0.3, true, new FullSoftmaxCrossEntropy(false));
    }

    /** @return the RecBole lineage of the tables: as {@link #defaults()} with row 0 a softmax class */
    public static GRU4RecConfig paperTable() {
        return defaults().withLoss(new FullSoftmaxCrossEntropy(true));
    }

    @Override
    public GRU4RecConfig withMaxLen(int t) {
        return GRU4RecConfigBuilder.With.super.withMaxLen(t);
    }

    @Override
    public InputSpec inputSpec() {
        return new InputSpec(maxLen, Padding.RIGHT, SampleMode.PREFIX, loss.needsNegatives());
    }
}
