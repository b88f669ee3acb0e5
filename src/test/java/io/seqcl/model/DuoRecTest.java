package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import io.seqcl.TestData;
import io.seqcl.data.SequenceDataset;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.Padding;
import io.seqcl.protocol.SampleMode;
import io.seqcl.train.ProgressListener;
import io.seqcl.optim.StepContext;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.TrainResult;
import io.seqcl.train.Trainer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static io.seqcl.model.MCLRecTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DuoRecTest {

    private static final SequenceDataset DATA = TestData.smallSynthetic();

    private static DuoRecConfig tiny(double dropout) {
        return DuoRecConfig.defaults().withBackbone(SASRecConfig.defaults().withMaxLen(5).withWidth(8)
                .withDropout(dropout));
    }

    private static StepContext ctx(long seed) {
        return new StepContext(1, 1, new SplittableRandom(seed));
    }

    private static double value(NDArray a) {
        return a.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
    }

    private static int[] row(int... v) {
        int[] r = new int[5];
        System.arraycopy(v, 0, r, 0, v.length);
        return r;
    }

    /**
     * tiny(): training parts u0 = 1 2 3 4, u1 = 7 8, u2 = 2 4 6 8 10. Prefix samples with target 4: u0 (1 2 3),
     * u2 (2); target 8: u1 (7), u2 (2 4 6); target 2: only u0 (1).
     */
    private static Batch handBatch() {
        int[][] items = {row(1, 2, 3), row(2, 4, 6), row(1), row(2)};
        int[][] targets = new int[4][5];
        targets[0][2] = 4;
        targets[1][2] = 8;
        targets[2][0] = 2;
        targets[3][0] = 4;
        return new Batch(items, targets, null, new int[] {3, 3, 1, 1}, new int[] {0, 2, 0, 2}, Padding.RIGHT);
    }

    @Test
    void positivesAreOtherTrainingSamplesWithTheSameTargetOrTheSampleItself() {
        try (DuoRec m = new DuoRec(10, tiny(0.5), 1)) {
            assertThrows(IllegalStateException.class, () -> m.positives(handBatch(), ctx(1)));
            m.prepare(LeaveOneOutSplit.of(TestData.tiny()));
            assertEquals(2, m.samplesWithTarget(4));
            assertEquals(1, m.samplesWithTarget(2));
            for (long seed = 0; seed < 5; seed++) {
                Batch p = m.positives(handBatch(), ctx(seed));
                assertArrayEquals(row(2), p.items()[0], "the other sample with target 4");
                assertArrayEquals(row(7), p.items()[1], "the other sample with target 8");
                assertArrayEquals(row(1), p.items()[2], "no other sample with target 2: itself");
                assertArrayEquals(row(1, 2, 3), p.items()[3], "the other sample with target 4");
                assertArrayEquals(new int[] {1, 1, 1, 3}, p.lengths());
                assertEquals(null, p.targets());
            }
        }
    }

    @Test
    void positivesAreUniformOverTheOtherSamplesAndDeterministic() {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(DATA);
        try (DuoRec m = new DuoRec(DATA.numItems(), DuoRecConfig.defaults().withBackbone(SASRecConfig.defaults()
                .withMaxLen(20).withWidth(8)), 1)) {
            m.prepare(split);
            Batch b = new io.seqcl.protocol.TrainingSamples(split, SampleMode.PREFIX, 20, Padding.RIGHT)
                    .epoch(64, new SplittableRandom(3), false).get(0);
            Batch p1 = m.positives(b, ctx(9));
            Batch p2 = m.positives(b, ctx(9));
            assertArrayEquals(p1.items(), p2.items());
            int differ = 0;
            for (int r = 0; r < b.size(); r++) {
                int y = b.targets()[r][b.lastIndex(r)];
                assertTrue(isPrefixWithTarget(split, p1, r, y), "row " + r + " positive has another target");
                if (!java.util.Arrays.equals(b.items()[r], p1.items()[r])) {
                    differ++;
                }
            }
            assertTrue(differ > b.size() / 2, "most rows should get another sample, got " + differ);
        }
    }

    /** Whether row r of the positives is the most recent T items before some training occurrence of y. */
    private static boolean isPrefixWithTarget(LeaveOneOutSplit split, Batch p, int r, int y) {
        int len = p.lengths()[r];
        for (int i = 0; i < split.numUsers(); i++) {
            int[] s = split.trainSequence(i);
            for (int t = 1; t < s.length; t++) {
                if (s[t] == y && Math.min(t, p.maxLen()) == len) {
                    boolean same = true;
                    for (int k = 0; k < len && same; k++) {
                        same = p.items()[r][k] == s[t - len + k];
                    }
                    if (same) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Test
    void lossVariantsAreRecPlusTheirWeightedNtXentTerms() {
        DuoRecConfig cfg = tiny(0.0).withLambda(0.3).withLambdaSem(0.7);
        LeaveOneOutSplit split = LeaveOneOutSplit.of(TestData.tiny());
        try (DuoRec su = new DuoRec(10, cfg.withContrast(DuoRecConfig.Contrast.SU), 4);
             DuoRec usx = new DuoRec(10, cfg, 4);
             DuoRec un = new DuoRec(10, cfg.withContrast(DuoRecConfig.Contrast.UN), 4);
             DuoRec us = new DuoRec(10, cfg.withContrast(DuoRecConfig.Contrast.US), 4);
             DuoRec none = new DuoRec(10, cfg.withLambdaSem(0), 4);
             NDScope s = new NDScope()) {
            for (DuoRec m : new DuoRec[] {su, usx, un, us, none}) {
                m.prepare(split);
            }
            Batch b = handBatch();
            ContrastiveEncoder enc = new ContrastiveEncoder(10, cfg.backbone(), MaskToken.PADDING, 4, new io.seqcl.nn.Params());
            try {
                double rec = value(enc.recLoss(enc.encode(false, b).hidden(0), b));
                assertEquals(rec, value(none.loss(b, ctx(1))), 1e-5);
                NDArray h = enc.encode(false, b).last(0);
                NDArray pos = enc.encode(false, su.positives(b, ctx(1))).last(0);
                double sup = value(cfg.infoNCE().compute(h, pos));
                double self = value(cfg.infoNCE().compute(h, h));
                assertEquals(rec + 0.7 * sup, value(su.loss(b, ctx(1))), 1e-4);
                assertEquals(rec + 0.7 * sup, value(usx.loss(b, ctx(1))), 1e-4, "dropout 0: us_x = su");
                assertEquals(rec + 0.3 * self, value(un.loss(b, ctx(1))), 1e-4);
                assertEquals(rec + 0.3 * self + 0.7 * sup, value(us.loss(b, ctx(1))), 1e-4);
            } finally {
                enc.close();
            }
        }
    }

    private static final int EPOCHS = 8;

    private static final DuoRecConfig SMALL = DuoRecConfig.defaults().withBackbone(SASRecConfig.defaults()
            .withMaxLen(20).withWidth(32).withDropout(0.2));

    private static TrainResult fit(DuoRecConfig cfg, TrainConfig tc) {
        try (DuoRec m = new DuoRec(DATA.numItems(), cfg, tc.seed())) {
            return new Trainer(tc).fit(m, LeaveOneOutSplit.of(DATA), ProgressListener.NONE);
        }
    }

    @Test
    void configValidationNamesTheParameterAndToStringLogsEveryChoice() {
        DuoRecConfig d = DuoRecConfig.defaults();
        assertMessage("lambda", () -> d.withLambda(-0.1));
        assertMessage("lambdaSem", () -> d.withLambdaSem(Double.NaN));
        assertMessage("temperature", () -> d.withTemperature(0));
        assertMessage("contrast", () -> d.withContrast(null));
        assertMessage("similarity", () -> d.withSimilarity(null));
        assertMessage("backbone", () -> d.withBackbone(null));
        assertMessage("sampleMode must be PREFIX", () -> d.withBackbone(SASRecConfig.bceAllPositions()));
        String s = d.toString();
        for (String f : new String[] {"contrast=US_X", "lambda=0.1", "lambdaSem=0.1", "temperature=1.0",
                "similarity=DOT", "maskSameTarget=false"}) {
            assertTrue(s.contains(f), f + " missing from " + s);
        }
    }
}
