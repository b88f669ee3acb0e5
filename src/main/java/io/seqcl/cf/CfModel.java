package io.seqcl.cf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.seqcl.loss.SampledInfoNCE;
import io.seqcl.nn.Ops;
import io.seqcl.nn.Params;

import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * MF / LightGCN collaborative-filtering backbone with the InfoNCE, InfoNCE×k and AdvInfoNCE losses and the
 * AdvInfoNCE hardness model (embedding tables or MLP); the losses are {@link SampledInfoNCE} objects.
 *
 * <p>AdvInfoNCE: Zhang et al., NeurIPS'23 (../shared/papers/004_d175cd9068ec927a.txt); LightGCN: He et al.,
 * SIGIR'20. Implementation follows advinfonce.md §2–§4 (LehengTHU/AdvInfoNCE code): Xavier-normal embeddings,
 * {@code Â = D^-1/2 A D^-1/2} of the bipartite graph without self loops, final embedding = mean of layers
 * 0..L (MF: layer 0), cosine scores divided by τ. The AdvInfoNCE loss is computed in log space:
 * {@code L = -log softmax([s⁺/τ, s_j/τ + ln(kN) + log softmax_j(ŝ_uj)])[0]}, which equals
 * {@code -log(e^{s⁺/τ} / (e^{s⁺/τ} + kN Σ_j p_uj e^{s_j/τ}))} exactly; InfoNCE×k uses {@code + ln k}.
 *
 * <p>Computation: the negatives' scores and hardness logits are products of the user's vector with the whole item
 * table, gathered at the negatives, when the table has at most 32 rows per negative drawn, else batched products
 * of the gathered rows with the user's vector; the regulariser of the negatives is read from the item rows'
 * squared norms when the table has fewer rows than the batch draws; with cosine scores the whole item table is
 * normalised once when it is scored whole or has at most as many rows as the batch draws (B (N + 1)). The values
 * are those of the direct element-wise form (the rows gathered, normalised, multiplied and summed;
 * {@code CfModelTest}), without its {@code [B, N, d]} intermediates: a training step on Yahoo!R3 and Coat is 2-8x
 * faster (README, "Collaborative filtering step").
 *
 * <p>Deviations from the reference code: the regulariser uses {@code ½‖Q_neg‖²} where the code has the typo
 * {@code 0.5^‖Q_neg‖} (advinfonce.md §3; negligible at 1e-5); MLP hardness weights are Xavier-normal with zero
 * bias (torch Linear default init in the code); the propagation uses a sparse COO matrix product (as the code).
 */
public final class CfModel implements AutoCloseable {

    /** Name of the user embedding table P. */
    public static final String USER = "emb.user";
    /** Name of the item embedding table Q. */
    public static final String ITEM = "emb.item";
    /** Selects the hardness-model parameters (names starting with "hard."). */
    public static final Predicate<String> HARDNESS = n -> n.startsWith("hard.");
    /** Selects the backbone parameters. */
    public static final Predicate<String> BACKBONE = HARDNESS.negate();

    private final CfConfig config;
    private final int numUsers;
    private final int numItems;
    private final Params params;
    private final NDArray adjacency;
    private final SampledInfoNCE infoNce;

    /**
     * Builds a model; parameters are drawn from {@code seed}.
     *
     * @param config the configuration
     * @param data the dataset (its training graph defines the LightGCN adjacency)
     * @param seed initialisation seed
     */
    public CfModel(CfConfig config, CfDataset data, long seed) {
        noGrad();
        this.config = config;
        this.numUsers = data.numUsers();
        this.numItems = data.numItems();
        this.params = new Params();
        SplittableRandom rng = new SplittableRandom(seed);
        int d = config.dim();
        params.normal(USER, Math.sqrt(2.0 / (numUsers + d)), rng.split(), numUsers, d);
        params.normal(ITEM, Math.sqrt(2.0 / (numItems + d)), rng.split(), numItems, d);
        SplittableRandom hr = rng.split();
        if (config.loss() == CfConfig.Loss.ADV_INFONCE) {
            int h = config.hardnessDim();
            if (config.hardness() == CfConfig.Hardness.EMBED) {
                params.normal("hard.user", Math.sqrt(2.0 / (numUsers + h)), hr.split(), numUsers, h);
                params.normal("hard.item", Math.sqrt(2.0 / (numItems + h)), hr.split(), numItems, h);
            } else {
                params.normal("hard.user.w", Math.sqrt(2.0 / (d + h)), hr.split(), d, h);
                params.constant("hard.user.b", 0f, h);
                params.normal("hard.item.w", Math.sqrt(2.0 / (d + h)), hr.split(), d, h);
                params.constant("hard.item.b", 0f, h);
            }
        }
        this.infoNce = lossOf(config);
        this.adjacency = config.effectiveLayers() > 0 ? buildAdjacency(params.manager(), data) : null;
    }

