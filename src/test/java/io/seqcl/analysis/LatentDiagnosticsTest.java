package io.seqcl.analysis;

import io.seqcl.model.*;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.seqcl.TestData;
import io.seqcl.data.SequenceDataset;
import io.seqcl.nn.Gaussian;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.EvalSet;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.Padding;
import io.seqcl.protocol.SampleMode;
import io.seqcl.train.EpochReport;
import io.seqcl.train.ProgressListener;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.TrainResult;
import io.seqcl.train.Trainer;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatentDiagnosticsTest {

    /** KL of one dimension with mu = 0 and sigma = 2: 1/2 (4 - 1 - ln 4). */
    private static final double KL_SIGMA2 = 0.5 * (3 - Math.log(4));

    /**
     * A hand-made posterior with d = 2: mu_0 = the item id at the position, mu_1 = 0; sigma_0 = 1, sigma_1 = 2.
     * So KL_0 = item^2 / 2 and KL_1 = KL_SIGMA2 at every real position.
     */
    private static final class Fake implements LatentModel {
        private final NDManager manager = NDManager.newBaseManager();
        private final Padding padding;

        Fake(Padding padding) {
            this.padding = padding;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public InputSpec inputSpec() {
            return new InputSpec(3, padding, SampleMode.ALL_POSITIONS, false);
        }

        @Override
        public Gaussian posterior(Batch batch) {
            int b = batch.size();
            float[] mu = new float[b * 3 * 2];
            float[] lv = new float[b * 3 * 2];
            for (int r = 0; r < b; r++) {
                for (int t = 0; t < 3; t++) {
                    mu[(r * 3 + t) * 2] = batch.items()[r][t];
                    lv[(r * 3 + t) * 2 + 1] = (float) Math.log(4);
                }
            }
            Shape s = new Shape(b, 3, 2);
            return new Gaussian(manager.create(mu, s), manager.create(lv, s));
        }
    }

    /** Targets 1, 2 (popular at fraction 0.5) and 3, 4 (long tail); last items 2, 3, 4, 4. */
    private static final EvalSet SET = new EvalSet("valid", new int[] {0, 1, 2, 3},
            new int[][] {{1, 2}, {3}, {1, 2, 3, 4}, {4, 4}}, new int[] {1, 2, 3, 4});

    private static final long[] COUNTS = {0, 10, 5, 1, 1};

    private static double at(Table t, String group, String key, int keyValue, String col) {
        Table rows = t.where(t.stringColumn("group").isEqualTo(group).and(t.intColumn(key).isEqualTo(keyValue)));
        assertEquals(1, rows.rowCount(), group + " " + key + "=" + keyValue);
        return rows.numberColumn(col).getDouble(0);
    }

    private static double summary(Table t, String group, String col) {
        Table rows = t.where(t.stringColumn("group").isEqualTo(group));
        assertEquals(1, rows.rowCount());
        return rows.numberColumn(col).getDouble(0);
    }

    @Test
    void handMadePosteriorGivesHandComputedTablesForBothPaddingSides() {
        LatentDiagnostics diag = new LatentDiagnostics(COUNTS, 0.5, 3);   // batch 3: the set needs two passes
        assertTrue(diag.isPopular(1) && diag.isPopular(2) && !diag.isPopular(3) && !diag.isPopular(4));
        for (Padding p : Padding.values()) {
            LatentDiagnostics.Result r = diag.compute(new Fake(p), SET);
            Table dim = r.perDimension();
            assertEquals(6, dim.rowCount());
            // all users: last items 2, 3, 4, 4
            assertEquals(0.5 * (4 + 9 + 16 + 16) / 4, at(dim, "all", "dim", 0, "kl"), 1e-9);
            assertEquals(45 / 4.0 - 3.25 * 3.25, at(dim, "all", "dim", 0, "muVariance"), 1e-9);
            assertEquals(1.0, at(dim, "all", "dim", 0, "meanSigma"), 1e-9);
            assertEquals(KL_SIGMA2, at(dim, "all", "dim", 1, "kl"), 1e-6);
            assertEquals(0.0, at(dim, "all", "dim", 1, "muVariance"), 1e-12);
            assertEquals(2.0, at(dim, "all", "dim", 1, "meanSigma"), 1e-6);
            // popular (targets 1, 2: last items 2, 3) and long tail (last items 4, 4)
            assertEquals(0.5 * (4 + 9) / 2, at(dim, "popular", "dim", 0, "kl"), 1e-9);
            assertEquals(0.25, at(dim, "popular", "dim", 0, "muVariance"), 1e-9);
            assertEquals(8.0, at(dim, "long-tail", "dim", 0, "kl"), 1e-9);
            assertEquals(0.0, at(dim, "long-tail", "dim", 0, "muVariance"), 1e-9);
            Table sum = r.summary();
            assertEquals(4, summary(sum, "all", "users"));
            assertEquals(2, summary(sum, "popular", "users"));
            assertEquals(5.625 + KL_SIGMA2, summary(sum, "all", "kl"), 1e-6);
            assertEquals((5.625 + KL_SIGMA2) / 2, summary(sum, "all", "klPerDim"), 1e-6);
            assertEquals(1, summary(sum, "all", "activeUnits"), "dim 0 varies across users, dim 1 does not");
            assertEquals(1, summary(sum, "popular", "activeUnits"));
            assertEquals(0, summary(sum, "long-tail", "activeUnits"));
            assertEquals(1.5, summary(sum, "all", "meanSigma"), 1e-6);
            // per position: stepsBack 1 = items 1, 3, 4 (users 0, 2, 3); stepsBack 2 = item 2 (user 2 only)
            Table pos = r.perPosition();
            assertEquals(4, at(pos, "all", "stepsBack", 0, "users"));
            assertEquals(5.625 + KL_SIGMA2, at(pos, "all", "stepsBack", 0, "kl"), 1e-6);
            assertEquals(3, at(pos, "all", "stepsBack", 1, "users"));
            assertEquals(0.5 * (1 + 9 + 16) / 3 + KL_SIGMA2, at(pos, "all", "stepsBack", 1, "kl"), 1e-6);
            assertEquals((26 / 3.0 - 64 / 9.0) / 2, at(pos, "all", "stepsBack", 1, "muVariance"), 1e-6);
            assertEquals(1, at(pos, "all", "stepsBack", 2, "users"));
            assertEquals(2 + KL_SIGMA2, at(pos, "all", "stepsBack", 2, "kl"), 1e-6);
            assertEquals(0, pos.where(pos.stringColumn("group").isEqualTo("popular")
                    .and(pos.intColumn("stepsBack").isEqualTo(2))).rowCount(), "no popular user has 3 items");
        }
    }

    @Test
    void popularityThresholdBreaksTiesBySmallerIdAndValidates() {
        LatentDiagnostics d = new LatentDiagnostics(COUNTS, 0.75, 8);   // top 3 of 4: items 1, 2 and 3 (tie 3/4)
        assertTrue(d.isPopular(3));
        assertFalse(d.isPopular(4));
        assertThrows(IllegalArgumentException.class, () -> new LatentDiagnostics(COUNTS, 1.0, 8));
        assertThrows(IllegalArgumentException.class, () -> new LatentDiagnostics(COUNTS, 0.2, 0));
        LatentDiagnostics q = new LatentDiagnostics(COUNTS, 0.2, 8);    // ceil(0.8) = 1 item
        assertTrue(q.isPopular(1));
        assertFalse(q.isPopular(2));
    }

    private static final SequenceDataset DATA = TestData.smallSynthetic();

    /**
     * Recording per epoch runs after validation in evaluation mode: the training itself is bit-identical with and
     * without the recorder, events reach the delegate, and the tables have one block per epoch.
     */
    @Test
    void recorderLeavesTrainingUnchangedAndWorksForContrastVAEAndMetaSGCL() {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(DATA);
        EvalSet some = split.valid().subset("valid-100", java.util.stream.IntStream.range(0, 100).toArray());
        TrainConfig tc = TrainConfig.defaults().withEpochs(2).withBatchSize(64).withMaxStepsPerEpoch(2).withSeed(3);
        ContrastVAEConfig cfg = ContrastVAEConfig.defaults().withMaxLen(20).withWidth(8);
        TrainResult plain;
        try (ContrastVAE m = new ContrastVAE(DATA.numItems(), cfg, 3)) {
            plain = new Trainer(tc).fit(m, split, ProgressListener.NONE);
        }
        List<Integer> seen = new ArrayList<>();
        ProgressListener delegate = new ProgressListener() {
            @Override
            public void onEpochEnd(EpochReport report) {
                seen.add(report.epoch());
            }
        };
        TrainResult recorded;
        LatentDiagnostics.Recorder rec;
        try (ContrastVAE m = new ContrastVAE(DATA.numItems(), cfg, 3)) {
            rec = LatentDiagnostics.of(split).recorder(m, some, delegate).recordInitial();
            recorded = new Trainer(tc).fit(m, split, rec);
        }
        assertEquals(plain.metrics().print(1000), recorded.metrics().print(1000));
        assertEquals(plain.curve().column("loss").print(), recorded.curve().column("loss").print());
        assertEquals(List.of(1, 2), seen);
        Table s = rec.summary();
        System.out.println(s.print());
        assertEquals(9, s.rowCount(), "epochs 0, 1, 2 x 3 groups");
        assertEquals(List.of(0, 0, 0, 1, 1, 1, 2, 2, 2), s.intColumn("epoch").asList());
        assertEquals(3 * 3 * 8, rec.perDimension().rowCount());
        assertEquals(100, (int) s.where(s.stringColumn("group").isEqualTo("all")).intColumn("users").get(0));
        for (double v : s.doubleColumn("kl").asDoubleArray()) {
            assertTrue(Double.isFinite(v) && v >= 0, "KL " + v);
        }
        assertFalse(rec.perPosition().isEmpty());
        // the same diagnostics for Meta-SGCL (its posterior: linear heads on the encoder)
        try (MetaSGCL m = new MetaSGCL(DATA.numItems(), MetaSGCLConfig.defaults().withMaxLen(20).withWidth(8),
                3)) {
            LatentDiagnostics.Result r = LatentDiagnostics.of(split).compute(m, some);
            assertEquals(3 * 8, r.perDimension().rowCount());
            assertTrue(r.summary().doubleColumn("kl").getDouble(0) > 0);
        }
    }

    /**
     * The notebook's story in miniature (measured: 30 epochs on the synthetic set, KL cap 0.2 reached after 50
     * steps): the vanilla VAE collapses (0 of 32 active units from epoch 10 on, test HR@10 0.35 from its epoch-2
     * weights) while model augmentation keeps 30-32 active units (HR@10 0.73). With the README's 10000 annealing
     * steps neither collapses here (w stays below 0.015). This test runs 12 epochs of each.
     */
    @Test
    void shortKlAnnealingCollapsesTheVanillaVaeButNotTheContrastiveOne() {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(DATA);
        TrainConfig tc = TrainConfig.defaults().withEpochs(12).withPatience(100).withBatchSize(128)
                .withLearningRate(3e-3).withSeed(5);
        int[] active = new int[2];
        ContrastVAEConfig.Variant[] variants = {ContrastVAEConfig.Variant.VANILLA,
            ContrastVAEConfig.Variant.MODEL_AUGMENTATION};
        for (int i = 0; i < 2; i++) {
            ContrastVAEConfig cfg = ContrastVAEConfig.defaults().withMaxLen(20).withWidth(32).withAnnealSteps(50)
                    .withVariant(variants[i]);
            try (ContrastVAE m = new ContrastVAE(DATA.numItems(), cfg, 5)) {
                LatentDiagnostics.Recorder rec = LatentDiagnostics.of(split).recorder(m, split.valid(),
                        ProgressListener.NONE);
                new Trainer(tc).fit(m, split, rec);
                List<LatentDiagnostics.Result> all = rec.results();
                Table last = all.get(all.size() - 1).summary();
                active[i] = (int) summary(last, "all", "activeUnits");
                System.out.printf("%s, anneal 50 steps, epoch 12: %d active units, KL %.3f%n", variants[i],
                        active[i], summary(last, "all", "kl"));
            }
        }
        assertTrue(active[0] <= 2, "vanilla VAE should collapse: " + active[0] + " active units");
        assertTrue(active[1] >= 16, "ContrastVAE should keep its latents: " + active[1] + " active units");
    }
}
