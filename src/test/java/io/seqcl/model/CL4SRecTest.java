package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.seqcl.TestData;
import io.seqcl.data.SequenceDataset;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.Padding;
import io.seqcl.train.ProgressListener;
import io.seqcl.optim.StepContext;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.TrainResult;
import io.seqcl.train.Trainer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static io.seqcl.model.MCLRecTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CL4SRecTest {

    private static final int N = 9;
    private static final SequenceDataset DATA = TestData.smallSynthetic();

    private static CL4SRecConfig tiny(double dropout) {
        return CL4SRecConfig.defaults().withBackbone(SASRecConfig.defaults().withMaxLen(5).withWidth(8)
                .withDropout(dropout));
    }

    private static StepContext ctx(long seed) {
        return new StepContext(1, 1, new SplittableRandom(seed));
    }

    private static double value(NDArray a) {
        return a.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
    }

    @Test
    void maskItemGetsItsOwnRowButIsNeitherClassNorCandidate() {
        try (CL4SRec m = new CL4SRec(N, tiny(0.5), 1); NDScope s = new NDScope()) {
            assertEquals(new Shape(N + 2, 8), m.params().get(SASRec.ITEM_EMBEDDING).getShape());
            Batch h = Batch.ofHistories(new int[][] {{1, 2, 3}, {4}}, null, 5, Padding.RIGHT);
            assertEquals(new Shape(2, N + 1), m.scoreAll(h).getShape());
            // mask views write N+1
            boolean sawMask = false;
            for (long seed = 0; seed < 20 && !sawMask; seed++) {
                Batch[] v = m.views(MCLRecTest.trainBatch(), ctx(seed));
                sawMask = Arrays.stream(v[0].items()).flatMapToInt(Arrays::stream).anyMatch(x -> x == N + 1)
                        || Arrays.stream(v[1].items()).flatMapToInt(Arrays::stream).anyMatch(x -> x == N + 1);
            }
            assertTrue(sawMask, "no view used the mask item N+1");
        }
        try (CL4SRec m = new CL4SRec(N, tiny(0.5).withMaskToken(MaskToken.PADDING), 1)) {
            assertEquals(new Shape(N + 1, 8), m.params().get(SASRec.ITEM_EMBEDDING).getShape());
        }
    }

    @Test
    void lossIsRecPlusLambdaTimesNtXentOfTheTwoViews() {
        CL4SRecConfig cfg = tiny(0.0).withLambda(0.5);
        try (CL4SRec m = new CL4SRec(N, cfg, 7); CL4SRec rec = new CL4SRec(N, cfg.withLambda(0), 7);
             NDScope s = new NDScope()) {
            Batch b = MCLRecTest.trainBatch();
            double full = value(m.loss(b, ctx(3)));
            double recOnly = value(rec.loss(b, ctx(3)));
            Batch[] v = m.views(b, ctx(3));
            ContrastiveEncoder enc = new ContrastiveEncoder(N, cfg.backbone(), cfg.maskToken(), 7, new io.seqcl.nn.Params());
            try {
                double cl = value(cfg.infoNCE().compute(enc.encode(false, v[0]).last(0), enc.encode(false, v[1])
                        .last(0)));
                assertTrue(cl > 0);
                assertEquals(recOnly + 0.5 * cl, full, 1e-4);
            } finally {
                enc.close();
            }
        }
    }

    @Test
    void trainingNeverModifiesTheStoredSequences() {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(TestData.tiny());
        int[][] before = new int[split.numUsers()][];
        for (int i = 0; i < before.length; i++) {
            before[i] = split.trainSequence(i);
        }
        TrainConfig tc = TrainConfig.defaults().withEpochs(2).withBatchSize(4);
        try (CL4SRec m = new CL4SRec(10, tiny(0.1).withMaskRatio(0.9).withMaskToken(MaskToken.PADDING), 1);
             MCLRec mc = new MCLRec(10, MCLRecConfig.defaults().withBackbone(SASRecConfig.defaults().withMaxLen(5)
                     .withWidth(8)).withMaskRatio(0.9), 1)) {
            new Trainer(tc).fit(m, split, ProgressListener.NONE);
            new Trainer(tc).fit(mc, split, ProgressListener.NONE);
        }
        for (int i = 0; i < before.length; i++) {
            assertArrayEquals(before[i], split.trainSequence(i), "user " + i);
        }
    }

    private static final int EPOCHS = 8;

    private static final CL4SRecConfig SMALL = CL4SRecConfig.defaults().withBackbone(SASRecConfig.defaults()
            .withMaxLen(20).withWidth(32).withDropout(0.2));

    private static TrainResult fit(CL4SRecConfig cfg, TrainConfig tc) {
        try (CL4SRec m = new CL4SRec(DATA.numItems(), cfg, tc.seed())) {
            return new Trainer(tc).fit(m, LeaveOneOutSplit.of(DATA), ProgressListener.NONE);
        }
    }

    @Test
    void configValidationNamesTheParameterAndToStringLogsEveryChoice() {
        CL4SRecConfig d = CL4SRecConfig.defaults();
        assertMessage("lambda", () -> d.withLambda(-0.1));
        assertMessage("temperature", () -> d.withTemperature(Double.NaN));
        assertMessage("similarity", () -> d.withSimilarity(null));
        assertMessage("cropKeep", () -> d.withCropKeep(1.5));
        assertMessage("maskRatio", () -> d.withMaskRatio(-1));
        assertMessage("reorderRatio", () -> d.withReorderRatio(3));
        assertMessage("maskToken", () -> d.withMaskToken(null));
        assertMessage("backbone", () -> d.withBackbone(null));
        String s = d.toString();
        for (String f : new String[] {"lambda=0.1", "temperature=1.0", "similarity=DOT", "cropKeep=0.6",
                "maskRatio=0.3", "reorderRatio=0.6", "maskToken=MASK_ITEM", "maskSameTarget=false"}) {
            assertTrue(s.contains(f), f + " missing from " + s);
        }
    }
}