    /**
     * The symmetric normalised adjacency of the user-item graph as COO triplets over {@code U + I} nodes
     * (users first, then items): {@code Â[u][U+i] = Â[U+i][u] = 1/sqrt(deg(u) deg(i))}.
     *
     * @param data the dataset
     * @return {@code {rows, cols, values}} with values as doubles
     */
    public static double[][] adjacencyTriplets(CfDataset data) {
        int nu = data.numUsers();
        long[] itemDeg = data.itemCounts();
        int nnz = Math.toIntExact(2 * data.numTrain());
        double[] r = new double[nnz];
        double[] c = new double[nnz];
        double[] v = new double[nnz];
        int k = 0;
        for (int u = 0; u < nu; u++) {
            int[] items = data.train(u);
            for (int i : items) {
                double w = 1.0 / Math.sqrt((double) items.length * itemDeg[i]);
                r[k] = u;
                c[k] = nu + i;
                v[k++] = w;
                r[k] = nu + i;
                c[k] = u;
                v[k++] = w;
            }
        }
        return new double[][] {r, c, v};
    }

    private static NDArray buildAdjacency(NDManager manager, CfDataset data) {
        double[][] t = adjacencyTriplets(data);
        int nnz = t[0].length;
        long[] idx = new long[2 * nnz];
        float[] vals = new float[nnz];
        for (int k = 0; k < nnz; k++) {
            idx[k] = (long) t[0][k];
            idx[nnz + k] = (long) t[1][k];
            vals[k] = (float) t[2][k];
        }
        long n = data.numUsers() + data.numItems();
        // NDManager.createCoo closes its temporary index/value arrays, whose Java-owned buffers the sparse tensor
        // still uses (garbage indices after a GC); these two stay attached to the long-lived manager instead
        NDArray indices = manager.create(idx, new Shape(2, nnz));
        NDArray values = manager.create(vals);
        return JniUtils.createSparseCoo((PtNDArray) indices, (PtNDArray) values, new Shape(n, n));
    }

    /**
     * The sampled-negative InfoNCE object of a configuration's loss.
     *
     * @param config the configuration
     * @return plain InfoNCE, InfoNCE×k or the hardness-weighted AdvInfoNCE form, with {@code kNeg}
     */
    public static SampledInfoNCE lossOf(CfConfig config) {
        return switch (config.loss()) {
            case INFONCE -> SampledInfoNCE.plain();
            case INFONCE_K -> SampledInfoNCE.timesK(config.kNeg());
            case ADV_INFONCE -> SampledInfoNCE.hardness(config.kNeg());
        };
    }

    /** Turns autograd recording off on the calling thread ({@link io.seqcl.nn.Devices#noGradOnThisThread()}). */
    static void noGrad() {
        io.seqcl.nn.Devices.noGradOnThisThread();
    }

    /** @return the configuration */
    public CfConfig config() {
        return config;
    }

    /** @return the parameter store (backbone "emb.*", hardness "hard.*") */
    public Params params() {
        return params;
    }

    /** @return number of users */
    public int numUsers() {
        return numUsers;
    }

    /** @return number of items */
    public int numItems() {
        return numItems;
    }

    /** @return whether the model has a learned hardness model (AdvInfoNCE) */
    public boolean hasHardness() {
        return config.loss() == CfConfig.Loss.ADV_INFONCE;
    }

    /**
     * Final node embeddings {@code [U + I, d]} (users first): mean of {@code E^0..E^L}, {@code E^{k+1} = Â E^k};
     * MF returns {@code E^0}. Differentiable w.r.t. P and Q.
     *
     * @return the embeddings (attached to the current scope)
     */
    public NDArray propagate() {
        NDArray e0 = params.get(USER).concat(params.get(ITEM), 0);
        int layers = config.effectiveLayers();
        if (layers == 0) {
            return e0;
        }
        NDArray sum = e0;
        NDArray e = e0;
        for (int l = 0; l < layers; l++) {
            e = adjacency.matMul(e);
            sum = sum.add(e);
        }
        return Ops.scale(sum, 1.0 / (layers + 1));
    }

