package io.seqcl.optim;

import ai.djl.ndarray.NDArray;
import io.seqcl.nn.Adam;
import io.seqcl.nn.OptimizerKind;
import io.seqcl.nn.Params;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An {@link OptimizerStage} with several optimizers steps each on the gradients of its one backward pass (ACVAE). */
class OptimizerStageSharedGradientsTest {

    @Test
    void everyOptimizerSeesTheSameGradientAndTheWeightsTheEarlierOnesLeft() {
        try (Params p = new Params()) {
            p.add("w", new float[] {1f, 2f}, 2);
            p.add("u", new float[] {3f}, 1);
            p.add("frozen", new float[] {5f}, 1);
            Adam first = new Adam(OptimizerKind.SGD, p, List.of("w", "u"), 0.5, 0.9, 0.999, 1e-8, 0);
            Adam second = new Adam(OptimizerKind.SGD, p, List.of("w"), 0.25, 0.9, 0.999, 1e-8, 0.1);
            OptimizerStage stage = new OptimizerStage(p, n -> !n.equals("frozen"), List.of(first, second),
                    OptimizerStage.Direction.DESCEND);
            // L = 3 w0 + 4 w1 + 2 u * frozen: dL/dw = (3, 4), dL/du = 2 * 5 = 10
            stage.run(() -> {
                NDArray w = p.get("w");
                NDArray x = w.getManager().create(new float[] {3f, 4f});
                return w.mul(x).sum().add(p.get("u").mul(p.get("frozen")).mul(w.getManager().create(2f)).sum());
            }, v -> { });
            // first: w = (1, 2) - 0.5 (3, 4) = (-0.5, 0); u = 3 - 0.5 * 10 = -2
            // second (same gradient, wd 0.1 on the updated w): w -= 0.25 ((3, 4) + 0.1 w)
            float w0 = (float) (-0.5 - 0.25 * (3 + 0.1 * -0.5));
            float w1 = (float) (0 - 0.25 * (4 + 0.1 * 0));
            assertArrayEquals(new float[] {w0, w1}, p.get("w").toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {-2f}, p.get("u").toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {5f}, p.get("frozen").toFloatArray(), 0f);
        }
    }

    @Test
    void anOptimizerOverAParameterOutsideTheGroupIsRejected() {
        try (Params p = new Params()) {
            p.add("w", new float[] {1f}, 1);
            p.add("v", new float[] {1f}, 1);
            Adam a = new Adam(OptimizerKind.SGD, p, List.of("v"), 0.5, 0.9, 0.999, 1e-8, 0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OptimizerStage(p,
                    n -> n.equals("w"), List.of(a), OptimizerStage.Direction.DESCEND));
            assertTrue(e.getMessage().contains("v"), e.getMessage());
        }
    }
}
