package io.seqcl.bench;

import io.seqcl.data.Datasets;
import io.seqcl.data.SequenceDataset;
import io.seqcl.model.MCLRec;
import io.seqcl.model.MCLRecConfig;
import io.seqcl.model.SASRec;
import io.seqcl.model.SASRecConfig;
import io.seqcl.model.SequentialRecommender;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.TrainingSamples;
import io.seqcl.optim.StepContext;
import io.seqcl.train.TrainConfig;
import io.seqcl.optim.TrainStep;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Benchmark, not a unit test: ms per training step of MCLRec with the spec's full Beauty settings (T 50, d 64,
 * 2 layers, batch 256, lambda 0, beta 0.05, three-stage schedule) and SASRec for comparison, times the number of
 * prefix-sample batches per epoch. Needs the Beauty file under SEQCL_DATA; run with
 * {@code OMP_WAIT_POLICY=PASSIVE mvn -o -q test -Dtest=MCLRecEpochTimingTest -Dsurefire.excludedGroups=none}.
 */
@Tag("slow")
class MCLRecEpochTimingTest {

    @Test
    void printsMillisecondsPerStepAndSecondsPerEpochOnBeauty() {
        Assumptions.assumeTrue(Datasets.isAvailable("beauty"), "Beauty not available");
        SequenceDataset data = Datasets.load("beauty");
        LeaveOneOutSplit split = LeaveOneOutSplit.of(data);
        TrainConfig tc = TrainConfig.defaults();
        int warmup = Integer.getInteger("seqcl.bench.warmup", 2);
        int steps = Integer.getInteger("seqcl.bench.steps", 6);
        for (SequentialRecommender model : List.of(new MCLRec(data.numItems(), MCLRecConfig.beauty(), 1),
                new MCLRec(data.numItems(), MCLRecConfig.beauty().joint(), 1),
                new SASRec(data.numItems(), SASRecConfig.defaults(), 1))) {
            try (model) {
                model.prepare(split);
                TrainingSamples samples = new TrainingSamples(split, model.inputSpec().sampleMode(),
                        model.inputSpec().maxLen(), model.inputSpec().padding());
                SplittableRandom rng = new SplittableRandom(3);
                List<Batch> batches = samples.epoch(tc.batchSize(), rng, false);
                TrainStep step = model.newTrainStep(tc.optim());
                double[] ms = new double[steps];
                for (int i = 0; i < warmup + steps; i++) {
                    long t0 = System.nanoTime();
                    step.step(batches.get(i), new StepContext(1, i + 1, rng));
                    if (i >= warmup) {
                        ms[i - warmup] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                Arrays.sort(ms);
                int perEpoch = samples.batchesPerEpoch(tc.batchSize());
                double median = ms[steps / 2];
                System.out.printf(Locale.ROOT, "%s on Beauty (%d samples, %d steps/epoch, B %d): median %.0f ms/step "
                                + "(min %.0f, max %.0f, %d steps) -> %.1f min/epoch of training (without validation)%n",
                        model.name(), samples.size(), perEpoch, tc.batchSize(), median, ms[0], ms[steps - 1], steps,
                        median * perEpoch / 60000.0);
            }
        }
    }
}