    /**
     * Hardness logits ŝ_uj for a batch.
     *
     * @param users user ids {@code [B]} (int64)
     * @param items item ids {@code [B, N]} (int64, no offset)
     * @return {@code [B, N]}
     */
    public NDArray hardnessLogits(NDArray users, NDArray items) {
        boolean whole = wholeTable(items.getShape().get(items.getShape().dimension() - 1));
        if (config.hardness() == CfConfig.Hardness.EMBED) {
            return scores(Ops.rows(params.get("hard.user"), users), params.get("hard.item"), items, whole);
        }
        NDArray hu = hardnessLayer(Ops.rows(params.get(USER), users).stopGradient(), "user");
        if (whole) {
            return scores(hu, hardnessLayer(params.get(ITEM).stopGradient(), "item"), items, true);
        }
        NDArray hi = hardnessLayer(Ops.rows(params.get(ITEM), items).stopGradient(), "item");
        return rowDots(hi, hu);
    }

    /** The MLP hardness model's layer for one side ("user" or "item"): {@code relu(x W + b)}. */
    private NDArray hardnessLayer(NDArray x, String side) {
        return x.matMul(params.get("hard." + side + ".w")).add(params.get("hard." + side + ".b"))
                .maximum(Ops.scalar(x, 0));
    }

    /**
     * Item tables with at most this many rows per drawn negative ({@code I <= 32 N}) are scored whole: a
     * {@code [B, d] x [d, I]} product from which the negatives' scores are gathered, instead of gathering
     * {@code [B, N, d]} rows (Coat and Yahoo!R3, 300 and 1,000 items with N = 64; README, "Collaborative filtering
     * step").
     */
    static final int WHOLE_TABLE_ROWS_PER_NEGATIVE = 32;

    private boolean wholeTable(long negatives) {
        return numItems <= WHOLE_TABLE_ROWS_PER_NEGATIVE * negatives;
    }

    /**
     * {@code out[b, j] = <table[ids[b, j]], v[b]>}, from the whole-table product or from the gathered rows.
     *
     * @param v {@code [B, d]}
     * @param table {@code [I, d]}
     * @param ids int64 {@code [B, N]}
     * @param whole whether to score the whole table and gather
     * @return {@code [B, N]}
     */
    static NDArray scores(NDArray v, NDArray table, NDArray ids, boolean whole) {
        if (whole) {
            return v.matMul(table.transpose()).gather(ids, 1);
        }
        return rowDots(Ops.rows(table, ids), v);
    }

    /**
     * {@code out[b, j] = <rows[b, j, :], v[b, :]>} as a batched product (no {@code [B, N, d]} intermediate).
     *
     * @param rows {@code [B, N, d]}
     * @param v {@code [B, d]}
     * @return {@code [B, N]}
     */
    static NDArray rowDots(NDArray rows, NDArray v) {
        return rows.batchMatMul(v.expandDims(2)).squeeze(2);
    }

    /**
     * {@code Σ ‖table[id]‖²} over all ids (with repeats), from the rows' squared norms when the table has fewer
     * rows than there are ids (then no {@code [ids, d]} gather is formed), else from the gathered rows.
     *
     * @param table {@code [V, d]}
     * @param ids int64 ids of any shape
     * @return a scalar
     */
    static NDArray squaredRowNorms(NDArray table, NDArray ids) {
        if (table.getShape().get(0) < ids.size()) {
            return Ops.rows(table.square().sum(new int[] {1}, true), ids).sum();
        }
        return Ops.rows(table, ids).square().sum();
    }

    /**
     * The loss terms of one batch.
     *
     * @param loss mean contrastive loss over the batch (InfoNCE, InfoNCE×k or AdvInfoNCE per config)
     * @param reg the L2 regulariser of the batch's layer-0 embeddings
     * @param kl mean KL(p_u ‖ uniform) over the batch's rows (0 without a hardness model)
     */
    public record Terms(NDArray loss, NDArray reg, double kl) {
    }

