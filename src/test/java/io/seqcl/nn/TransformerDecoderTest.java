package io.seqcl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks {@link TransformerStack} with {@code cross = true} (decoder blocks that attend to a memory). */
class TransformerDecoderTest {

    private static final TransformerConfig CFG = new TransformerConfig(8, 2, 2, 16, ActivationFn.GELU, 0.0, 0.0, 1e-12);

    private static NDArray randn(NDManager m, SplittableRandom rng, long... shape) {
        return VariationalHead.standardNormal(m, new Shape(shape), rng);
    }

    private static float[] at(NDArray out, int t) {
        return out.get(new NDIndex("0, " + t)).toFloatArray();
    }

    @Test
    void decoderRegistersCrossAttentionParameters() {
        try (Params p = new Params()) {
            new TransformerStack(p, "dec", CFG, true, 0.02, new SplittableRandom(1));
            assertTrue(p.names().contains("dec.layer0.cross.q.weight"));
            assertTrue(p.names().contains("dec.layer1.lnc.weight"));
        }
    }

    @Test
    void outputDependsOnMemoryAndIsCausalInDecoderInputs() {
        try (Params p = new Params()) {
            // std 0.5 so the memory's influence is far above float noise
            TransformerStack dec = new TransformerStack(p, "dec", CFG, true, 0.5, new SplittableRandom(7));
            NDManager m = p.manager();
            SplittableRandom rng = new SplittableRandom(11);
            NDArray x = randn(m, rng, 1, 4, 8);
            NDArray mem = randn(m, rng, 1, 3, 8);
            NDArray mem2 = randn(m, rng, 1, 3, 8);
            NDArray causal = AttentionMask.causal(m, new int[][] {{1, 2, 3, 4}});

            NDArray out = dec.forward(x, causal, mem, null, false);
            NDArray outMem2 = dec.forward(x, causal, mem2, null, false);
            for (int t = 0; t < 4; t++) {
                assertFalse(java.util.Arrays.equals(at(out, t), at(outMem2, t)), "position " + t + " ignores the memory");
            }

            // change the decoder input at position 3 only: positions 0..2 unchanged, position 3 changed
            float[] xv = x.toFloatArray();
            for (int k = 3 * 8; k < 4 * 8; k++) {
                xv[k] += 1f;
            }
            NDArray outLater = dec.forward(m.create(xv, new Shape(1, 4, 8)), causal, mem, null, false);
            for (int t = 0; t < 3; t++) {
                assertArrayEquals(at(out, t), at(outLater, t), 1e-5f, "position " + t + " sees a later input");
            }
            assertFalse(java.util.Arrays.equals(at(out, 3), at(outLater, 3)));
        }
    }

    @Test
    void maskedMemoryPositionIsIgnored() {
        try (Params p = new Params()) {
            TransformerStack dec = new TransformerStack(p, "dec", CFG, true, 0.5, new SplittableRandom(7));
            NDManager m = p.manager();
            SplittableRandom rng = new SplittableRandom(3);
            NDArray x = randn(m, rng, 1, 2, 8);
            float[] memv = randn(m, rng, 1, 3, 8).toFloatArray();
            NDArray memMask = m.create(new float[] {0, 0, AttentionMask.MASKED}, new Shape(1, 1, 1, 3));
            NDArray selfMask = AttentionMask.causal(m, new int[][] {{1, 1}});
            NDArray a = dec.forward(x, selfMask, m.create(memv, new Shape(1, 3, 8)), memMask, false);
            for (int k = 2 * 8; k < 3 * 8; k++) {
                memv[k] -= 3f;
            }
            NDArray b = dec.forward(x, selfMask, m.create(memv, new Shape(1, 3, 8)), memMask, false);
            assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void decoderWithoutMemoryIsRejected() {
        try (Params p = new Params()) {
            TransformerStack dec = new TransformerStack(p, "dec", CFG, true, 0.02, new SplittableRandom(1));
            NDArray x = p.manager().zeros(new Shape(1, 2, 8));
            assertThrows(IllegalArgumentException.class, () -> dec.forward(x, (NDArray) null, false));
        }
    }
}
