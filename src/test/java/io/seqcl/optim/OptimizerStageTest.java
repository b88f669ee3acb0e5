package io.seqcl.optim;

import io.seqcl.train.EarlyStopping;
import ai.djl.ndarray.NDArray;
import io.seqcl.nn.Adam;
import io.seqcl.nn.Devices;
import io.seqcl.nn.Params;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared stage: descend and ascend move only their group, by Adam's first step {@code lr * sign(g)}, and an
 * ascending stage is an option of {@link MultiStageStep}; plus the shared {@link EarlyStopping}.
 */
class OptimizerStageTest {

    private static final Predicate<String> A = "a"::equals;
    private static final Predicate<String> B = "b"::equals;

    /** L = (a - 3)^2 + (b - 3)^2 with a = b = 1: both gradients -4. */
    private static NDArray loss(Params p) {
        NDArray three = p.manager().create(3f);
        return p.get("a").sub(three).square().sum().add(p.get("b").sub(three).square().sum());
    }

    private static Params params() {
        Devices.noGradOnThisThread();
        Params p = new Params();
        p.constant("a", 1f, 1);
        p.constant("b", 1f, 1);
        return p;
    }

    @Test
    void descendAndAscendMoveOnlyTheirGroupByOneAdamStep() {
        for (OptimizerStage.Direction d : OptimizerStage.Direction.values()) {
            try (Params p = params()) {
                OptimizerStage s = new OptimizerStage(p, A, Adam.of(p, p.names(A), 0.1), d);
                double[] seen = new double[1];
                double v = s.run(() -> loss(p), x -> seen[0] = x);
                assertEquals(8.0, v, 1e-12, "the loss before the step");
                assertEquals(8.0, seen[0], 1e-12, "the check sees the value before the backward pass");
                Map<String, float[]> w = p.snapshot();
                // Adam's first step is lr * g / (|g| + eps): descend a -> 1.1, ascend a -> 0.9
                assertEquals(1 - d.sign() * -0.1, w.get("a")[0], 1e-6, d.toString());
                assertArrayEquals(new float[] {1f}, w.get("b"), d + ": the frozen group must not move");
            }
        }
    }

    @Test
    void aFailedCheckStepsNothingAndUnfreezes() {
        try (Params p = params()) {
            OptimizerStage s = new OptimizerStage(p, A, Adam.of(p, p.names(A), 0.1),
                    OptimizerStage.Direction.DESCEND);
            assertThrows(TrainingDivergedException.class, () -> s.run(() -> loss(p), x -> {
                throw new TrainingDivergedException("diverged at " + x);
            }));
            assertArrayEquals(new float[] {1f}, p.snapshot().get("a"));
            assertTrue(p.get("b").hasGradient(), "parameters outside the group are trainable again");
        }
    }

    @Test
    void multiStageStepTakesAnAscendingStageAsAnOption() {
        try (Params p = params()) {
            MultiStageStep<Void> step = new MultiStageStep<>("toy", p,
                    List.of(new MultiStageStep.Group("a", A, 0), new MultiStageStep.Group("b", B, 0)),
                    (batch, ctx) -> null,
                    List.of(new MultiStageStep.Stage<>("a", (batch, v, ctx) -> loss(p)),
                            new MultiStageStep.Stage<>("b", (batch, v, ctx) -> loss(p),
                                    OptimizerStage.Direction.ASCEND)),
                    io.seqcl.train.TrainConfig.defaults().withLearningRate(0.1).optim());
            double first = step.step(null, new StepContext(1, 1, new SplittableRandom(1)));
            assertEquals(8.0, first, 1e-12);
            assertEquals(1.1, p.snapshot().get("a")[0], 1e-6, "stage 1 descends a");
            assertEquals(0.9, p.snapshot().get("b")[0], 1e-6, "stage 2 ascends b");
        }
    }

    @Test
    void earlyStoppingKeepsTheFirstAndEveryStrictlyBetterValidation() {
        EarlyStopping es = new EarlyStopping(2, 0);
        int[] snapshots = new int[1];
        assertTrue(es.observe(5, 0.1, () -> Map.of("w", new float[] {++snapshots[0]})));
        assertTrue(es.observe(10, 0.3, () -> Map.of("w", new float[] {++snapshots[0]})));
        assertEquals(false, es.observe(15, 0.3, () -> Map.of("w", new float[] {++snapshots[0]})), "ties are not better");
        assertEquals(false, es.shouldStop());
        es.observe(20, 0.2, () -> Map.of("w", new float[] {++snapshots[0]}));
        assertTrue(es.shouldStop(), "two validations without improvement");
        assertEquals(10, es.bestEpoch());
        assertEquals(0.3, es.bestValue());
        assertArrayEquals(new float[] {2}, es.bestWeights().get("w"));
        assertEquals(2, snapshots[0], "weights are copied only on improvement");
        EarlyStopping first = new EarlyStopping(1, 0);
        first.observe(1, Double.NaN, Map::of);
        assertEquals(1, first.bestEpoch(), "the first validation is the best even if NaN");
    }

    @Test
    void earlyStoppingWaitsForMinEpochs() {
        EarlyStopping es = new EarlyStopping(1, 30);
        es.observe(5, 0.5, Map::of);
        es.observe(10, 0.4, Map::of);
        assertEquals(false, es.shouldStop(), "patience is spent but only 10 of 30 epochs ran");
        es.observe(30, 0.4, Map::of);
        assertTrue(es.shouldStop());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(0, 0)).getMessage()
                .contains("patience"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(1, -1)).getMessage()
                .contains("minEpochs"));
    }
}
