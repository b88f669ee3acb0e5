package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.seqcl.augment.Augmentation;
import io.seqcl.augment.BatchViews;
import io.seqcl.loss.InfoNCE;
import io.seqcl.nn.ActivationFn;
import io.seqcl.nn.Dense;
import io.seqcl.nn.Norm;
import io.seqcl.nn.Ops;
import io.seqcl.nn.Packing;
import io.seqcl.nn.Params;
import io.seqcl.nn.Pooling;
import io.seqcl.optim.StepContext;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * SRMA: CoSeRec-style contrastive learning with model augmentation, i.e. neuron masking (dropout), layer dropping
 * (K extra layers after the SASRec encoder, M of them skipped in each training forward) and encoder complementing
 * (NCE against a frozen, separately trained encoder).
 *
 * <p>Liu, Chen, Li, Luo, Xiong, "Improving Contrastive Learning with Model Augmentation", arXiv:2203.15508, 2022;
 * the code (salesforce/SRMA) as specified in /work/shared/specs/baselines.md §11 and §1.2. Per batch:
 * {@code L = L_BCE(all positions) + lambda [NCE(v1, v2) + w_en (NCE(v1, g) + NCE(v2, g))]} with {@code v} the
 * flattened {@code T x d} states ({@link Pooling#FLATTEN}) of two views drawn from crop/mask/reorder, and {@code g}
 * those of the un-augmented input through the frozen encoder (all K layers). Layer drop: M distinct layers out of K
 * are drawn uniformly from the step's stream per training forward; evaluation applies all K. In mode
 * {@link SRMAConfig.ViewMode#SAME} both views go through one forward (one shared draw, independent dropout).
 *
 * <p>Two-run pipeline: run 1 trains an SRMA (complementing off, e.g. no checkpoint) and writes its weights with
 * {@link #saveWeights}; run 2 names that file in {@link SRMAConfig#complementCheckpoint}, which {@link #prepare}
 * loads into a frozen copy (its parameters are not in {@link #params()}, so no optimiser state and they are not
 * saved with the model), or a caller hands a trained model to {@link #complementWith}. Without either, the
 * complementing term is off whatever {@code enWeight} is.
 *
 * <p>Deviations: only the {@code single} augmented-layer type (the code's default) is implemented, not
 * {@code inter}/{@code sasrec}; the item table has N+1 rows (as in {@link CoSeRec}); views are drawn from Java's
 * seeded streams; the frozen encoder is a copy of an SRMA (encoder plus all K augmented layers) read from seqcl's
 * own weight file, not a {@code .pt}. The README's step-2 command never selects {@code sasrec-static}, so in the
 * code the loaded encoder is unused: {@link SRMAConfig#paperTable()} keeps that ({@code enWeight} 0), the SEQCL
 * default follows the README's intent (0.5 once a checkpoint is given). Preset SEQCL uses real positions only in
 * {@code vec(H)} and seqcl's crop/reorder start rule; PAPER_TABLE keeps the padding rows and the code's start rule.
 * Packed execution (default): the augmented layers are position-wise and run on the packed states, so packed equals
 * padded.
 */
public final class SRMA extends AbstractRecommender<SRMAConfig> {

    private final SRMAConfig config;
    private final ContrastiveEncoder encoder;
    private final Dense[] dense;
    private final Norm[] norms;
    private final InfoNCE nce;
    private final Augmentation augmenter;
    private final long seed;
    private SRMA complement;
    private Consumer<boolean[]> drawListener;

    /**
     * Builds the model with weights drawn from {@code seed}.
     *
     * @param numItems number of items N
     * @param config configuration
     * @param seed initialisation seed
     */
    public SRMA(int numItems, SRMAConfig config, long seed) {
        this(numItems, config, seed, new Params());
    }

    private SRMA(int numItems, SRMAConfig config, long seed, Params store) {
        super("SRMA", numItems, config, store);
        this.config = config;
        this.seed = seed;
        this.encoder = new ContrastiveEncoder(numItems, config.backbone(), MaskToken.PADDING, seed, params());
        int d = config.encoder().transformer().hiddenSize();
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5a3c_9e1fL);
        dense = new Dense[config.augLayers()];
        norms = new Norm[config.augLayers()];
        for (int i = 0; i < dense.length; i++) {
            dense[i] = new Dense(params(), "aug." + i + ".dense", d, d, config.encoder().initStd(), rng);
            norms[i] = new Norm(params(), "aug." + i + ".norm", d, config.encoder().transformer().layerNormEps());
        }
        this.nce = config.infoNCE();
        this.augmenter = config.augmenter();
    }

    /**
     * Writes this model's weights (run 1 of the two-run pipeline) for {@link SRMAConfig#complementCheckpoint}.
     *
     * @param file target file
     * @throws IOException on write failure
     */
    public void saveWeights(Path file) throws IOException {
        params().save(file);
    }

    /**
     * Uses a frozen copy of a trained SRMA of the same shape as the complementary encoder (run 2).
     *
     * @param pretrained the trained model (copied; later changes to it are not seen)
     */
    public void complementWith(SRMA pretrained) {
        SRMA c = frozenShell();
        c.params().restore(pretrained.params().snapshot());
        c.params().setTrainable(n -> true, false);
        setComplement(c);
    }

    private SRMA frozenShell() {
        return new SRMA(numItems(), config.withComplementCheckpoint("").withEnWeight(0), seed);
    }

    private void setComplement(SRMA c) {
        if (complement != null) {
            complement.close();
        }
        complement = c;
    }

    /** @return the frozen complementary encoder, or null when complementing is off */
    SRMA complement() {
        return complement;
    }

    /** Instruments the layer-drop draws (tests): the listener sees each draw's keep mask. */
    void onDraw(Consumer<boolean[]> listener) {
        this.drawListener = listener;
    }

    @Override
    public void prepare(LeaveOneOutSplit split) {
        String path = config.complementCheckpoint();
        if (path.isEmpty() || complement != null) {
            return;
        }
        Path file = Path.of(path);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("complementCheckpoint: no such file " + file.toAbsolutePath());
        }
        SRMA c = frozenShell();
        try {
            c.params().load(file);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw new IllegalArgumentException("complementCheckpoint " + file + ": not the weights of an SRMA of "
                    + "this shape (" + e.getMessage() + ")", e);
        }
        c.params().setTrainable(n -> true, false);
        setComplement(c);
    }

    /**
     * One layer-drop draw: M distinct layers out of K, uniformly.
     *
     * @param rng the step's stream
     * @return keep mask of length K
     */
    boolean[] drawKeep(SplittableRandom rng) {
        int k = config.augLayers();
        boolean[] keep = new boolean[k];
        Arrays.fill(keep, true);
        int[] idx = new int[k];
        for (int i = 0; i < k; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < config.layerDrop(); i++) {
            int j = i + rng.nextInt(k - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            keep[idx[i]] = false;
        }
        if (drawListener != null) {
            drawListener.accept(keep.clone());
        }
        return keep;
    }

    /** @return a keep mask with every augmented layer (evaluation) */
    boolean[] allLayers() {
        boolean[] keep = new boolean[config.augLayers()];
        Arrays.fill(keep, true);
        return keep;
    }

    /**
     * Applies the kept augmented layers, {@code h -> LN(h + Dropout(GELU(W h + b)))}, position-wise.
     *
     * @param h states in any layout {@code [..., d]}
     * @param keep which layers run (null = none)
     * @param training whether dropout is active
     * @return the states
     */
    NDArray augment(NDArray h, boolean[] keep, boolean training) {
        if (keep == null) {
            return h;
        }
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                h = norms[i].forward(h.add(branch(i, h, training)));
            }
        }
        return h;
    }

    /**
     * The residual branch of augmented layer {@code i}: {@code Dropout(GELU(W h + b))} (neuron masking).
     *
     * @param i layer index
     * @param h input states
     * @param training whether dropout is active
     * @return the branch output
     */
    NDArray branch(int i, NDArray h, boolean training) {
        return Ops.dropout(ActivationFn.GELU.apply(dense[i].forward(h)),
                config.encoder().transformer().hiddenDropout(), training);
    }

    /**
     * Padded states {@code [sum B_i, T, d]} of several batches in one pass through the encoder and the kept layers.
     *
     * @param training whether dropout is active
     * @param allPositions whether the padding positions' states are needed
     * @param keep which augmented layers run (null = none)
     * @param batches the batches (targets ignored)
     * @return padded states
     */
    NDArray states(boolean training, boolean allPositions, boolean[] keep, Batch... batches) {
        Batch all = batches.length == 1 ? batches[0] : ContrastiveEncoder.concat(batches);
        Packing p = encoder.sasrec().packing(all, allPositions);
        return p.unpack(augment(encoder.sasrec().encode(all, p, training), keep, training));
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

    private NDArray flat(NDArray h, Batch batch, boolean paper) {
        return paper ? Pooling.FLATTEN.poolAllPositions(h) : Pooling.FLATTEN.pool(h, batch);
    }

    /**
     * The contrastive term: NCE between two views, plus the weighted complementing terms when a frozen encoder is
     * available.
     *
     * @param batch training batch
     * @param ctx step context
     * @return scalar
     */
    NDArray contrastive(Batch batch, StepContext ctx) {
        NDArray[] z = viewEmbeddings(batch, ctx);
        NDArray cl = nce.compute(z[0], z[1], null);
        if (complement != null && config.enWeight() > 0) {
            boolean paper = config.preset() == BaselinePreset.PAPER_TABLE;
            NDArray g = flat(complement.states(config.complementTrainMode(), paper, complement.allLayers(), batch),
                    batch, paper);
            cl = cl.add(Ops.scale(nce.compute(z[0], g, null).add(nce.compute(z[1], g, null)), config.enWeight()));
        }
        return cl;
    }

    /**
     * The flattened representations of the two views (one shared layer-drop draw in SAME mode, one per view in
     * DISTINCT mode).
     *
     * @param batch training batch
     * @param ctx step context
     * @return {@code {z1, z2}}
     */
    NDArray[] viewEmbeddings(Batch batch, StepContext ctx) {
        Batch[] v = views(batch, ctx);
        boolean paper = config.preset() == BaselinePreset.PAPER_TABLE;
        int b = batch.size();
        NDArray z1;
        NDArray z2;
        if (config.viewMode() == SRMAConfig.ViewMode.SAME) {
            NDArray h = states(true, paper, drawKeep(ctx.rng()), v[0], v[1]);
            NDArray z = flat(h, ContrastiveEncoder.concat(v[0], v[1]), paper);
            z1 = z.get(new NDIndex("0:" + b));
            z2 = z.get(new NDIndex(b + ":" + 2 * b));
        } else {
            z1 = flat(states(true, paper, drawKeep(ctx.rng()), v[0]), v[0], paper);
            z2 = flat(states(true, paper, drawKeep(ctx.rng()), v[1]), v[1], paper);
        }
        return new NDArray[] {z1, z2};
    }

    /**
     * The next-item loss: through the augmented layers with a random drop when {@code recModelAug}, else without them.
     *
     * @param batch training batch
     * @param ctx step context
     * @return scalar
     */
    NDArray recLoss(Batch batch, StepContext ctx) {
        SASRec s = encoder.sasrec();
        Packing p = s.packing(batch);
        NDArray h = s.encode(batch, p, true);
        if (config.recModelAug()) {
            h = augment(h, drawKeep(ctx.rng()), true);
        }
        return s.recLoss(h, p, 0, batch, encoder.outputTable());
    }

    @Override
    public NDArray loss(Batch batch, StepContext ctx) {
        NDArray rec = recLoss(batch, ctx);
        if (config.lambda() == 0) {
            return rec;
        }
        return rec.add(Ops.scale(contrastive(batch, ctx), config.lambda()));
    }

    @Override
    public NDArray scoreAll(Batch batch) {
        SASRec s = encoder.sasrec();
        Packing p = s.packing(batch);
        return p.last(augment(s.encode(batch, p, false), allLayers(), false)).matMul(encoder.outputTable().transpose());
    }

    @Override
    public void close() {
        if (complement != null) {
            complement.close();
            complement = null;
        }
        super.close();
    }
}
