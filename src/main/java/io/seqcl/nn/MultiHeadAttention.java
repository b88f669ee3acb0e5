package io.seqcl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import java.util.SplittableRandom;

/**
 * Multi-head scaled dot-product attention with biases on Q, K, V and the output projection
 * (sasrec_backbone.md A.3): {@code softmax(Q_i K_i^T / sqrt(d/h) + mask)}, attention dropout, concatenation,
 * output projection.
 */
public final class MultiHeadAttention {

    private final Dense q;
    private final Dense k;
    private final Dense v;
    private final Dense o;
    private final int heads;
    private final int headSize;
    private final double attnDropout;

    /**
     * Registers {@code NAME.q/k/v/o}.
     *
     * @param params the store
     * @param name parameter prefix
     * @param d model width
     * @param heads number of heads (divides d)
     * @param attnDropout dropout on attention probabilities
     * @param std init std
     * @param rng init stream
     */
    public MultiHeadAttention(Params params, String name, int d, int heads, double attnDropout, double std,
                              SplittableRandom rng) {
        this.q = new Dense(params, name + ".q", d, d, std, rng);
        this.k = new Dense(params, name + ".k", d, d, std, rng);
        this.v = new Dense(params, name + ".v", d, d, std, rng);
        this.o = new Dense(params, name + ".o", d, d, std, rng);
        this.heads = heads;
        this.headSize = d / heads;
        this.attnDropout = attnDropout;
    }

    /**
     * Self- or cross-attention.
     *
     * @param queries {@code [B, Tq, d]}
     * @param keys {@code [B, Tk, d]} (also the values)
     * @param mask additive mask broadcastable to {@code [B, h, Tq, Tk]}
     * @param training whether dropout is active
     * @return {@code [B, Tq, d]} after the output projection (no residual, no dropout)
     */
    public NDArray forward(NDArray queries, NDArray keys, NDArray mask, boolean training) {
        long b = queries.getShape().get(0);
        long tq = queries.getShape().get(1);
        long tk = keys.getShape().get(1);
        NDArray qh = split(q.forward(queries), b, tq);
        NDArray kh = split(k.forward(keys), b, tk);
        NDArray vh = split(v.forward(keys), b, tk);
        NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2));
        scores = Ops.scale(scores, 1.0 / Math.sqrt(headSize));
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray probs = Ops.dropout(scores.softmax(-1), attnDropout, training);
        NDArray ctx = probs.matMul(vh).transpose(0, 2, 1, 3).reshape(new Shape(b, tq, (long) heads * headSize));
        return o.forward(ctx);
    }

    /**
     * Self-attention in a batch's layout: in the packed layout the Q/K/V projections (one fused product) and
     * the output projection run on the {@code N} active tokens, and only the scores, softmax, dropout and the
     * weighted sum run on rebuilt grids, one per group of rows of similar length ({@link Packing#groups()}:
     * {@code [B_g, h, T_g, T_g]} with the group's mask); in the padded layout this is
     * {@link #forward(NDArray, NDArray, NDArray, boolean)}.
     *
     * @param x states in {@code p}'s layout
     * @param p the batch's layout (its mask included)
     * @param training whether dropout is active
     * @return the projected output in {@code p}'s layout (no residual, no dropout)
     */
    public NDArray forward(NDArray x, Packing p, boolean training) {
        if (!p.packed()) {
            return forward(x, x, p.mask(), training);
        }
        long d = (long) heads * headSize;
        NDArray w = ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(q.weight(), k.weight(), v.weight()), 0);
        NDArray bias = ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(q.bias(), k.bias(), v.bias()), 0);
        NDArray qkv = ai.djl.nn.core.Linear.linear(x, w, bias).singletonOrThrow();
        NDArray withZero = ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(qkv,
                qkv.getManager().zeros(new Shape(1, 3 * d), qkv.getDataType())), 0);
        java.util.List<Packing.Group> groups = p.groups();
        ai.djl.ndarray.NDList ctxs = new ai.djl.ndarray.NDList(groups.size());
        for (Packing.Group g : groups) {
            long bg = g.rows().length;
            long tg = g.len();
            // split, not three index reads: the backward of a split is one concatenation, where each read's
            // backward fills a zero tensor of the whole grid and the three are then added
            ai.djl.ndarray.NDList qkvh = Ops.rows(withZero, g.gather()).reshape(new Shape(bg, tg, 3, heads, headSize))
                    .transpose(2, 0, 3, 1, 4).split(3, 0);
            NDArray qh = qkvh.get(0).squeeze(0);
            NDArray kh = qkvh.get(1).squeeze(0);
            NDArray vh = qkvh.get(2).squeeze(0);
            NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2));
            scores = Ops.scale(scores, 1.0 / Math.sqrt(headSize)).add(g.mask());
            NDArray probs = Ops.dropout(scores.softmax(-1), attnDropout, training);
            ctxs.add(probs.matMul(vh).transpose(0, 2, 1, 3).reshape(new Shape(bg * tg, d)));
        }
        NDArray all = ctxs.size() == 1 ? ctxs.get(0) : ai.djl.ndarray.NDArrays.concat(ctxs, 0);
        return o.forward(Ops.rows(all, p.regroupIndex()));
    }

    /**
     * Self-attention of each row's last real position only (inference): the query projection runs on the
     * {@code B} last states, the key and value projections on all states of the layout, and the scores are one
     * row {@code [B, h, 1, T]} per sequence with {@link Packing#lastQueryMask()}. Equal to the row of
     * {@link #forward(NDArray, Packing, boolean)} at the last position without dropout: positions the last query
     * may not see get the same {@code -10000} and are zero after the softmax in both.
     *
     * @param x states in {@code p}'s layout
     * @param p the batch's layout
     * @return the projected output {@code [B, d]} (no residual)
     */
    public NDArray forwardLast(NDArray x, Packing p) {
        long b = p.rows();
        long t = p.maxLen();
        long d = (long) heads * headSize;
        NDArray w = ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(k.weight(), v.weight()), 0);
        NDArray bias = ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(k.bias(), v.bias()), 0);
        NDArray kv = p.unpack(ai.djl.nn.core.Linear.linear(p.flat(x), w, bias).singletonOrThrow())
                .reshape(new Shape(b, t, 2, heads, headSize)).transpose(2, 0, 3, 1, 4);
        NDArray qh = q.forward(p.last(x)).reshape(new Shape(b, heads, 1, headSize));
        NDArray scores = qh.matMul(kv.get(0).transpose(0, 1, 3, 2));
        scores = Ops.scale(scores, 1.0 / Math.sqrt(headSize)).add(p.lastQueryMask());
        NDArray ctx = scores.softmax(-1).matMul(kv.get(1)).reshape(new Shape(b, d));
        return o.forward(ctx);
    }

    private NDArray split(NDArray x, long b, long t) {
        return x.reshape(new Shape(b, t, heads, headSize)).transpose(0, 2, 1, 3);
    }
}
