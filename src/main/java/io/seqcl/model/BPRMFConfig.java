package io.seqcl.model;

import io.seqcl.protocol.Padding;
import io.seqcl.protocol.SampleMode;
import io.soabase.recordbuilder.core.RecordBuilder;

/**
 * Configuration of {@link BPRMF}. {@link #defaults()} is seqcl's clean default (the {@code SEQCL} preset of
 * baselines.md section 1.4): d 64 and the exact {@code -log sigma(x)} (softplus); {@link #paperTable()} is the
 * RecBole lineage of MCLRec's Table 3 ({@code BPRLoss} with {@code gamma = 1e-10} inside the log). Both rank with
 * the evaluator's history mode (RecBole ranks general models with the training items at {@code -inf}, i.e.
 * {@code HistoryMode.NEG_INF}).
 *
 * @param embeddingSize d of the user and item tables (RecBole {@code embedding_size} 64)
 * @param logEpsilon {@code gamma} in {@code -log(gamma + sigma(x))}; 0 uses the exact, stable softplus form
 */
@RecordBuilder
public record BPRMFConfig(int embeddingSize, double logEpsilon) implements ModelConfig, BPRMFConfigBuilder.With {

    /** Validates the fields. */
    public BPRMFConfig {
        Checks.positive("embeddingSize", embeddingSize);
        if (!(logEpsilon >= 0 && logEpsilon < 1)) {
            throw new IllegalArgumentException("logEpsilon must be in [0, 1), got " + logEpsilon);
        }
    }

    /** @return seqcl's default: d 64, softplus loss */
    public static BPRMFConfig defaults() {
        return new BPRMFConfig(64, 0);
    }

    /** @return the RecBole lineage (MCLRec Table 3): d 64, {@code -log(1e-10 + sigma(x))} */
    public static BPRMFConfig paperTable() {
        return new BPRMFConfig(64, 1e-10);
    }

    @Override
    public InputSpec inputSpec() {
        return new InputSpec(1, Padding.RIGHT, SampleMode.INTERACTIONS, true);
    }
}
