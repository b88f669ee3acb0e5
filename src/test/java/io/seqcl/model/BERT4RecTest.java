package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import io.seqcl.TestData;
import io.seqcl.config.Configs;
import io.seqcl.data.SequenceDataset;
import io.seqcl.nn.Devices;
import io.seqcl.optim.StepContext;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.Padding;
import io.seqcl.protocol.SampleMode;
import io.seqcl.train.ProgressListener;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.TrainResult;
import io.seqcl.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BERT4Rec: Cloze sampler statistics, closed forms, bidirectionality, the test-time [mask], learning (baselines.md §5). */
class BERT4RecTest {

    static final int N = 30;
    static final int T = 6;

    static BERT4RecConfig small(BERT4RecConfig c, Padding padding) {
        return c.withMaxLen(T).withWidth(8).withDropout(0.0).withPadding(padding);
    }

    /** Prefix samples: input of length {@code len} (truncated to T), target at the last real position. */
    static Batch prefixBatch(int rows, int len, int t, Padding padding, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] items = new int[rows][];
        int[][] targets = new int[rows][t];
        int[] lengths = new int[rows];
        for (int b = 0; b < rows; b++) {
            int[] h = new int[len];
            for (int i = 0; i < len; i++) {
                h[i] = 1 + r.nextInt(N);
            }
            int l = Math.min(len, t);
            items[b] = Batch.pad(h, len - l, len, t, padding);
            lengths[b] = l;
            targets[b][padding == Padding.RIGHT ? l - 1 : t - 1] = 1 + r.nextInt(N);
        }
        return new Batch(items, targets, null, lengths, new int[rows], padding);
    }

    @ParameterizedTest
    @EnumSource(Padding.class)
    void clozeMasksRealPositionsAtTheRateRhoNeverPaddingAndAtLeastOnePerRow(Padding padding) {
        int t = 14;
        int len = 10; // + target = 11 real positions, 3 padding positions
        BERT4RecConfig c = BERT4RecConfig.seqcl().withMaxLen(t).withPadding(padding);
        Batch batch = prefixBatch(2000, len, t, padding, 1);
        BERT4Rec.Cloze z = BERT4Rec.cloze(batch, c, N, new SplittableRandom(2));
        long masked = 0;
        long real = 0;
        for (int b = 0; b < batch.size(); b++) {
            int[] seq = BERT4Rec.sequence(batch, b, true, t);
            assertEquals(11, seq.length);
            assertEquals(11, z.lengths()[b]);
            int off = padding == Padding.RIGHT ? 0 : t - 11;
            int inRow = 0;
            for (int p = 0; p < t; p++) {
                boolean isReal = p >= off && p < off + 11;
                int v = z.items()[b][p];
                if (!isReal) {
                    assertEquals(0, v, "padding is never masked");
                    assertEquals(0, z.targets()[b][p]);
                    continue;
                }
                real++;
                int orig = seq[p - off];
                if (v == N + 1) {
                    masked++;
                    inRow++;
                    assertEquals(orig, z.targets()[b][p], "every masked position is scored with its original item");
                } else {
                    assertEquals(orig, v);
                    assertEquals(0, z.targets()[b][p], "unmasked positions give no loss");
                }
            }
            assertTrue(inRow >= 1, "row " + b + " has no mask");
        }
        // each of the 11 positions is masked with p = 0.2, plus the last when none was drawn (prob 0.8^11)
        double expected = 0.2 + Math.pow(0.8, 11) / 11;
        double rate = masked / (double) real;
        double sd = Math.sqrt(expected * (1 - expected) / real);
        assertEquals(expected, rate, 3 * sd, "mask rate");
    }

    @Test
    void withoutTheFallbackSomeRowsHaveNoMaskAndGiveNoLoss() {
        BERT4RecConfig c = BERT4RecConfig.seqcl().withMaxLen(T).withAtLeastOneMask(false);
        BERT4Rec.Cloze z = BERT4Rec.cloze(prefixBatch(500, 3, T, Padding.RIGHT, 3), c, N, new SplittableRandom(4));
        int empty = 0;
        for (int b = 0; b < 500; b++) {
            int m = 0;
            for (int v : z.items()[b]) {
                m += v == N + 1 ? 1 : 0;
            }
            empty += m == 0 ? 1 : 0;
        }
        // P(no mask among 4 positions) = 0.8^4 = 0.41
        assertTrue(empty > 150 && empty < 260, "rows without a mask: " + empty);
    }

    @ParameterizedTest
    @EnumSource(Padding.class)
    void lastOnlyBatchesMaskExactlyTheLastItem(Padding padding) {
        BERT4RecConfig c = BERT4RecConfig.recboleHead().withMaxLen(T).withPadding(padding).withLastOnlyRatio(1.0);
        Batch batch = prefixBatch(50, 4, T, padding, 5);
        BERT4Rec.Cloze z = BERT4Rec.cloze(batch, c, N, new SplittableRandom(6));
        for (int b = 0; b < 50; b++) {
            int last = batch.lastIndex(b);
            for (int p = 0; p < T; p++) {
                assertEquals(p == last, z.items()[b][p] == N + 1, "row " + b + " position " + p);
            }
            // RecBole masks the input prefix (clozeTarget false): the target is the last input item
            assertEquals(batch.items()[b][last], z.targets()[b][last]);
        }
    }

    @Test
    void recboleV1ScoresAtMostTheLastFloorRhoTMaskedPositionsAndNeverTheFirst() {
        int t = 20;
        BERT4RecConfig c = BERT4RecConfig.recboleV1().withMaxLen(t).withMaskRatio(0.5);
        assertEquals(10, c.predictionCap());
        Batch batch = prefixBatch(400, t, t, Padding.RIGHT, 7);
        BERT4Rec.Cloze z = BERT4Rec.cloze(batch, c, N, new SplittableRandom(8));
        int capped = 0;
        for (int b = 0; b < 400; b++) {
            assertEquals(0, z.targets()[b][0], "masked index 0 is padding in RecBole");
            int masked = 0;
            int scored = 0;
            int lastUnscoredMask = -1;
            int firstScored = -1;
            for (int p = 0; p < t; p++) {
                if (z.items()[b][p] == N + 1) {
                    masked++;
                    if (z.targets()[b][p] != 0) {
                        scored++;
                        firstScored = firstScored < 0 ? p : firstScored;
                    } else {
                        lastUnscoredMask = p;
                    }
                } else {
                    assertEquals(batch.items()[b][p], z.items()[b][p], "the input prefix alone is masked");
                }
            }
            assertTrue(scored <= 10);
            if (masked > 10) {
                capped++;
                assertEquals(10, scored);
                assertTrue(lastUnscoredMask < firstScored, "the last 10 masked positions are the scored ones");
            }
        }
        assertTrue(capped > 100, "the cap must bind at rho 0.5, T 20: " + capped);
    }

    @Test
    void crossEntropyClosedFormAndTheMaskRowIsNeverAClass() {
        Devices.noGradOnThisThread();
        try (NDScope s = new NDScope()) {
            ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager();
            NDArray logits = m.create(new float[] {0f, (float) Math.log(3)}, new ai.djl.ndarray.types.Shape(1, 2));
            assertEquals(0.287682, BERT4Rec.crossEntropy(logits, new long[] {1}, true).getFloat(), 1e-6);
            // without the padding row the softmax runs over rows 1..N: logits (x, 0, ln 3), target 2
            NDArray three = m.create(new float[] {50f, 0f, (float) Math.log(3)}, new ai.djl.ndarray.types.Shape(1, 3));
            assertEquals(0.287682, BERT4Rec.crossEntropy(three, new long[] {2}, false).getFloat(), 1e-6);
            assertThrows(IllegalArgumentException.class, () -> BERT4Rec.crossEntropy(three, new long[] {3}, false),
                    "the mask id N+1 is not a class");
            m.close();
        }
        for (BERT4RecConfig c : new BERT4RecConfig[] {BERT4RecConfig.seqcl(), BERT4RecConfig.recboleV1()}) {
            BERT4Rec.Cloze z = BERT4Rec.cloze(prefixBatch(300, 5, T, Padding.RIGHT, 9), c.withMaxLen(T), N,
                    new SplittableRandom(1));
            for (int[] row : z.targets()) {
                for (int v : row) {
                    assertTrue(v >= 0 && v <= N, "target " + v);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Padding.class)
    void attentionIsBidirectional(Padding padding) {
        try (BERT4Rec m = new BERT4Rec(N, small(BERT4RecConfig.seqcl(), padding), 3); NDScope s = new NDScope()) {
            Devices.noGradOnThisThread();
            int[] a = {4, 5, 6, 7, 8};
            int[] b = {4, 5, 6, 17, 8};
            Batch x = Batch.ofHistories(new int[][] {a, b}, null, T, padding);
            float[][] h = new float[2][];
            NDArray all = m.hidden(x, false);
            int first = padding == Padding.RIGHT ? 1 : T - 5 + 1;
            for (int r = 0; r < 2; r++) {
                h[r] = all.get(r).get(first).toFloatArray();
            }
            double diff = 0;
            for (int i = 0; i < h[0].length; i++) {
                diff = Math.max(diff, Math.abs(h[0][i] - h[1][i]));
            }
            assertTrue(diff > 1e-4, "changing position 3 must change the output at position 1: " + diff);
        }
    }

    /** The loss is the mean cross-entropy at the scored masked positions, recomputed here from all hidden states. */
    @ParameterizedTest
    @EnumSource(Padding.class)
    void lossIsTheCrossEntropyAtTheScoredMaskedPositionsOnly(Padding padding) {
        for (BERT4RecConfig preset : new BERT4RecConfig[] {BERT4RecConfig.seqcl(), BERT4RecConfig.recboleV1()}) {
            BERT4RecConfig c = small(preset, padding).withMaskRatio(0.5);
            try (BERT4Rec m = new BERT4Rec(N, c, 3); NDScope s = new NDScope()) {
                Batch batch = prefixBatch(8, 5, T, padding, 11);
                BERT4Rec.Cloze z = BERT4Rec.cloze(batch, c, N, new SplittableRandom(12));
                float loss = m.clozeLoss(z, batch.users()).getFloat();
                // the same rows through the padded path, log-softmax by hand at every scored position
                NDArray hidden = m.hidden(z.input(batch.users()), false);
                double sum = 0;
                int count = 0;
                for (int b = 0; b < 8; b++) {
                    for (int p = 0; p < T; p++) {
                        int target = z.targets()[b][p];
                        if (target == 0) {
                            continue;
                        }
                        float[] l = m.logits(hidden.get(b).get(p).reshape(1, -1)).toFloatArray();
                        int from = c.includePaddingRow() ? 0 : 1;
                        double max = Double.NEGATIVE_INFINITY;
                        for (int i = from; i < l.length; i++) {
                            max = Math.max(max, l[i]);
                        }
                        double z0 = 0;
                        for (int i = from; i < l.length; i++) {
                            z0 += Math.exp(l[i] - max);
                        }
                        sum += -(l[target] - max - Math.log(z0));
                        count++;
                    }
                }
                assertTrue(count > 0);
                assertEquals(sum / count, loss, 1e-5 * Math.max(1, Math.abs(loss)), preset.displayName());
                // and the masks come from the step's random stream: the model's loss uses ctx.rng()
                float viaLoss = m.loss(batch, new StepContext(1, 1, new SplittableRandom(12))).getFloat();
                assertEquals(loss, viaLoss, 1e-6);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Padding.class)
    void scoresAreReadAtTheMaskAppendedAfterTheHistory(Padding padding) {
        int[][] hist = {{3, 4, 5}, {1, 2, 3, 4, 5, 6, 7, 8}, {9}};
        for (BERT4RecConfig preset : new BERT4RecConfig[] {BERT4RecConfig.seqcl(), BERT4RecConfig.recboleV1(),
                BERT4RecConfig.recboleHead()}) {
            BERT4RecConfig c = small(preset, padding);
            try (BERT4Rec m = new BERT4Rec(N, c, 5); NDScope s = new NDScope()) {
                Devices.noGradOnThisThread();
                Batch h = Batch.ofHistories(hist, null, T, padding);
                Batch rows = m.scoringRows(h);
                int[] read = m.readPositions(rows);
                float[] scores = m.scoreAll(h).toFloatArray();
                assertEquals(3 * (N + 1), scores.length);
                NDArray all = m.hidden(rows, false);
                for (int b = 0; b < hist.length; b++) {
                    int[] row = BERT4Rec.realItems(rows, b);
                    int[] recent = java.util.Arrays.copyOfRange(hist[b], Math.max(0, hist[b].length - T),
                            hist[b].length);
                    int[] expected = switch (c.inference()) {
                        case MASK_APPENDED -> append(java.util.Arrays.copyOfRange(recent,
                                Math.max(0, recent.length - (T - 1)), recent.length));
                        case RECBOLE_V1 -> append(recent);
                        case RECBOLE_HEAD -> append(java.util.Arrays.copyOfRange(recent, 1, recent.length));
                    };
                    assertArrayEquals(expected, row, preset.displayName() + " row " + b);
                    int maskAt = rows.lastIndex(b);
                    assertEquals(N + 1, rows.items()[b][maskAt]);
                    int want = c.inference() == BERT4RecConfig.Inference.RECBOLE_V1 && row.length > 1 ? maskAt - 1
                            : maskAt;
                    assertEquals(want, read[b]);
                    float[] explicit = m.logits(all.get(b).get(want).reshape(1, -1)).toFloatArray();
                    float[] got = java.util.Arrays.copyOfRange(scores, b * (N + 1), (b + 1) * (N + 1));
                    assertArrayEquals(explicit, got, 1e-5f, preset.displayName() + " scores of row " + b);
                }
            }
        }
    }

    private static int[] append(int[] items) {
        int[] r = java.util.Arrays.copyOf(items, items.length + 1);
        r[items.length] = N + 1;
        return r;
    }

    @Test
    void presetsRoundTripThroughJsonAndYamlAndDiffer() {
        for (BERT4RecConfig c : new BERT4RecConfig[] {BERT4RecConfig.seqcl(), BERT4RecConfig.recboleV1(),
                BERT4RecConfig.recboleHead()}) {
            assertEquals(c, Configs.parse(BERT4RecConfig.class, Configs.toJson(c), "json"));
            assertEquals(c, Configs.parse(BERT4RecConfig.class, Configs.toYaml(c), "yaml"));
            assertEquals(c.displayName(), ModelRegistry.get("bert4rec").nameFor(c));
        }
        assertNotEquals(BERT4RecConfig.recboleV1(), BERT4RecConfig.recboleHead());
        assertEquals(BERT4RecConfig.seqcl(), ModelRegistry.get("bert4rec").defaults());
        assertEquals(51, BERT4RecConfig.recboleV1().positions(), "v1.0.0's position table has T+1 rows");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BERT4RecConfig.seqcl().withMaskRatio(0));
        assertTrue(e.getMessage().contains("maskRatio"));
    }

    @Test
    void learnsOnTheSyntheticDataAtLeastTwicePop() {
        SequenceDataset data = TestData.smallSynthetic();
        LeaveOneOutSplit split = LeaveOneOutSplit.of(data);
        TrainConfig tc = TrainConfig.defaults().withEpochs(8).withPatience(100).withBatchSize(128)
                .withLearningRate(3e-3).withSeed(5);
        BERT4RecConfig c = BERT4RecConfig.seqcl().withMaxLen(20).withWidth(32);
        TrainResult r;
        try (BERT4Rec m = new BERT4Rec(data.numItems(), c, 5)) {
            r = new Trainer(tc).fit(m, split, ProgressListener.NONE);
        }
        TrainResult pop;
        try (Pop p = new Pop(data.numItems())) {
            pop = new Trainer(tc.withEpochs(1)).fit(p, split, ProgressListener.NONE);
        }
        double hr = r.test().value("HR@10");
        double popHr = pop.test().value("HR@10");
        System.out.printf("BERT4Rec synthetic HR@10 %.4f vs Pop %.4f%n", hr, popHr);
        assertTrue(hr >= 2 * popHr, "BERT4Rec HR@10 " + hr + " vs Pop " + popHr);
        assertEquals(SampleMode.PREFIX, c.inputSpec().sampleMode());
    }
}
