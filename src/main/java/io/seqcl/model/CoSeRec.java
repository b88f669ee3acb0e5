package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.seqcl.augment.Augmentation;
import io.seqcl.augment.BatchViews;
import io.seqcl.loss.InfoNCE;
import io.seqcl.nn.Ops;
import io.seqcl.nn.Params;
import io.seqcl.nn.Pooling;
import io.seqcl.optim.StepContext;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;

/**
 * CoSeRec: SASRec trained jointly with an NCE loss between two views of each input, drawn from a random choice of
 * crop, mask, reorder and the "informative" insert and substitute, which use the most similar item of an
 * item-similarity model that starts as offline ItemCF-IUF and becomes a hybrid with the model's own embeddings.
 *
 * <p>Liu, Chen, Li, Yu, McAuley, Xiong, "Contrastive Self-supervised Sequential Recommendation with Robust
 * Augmentation", arXiv:2108.06479, 2021; the code (YChen1993/CoSeRec, same lineage as salesforce/CoSeRec) as
 * specified in /work/shared/specs/baselines.md §9 and §1.2. Per batch: {@code L = L_BCE(all positions) +
 * lambda NCE(vec f(x~1), vec f(x~2))} with {@code vec} the flattened {@code T x d} states ({@link Pooling#FLATTEN}),
 * tau 1, dot, 2B-2 in-batch negatives; one Adam step on the sum. The similarity model ({@link ItemSimilarity}) is
 * computed from the training inputs {@code s_1..s_{n-3}} in {@link #prepare} and, after {@code warmUpEpochs},
 * refreshed from the item table at the start of every epoch ({@link #onEpochStart}).
 *
 * <p>Deviations: the item table has N+1 rows (the code's N+2-row table has a mask row its mask never writes, and its
 * negatives may draw that id); ItemCF-IUF is recomputed instead of cached on disk; views are drawn from Java's
 * seeded streams; the original input and the two views go through the encoder in two passes (independent dropout
 * per row, as in the code's three forwards). Preset {@link BaselinePreset#SEQCL} (default) also uses real positions
 * only in {@code vec(H)}, seqcl's crop/reorder start rule and item rows only in the online similarity;
 * {@link BaselinePreset#PAPER_TABLE} keeps the code's padding rows, start rule and padding-row candidate.
 * Packed execution: views are computed in full rows under PAPER_TABLE (the padding states are read), real positions
 * otherwise; both equal the padded path.
 */
public final class CoSeRec extends AbstractRecommender<CoSeRecConfig> {

    private final CoSeRecConfig config;
    private final ContrastiveEncoder encoder;
    private final InfoNCE nce;
    private final Augmentation augmenter;
    private final long seed;
    private ItemSimilarity offline;
    private volatile ItemSimilarity current;

    /**
     * Builds the model with weights drawn from {@code seed}.
     *
     * @param numItems number of items N
     * @param config configuration
     * @param seed initialisation seed (also seeds the ItemCF-IUF fallback for items without co-occurrence)
     */
    public CoSeRec(int numItems, CoSeRecConfig config, long seed) {
        this(numItems, config, seed, new Params());
    }

    /** For composite models (LMA4Rec): the weights go into {@code store}. */
    CoSeRec(int numItems, CoSeRecConfig config, long seed, Params store) {
        super("CoSeRec", numItems, config, store);
        this.config = config;
        this.encoder = new ContrastiveEncoder(numItems, config.backbone(), MaskToken.PADDING, seed, params());
        this.nce = config.infoNCE();
        this.seed = seed;
        this.augmenter = config.augmenter(this::similar);
    }

    private int similar(int item) {
        ItemSimilarity s = current;
        if (s == null) {
            throw new IllegalStateException("CoSeRec needs prepare(split) before training (item similarity)");
        }
        return s.top1(item);
    }

    /**
     * The training inputs {@code s_1..s_{n-3}} of every user of a split (the sequences the code's offline
     * similarity and ICLRec's clustering see).
     *
     * @param split the split
     * @return one array per split user
     */
    static int[][] trainingInputs(LeaveOneOutSplit split) {
        int[][] seqs = new int[split.numUsers()][];
        for (int i = 0; i < seqs.length; i++) {
            int[] t = split.trainSequence(i);
            seqs[i] = java.util.Arrays.copyOf(t, Math.max(0, t.length - 1));
        }
        return seqs;
    }

    @Override
    public void prepare(LeaveOneOutSplit split) {
        offline = ItemSimilarity.itemCfIuf(numItems(), trainingInputs(split), seed);
        current = offline;
    }

    @Override
    public void onEpochStart(int epoch, LeaveOneOutSplit split, long epochSeed) {
        if (offline == null) {
            prepare(split);
        }
        if (config.similarityModel() == CoSeRecConfig.SimilarityModel.OFFLINE || epoch <= config.warmUpEpochs()) {
            current = offline;
            return;
        }
        ItemSimilarity online = ItemSimilarity.online(encoder.outputTable(), numItems(),
                config.preset() == BaselinePreset.PAPER_TABLE);
        current = config.similarityModel() == CoSeRecConfig.SimilarityModel.HYBRID ? offline.hybrid(online) : online;
    }

    /** @return the similarity model insert and substitute use now (null before {@link #prepare}) */
    public ItemSimilarity currentSimilarity() {
        return current;
    }

    /**
     * The two augmented views of a batch, drawn from {@code ctx.rng()} (view 1 for every row, then view 2).
     *
     * @param batch training batch (not modified)
     * @param ctx step context
     * @return {@code {view1, view2}}
     */
    public Batch[] views(Batch batch, StepContext ctx) {
        return new Batch[] {BatchViews.apply(batch, augmenter, ctx.rng()), BatchViews.apply(batch, augmenter, ctx.rng())};
    }

    /**
     * The contrastive term of a batch: NCE between the flattened states of two views.
     *
     * @param batch training batch
     * @param ctx step context
     * @return scalar NCE
     */
    NDArray contrastive(Batch batch, StepContext ctx) {
        return contrastive(views(batch, ctx), batch.size());
    }

    /**
     * The NCE between the flattened states of two given views (one encoder pass, training mode).
     *
     * @param v the two views
     * @param b rows per view
     * @return scalar NCE
     */
    NDArray contrastive(Batch[] v, int b) {
        boolean paper = config.preset() == BaselinePreset.PAPER_TABLE;
        NDArray h = encoder.states(true, paper, v[0], v[1]);
        NDArray z = paper ? Pooling.FLATTEN.poolAllPositions(h)
                : Pooling.FLATTEN.pool(h, ContrastiveEncoder.concat(v[0], v[1]));
        return nce.compute(z.get(new NDIndex("0:" + b)), z.get(new NDIndex(b + ":" + 2 * b)), null);
    }

    /**
     * The next-item loss of a batch (ordinary dropout).
     *
     * @param batch training batch
     * @return scalar BCE
     */
    NDArray recLoss(Batch batch) {
        return encoder.recLoss(encoder.encode(true, batch), 0, batch);
    }

    @Override
    public NDArray loss(Batch batch, StepContext ctx) {
        NDArray rec = recLoss(batch);
        if (config.lambda() == 0) {
            return rec;
        }
        return rec.add(Ops.scale(contrastive(batch, ctx), config.lambda()));
    }

    @Override
    public NDArray scoreAll(Batch batch) {
        return encoder.scoreAll(batch);
    }
}