    /**
     * Computes the loss terms of a batch (call inside an NDScope; under a GradientCollector to train).
     *
     * @param b the batch
     * @return the terms
     */
    public Terms terms(CfBatch b) {
        NDManager m = params.manager();
        int bs = b.size();
        int n = b.numNegatives();
        NDArray users = m.create(b.users());
        NDArray pos = m.create(b.positives());
        NDArray neg = m.create(b.negatives(), new Shape(bs, n));
        NDArray u;
        NDArray itemTable;
        if (config.effectiveLayers() == 0) { // MF: the tables themselves
            u = Ops.rows(params.get(USER), users);
            itemTable = params.get(ITEM);
        } else {
            NDArray e = propagate();
            u = Ops.rows(e, users);
            itemTable = e.get(new NDIndex("{}:", numUsers));
        }
        // with cosine scores, a batch of B users draws B (N + 1) item rows; below that many rows, or when the table
        // is scored whole, the whole item table is normalised once (the rows of a normalised table are the
        // normalised rows: same values)
        boolean whole = wholeTable(n);
        boolean normTable = config.trainNorm() && (whole || numItems <= (long) bs * (n + 1));
        if (normTable) {
            itemTable = Ops.l2Normalize(itemTable, 1e-12);
        }
        boolean normRows = config.trainNorm() && !normTable; // else the gathered rows are normalised one by one
        if (config.trainNorm()) {
            u = Ops.l2Normalize(u, 1e-12);
        }
        NDArray p = Ops.rows(itemTable, pos);
        NDArray sNegRaw;
        if (normRows) {
            p = Ops.l2Normalize(p, 1e-12);
            sNegRaw = rowDots(Ops.l2Normalize(Ops.rows(itemTable, neg), 1e-12), u);
        } else {
            sNegRaw = scores(u, itemTable, neg, whole);
        }
        double invT = 1.0 / config.temperature();
        NDArray sPos = Ops.scale(u.mul(p).sum(new int[] {1}, true), invT);
        NDArray sNeg = Ops.scale(sNegRaw, invT);
        double kl = 0;
        NDArray loss;
        if (infoNce.weighting() == SampledInfoNCE.Weighting.HARDNESS) {
            NDArray logp = hardnessLogits(users, neg).logSoftmax(1);
            loss = infoNce.compute(sPos, sNeg, logp);
            kl = meanKl(logp.toType(DataType.FLOAT32, false).toFloatArray(), bs, n);
        } else {
            loss = infoNce.compute(sPos, sNeg);
        }
        NDArray p0 = Ops.rows(params.get(USER), users);
        NDArray q0 = Ops.rows(params.get(ITEM), pos);
        NDArray sq = p0.square().sum().add(q0.square().sum()).add(squaredRowNorms(params.get(ITEM), neg));
        NDArray reg = Ops.scale(sq, 0.5 * config.regs() / bs);
        return new Terms(loss, reg, kl);
    }

    /**
     * Mean over rows of {@code KL(p ‖ uniform) = Σ_j p_j ln(N p_j)} from row-major log-probabilities.
     *
     * @param logp log p, {@code [rows * n]}
     * @param rows number of rows
     * @param n row length N
     * @return the mean KL
     */
    public static double meanKl(float[] logp, int rows, int n) {
        double total = 0;
        double lnN = Math.log(n);
        for (int r = 0; r < rows; r++) {
            double kl = 0;
            for (int j = 0; j < n; j++) {
                double lp = logp[r * n + j];
                kl += Math.exp(lp) * (lp + lnN);
            }
            total += kl;
        }
        return total / rows;
    }

    /**
     * Final embeddings for ranking, L2-normalised when {@code predNorm}, copied to the heap.
     *
     * @return {@code [U + I][d]} row-major as {@code float[(U+I) * d]}
     */
    public float[] rankingEmbeddings() {
        noGrad();
        try (NDScope scope = new NDScope()) {
            NDArray e = propagate();
            if (config.predNorm()) {
                e = Ops.l2Normalize(e, 1e-12);
            }
            return e.toFloatArray();
        }
    }

    /**
     * Hardness logits of one user for all items (for the learned-hardness analysis).
     *
     * @param user the user
     * @return ŝ_uj for j = 0..I-1
     * @throws IllegalStateException if the model has no hardness model
     */
    public float[] hardnessRow(int user) {
        if (!hasHardness()) {
            throw new IllegalStateException("loss " + config.loss() + " has no hardness model");
        }
        noGrad();
        try (NDScope scope = new NDScope()) {
            NDManager m = params.manager();
            long[] all = new long[numItems];
            for (int i = 0; i < numItems; i++) {
                all[i] = i;
            }
            NDArray h = hardnessLogits(m.create(new long[] {user}), m.create(all, new Shape(1, numItems)));
            return h.toFloatArray();
        }
    }

    @Override
    public void close() {
        params.close();
    }
}
