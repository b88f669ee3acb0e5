package io.seqcl.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.seqcl.model.InputSpec;
import io.seqcl.model.SequentialRecommender;
import io.seqcl.nn.Params;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.EvalSet;
import io.seqcl.protocol.Padding;
import io.seqcl.protocol.SampleMode;
import io.seqcl.optim.StepContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RankingEvaluatorTest {

    /** Returns the same fixed score row for every user. */
    static final class FixedScores implements SequentialRecommender {
        final float[] row;
        final Params params = new Params();

        FixedScores(float... row) {
            this.row = row;
        }

        @Override public String name() { return "fixed"; }
        @Override public int numItems() { return row.length - 1; }
        @Override public InputSpec inputSpec() { return new InputSpec(5, Padding.RIGHT, SampleMode.PREFIX, false); }
        @Override public Params params() { return params; }
        @Override public io.seqcl.model.ModelConfig config() { return new io.seqcl.model.PopConfig(); }
        @Override public NDArray loss(Batch batch, StepContext ctx) { throw new UnsupportedOperationException(); }
        @Override public NDArray scoreAll(Batch batch) {
            return params.manager().create(row, new Shape(1, row.length)).repeat(0, batch.size());
        }
        @Override public void close() { params.close(); }
    }

    private static int[] ranks(SequentialRecommender m, HistoryMode mode, int[][] hist, int[] targets) {
        int[] users = new int[targets.length];
        EvalSet set = new EvalSet("test", users, hist, targets);
        return new RankingEvaluator(mode, new int[] {1, 5}, 2).evaluate(m, set).ranks();
    }

    @Test
    void ranksArePessimisticAndPaddingIsNeverACandidate() {
        // item:           0(pad) 1    2    3    4    5
        try (FixedScores m = new FixedScores(100f, 0.9f, 0.5f, 0.5f, 0.1f, 0.7f)) {
            int[] r = ranks(m, HistoryMode.NONE, new int[][] {{4}, {4}, {4}, {4}}, new int[] {1, 2, 3, 4});
            // item 1 best (padding's 100 ignored); items 2 and 3 tie: each counts the other, rank 4
            assertArrayEquals(new int[] {1, 4, 4, 5}, r);
        }
    }

    @Test
    void ranksComeFromTheSharedCoreWithPessimisticTies() {
        // a hand-made row with a three-way tie; padding (item 0) is not a candidate
        float[] row = {100f, 0.4f, 0.4f, 0.9f, 0.4f, 0.1f};
        boolean[] padding = {true, false, false, false, false, false};
        int[] targets = {1, 2, 3, 4, 5};
        try (FixedScores m = new FixedScores(row)) {
            int[] r = ranks(m, HistoryMode.NONE, new int[][] {{5}, {5}, {5}, {5}, {5}}, targets);
            assertArrayEquals(new int[] {4, 4, 1, 4, 5}, r);
            for (int i = 0; i < targets.length; i++) {
                assertEquals(Ranking.ranks(row, padding, new int[] {targets[i]})[0], r[i], "target " + targets[i]);
            }
        }
    }

    @Test
    void constantScoresRankEveryTargetLast() {
        try (FixedScores m = new FixedScores(0f, 1f, 1f, 1f, 1f)) {
            assertArrayEquals(new int[] {4, 4}, ranks(m, HistoryMode.NONE, new int[][] {{1}, {2}}, new int[] {3, 1}));
        }
    }

    @Test
    void historyModesDiffer() {
        try (FixedScores m = new FixedScores(0f, 0.9f, -0.5f, 0.3f, -0.2f)) {
            int[][] hist = {{1}};
            // target 3 (0.3): NONE -> item 1 above -> rank 2
            assertArrayEquals(new int[] {2}, ranks(m, HistoryMode.NONE, hist, new int[] {3}));
            // NEG_INF removes item 1 -> rank 1
            assertArrayEquals(new int[] {1}, ranks(m, HistoryMode.NEG_INF, hist, new int[] {3}));
            // ZERO sets item 1 to 0 < 0.3 -> rank 1; but for target 4 (-0.2), item 1 at 0 is still above
            assertArrayEquals(new int[] {1}, ranks(m, HistoryMode.ZERO, hist, new int[] {3}));
            assertArrayEquals(new int[] {3}, ranks(m, HistoryMode.ZERO, hist, new int[] {4}));
            assertArrayEquals(new int[] {2}, ranks(m, HistoryMode.NEG_INF, hist, new int[] {4}));
            // a target inside its own history is ranked last under NEG_INF
            assertArrayEquals(new int[] {4}, ranks(m, HistoryMode.NEG_INF, new int[][] {{1, 2, 3, 4}}, new int[] {3}));
        }
    }

    @Test
    void metricsOnATinyBatchMatchHandComputation() {
        try (FixedScores m = new FixedScores(0f, 0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f)) {
            EvalSet set = new EvalSet("test", new int[3], new int[][] {{6}, {6}, {6}}, new int[] {1, 2, 6});
            EvalResult r = new RankingEvaluator(HistoryMode.NONE, new int[] {1, 2}, 8).evaluate(m, set);
            assertArrayEquals(new int[] {1, 2, 6}, r.ranks());
            assertEquals(1 / 3.0, r.value("HR@1"), 1e-12);
            assertEquals(2 / 3.0, r.value("HR@2"), 1e-12);
            assertEquals((1 + 1 / (Math.log(3) / Math.log(2))) / 3.0, r.value("NDCG@2"), 1e-12);
            assertEquals((1 + 0.5) / 3.0, r.value("MRR@2"), 1e-12);
        }
    }

    @Test
    void nanScoresAreAnError() {
        try (FixedScores m = new FixedScores(0f, Float.NaN, 1f)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ranks(m, HistoryMode.NONE, new int[][] {{2}}, new int[] {1}));
            assertEquals(true, e.getMessage().contains("NaN"));
        }
    }

    @Test
    void invalidSettingsFailFast() {
        assertThrows(IllegalArgumentException.class, () -> new RankingEvaluator(HistoryMode.NONE, new int[0], 1));
        assertThrows(IllegalArgumentException.class, () -> new RankingEvaluator(HistoryMode.NONE, new int[] {0}, 1));
        assertThrows(IllegalArgumentException.class, () -> new RankingEvaluator(null, new int[] {1}, 1));
    }

    /** Returns a given score matrix row by row, in the order users are evaluated. */
    static final class MatrixScores implements SequentialRecommender {
        final float[][] rows;
        final Params params = new Params();
        int next;

        MatrixScores(float[][] rows) {
            this.rows = rows;
        }

        @Override public String name() { return "matrix"; }
        @Override public int numItems() { return rows[0].length - 1; }
        @Override public InputSpec inputSpec() { return new InputSpec(5, Padding.RIGHT, SampleMode.PREFIX, false); }
        @Override public Params params() { return params; }
        @Override public io.seqcl.model.ModelConfig config() { return new io.seqcl.model.PopConfig(); }
        @Override public NDArray loss(Batch batch, StepContext ctx) { throw new UnsupportedOperationException(); }
        @Override public NDArray scoreAll(Batch batch) {
            int w = rows[0].length;
            float[] flat = new float[batch.size() * w];
            for (int r = 0; r < batch.size(); r++) {
                System.arraycopy(rows[next++], 0, flat, r * w, w);
            }
            return params.manager().create(flat, new Shape(batch.size(), w));
        }
        @Override public void close() { params.close(); }
    }

    @Test
    void tensorRanksEqualThePlainJavaReferenceOnRandomScoresWithTies() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        int users = 300;
        int items = 57;
        float[][] scores = new float[users][items + 1];
        int[][] hist = new int[users][];
        int[] targets = new int[users];
        for (int u = 0; u < users; u++) {
            for (int j = 0; j <= items; j++) {
                // few distinct values: many ties, also with the padding row and with 0 (the ZERO history value)
                scores[u][j] = (rnd.nextInt(9) - 4) * 0.25f;
            }
            if (u % 50 == 0) {
                scores[u][3] = Float.NEGATIVE_INFINITY;
                scores[u][4] = Float.POSITIVE_INFINITY;
            }
            if (u % 40 == 1) {
                scores[u][5] = Float.NaN; // a NaN non-target never ranks above a target
            }
            hist[u] = new int[1 + rnd.nextInt(8)];
            for (int i = 0; i < hist[u].length; i++) {
                hist[u][i] = 1 + rnd.nextInt(items);
            }
            // some targets inside their own history, some constant-score rows
            targets[u] = u % 7 == 0 ? hist[u][0] : 1 + rnd.nextInt(items);
            if (u % 40 == 1 && targets[u] == 5) {
                targets[u] = 6;
            }
            if (u % 40 == 1) {
                hist[u][0] = u % 80 == 1 ? 5 : hist[u][0]; // a NaN history item is replaced by the mode's value
            }
            if (u % 31 == 0) {
                java.util.Arrays.fill(scores[u], 0.5f);
            }
        }
        int distinctRanks = 0;
        for (HistoryMode mode : HistoryMode.values()) {
            int[] expected = new int[users];
            for (int u = 0; u < users; u++) {
                float[] row = scores[u].clone();
                RankingEvaluator.applyHistory(row, 0, hist[u], mode);
                expected[u] = RankingEvaluator.rank(row, 0, items, targets[u]);
            }
            distinctRanks += (int) java.util.Arrays.stream(expected).distinct().count();
            for (int batchSize : new int[] {1, 64, 300}) {
                try (MatrixScores m = new MatrixScores(scores)) {
                    EvalResult r = new RankingEvaluator(mode, new int[] {5, 10}, batchSize)
                            .evaluate(m, new EvalSet("random", new int[users], hist, targets));
                    assertArrayEquals(expected, r.ranks(), mode + " batch " + batchSize);
                }
            }
        }
        assertEquals(true, distinctRanks > 30, "the random matrices should produce many different ranks");
    }

    @Test
    void rowCountsAreExact() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        int rows = 7;
        int width = 3001;
        boolean[] flags = new boolean[rows * width];
        long[] expected = new long[rows];
        for (int r = 0; r < rows; r++) {
            double density = r / (rows - 1.0); // row 0 all false, the last row all true
            for (int j = 0; j < width; j++) {
                flags[r * width + j] = rnd.nextDouble() < density;
                expected[r] += flags[r * width + j] ? 1 : 0;
            }
        }
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            NDArray f = m.create(flags, new Shape(rows, width));
            assertArrayEquals(expected, RankingEvaluator.count(f, width));
            // flags of a comparison on a column slice (the evaluator's own use: items 1..N of [B, N + 1] scores)
            float[] sc = new float[rows * (width + 1)];
            float[] g = new float[rows];
            for (int r = 0; r < rows; r++) {
                g[r] = 0.5f;
                sc[r * (width + 1)] = 1f; // column 0 (padding) always above, must not count
                for (int j = 0; j < width; j++) {
                    sc[r * (width + 1) + 1 + j] = flags[r * width + j] ? 1f : 0f;
                }
            }
            NDArray scores = m.create(sc, new Shape(rows, width + 1));
            NDArray flagsOfSlice = scores.get(new ai.djl.ndarray.index.NDIndex(":, 1:"))
                    .gte(m.create(g, new Shape(rows, 1)));
            assertArrayEquals(expected, RankingEvaluator.count(flagsOfSlice, width));
        }
        assertEquals(0, expected[0]);
        assertEquals(width, expected[rows - 1]);
    }

    /** Scoring batches on several threads gives the same ranks as one thread, in every history mode. */
    @Test
    void severalThreadsGiveTheSameRanksAsOne() {
        io.seqcl.data.SequenceDataset data = io.seqcl.TestData.smallSynthetic();
        io.seqcl.protocol.LeaveOneOutSplit split = io.seqcl.protocol.LeaveOneOutSplit.of(data);
        try (io.seqcl.model.SASRec m = new io.seqcl.model.SASRec(data.numItems(),
                io.seqcl.model.SASRecConfig.defaults().withMaxLen(12).withWidth(16), 4)) {
            org.junit.jupiter.api.Assertions.assertTrue(m.concurrentScoring());
            for (HistoryMode mode : HistoryMode.values()) {
                RankingEvaluator one = new RankingEvaluator(mode, RankingEvaluator.DEFAULT_KS, 7);
                int[] a = one.evaluate(m, split.test()).ranks();
                int[] b = one.withThreads(3).evaluate(m, split.test()).ranks();
                org.junit.jupiter.api.Assertions.assertArrayEquals(a, b, mode.toString());
                org.junit.jupiter.api.Assertions.assertTrue(java.util.Arrays.stream(a).distinct().count() > 3,
                        "ranks that differ between users");
            }
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new RankingEvaluator(HistoryMode.NONE, RankingEvaluator.DEFAULT_KS, 8).withThreads(0));
    }
}
