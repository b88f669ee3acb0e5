package io.seqcl.train;

import ai.djl.ndarray.NDArray;
import io.seqcl.TestData;
import io.seqcl.data.SequenceDataset;
import io.seqcl.eval.HistoryMode;
import io.seqcl.experiment.Budget;
import io.seqcl.experiment.PaperSettings;
import io.seqcl.model.SASRec;
import io.seqcl.model.SASRecConfig;
import io.seqcl.optim.StepContext;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The epoch-start hook of the model contract and the CoSeRec-family training preset. */
class EpochStartHookTest {

    private static final SequenceDataset DATA = TestData.smallSynthetic();

    /** A SASRec that logs hook calls and the epoch of every loss call in one list. */
    private static final class Recording extends SASRec {
        final List<String> log = new ArrayList<>();
        final List<Long> seeds = new ArrayList<>();
        LeaveOneOutSplit seen;

        Recording(int n) {
            super(n, SASRecConfig.defaults().withMaxLen(10).withWidth(16), 1);
        }

        @Override
        public void onEpochStart(int epoch, LeaveOneOutSplit split, long seed) {
            log.add("start " + epoch);
            seeds.add(seed);
            seen = split;
        }

        @Override
        public NDArray loss(Batch batch, StepContext ctx) {
            if (log.isEmpty() || !log.get(log.size() - 1).equals("loss " + ctx.epoch())) {
                log.add("loss " + ctx.epoch());
            }
            return super.loss(batch, ctx);
        }
    }

    private static TrainConfig tc(int epochs) {
        return TrainConfig.defaults().withEpochs(epochs).withBatchSize(128).withMaxStepsPerEpoch(2).withSeed(3);
    }

    @Test
    void calledOnceAtTheStartOfEveryEpochWithTheSplitAndADeterministicSeed() {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(DATA);
        List<Long> first;
        try (Recording m = new Recording(DATA.numItems())) {
            new Trainer(tc(3)).fit(m, split, ProgressListener.NONE);
            assertEquals(List.of("start 1", "loss 1", "start 2", "loss 2", "start 3", "loss 3"), m.log);
            assertSame(split, m.seen);
            assertEquals(3, m.seeds.stream().distinct().count());
            first = m.seeds;
        }
        try (Recording m = new Recording(DATA.numItems())) {
            new Trainer(tc(3)).fit(m, split, ProgressListener.NONE);
            assertEquals(first, m.seeds);
        }
    }

    @Test
    void resumedRunCallsTheHookForTheRemainingEpochsWithTheSameSeeds() throws Exception {
        Path dir = Files.createTempDirectory("hook");
        Path ck = dir.resolve("ck.bin");
        LeaveOneOutSplit split = LeaveOneOutSplit.of(DATA);
        List<Long> all;
        try (Recording m = new Recording(DATA.numItems())) {
            new Trainer(tc(3)).fit(m, split, ProgressListener.NONE);
            all = m.seeds;
        }
        try (Recording m = new Recording(DATA.numItems())) {
            new Trainer(tc(1)).withCheckpoint(ck).fit(m, split, ProgressListener.NONE);
        }
        try (Recording m = new Recording(DATA.numItems())) {
            new Trainer(tc(3)).withCheckpoint(ck).fit(m, split, ProgressListener.NONE);
            assertEquals(List.of("start 2", "loss 2", "start 3", "loss 3"), m.log);
            assertEquals(all.subList(1, 3), m.seeds);
        }
    }

    @Test
    void coserecFamilyPresetHoldsTheProtocol() {
        TrainConfig c = TrainConfig.coserecFamily();
        assertEquals("NDCG@20", c.monitor().toString());
        assertEquals(40, c.patience());
        assertEquals(300, c.epochs());
        assertEquals(256, c.batchSize());
        assertEquals(HistoryMode.ZERO, c.history());
        assertEquals(1, c.seed());
        assertEquals(1e-3, c.learningRate());
        assertEquals(0.0, c.weightDecay());
        assertArrayEquals(new int[] {5, 10, 20}, c.ks());
        TrainConfig q = PaperSettings.coserecFamilyTrain(Budget.QUICK, 7);
        assertEquals(HistoryMode.ZERO, q.history());
        assertEquals(7, q.seed());
        assertEquals(PaperSettings.QUICK_EPOCHS, q.epochs());
        assertEquals(c.withSeed(7), PaperSettings.coserecFamilyTrain(Budget.FULL, 7));
        assertFalse(c.equals(TrainConfig.defaults()));
    }
}
