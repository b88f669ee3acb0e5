package io.seqcl.experiment;

import io.seqcl.TestData;
import io.seqcl.eval.EvalResult;
import io.seqcl.eval.MetricKey;
import io.seqcl.train.TrainConfig;
import io.seqcl.train.TrainResult;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Selection of a setting on validation ({@link RunResult#bestOnValidation()}). */
class RunResultTest {

    private static TrainResult result(String name, int[] validRanks, int[] testRanks) {
        int[] users = new int[validRanks.length];
        EvalResult valid = new EvalResult("valid", users, validRanks, new int[] {10});
        EvalResult test = new EvalResult("test", users, testRanks, new int[] {10});
        return new TrainResult(name, 1, 1, false, valid, test, Table.create("c"), 1.0);
    }

    private static RunResult run(TrainConfig train, TrainResult... results) {
        List<ModelSpec> models = java.util.Arrays.stream(results).map(r -> ModelSpec.pop().named(r.model())).toList();
        return new RunResult(new ExperimentSpec("beta", models, train), List.of(results),
                Provenance.start(TestData.tiny(), 1));
    }

    @Test
    void picksTheHighestValidationMonitorAndIgnoresTest() {
        // NDCG@10 of one user at rank r is 1 / log2(r + 1): rank 1 -> 1, rank 3 -> 0.5
        TrainResult a = result("beta=0.1", new int[] {3, 3}, new int[] {1, 1});
        TrainResult b = result("beta=0.2", new int[] {1, 3}, new int[] {50, 50});
        TrainResult c = result("beta=0.3", new int[] {3, 50}, new int[] {1, 1});
        TrainConfig train = TrainConfig.defaults().withMonitor("NDCG@10");
        assertEquals("beta=0.2", run(train, a, b, c).bestOnValidation().model());
    }

    @Test
    void exactTiesGoToTheTieBreakThenToTheFirstModel() {
        // ranks {1, 11} and {11, 1}: NDCG@10 and HR@10 both 0.5 -> a full tie, the first model wins
        TrainResult a = result("beta=0.1", new int[] {1, 11}, new int[] {1, 1});
        TrainResult b = result("beta=0.2", new int[] {11, 1}, new int[] {1, 1});
        TrainConfig ndcg = TrainConfig.defaults().withMonitor("NDCG@10");
        assertEquals("beta=0.1", run(ndcg, a, b).bestOnValidation().model());
        assertEquals("beta=0.2", run(ndcg, b, a).bestOnValidation().model());
        // HR@10 ties at 0.5 for ranks {3, 11} and {1, 11}; the tie-break NDCG@10 (0.25 vs 0.5) picks the second
        TrainResult c = result("beta=0.3", new int[] {3, 11}, new int[] {1, 1});
        TrainConfig hr = TrainConfig.defaults().withMonitor("HR@10");
        assertEquals("beta=0.3", run(hr, c, a).bestOnValidation().model(), "no tie-break: first model");
        TrainConfig tie = hr.withTieBreak(MetricKey.parse("NDCG@10"));
        assertEquals("beta=0.1", run(tie, c, a).bestOnValidation().model(), "tie broken by NDCG@10");
    }

    @Test
    void aRunWithoutResultsIsAnError() {
        RunResult empty = new RunResult(new ExperimentSpec("beta", List.of(ModelSpec.pop()), TrainConfig.defaults()),
                List.of(), Provenance.start(TestData.tiny(), 1));
        assertThrows(IllegalStateException.class, empty::bestOnValidation);
    }
}
