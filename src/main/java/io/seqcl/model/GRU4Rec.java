package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.core.Linear;
import io.seqcl.nn.Gru;
import io.seqcl.nn.Ops;
import io.seqcl.nn.Params;
import io.seqcl.optim.StepContext;
import io.seqcl.protocol.Batch;

import java.util.SplittableRandom;

/**
 * GRU4Rec, a recurrent next-item model (Hidasi, Karatzoglou, Baltrunas and Tikk, "Session-based Recommendations
 * with Recurrent Neural Networks", ICLR 2016, arXiv:1511.06939; Hidasi and Karatzoglou, "Recurrent Neural Networks
 * with Top-k Gains for Session-based Recommendations", CIKM 2018, arXiv:1706.03847), in the RecBole
 * re-implementation both tables most likely used ({@code gru4rec.py}, baselines.md section 3).
 *
 * <p>{@code x_t = Dropout(E[s_t])}, one GRU layer without biases ({@link Gru}, gate order r, z, n, {@code h_0 = 0}),
 * {@code o = W_d h + b_d} at the last real position (right padding), scores {@code o E^T} with the item table
 * tied between input and output; full-softmax cross-entropy on prefix samples.
 *
 * <p>Initialisation as RecBole: Xavier-normal item table, Xavier-uniform on the whole GRU matrices, PyTorch's
 * Linear default for {@code W_d, b_d} ({@code U(+-1/sqrt(H))}), all from a Java random stream (values differ from
 * PyTorch's for the same seed). The GRU runs only up to the longest row of a batch (right padding: later steps
 * cannot change any row's last real state).
 *
 * <p>Deviations from the reference codes: the original session-parallel mini-batches and ranking losses
 * (TOP1, BPR, BPR-max with popularity-sampled extra negatives) are out of scope, as in RecBole; by default the
 * padding row 0 is excluded from the softmax ({@link GRU4RecConfig#paperTable()} keeps it, as RecBole does).
 */
public final class GRU4Rec extends AbstractRecommender<GRU4RecConfig> {

    /** Parameter name of the item table. */
    public static final String ITEM_EMBEDDING = "item_embedding";

    private final NDArray itemEmb;
    private final Gru gru;
    private final NDArray denseW;
    private final NDArray denseB;

    /**
     * Builds the model with weights drawn from {@code seed}.
     *
     * @param numItems number of items N (the item table has N+1 rows)
     * @param config configuration
     * @param seed initialisation seed
     */
    public GRU4Rec(int numItems, GRU4RecConfig config, long seed) {
        super("GRU4Rec", numItems, config, new Params());
        SplittableRandom rng = new SplittableRandom(seed);
        int d = config.embeddingSize();
        int h = config.hiddenSize();
        itemEmb = BPRMF.xavierNormal(params(), ITEM_EMBEDDING, numItems + 1, d, rng);
        gru = new Gru(params(), "gru", d, h, false, Gru.Init.XAVIER_UNIFORM, config.fused(), rng);
        double bound = 1.0 / Math.sqrt(h);
        denseW = params().add("dense.weight", uniform(rng, d * h, bound), d, h);
        denseB = params().add("dense.bias", uniform(rng, d, bound), d);
    }

    /**
     * {@code U(-bound, bound)} values.
     *
     * @param rng stream
     * @param n count
     * @param bound half-width
     * @return the values
     */
    static float[] uniform(SplittableRandom rng, int n, double bound) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        return v;
    }

    /** @return the item table {@code [N+1, d]} */
    public NDArray itemEmbedding() {
        return itemEmb;
    }

    /** @return the GRU layer */
    public Gru gru() {
        return gru;
    }

    /**
     * The sequence representation {@code o = W_d h_{len-1} + b_d} of every row.
     *
     * @param batch right-padded inputs
     * @param training whether dropout is active
     * @return {@code [B, d]}
     */
    public NDArray represent(Batch batch, boolean training) {
        int bsz = batch.size();
        int steps = 1;
        for (int len : batch.lengths()) {
            steps = Math.max(steps, len);
        }
        NDArray ids = Ops.ids(params().manager(), batch.items());
        if (steps < batch.maxLen()) {
            ids = ids.get(new NDIndex(":, 0:" + steps));
        }
        NDArray x = Ops.dropout(Ops.rows(itemEmb, ids), config().dropout(), training);
        NDArray hs = gru.forward(x);
        long[] idx = new long[bsz];
        for (int b = 0; b < bsz; b++) {
            idx[b] = (long) b * steps + Math.max(0, batch.lengths()[b] - 1);
        }
        NDArray last = Ops.rows(hs.reshape((long) bsz * steps, gru.hiddenSize()), idx);
        return Linear.linear(last, denseW, denseB).singletonOrThrow();
    }

    @Override
    public NDArray loss(Batch batch, StepContext ctx) {
        long[] targets = batch.lastTargets();
        long[] negatives = batch.lastNegatives();
        return config().loss().compute(represent(batch, true), itemEmb, targets, negatives);
    }

    @Override
    public NDArray scoreAll(Batch batch) {
        return represent(batch, false).matMul(itemEmb.transpose());
    }
}
