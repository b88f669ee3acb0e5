package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.seqcl.augment.Augmentation;
import io.seqcl.augment.BatchViews;
import io.seqcl.loss.InfoNCE;
import io.seqcl.nn.KMeans;
import io.seqcl.nn.Ops;
import io.seqcl.nn.Params;
import io.seqcl.nn.Pooling;
import io.seqcl.optim.StepContext;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;

/**
 * ICLRec: SASRec trained with the next-item loss, an instance-level NCE between two augmented views, and an
 * intent-level NCE that pulls each view towards the prototype of its sequence's latent intent, the intents being
 * k-means clusters of all users' sequence representations recomputed at the start of every epoch (EM).
 *
 * <p>Chen, Liu, Li, McAuley, Xiong, "Intent Contrastive Learning for Sequential Recommendation", WWW 2022,
 * arXiv:2202.02519; the code (salesforce/ICLRec, contrast type Hybrid) as specified in
 * /work/shared/specs/baselines.md §10 and §1.2. E-step ({@link #onEpochStart}, after {@code warmUpEpochs}): the
 * encoder in evaluation mode maps every user's training input {@code s_1..s_{n-3}} to the mean of its states,
 * and {@link KMeans} (seeded; K, 20 iterations, 5 restarts) clusters them; prototypes are the unit-normalised
 * centroids; skipped when there are no more users than K (as in the code). M-step per batch:
 * {@code L = L_BCE(all positions) + lambda NCE(vec f(x~1), vec f(x~2)) + beta/2 [NCE(mean f(x~1), c_k) +
 * NCE(mean f(x~2), c_k)]} where {@code k} is the nearest (unnormalised) centroid of the batch's own mean state
 * (this training forward, detached); the NCE is the 2B-row form of §1.2, so prototype rows are anchors too and
 * other samples' identical prototypes act as negatives unless {@code deNoise}.
 *
 * <p>Deviations: k-means is seqcl's {@link KMeans} (random distinct initial points, empty clusters re-seeded
 * with the farthest point) instead of faiss; the item table has N+1 rows; views come from Java's seeded streams.
 * The code's {@code de_noise} for the instance term (keyed by the validation item, a label leak) is not
 * reproduced. Preset {@link BaselinePreset#SEQCL} (default) pools over real positions only (mean and
 * {@code vec(H)}) and uses seqcl's crop/reorder start rule; {@link BaselinePreset#PAPER_TABLE} pools over all
 * {@code T} rows, padding included, as the code does. Packed execution computes full rows where padding states
 * are read, so packed and padded agree.
 */
public final class ICLRec extends AbstractRecommender<ICLRecConfig> {

    private final ICLRecConfig config;
    private final ContrastiveEncoder encoder;
    private final InfoNCE nce;
    private final Augmentation augmenter;
    private volatile KMeans.Result intents;
    private volatile float[][] prototypes;

    /**
     * Builds the model with weights drawn from {@code seed}.
     *
     * @param numItems number of items N
     * @param config configuration
     * @param seed initialisation seed
     */
    public ICLRec(int numItems, ICLRecConfig config, long seed) {
        super("ICLRec", numItems, config, new Params());
        this.config = config;
        this.encoder = new ContrastiveEncoder(numItems, config.backbone(), MaskToken.PADDING, seed, params());
        this.nce = config.infoNCE();
        this.augmenter = config.augmenter();
    }

    private boolean paper() {
        return config.preset() == BaselinePreset.PAPER_TABLE;
    }

    private NDArray mean(NDArray h, Batch batch) {
        return paper() ? Pooling.MEAN.poolAllPositions(h) : Pooling.MEAN.pool(h, batch);
    }

    @Override
    public void prepare(LeaveOneOutSplit split) {
        intents = null;
        prototypes = null;
    }

    /**
     * The E-step: clusters the mean states of every user's training input (evaluation mode).
     *
     * @param epoch the epoch about to start
     * @param split the split
     * @param seed the epoch's seed (k-means initialisation)
     */
    @Override
    public void onEpochStart(int epoch, LeaveOneOutSplit split, long seed) {
        if (epoch <= config.warmUpEpochs() || config.beta() == 0) {
            intents = null;
            prototypes = null;
            return;
        }
        float[][] x = sequenceMeans(split);
        if (x.length <= config.numIntents()) {
            intents = null;
            prototypes = null;
            return;
        }
        KMeans.Result r = KMeans.fit(x, config.numIntents(), config.kmeansIterations(), config.kmeansRestarts(), seed);
        prototypes = r.unitCentroids();
        intents = r;
    }

