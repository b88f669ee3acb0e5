package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.seqcl.loss.GaussianKL;
import io.seqcl.loss.InfoNCE;
import io.seqcl.model.ContrastVAEConfig.Latent;
import io.seqcl.model.ContrastVAEConfig.Variant;
import io.seqcl.nn.Gaussian;
import io.seqcl.nn.Ops;
import io.seqcl.nn.Packing;
import io.seqcl.nn.Params;
import io.seqcl.nn.TransformerStack;
import io.seqcl.nn.VariationalHead;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.Padding;
import io.seqcl.optim.SingleLossStep;
import io.seqcl.optim.SplitLoss;
import io.seqcl.optim.StepContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * ContrastVAE, a Transformer VAE for sequential recommendation trained with the two-view ContrastELBO
 * (reconstruction and KL of both views plus InfoNCE between their latents).
 *
 * <p>Wang et al., "ContrastVAE: Contrastive Variational AutoEncoder for Sequential Recommendation", CIKM 2022
 * (../shared/papers/003_35e0abd0e5b770ab.txt), as implemented in YuWang-1024/ContrastVAE and specified in
 * /work/shared/specs/contrastvae.md. Architecture (§1): input {@code X0 = Dropout(LN(E[x] + P))} (shared with
 * {@link SASRec}, whose encoder stack is {@code Enc_mu}); a separate stack {@code Enc_logvar} (parameters
 * {@code encoder_logvar.*}) reads the same {@code X0}; a decoder stack ({@code decoder.*}) reads the latent
 * sequence z directly with the causal mask of the original ids; scores {@code D_t E^T} with the tied item table.
 * Latents (§2, {@link Latent}): R0 vanilla, R1 without noise, R2 model augmentation (dropout on sigma), R3
 * variational augmentation ({@code z = mu + alpha sigma eps}, {@code alpha = sigmoid(a)} one learnable scalar,
 * parameter {@link #ALPHA_LOGIT}). Variants (§3, {@link Variant}): view 1 reuses {@code X0} for a second encoder
 * pass (its own inner dropout masks) or encodes the reordered input. Loss (§4):
 * {@code L = BCE(D1) + BCE(D2) + w_t (KL1 + KL2) + lambda_cl InfoNCE(sum_t z1, sum_t z2) [+ L_alpha]} with
 * {@code w_t = min(cap, t / total)}, t = optimizer steps done so far, derived from the {@link StepContext} and
 * the number of steps per epoch. One Adam step per batch ({@link SingleLossStep}). Inference decodes
 * {@code z1 = mu + sigma} ({@link MetaSGCLConfig.EvalLatent}) and reads the last position.
 *
 * <p>Deviations from the reference code: no {@code [mask]} row in the item table (scores have N+1 columns; the
 * evaluator never ranks ids 0 and N+1, see {@link io.seqcl.eval.HistoryMode#ZERO} for the history convention);
 * negatives are never the mask id; all noise, the Bernoulli mask of R2 and the reorder augmentation are drawn in
 * Java from {@link StepContext#rng()} (PyTorch draws differ); BCE uses softplus; the annealing step counter is
 * {@code (epoch - 1) * stepsPerEpoch + step - 1}, which equals the reference's global counter for full epochs.
 */
public final class ContrastVAE extends AbstractRecommender<ContrastVAEConfig> implements LatentModel {

    /** Name of the logit {@code a} of the learnable scale {@code alpha = sigmoid(a)} (variational variants). */
    public static final String ALPHA_LOGIT = "vd.alpha_logit";

    /** Coefficients of the variational-dropout prior term L_alpha (spec §4). */
    static final double C1 = 1.161451241083230;
    static final double C2 = -1.502041176441722;
    static final double C3 = 0.586299206427007;

    /**
     * Loss terms of one forward pass; terms the variant does not have are {@code null}.
     *
     * @param rec1 reconstruction BCE of view 1
     * @param rec2 reconstruction BCE of view 2
     * @param kl1 KL of view 1
     * @param kl2 KL of view 2
     * @param cl InfoNCE between the pooled latents (null if lambda_cl = 0 or one view)
     * @param alphaPrior the prior term L_alpha of the variational variants
     * @param klWeight the annealed KL weight {@code w_t} of this step
     * @param clWeight lambda_cl
     */
    public record Terms(NDArray rec1, NDArray rec2, NDArray kl1, NDArray kl2, NDArray cl, NDArray alphaPrior,
                        double klWeight, double clWeight) {

        /** @return {@code rec1 + rec2 + w_t (kl1 + kl2) + lambda_cl cl + alphaPrior} over the present terms */
        public NDArray total() {
            NDArray t = rec1;
            t = plus(t, rec2, 1);
            t = plus(t, kl1, klWeight);
            t = plus(t, kl2, klWeight);
            t = plus(t, cl, clWeight);
            return plus(t, alphaPrior, 1);
        }

        private static NDArray plus(NDArray total, NDArray term, double w) {
            if (term == null) {
                return total;
            }
            return total.add(w == 1 ? term : Ops.scale(term, w));
        }

        /**
         * The terms as plain numbers for tables and plots: rec1, rec2, kl1, kl2, cl, alphaPrior (present ones),
         * klWeight, clWeight and total.
         *
         * @return ordered name to value
         */
        public Map<String, Double> values() {
            Map<String, Double> m = new LinkedHashMap<>();
            put(m, "rec1", rec1);
            put(m, "rec2", rec2);
            put(m, "kl1", kl1);
            put(m, "kl2", kl2);
            put(m, "cl", cl);
            put(m, "alphaPrior", alphaPrior);
            m.put("klWeight", klWeight);
            m.put("clWeight", clWeight);
            put(m, "total", total());
            return m;
        }

        private static void put(Map<String, Double> m, String name, NDArray a) {
            if (a != null) {
                m.put(name, a.toType(DataType.FLOAT64, false).getDouble());
            }
        }
    }

    private final ContrastVAEConfig config;
    private final SASRec backbone;
    private final Params params;
    private final TransformerStack encLogVar;
    private final TransformerStack decoder;
    private final NDArray alphaLogit;
    private final GaussianKL kl = new GaussianKL();
    private final InfoNCE infoNCE;
    private int stepsPerEpoch;

    /**
     * Builds the model with weights drawn from {@code seed}.
     *
     * @param numItems number of items N
     * @param config configuration
     * @param seed initialisation seed
     */
    public ContrastVAE(int numItems, ContrastVAEConfig config, long seed) {
        super("ContrastVAE", numItems, config, new Params());
        this.config = config;
        this.backbone = new SASRec(numItems, config.backbone(), seed, params());
        this.params = backbone.params();
        SplittableRandom rng = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        double std = config.initStd();
        encLogVar = new TransformerStack(params, "encoder_logvar", config.transformer(), false, std, rng);
        decoder = new TransformerStack(params, "decoder", config.transformer(), false, std, rng);
        if (config.variant().variational()) {
            double a = config.alphaInit();
            alphaLogit = params.constant(ALPHA_LOGIT, (float) Math.log(a / (1 - a)), 1);
        } else {
            alphaLogit = null;
        }
        infoNCE = config.infoNCE();
    }

    /** Counts the training samples per epoch (for the annealing step counter). */
    /**
     * Sets the number of optimizer steps per epoch used to turn a {@link StepContext} into the global step of
     * the KL schedule when the context does not carry it ({@link io.seqcl.train.Trainer} passes it in every
     * {@link StepContext}); call it only when driving training by hand over several epochs.
     *
     * @param n steps per epoch, &gt;= 1
     */
    public void setStepsPerEpoch(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("stepsPerEpoch must be >= 1, got " + n);
        }
        stepsPerEpoch = n;
    }

    /**
     * Optimizer steps done before this step: {@code (epoch - 1) * stepsPerEpoch + step - 1} (0 at the first batch).
     *
     * @param ctx step information
     * @return the global step t of the KL schedule
     * @throws IllegalStateException past epoch 1 if the steps per epoch are unknown
     */
    public long globalStep(StepContext ctx) {
        int perEpoch = ctx.stepsPerEpoch() > 0 ? ctx.stepsPerEpoch() : stepsPerEpoch;
        if (ctx.epoch() > 1 && perEpoch == 0) {
            throw new IllegalStateException("ContrastVAE: steps per epoch unknown; train with Trainer or call "
                    + "setStepsPerEpoch first");
        }
        return (long) (ctx.epoch() - 1) * perEpoch + ctx.step() - 1;
    }

    /**
     * The annealed KL weight {@code w_t = min(annealCap, t / annealSteps)} of a step (spec §4).
     *
     * @param ctx step information
     * @return the weight
     */
    public double klWeight(StepContext ctx) {
        return config.klWeight(globalStep(ctx));
    }

    /** @return the current learnable scale {@code alpha = sigmoid(a)} of R3, or NaN if the variant has none */
    public double alpha() {
        if (alphaLogit == null) {
            return Double.NaN;
        }
        return 1 / (1 + Math.exp(-alphaLogit.toType(DataType.FLOAT64, false).getDouble()));
    }

    /**
     * Builds a latent sequence from a posterior (spec §2).
     *
     * @param g posterior {@code [B, T, d]}
     * @param kind which construction
     * @param training training (noise, dropout) or evaluation behaviour
     * @param rng stream for noise and the dropout mask; may be {@code null} when none is drawn
     * @return z {@code [B, T, d]}
     * @throws IllegalStateException for R3 on a variant without the scale alpha
     */
    public NDArray latent(Gaussian g, Latent kind, boolean training, SplittableRandom rng) {
        return latent(g, kind, training, rng, null);
    }

    /**
     * Builds a latent sequence from a posterior in a batch's layout; noise and masks are drawn for the padded
     * {@code [B, T, d]} grid (the same draws as the padded path) and packed.
     *
     * @param g posterior in {@code layout}
     * @param kind which construction
     * @param training training or evaluation behaviour
     * @param rng stream for noise and masks
     * @param layout the layout of {@code g}, or {@code null} when {@code g} is padded {@code [B, T, d]}
     * @return z in the same layout
     */
    private NDArray latent(Gaussian g, Latent kind, boolean training, SplittableRandom rng, Packing layout) {
        NDArray mu = g.mean();
        NDArray sigma = g.std();
        return switch (kind) {
            case VANILLA -> training ? mu.add(sigma.mul(noise(mu, rng, layout))) : mu.add(sigma);
            case NO_NOISE -> mu.add(sigma);
            case MODEL_AUGMENTATION -> training && config.reparamDropout() > 0
                    ? mu.add(sigma.mul(dropoutMask(mu, config.reparamDropout(), rng, layout))) : mu.add(sigma);
            case VARIATIONAL_AUGMENTATION -> {
                if (alphaLogit == null) {
                    throw new IllegalStateException("variant " + config.variant() + " has no learnable scale alpha");
                }
                yield mu.add(sigma.mul(Activation.sigmoid(alphaLogit)).mul(noise(mu, rng, layout)));
            }
        };
    }

    /** The padded shape {@code [B, T, d]} of states in a layout. */
    private static Shape gridShape(NDArray like, Packing layout) {
        Shape s = like.getShape();
        return layout == null ? s : new Shape(layout.rows(), layout.maxLen(), s.get(s.dimension() - 1));
    }

    private static NDArray noise(NDArray like, SplittableRandom rng, Packing layout) {
        NDArray n = VariationalHead.standardNormal(like.getManager(), gridShape(like, layout), rng)
                .toType(like.getDataType(), false);
        return layout == null ? n : layout.pack(n);
    }

    /** Inverted-dropout multiplier: 0 with probability p, else 1/(1-p), drawn from {@code rng}. */
    private static NDArray dropoutMask(NDArray like, double p, SplittableRandom rng, Packing layout) {
        Shape shape = gridShape(like, layout);
        float[] v = new float[Math.toIntExact(shape.size())];
        float keep = (float) (1 / (1 - p));
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble() < p ? 0f : keep;
        }
        NDArray mask = like.getManager().create(v, shape).toType(like.getDataType(), false);
        return layout == null ? mask : layout.pack(mask);
    }

    /**
     * The prior term of the variational variants, {@code L_alpha = -(0.5 ln alpha + c1 alpha + c2 alpha^2 +
     * c3 alpha^3)} (spec §4).
     *
     * @return a scalar, or {@code null} if the variant has no alpha
     */
    public NDArray alphaPrior() {
        if (alphaLogit == null) {
            return null;
        }
        NDArray a = Activation.sigmoid(alphaLogit);
        NDArray a2 = a.mul(a);
        NDArray poly = Ops.scale(a.log(), 0.5).add(Ops.scale(a, C1)).add(Ops.scale(a2, C2))
                .add(Ops.scale(a2.mul(a), C3));
        return poly.neg().sum();
    }

    /**
     * Runs a training forward (dropout on; noise, masks and augmentation from {@code ctx.rng()}) and computes every
     * term of the variant's loss. Random draws: view-1 noise (R0), then the reorder (data-augmentation variants),
     * then view-2 noise or mask.
     *
     * @param batch training batch
     * @param ctx step context (its random stream is advanced)
     * @return the terms
     */
    public Terms terms(Batch batch, StepContext ctx) {
        Forward f = forward(batch, ctx);
        NDArray cl = f.pooled1() == null ? null : infoNCE.compute(f.pooled1(), f.pooled2());
        return new Terms(f.rec1(), f.rec2(), f.kl1(), f.kl2(), cl, prior(), klWeight(ctx), config.clWeight());
    }

    /** The per-row terms of a training forward and the pooled latents the contrastive term reads (null if none). */
    private record Forward(NDArray rec1, NDArray rec2, NDArray kl1, NDArray kl2, NDArray pooled1, NDArray pooled2) {
    }

    private Forward forward(Batch batch, StepContext ctx) {
        Variant v = config.variant();
        SplittableRandom rng = ctx.rng();
        boolean all = config.klOverPadding() || config.clOverPadding();
        Packing pe = backbone.packing(batch, all);
        Packing pd = all ? backbone.packing(batch) : pe;
        NDArray valid = config.klOverPadding() ? null : pe.nonzeroItems();
        long slots = config.klOverSlots() ? (long) batch.size() * batch.maxLen() : 0;
        NDArray x0 = backbone.embed(batch, pe, true);
        Gaussian g1 = encode(x0, pe, true);
        NDArray z1 = latent(g1, v.view1(), true, rng, pe);
        NDArray rec1 = decode(z1, pe, pd, batch);
        NDArray kl1 = kl.over(g1, valid, slots);
        if (!v.twoViews()) {
            return new Forward(rec1, null, kl1, null, null, null);
        }
        NDArray x2 = v.augmentsInput() ? backbone.embed(reorder(batch, config.reorderRate(), rng), pe, true) : x0;
        Gaussian g2 = encode(x2, pe, true);
        NDArray z2 = latent(g2, v.view2(), true, rng, pe);
        NDArray rec2 = decode(z2, pe, pd, batch);
        NDArray kl2 = kl.over(g2, valid, slots);
        if (config.clWeight() <= 0) {
            return new Forward(rec1, rec2, kl1, kl2, null, null);
        }
        return new Forward(rec1, rec2, kl1, kl2, pool(pe.unpack(z1), batch), pool(pe.unpack(z2), batch));
    }

    /** @return the variational-dropout prior L_alpha when the variant has it, else null */
    private NDArray prior() {
        return config.variant().twoViews() && config.variant().variational() && config.alphaPrior() ? alphaPrior()
                : null;
    }

    /**
     * {@inheritDoc} Each range's reconstructions (its share of the mean over target slots) and KL terms (its share
     * of the mean over real positions, or over all positions with {@code klOverPadding} or {@code klOverSlots}),
     * with noise, masks and reorders drawn from the range's stream, and the prior L_alpha in the first range only;
     * the joint term is {@code lambda_cl InfoNCE} on the ranges' pooled latents.
     *
     * @return the split loss when the reconstruction loss is a mean over target slots (the built-in ones)
     */
    @Override
    public SplitLoss splitLoss() {
        return backbone.perSlotLoss() ? split : null;
    }

    private final SplitLoss split = new SplitLoss() {
        @Override
        public Part part(Batch range, int from, Batch whole, StepContext ctx) {
            Forward f = forward(range, ctx);
            double slots = SplitLoss.share(range, whole);
            double positions = SplitLoss.positionShare(range, whole,
                    config.klOverPadding() || config.klOverSlots());
            double w = klWeight(ctx);
            NDArray rows = Ops.scale(f.rec1(), slots);
            rows = f.rec2() == null ? rows : rows.add(Ops.scale(f.rec2(), slots));
            rows = rows.add(Ops.scale(f.kl1(), w * positions));
            rows = f.kl2() == null ? rows : rows.add(Ops.scale(f.kl2(), w * positions));
            // the prior on alpha is counted once, by the first range: alpha then gets one gradient contribution per
            // range, whose sum does not depend on the order in which the ranges finish
            NDArray prior = from == 0 ? prior() : null;
            rows = prior == null ? rows : rows.add(prior);
            return new Part(rows, f.pooled1() == null ? List.of() : List.of(f.pooled1(), f.pooled2()));
        }

        @Override
        public NDArray joint(List<NDArray> reps, Batch whole) {
            return reps.isEmpty() ? null : Ops.scale(infoNCE.compute(reps.get(0), reps.get(1)), config.clWeight());
        }
    };

    private Gaussian encode(NDArray x0, Packing p, boolean training) {
        return new Gaussian(backbone.encodeEmbedded(x0, p, training), encLogVar.forward(x0, p, training));
    }

    /** Decodes a latent sequence (moved from the encoder's layout to the decoder's) and returns its BCE/CE. */
    private NDArray decode(NDArray z, Packing pe, Packing pd, Batch batch) {
        NDArray h = decoder.forward(pd.from(z, pe), pd, true);
        return backbone.recLoss(h, pd, 0, batch, backbone.itemEmbedding());
    }

    private NDArray pool(NDArray z, Batch batch) {
        return config.clOverPadding() ? config.clPooling().poolAllPositions(z) : config.clPooling().pool(z, batch);
    }

    /**
     * CoSeRec's reorder augmentation on every row's real items: a window of {@code floor(beta * len)} items
     * starting at a uniform index in {@code [0, len - window - 1]} is shuffled; lengths, targets and negatives are
     * kept (spec §3: the data-augmentation variants always reorder with beta 0.6).
     *
     * @param batch the batch (not modified)
     * @param beta window fraction
     * @param rng the stream
     * @return a batch with reordered items
     */
    public static Batch reorder(Batch batch, double beta, SplittableRandom rng) {
        int[][] items = new int[batch.size()][];
        int t = batch.maxLen();
        for (int b = 0; b < items.length; b++) {
            int[] row = batch.items()[b].clone();
            int len = batch.lengths()[b];
            int from = batch.padding() == Padding.RIGHT ? 0 : t - len;
            int window = (int) (beta * len);
            if (window > 1) {
                int start = from + (len - window > 0 ? rng.nextInt(len - window) : 0);
                for (int i = window - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    int tmp = row[start + i];
                    row[start + i] = row[start + j];
                    row[start + j] = tmp;
                }
            }
            items[b] = row;
        }
        return new Batch(items, batch.targets(), batch.negatives(), batch.lengths(), batch.users(), batch.padding());
    }

    /** {@inheritDoc} {@code L = rec1 + rec2 + w_t (KL1 + KL2) + lambda_cl Lcl [+ L_alpha]}. */
    @Override
    public NDArray loss(Batch batch, StepContext ctx) {
        return terms(batch, ctx).total();
    }

    /** View 1's posterior in evaluation mode: {@code mu = Enc_mu(X0)}, {@code ln sigma^2 = Enc_logvar(X0)}. */
    @Override
    public Gaussian posterior(Batch batch) {
        Packing p = backbone.packing(batch, true);
        Gaussian g = encode(backbone.embed(batch, p, false), p, false);
        return new Gaussian(p.unpack(g.mean()), p.unpack(g.logVar()));
    }

    /** @return true: scoring encodes each batch in its own layout and only reads the parameters */
    @Override
    public boolean concurrentScoring() {
        return true;
    }

    @Override
    public NDArray scoreAll(Batch batch) {
        Packing p = backbone.packing(batch);
        Gaussian g = encode(backbone.embed(batch, p, false), p, false);
        NDArray z = config.evalLatent() == MetaSGCLConfig.EvalLatent.MU ? g.mean()
                : latent(g, config.variant().view1(), false, null, p);
        return p.last(decoder.forward(z, p, false)).matMul(backbone.itemEmbedding().transpose());
    }
}
