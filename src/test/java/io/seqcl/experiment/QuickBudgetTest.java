package io.seqcl.experiment;

import io.seqcl.train.TrainConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The quick budget's caps in {@link PaperSettings}, and batch-size sweeps that compare equal data. */
class QuickBudgetTest {

    @Test
    void quickCapsEveryProtocolAlike() {
        for (PaperSettings.Paper p : new PaperSettings.Paper[] {PaperSettings.Paper.METASGCL,
                PaperSettings.Paper.MCLREC, PaperSettings.Paper.CONTRASTVAE}) {
            TrainConfig q = PaperSettings.train(p, Budget.QUICK, 5);
            assertEquals(PaperSettings.QUICK_EPOCHS, q.epochs(), p.name());
            assertEquals(PaperSettings.QUICK_BATCH, q.batchSize(), p.name());
            assertEquals(PaperSettings.QUICK_MAX_STEPS, q.maxStepsPerEpoch(), p.name());
            assertEquals(TrainConfig.defaults().learningRate(), q.learningRate(), p.name());
            assertEquals(p.protocol().history(), q.history(), p.name());
        }
        TrainConfig c = PaperSettings.coserecFamilyTrain(Budget.QUICK, 5);
        assertEquals(PaperSettings.QUICK_MAX_STEPS, c.maxStepsPerEpoch());
        assertEquals(TrainConfig.coserecFamily().monitor(), c.monitor());
    }

    @Test
    void batchSweepsKeepTheSamplesPerEpochAtTheQuickBudget() {
        TrainConfig q = PaperSettings.sweepTrain(PaperSettings.Paper.MCLREC, Budget.QUICK, 1);
        int samples = PaperSettings.QUICK_MAX_STEPS * PaperSettings.QUICK_BATCH;
        for (int b : new int[] {64, 128, 256}) {
            TrainConfig t = PaperSettings.withBatch(q, b, Budget.QUICK);
            assertEquals(b, t.batchSize());
            assertEquals(samples, t.maxStepsPerEpoch() * b, "batch " + b);
            assertEquals(q.epochs(), t.epochs());
        }
        assertEquals(1, PaperSettings.withBatch(q, 100_000, Budget.QUICK).maxStepsPerEpoch(), "at least one batch");
        TrainConfig f = PaperSettings.sweepTrain(PaperSettings.Paper.MCLREC, Budget.FULL, 1);
        assertEquals(f.withBatchSize(64), PaperSettings.withBatch(f, 64, Budget.FULL), "full: only the batch size");
    }
}