    /**
     * The mean state of every split user's training input {@code s_1..s_{n-3}} in evaluation mode.
     *
     * @param split the split
     * @return one row per split user
     */
    public float[][] sequenceMeans(LeaveOneOutSplit split) {
        int[][] seqs = CoSeRec.trainingInputs(split);
        int t = config.encoder().maxLen();
        float[][] out = new float[seqs.length][];
        int bs = 256;
        for (int a = 0; a < seqs.length; a += bs) {
            int b = Math.min(seqs.length, a + bs);
            int[][] items = new int[b - a][];
            int[] lengths = new int[b - a];
            int[] users = new int[b - a];
            for (int i = a; i < b; i++) {
                int from = Math.max(0, seqs[i].length - t);
                items[i - a] = Batch.pad(seqs[i], from, seqs[i].length, t, config.encoder().padding());
                lengths[i - a] = seqs[i].length - from;
                users[i - a] = split.datasetUser(i);
            }
            Batch batch = new Batch(items, null, null, lengths, users, config.encoder().padding());
            try (NDScope scope = new NDScope()) {
                float[] m = mean(encoder.states(false, paper(), batch), batch).toFloatArray();
                int d = m.length / (b - a);
                for (int i = a; i < b; i++) {
                    out[i] = java.util.Arrays.copyOfRange(m, (i - a) * d, (i - a + 1) * d);
                }
            }
        }
        return out;
    }

    /** @return the current intents (null before the first E-step, during the warm-up, or when skipped) */
    public KMeans.Result intents() {
        return intents;
    }

    /**
     * The intent NCE of two views' mean states against their prototypes.
     *
     * @param m1 view 1 means {@code [B, d]}
     * @param m2 view 2 means {@code [B, d]}
     * @param protos the prototype of each row {@code [B, d]}
     * @param groups intent ids for de-noising (null: off)
     * @return {@code (NCE(m1, protos) + NCE(m2, protos)) / 2}
     */
    NDArray intentLoss(NDArray m1, NDArray m2, NDArray protos, long[] groups) {
        return nce.compute(m1, protos, groups).add(nce.compute(m2, protos, groups)).mul(Ops.scalar(m1, 0.5f));
    }

    @Override
    public NDArray loss(Batch batch, StepContext ctx) {
        NDArray h = encoder.states(true, paper(), batch);
        NDArray total = encoder.recLoss(h, batch);
        KMeans.Result km = intents;
        float[][] protos = prototypes;
        boolean intent = config.beta() > 0 && km != null;
        if (config.lambda() == 0 && !intent) {
            return total;
        }
        Batch v1 = BatchViews.apply(batch, augmenter, ctx.rng());
        Batch v2 = BatchViews.apply(batch, augmenter, ctx.rng());
        NDArray hv = encoder.states(true, paper(), v1, v2);
        int b = batch.size();
        NDIndex first = new NDIndex("0:" + b);
        NDIndex second = new NDIndex(b + ":" + 2 * b);
        if (config.lambda() > 0) {
            NDArray z = paper() ? Pooling.FLATTEN.poolAllPositions(hv)
                    : Pooling.FLATTEN.pool(hv, ContrastiveEncoder.concat(v1, v2));
            total = total.add(Ops.scale(nce.compute(z.get(first), z.get(second), null), config.lambda()));
        }
        if (intent) {
            float[] mb = mean(h, batch).toFloatArray();
            int d = mb.length / b;
            float[][] rows = new float[b][];
            for (int i = 0; i < b; i++) {
                rows[i] = java.util.Arrays.copyOfRange(mb, i * d, (i + 1) * d);
            }
            int[] k = km.assign(rows);
            float[] p = new float[b * d];
            long[] groups = config.deNoise() ? new long[b] : null;
            for (int i = 0; i < b; i++) {
                System.arraycopy(protos[k[i]], 0, p, i * d, d);
                if (groups != null) {
                    groups[i] = k[i];
                }
            }
            NDArray pa = h.getManager().create(p, new Shape(b, d)).toType(h.getDataType(), false);
            NDArray mv = paper() ? Pooling.MEAN.poolAllPositions(hv)
                    : Pooling.MEAN.pool(hv, ContrastiveEncoder.concat(v1, v2));
            total = total.add(Ops.scale(intentLoss(mv.get(first), mv.get(second), pa, groups), config.beta()));
        }
        return total;
    }

    @Override
    public NDArray scoreAll(Batch batch) {
        return encoder.scoreAll(batch);
    }
}
