package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.seqcl.nn.Ops;
import io.seqcl.nn.Params;
import io.seqcl.optim.StepContext;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;

import java.util.SplittableRandom;

/**
 * BPR-MF: matrix factorisation trained with the Bayesian Personalised Ranking pairwise loss (Rendle,
 * Freudenthaler, Gantner and Schmidt-Thieme, "BPR: Bayesian Personalized Ranking from Implicit Feedback", UAI 2009,
 * arXiv:1205.2618), in RecBole's form ({@code bpr.py}, baselines.md section 2).
 *
 * <p>Every user and item has a d-vector; {@code score(u, i) = u_u . q_i} (no biases); per training interaction
 * {@code (u, i)} one negative {@code j} is drawn uniformly from the items not in the user's training part
 * ({@link io.seqcl.protocol.SampleMode#INTERACTIONS}, re-drawn every epoch) and the loss is
 * {@code -log sigma(u.q_i - u.q_j)}, averaged over the batch. The model ignores order: users enter only through
 * their ids ({@link Batch#users()}, which must be filled in scoring batches too).
 *
 * <p>The user table {@code [|U|, d]} is created in {@link #prepare} from the split's dataset (the factory only
 * knows N), with its own stream derived from the seed, so the same seed gives the same weights; preparing again
 * for a dataset with as many users keeps the trained table.
 *
 * <p>Deviations from the reference code: Xavier-normal initialisation uses a Java random stream (values differ
 * from PyTorch's for the same seed); {@link BPRMFConfig#defaults()} uses the exact softplus form of the loss,
 * RecBole's {@code -log(1e-10 + sigma(x))} is {@link BPRMFConfig#paperTable()}; the original paper's explicit L2
 * regulariser and bootstrap SGD are not reproduced (RecBole has neither: Adam, weight decay 0); the item table's
 * row 0 exists and is never trained, as in RecBole.
 */
public final class BPRMF extends AbstractRecommender<BPRMFConfig> {

    /** Parameter name of the item table. */
    public static final String ITEM_EMBEDDING = "item_embedding";
    /** Parameter name of the user table. */
    public static final String USER_EMBEDDING = "user_embedding";

    private final long seed;
    private final NDArray itemEmb;
    private NDArray userEmb;

    /**
     * Builds the item table; the user table follows in {@link #prepare}.
     *
     * @param numItems number of items N (the item table has N+1 rows)
     * @param config configuration
     * @param seed initialisation seed
     */
    public BPRMF(int numItems, BPRMFConfig config, long seed) {
        super("BPR-MF", numItems, config, new Params());
        this.seed = seed;
        int d = config.embeddingSize();
        itemEmb = xavierNormal(params(), ITEM_EMBEDDING, numItems + 1, d, new SplittableRandom(seed));
    }

    /**
     * Adds a Xavier-normal {@code [rows, d]} table ({@code std = sqrt(2 / (rows + d))}, PyTorch's convention).
     *
     * @param params the store
     * @param name parameter name
     * @param rows rows
     * @param d columns
     * @param rng stream
     * @return the table
     */
    static NDArray xavierNormal(Params params, String name, int rows, int d, SplittableRandom rng) {
        return params.normal(name, Math.sqrt(2.0 / (rows + d)), rng, rows, d);
    }

    @Override
    public void prepare(LeaveOneOutSplit split) {
        userEmb = userTable(params(), userEmb, split, config().embeddingSize(), seed, "BPR-MF");
    }

    /**
     * Creates the user table for a split's dataset, or checks that an existing one fits it.
     *
     * @param params the store
     * @param existing the table created before, or null
     * @param split the split
     * @param d width
     * @param seed model seed (the table has its own stream derived from it)
     * @param model model name for messages
     * @return the table
     */
    static NDArray userTable(Params params, NDArray existing, LeaveOneOutSplit split, int d, long seed,
                             String model) {
        int users = split.dataset().numUsers();
        if (existing != null) {
            if (existing.getShape().get(0) != users) {
                throw new IllegalArgumentException(model + " was prepared for " + existing.getShape().get(0)
                        + " users but dataset " + split.dataset().name() + " has " + users);
            }
            return existing;
        }
        return xavierNormal(params, USER_EMBEDDING, users, d,
                new SplittableRandom(userSeed(seed)));
    }

    /**
     * The seed of the user table's stream, derived from the model seed (SplitMix64 finaliser), so that the item-side
     * weights do not depend on whether or when the user table is built.
     *
     * @param seed model seed
     * @return the derived seed
     */
    static long userSeed(long seed) {
        long z = seed * 0x9E3779B97F4A7C15L + 0x5553455253L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Looks up the users of a batch, failing fast where a row has no user.
     *
     * @param table user table
     * @param batch the batch
     * @param model model name for messages
     * @return {@code [B, d]}
     */
    static NDArray users(NDArray table, Batch batch, String model) {
        if (table == null) {
            throw new IllegalStateException(model + ": call prepare(split) first (the user table is built there)");
        }
        long rows = table.getShape().get(0);
        long[] ids = new long[batch.size()];
        for (int b = 0; b < ids.length; b++) {
            int u = batch.users() == null ? -1 : batch.users()[b];
            if (u < 0 || u >= rows) {
                throw new IllegalArgumentException(model + " needs the user of every row (Batch.users()), but row "
                        + b + " has user index " + u + " (table has " + rows + " users)");
            }
            ids[b] = u;
        }
        return Ops.rows(table, ids);
    }

    /** @return the item table {@code [N+1, d]} */
    public NDArray itemEmbedding() {
        return itemEmb;
    }

    /** @return the user table {@code [|U|, d]}, or null before {@link #prepare} */
    public NDArray userEmbedding() {
        return userEmb;
    }

    @Override
    public NDArray loss(Batch batch, StepContext ctx) {
        if (batch.negatives() == null) {
            throw new IllegalArgumentException("BPR-MF needs a sampled negative per interaction (batch has none)");
        }
        long[] pos = batch.lastTargets();
        long[] neg = batch.lastNegatives();
        for (int b = 0; b < pos.length; b++) {
            if (pos[b] < 1 || neg[b] < 1) {
                throw new IllegalArgumentException("BPR-MF: row " + b + " has no target or negative at position "
                        + batch.lastIndex(b) + " (use SampleMode.INTERACTIONS)");
            }
        }
        NDArray u = users(userEmb, batch, name());
        NDArray diff = Ops.rows(itemEmb, pos).sub(Ops.rows(itemEmb, neg));
        return pairwise(u.mul(diff).sum(new int[] {1}), config().logEpsilon());
    }

    /**
     * The BPR loss of score differences.
     *
     * @param x {@code y_ui - y_uj} per triple {@code [B]}
     * @param logEpsilon gamma in {@code -log(gamma + sigma(x))}; 0 for the exact softplus form
     * @return the batch mean
     */
    static NDArray pairwise(NDArray x, double logEpsilon) {
        if (logEpsilon == 0) {
            return Activation.softPlus(x.neg()).mean();
        }
        return Activation.sigmoid(x).add(Ops.scalar(x, logEpsilon)).log().neg().mean();
    }

    @Override
    public NDArray scoreAll(Batch batch) {
        return users(userEmb, batch, name()).matMul(itemEmb.transpose());
    }
}
