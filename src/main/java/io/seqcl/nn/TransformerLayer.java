package io.seqcl.nn;

import ai.djl.ndarray.NDArray;

import java.util.SplittableRandom;

/**
 * One post-LN Transformer block of the BERT-style SASRec (sasrec_backbone.md A.3):
 * {@code H' = LN1(Dropout(MHA(H)) + H)}, {@code H'' = LN2(Dropout(FFN(H')) + H')}, with
 * {@code FFN(x) = act(x W1 + b1) W2 + b2}.
 *
 * <p>With {@code cross = true} the block has a second attention sub-layer over an external memory (a
 * Transformer decoder block): {@code H' -> LN_c(Dropout(MHA_c(H', M)) + H')} before the feed-forward.
 */
public final class TransformerLayer {

    private final MultiHeadAttention attn;
    private final Norm norm1;
    private final MultiHeadAttention crossAttn;
    private final Norm normCross;
    private final Dense ff1;
    private final Dense ff2;
    private final Norm norm2;
    private final TransformerConfig cfg;

    /**
     * Registers the block's parameters under {@code NAME}.
     *
     * @param params the store
     * @param name parameter prefix
     * @param cfg block shape
     * @param cross whether to add a cross-attention sub-layer (decoder block)
     * @param std init std
     * @param rng init stream
     */
    public TransformerLayer(Params params, String name, TransformerConfig cfg, boolean cross, double std,
                            SplittableRandom rng) {
        this.cfg = cfg;
        int d = cfg.hiddenSize();
        attn = new MultiHeadAttention(params, name + ".attn", d, cfg.heads(), cfg.attnDropout(), std, rng);
        norm1 = new Norm(params, name + ".ln1", d, cfg.layerNormEps());
        if (cross) {
            crossAttn = new MultiHeadAttention(params, name + ".cross", d, cfg.heads(), cfg.attnDropout(), std, rng);
            normCross = new Norm(params, name + ".lnc", d, cfg.layerNormEps());
        } else {
            crossAttn = null;
            normCross = null;
        }
        ff1 = new Dense(params, name + ".ff1", d, cfg.innerSize(), std, rng);
        ff2 = new Dense(params, name + ".ff2", cfg.innerSize(), d, std, rng);
        norm2 = new Norm(params, name + ".ln2", d, cfg.layerNormEps());
    }

    /**
     * Applies the block.
     *
     * @param h input {@code [B, T, d]}
     * @param mask additive self-attention mask {@code [B, 1, T, T]}
     * @param memory cross-attention memory {@code [B, Tm, d]}, or {@code null} for an encoder block
     * @param memoryMask additive cross-attention mask, or {@code null}
     * @param training whether dropout is active
     * @return {@code [B, T, d]}
     */
    public NDArray forward(NDArray h, NDArray mask, NDArray memory, NDArray memoryMask, boolean training) {
        NDArray a = Ops.dropout(attn.forward(h, h, mask, training), cfg.hiddenDropout(), training);
        NDArray x = norm1.forward(a.add(h));
        if (crossAttn != null) {
            if (memory == null) {
                throw new IllegalArgumentException("a decoder block needs a memory for cross-attention");
            }
            NDArray c = Ops.dropout(crossAttn.forward(x, memory, memoryMask, training), cfg.hiddenDropout(), training);
            x = normCross.forward(c.add(x));
        }
        NDArray f = ff2.forward(cfg.activation().apply(ff1.forward(x)));
        f = Ops.dropout(f, cfg.hiddenDropout(), training);
        return norm2.forward(f.add(x));
    }

    /**
     * Applies an encoder block at each row's last real position only (inference, no dropout): attention of that
     * query over its row ({@link MultiHeadAttention#forwardLast}), then the residuals, LayerNorms and feed-forward
     * on {@code B} rows instead of all positions.
     *
     * @param h input in {@code p}'s layout
     * @param p the batch's layout
     * @return {@code [B, d]}, equal to {@code p.last(forward(h, p, null, null, false))}
     */
    public NDArray forwardLast(NDArray h, Packing p) {
        if (crossAttn != null) {
            throw new IllegalStateException("forwardLast is for encoder blocks; this block has cross-attention");
        }
        NDArray x = norm1.forward(attn.forwardLast(h, p).add(p.last(h)));
        NDArray f = ff2.forward(cfg.activation().apply(ff1.forward(x)));
        return norm2.forward(f.add(x));
    }

    /**
     * Applies the block in a batch's layout ({@link Packing}): every per-token layer runs on the layout's rows;
     * self-attention uses {@link MultiHeadAttention#forward(NDArray, Packing, boolean)}; cross-attention (decoder
     * blocks) rebuilds the padded queries and packs the result.
     *
     * @param h input in {@code p}'s layout
     * @param p the batch's layout and mask
     * @param memory cross-attention memory {@code [B, Tm, d]}, or {@code null}
     * @param memoryMask its additive mask, or {@code null}
     * @param training whether dropout is active
     * @return output in {@code p}'s layout
     */
    public NDArray forward(NDArray h, Packing p, NDArray memory, NDArray memoryMask, boolean training) {
        if (!p.packed()) {
            return forward(h, p.mask(), memory, memoryMask, training);
        }
        NDArray a = Ops.dropout(attn.forward(h, p, training), cfg.hiddenDropout(), training);
        NDArray x = norm1.forward(a.add(h));
        if (crossAttn != null) {
            if (memory == null) {
                throw new IllegalArgumentException("a decoder block needs a memory for cross-attention");
            }
            NDArray c = crossAttn.forward(p.unpack(x), memory, memoryMask, training);
            x = normCross.forward(Ops.dropout(p.pack(c), cfg.hiddenDropout(), training).add(x));
        }
        NDArray f = ff2.forward(cfg.activation().apply(ff1.forward(x)));
        f = Ops.dropout(f, cfg.hiddenDropout(), training);
        return norm2.forward(f.add(x));
    }
}
