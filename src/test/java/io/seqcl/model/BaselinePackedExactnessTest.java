package io.seqcl.model;

import io.seqcl.protocol.Padding;
import io.seqcl.protocol.SampleMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.seqcl.model.PackedExactnessTest.N;
import static io.seqcl.model.PackedExactnessTest.T;
import static io.seqcl.model.PackedExactnessTest.compare;
import static io.seqcl.model.PackedExactnessTest.trainBatch;

/**
 * Packed execution of BERT4Rec and S3-Rec equals the padded path (losses, gradients of every parameter, scores;
 * dropout off; both padding sides; rows of length 1, exactly T and truncated), with {@link PackedExactnessTest}'s
 * batches and tolerance (1e-5 relative).
 */
class BaselinePackedExactnessTest {

    static BERT4RecConfig bert(BERT4RecConfig preset, Padding padding, boolean packed) {
        BERT4RecConfig c = preset.withMaxLen(T).withWidth(8).withDropout(0.0).withPadding(padding).withMaskRatio(0.5);
        return c.withTransformer(c.transformer().withPacked(packed));
    }

    static S3RecConfig s3(Padding padding, boolean packed) {
        S3RecConfig c = S3RecConfig.defaults().withMaxLen(T).withWidth(8).withDropout(0.0).withPadding(padding)
                .withPretrainEpochs(0).withMaskRatio(0.4);
        return c.withTransformer(c.transformer().withPacked(packed));
    }

    @ParameterizedTest
    @EnumSource(Padding.class)
    void bert4recEveryPreset(Padding padding) {
        for (BERT4RecConfig preset : new BERT4RecConfig[] {BERT4RecConfig.seqcl(), BERT4RecConfig.recboleV1(),
                BERT4RecConfig.recboleHead().withLastOnlyRatio(0.0)}) {
            compare(p -> new BERT4Rec(N, bert(preset, padding, p), 3), trainBatch(padding, SampleMode.PREFIX, false, 1),
                    padding, preset.displayName() + " " + padding);
        }
        // the last-item-only batches of RecBole HEAD
        compare(p -> new BERT4Rec(N, bert(BERT4RecConfig.recboleHead().withLastOnlyRatio(1.0), padding, p), 3),
                trainBatch(padding, SampleMode.PREFIX, false, 2), padding, "BERT4Rec last-only " + padding);
    }

    @ParameterizedTest
    @EnumSource(Padding.class)
    void s3recFineTuningWithBceAtAllPositions(Padding padding) {
        compare(p -> new S3Rec(N, s3(padding, p), 3), trainBatch(padding, SampleMode.ALL_POSITIONS, true, 3), padding,
                "S3-Rec fine-tuning " + padding);
    }

    @ParameterizedTest
    @EnumSource(Padding.class)
    void s3recMipLossAndMipScores(Padding padding) {
        for (S3RecConfig.MipLoss form : S3RecConfig.MipLoss.values()) {
            compare(p -> new S3Rec(N, s3(padding, p).withStage(S3RecConfig.Stage.PRETRAIN_ONLY).withMipLoss(form), 3),
                    trainBatch(padding, SampleMode.PREFIX, false, 4), padding, "S3-Rec MIP " + form + " " + padding);
        }
    }

    /** Pre-training itself (run by prepare) packed and padded: the same weights afterwards, within the tolerance. */
    @ParameterizedTest
    @EnumSource(Padding.class)
    void s3recPretrainingInPrepare(Padding padding) {
        io.seqcl.protocol.LeaveOneOutSplit split = io.seqcl.protocol.LeaveOneOutSplit.of(
                io.seqcl.data.SyntheticDataset.create(new io.seqcl.data.SyntheticConfig(40, N, 3, 12, 3, 0.3, 1.0, 7L))
                        .dataset());
        compare(p -> {
            S3Rec m = new S3Rec(N, s3(padding, p).withShortPretraining(1, 3).withPretrainBatchSize(16), 3);
            m.prepare(split);
            return m;
        }, trainBatch(padding, SampleMode.ALL_POSITIONS, true, 5), padding, "S3-Rec after pre-training " + padding);
    }
}
