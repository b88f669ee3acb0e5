package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Linear;
import io.seqcl.nn.Ops;
import io.seqcl.nn.Params;
import io.seqcl.optim.StepContext;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Caser, convolutional sequence embedding (Tang and Wang, "Personalized Top-N Sequential Recommendation via
 * Convolutional Sequence Embedding", WSDM 2018, arXiv:1809.07426), with RecBole's output head
 * ({@code caser.py}, baselines.md section 4).
 *
 * <p>The embeddings of the last L items form an {@code L x d} image {@code W}. Vertical filters
 * {@code w_k in R^L} give {@code v_k = sum_l w_{k,l} W_l + b_k} (no activation; one matrix product); for every
 * height {@code h = 1..L}, n_h horizontal filters {@code F in R^{h x d}} give {@code ReLU(<F, W_{t..t+h-1}> + b)}
 * max-pooled over t (one engine convolution per height). Then {@code z = ReLU(W_1 Dropout([o_v; o_h]) + b_1)},
 * {@code x = [z; P_u]} with the user embedding {@code P_u}, {@code h = ReLU(W_2 x + b_2)} and scores
 * {@code h E^T} (tied item table); full-softmax cross-entropy on the last position of prefix samples plus
 * RecBole's regulariser {@code lambda (||P|| + ||E|| + ||W_v|| + ||W_1|| + ||W_2|| + sum_h ||F_h||)} with
 * unsquared L2 norms ({@link #regularizer()}).
 *
 * <p>Sample convention: the input of a prefix sample is its last L items ({@link CaserConfig#windowLength()} is
 * the input length); the user table is built in {@link #prepare} (as {@link BPRMF}), and scoring batches must
 * carry user ids. Initialisation as RecBole: embeddings {@code N(0, 1/d)} (std 1/d), Linear Xavier-normal with
 * zero bias, convolutions PyTorch's default {@code U(+-1/sqrt(fan_in))}; Java random stream.
 *
 * <p>Deviations from the reference codes: the default window is the paper's L 5 (RecBole uses L = T = 50, see
 * {@link CaserConfig#paperTable()}); the author code's separate output table {@code W2, b2} with BCE on 3 targets
 * x 3 negatives per sliding window and weight decay 1e-6 (the {@code AUTHOR} preset of the spec) is not
 * implemented; by default padding embeds to a fixed zero vector and row 0 is not a softmax class.
 */
public final class Caser extends AbstractRecommender<CaserConfig> {

    /** Parameter name of the item table. */
    public static final String ITEM_EMBEDDING = "item_embedding";

    private final long seed;
    private final NDArray itemEmb;
    private final NDArray convV;
    private final NDArray convVBias;
    private final List<NDArray> convH = new ArrayList<>();
    private final List<NDArray> convHBias = new ArrayList<>();
    private final NDArray fc1W;
    private final NDArray fc1B;
    private final NDArray fc2W;
    private final NDArray fc2B;
    private NDArray userEmb;

    /**
     * Builds the item-side weights; the user table follows in {@link #prepare}.
     *
     * @param numItems number of items N (the item table has N+1 rows)
     * @param config configuration
     * @param seed initialisation seed
     */
    public Caser(int numItems, CaserConfig config, long seed) {
        super("Caser", numItems, config, new Params());
        this.seed = seed;
        SplittableRandom rng = new SplittableRandom(seed);
        int d = config.embeddingSize();
        int l = config.windowLength();
        Params p = params();
        itemEmb = p.normal(ITEM_EMBEDDING, 1.0 / d, rng, numItems + 1, d);
        int nv = config.verticalFilters();
        if (nv > 0) {
            double b = 1.0 / Math.sqrt(l);
            convV = p.add("conv_v.weight", GRU4Rec.uniform(rng, nv * l, b), nv, l);
            convVBias = p.add("conv_v.bias", GRU4Rec.uniform(rng, nv, b), nv);
        } else {
            convV = null;
            convVBias = null;
        }
        int nh = config.horizontalFilters();
        if (nh > 0) {
            for (int h = 1; h <= l; h++) {
                double b = 1.0 / Math.sqrt((double) h * d);
                convH.add(p.add("conv_h" + h + ".weight", GRU4Rec.uniform(rng, nh * h * d, b), nh, 1, h, d));
                convHBias.add(p.add("conv_h" + h + ".bias", GRU4Rec.uniform(rng, nh, b), nh));
            }
        }
        int fcIn = config.fcInputSize();
        fc1W = p.normal("fc1.weight", Math.sqrt(2.0 / (fcIn + d)), rng, d, fcIn);
        fc1B = p.constant("fc1.bias", 0f, d);
        fc2W = p.normal("fc2.weight", Math.sqrt(2.0 / (3 * d)), rng, d, 2 * d);
        fc2B = p.constant("fc2.bias", 0f, d);
    }

    @Override
    public void prepare(LeaveOneOutSplit split) {
        if (userEmb != null) {
            BPRMF.userTable(params(), userEmb, split, config().embeddingSize(), seed, name());
            return;
        }
        int users = split.dataset().numUsers();
        int d = config().embeddingSize();
        userEmb = params().normal(BPRMF.USER_EMBEDDING, 1.0 / d,
                new SplittableRandom(BPRMF.userSeed(seed)), users, d);
    }

    /** @return the item table {@code [N+1, d]} */
    public NDArray itemEmbedding() {
        return itemEmb;
    }

    /**
     * The embedded window {@code [B, L, d]}; padding positions are zero or row 0 without input gradient.
     *
     * @param batch the inputs
     * @return the window
     */
    NDArray window(Batch batch) {
        NDManager m = params().manager();
        NDArray ids = Ops.ids(m, batch.items());
        NDArray e = Ops.rows(itemEmb, ids);
        NDArray mask = ids.neq(m.create(0L)).toType(DataType.FLOAT32, false).expandDims(2);
        NDArray x = e.mul(mask);
        if (!config().zeroPadding()) {
            NDArray pad = itemEmb.get(new NDIndex("0:1")).stopGradient();
            x = x.add(pad.mul(Ops.scalar(mask, 1.0).sub(mask)));
        }
        return x;
    }

    /**
     * The convolution features {@code [o_v; o_h]} of a window.
     *
     * @param w {@code [B, L, d]}
     * @return {@code [B, n_v d + L n_h]}
     */
    NDArray features(NDArray w) {
        long bsz = w.getShape().get(0);
        NDList parts = new NDList();
        if (convV != null) {
            // v_k = sum_l w_{k,l} W_l + b_k: [n_v, L] x [B, L, d] -> [B, n_v, d]
            NDArray v = convV.matMul(w).add(convVBias.reshape(convV.getShape().get(0), 1));
            parts.add(v.reshape(bsz, -1));
        }
        if (!convH.isEmpty()) {
            // the [h x d] filter over a 1-channel L x d image is a 1-D convolution over time with d input channels;
            // conv1d also avoids a NaN input gradient seen from libtorch's CPU conv2d with this shape
            NDArray seq = w.transpose(0, 2, 1);
            for (int i = 0; i < convH.size(); i++) {
                NDArray f = convH.get(i);
                NDArray k = f.reshape(f.getShape().get(0), f.getShape().get(2), f.getShape().get(3)).transpose(0, 2, 1);
                NDArray c = Conv1d.conv1d(seq, k, convHBias.get(i)).singletonOrThrow();
                // [B, n_h, L-h+1] -> ReLU -> max over time -> [B, n_h]
                parts.add(Activation.relu(c).max(new int[] {2}));
            }
        }
        return parts.size() == 1 ? parts.singletonOrThrow() : NDArrays.concat(parts, 1);
    }

    /**
     * The sequence representation {@code h = ReLU(W_2 [z; P_u] + b_2)}.
     *
     * @param batch inputs with user ids
     * @param training whether dropout is active
     * @return {@code [B, d]}
     */
    public NDArray represent(Batch batch, boolean training) {
        NDArray u = BPRMF.users(userEmb, batch, name());
        NDArray o = Ops.dropout(features(window(batch)), config().dropout(), training);
        NDArray z = Activation.relu(Linear.linear(o, fc1W, fc1B).singletonOrThrow());
        return Activation.relu(Linear.linear(z.concat(u, 1), fc2W, fc2B).singletonOrThrow());
    }

    /**
     * RecBole's regulariser {@code lambda (||P|| + ||E|| + ||W_v|| + ||W_1|| + ||W_2|| + sum_h ||F_h||)}, unsquared
     * Frobenius norms of the whole tables and weights (biases excluded).
     *
     * @return a scalar
     */
    public NDArray regularizer() {
        List<NDArray> ws = new ArrayList<>();
        if (userEmb != null) {
            ws.add(userEmb);
        }
        ws.add(itemEmb);
        if (convV != null) {
            ws.add(convV);
        }
        ws.add(fc1W);
        ws.add(fc2W);
        ws.addAll(convH);
        NDArray sum = null;
        for (NDArray w : ws) {
            NDArray n = w.square().sum().sqrt();
            sum = sum == null ? n : sum.add(n);
        }
        return Ops.scale(sum, config().regWeight());
    }

    @Override
    public NDArray loss(Batch batch, StepContext ctx) {
        long[] targets = batch.lastTargets();
        long[] negatives = batch.lastNegatives();
        NDArray rec = config().loss().compute(represent(batch, true), itemEmb, targets, negatives);
        return config().regWeight() > 0 ? rec.add(regularizer()) : rec;
    }

    @Override
    public NDArray scoreAll(Batch batch) {
        return represent(batch, false).matMul(itemEmb.transpose());
    }
}
