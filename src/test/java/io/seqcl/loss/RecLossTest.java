package io.seqcl.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RecLossTest {

    private static double softplus(double x) {
        return Math.log1p(Math.exp(x));
    }

    @Test
    void fullSoftmaxMatchesHandComputation() {
        try (NDManager m = NDManager.newBaseManager()) {
            // table rows: pad, item1, item2, item3 (d = 2)
            NDArray table = m.create(new float[] {5, 5, 1, 0, 0, 1, 1, 1}, new Shape(4, 2));
            NDArray h = m.create(new float[] {1, 2, -1, 0}, new Shape(2, 2));
            // logits row0: pad 15, 1, 2, 3 ; row1: pad -5, -1, 0, -1
            double l0 = -(3 - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)));          // target 3
            double l1 = -(0 - Math.log(Math.exp(-1) + Math.exp(0) + Math.exp(-1)));         // target 2
            double expected = (l0 + l1) / 2;
            double got = new FullSoftmaxCrossEntropy().compute(h, table, new long[] {3, 2}, null).getFloat();
            assertEquals(expected, got, 1e-5);
            double withPad0 = -(3 - Math.log(Math.exp(15) + Math.exp(1) + Math.exp(2) + Math.exp(3)));
            double withPad1 = -(0 - Math.log(Math.exp(-5) + Math.exp(-1) + Math.exp(0) + Math.exp(-1)));
            double gotPad = new FullSoftmaxCrossEntropy(true).compute(h, table, new long[] {3, 2}, null).getFloat();
            assertEquals((withPad0 + withPad1) / 2, gotPad, 1e-4);
        }
    }

    @Test
    void sampledBceMatchesHandComputation() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray table = m.create(new float[] {0, 0, 1, 0, 0, 1, 1, 1}, new Shape(4, 2));
            NDArray h = m.create(new float[] {1, 2, -1, 0}, new Shape(2, 2));
            // row0: pos item3 (3), neg item1 (1); row1: pos item1 (-1), neg item2 (0)
            double expected = ((softplus(-3) + softplus(1)) + (softplus(1) + softplus(0))) / 2;
            double got = new SampledBinaryCrossEntropy().compute(h, table, new long[] {3, 1}, new long[] {1, 2})
                    .getFloat();
            assertEquals(expected, got, 1e-5);
        }
    }
}
