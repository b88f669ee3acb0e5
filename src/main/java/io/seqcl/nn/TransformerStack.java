package io.seqcl.nn;

import ai.djl.ndarray.NDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A stack of {@link TransformerLayer}s: a Transformer encoder, or with {@code cross = true} a decoder that
 * attends to an external memory. There is no final LayerNorm (as in RecBole's TransformerEncoder).
 */
public final class TransformerStack {

    private final List<TransformerLayer> layers = new ArrayList<>();

    /**
     * Registers {@code NAME.layerI.*} for each block.
     *
     * @param params the store
     * @param name parameter prefix
     * @param cfg block configuration (number of blocks included)
     * @param cross whether blocks cross-attend to a memory (decoder)
     * @param std init std
     * @param rng init stream
     */
    public TransformerStack(Params params, String name, TransformerConfig cfg, boolean cross, double std,
                            SplittableRandom rng) {
        for (int i = 0; i < cfg.layers(); i++) {
            layers.add(new TransformerLayer(params, name + ".layer" + i, cfg, cross, std, rng));
        }
    }

    /**
     * Runs all blocks.
     *
     * @param x input {@code [B, T, d]}
     * @param mask additive self-attention mask
     * @param memory memory for decoder blocks, or {@code null}
     * @param memoryMask mask for the memory, or {@code null}
     * @param training whether dropout is active
     * @return the last block's output {@code [B, T, d]}
     */
    public NDArray forward(NDArray x, NDArray mask, NDArray memory, NDArray memoryMask, boolean training) {
        NDArray h = x;
        for (TransformerLayer l : layers) {
            h = l.forward(h, mask, memory, memoryMask, training);
        }
        return h;
    }

    /**
     * Runs all blocks in a batch's layout ({@link Packing}): packed {@code [N, d]} in, packed out (padded
     * {@code [B, T, d]} in and out when the layout is not packed).
     *
     * @param x input in {@code p}'s layout
     * @param p the batch's layout and attention mask
     * @param memory memory for decoder blocks {@code [B, Tm, d]}, or {@code null}
     * @param memoryMask mask for the memory, or {@code null}
     * @param training whether dropout is active
     * @return the last block's output in {@code p}'s layout
     */
    public NDArray forward(NDArray x, Packing p, NDArray memory, NDArray memoryMask, boolean training) {
        NDArray h = x;
        for (TransformerLayer l : layers) {
            h = l.forward(h, p, memory, memoryMask, training);
        }
        return h;
    }

    /**
     * Runs an encoder stack for scoring (inference, no dropout): every block but the last on all positions, the
     * last one at each row's last real position only ({@link TransformerLayer#forwardLast}).
     *
     * @param x input in {@code p}'s layout
     * @param p the batch's layout
     * @return {@code [B, d]}, equal to {@code p.last(forward(x, p, false))}
     */
    public NDArray forwardLast(NDArray x, Packing p) {
        NDArray h = x;
        for (int i = 0; i < layers.size() - 1; i++) {
            h = layers.get(i).forward(h, p, null, null, false);
        }
        return layers.isEmpty() ? p.last(h) : layers.get(layers.size() - 1).forwardLast(h, p);
    }

    /**
     * Runs an encoder stack (no memory) in a batch's layout.
     *
     * @param x input in {@code p}'s layout
     * @param p the batch's layout and attention mask
     * @param training whether dropout is active
     * @return output in {@code p}'s layout
     */
    public NDArray forward(NDArray x, Packing p, boolean training) {
        return forward(x, p, null, null, training);
    }

    /**
     * Runs an encoder stack (no memory).
     *
     * @param x input
     * @param mask additive mask
     * @param training whether dropout is active
     * @return output
     */
    public NDArray forward(NDArray x, NDArray mask, boolean training) {
        return forward(x, mask, null, null, training);
    }
}
