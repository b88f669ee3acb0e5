package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.seqcl.loss.GaussianKL;
import io.seqcl.nn.Gaussian;
import io.seqcl.nn.Ops;
import io.seqcl.nn.Packing;
import io.seqcl.nn.Params;
import io.seqcl.nn.TransformerStack;
import io.seqcl.nn.VariationalHead;
import io.seqcl.optim.SingleLossStep;
import io.seqcl.optim.StepContext;
import io.seqcl.protocol.Batch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * VSAN, a variational autoencoder whose inference and generative networks are causal self-attention networks,
 * trained with an ELBO (next-item reconstruction plus a warmed-up KL) to model uncertainty in user preference.
 *
 * <p>Zhao, Zhao, Zhao, Liu, Sheng, Zhou, "Variational Self-attention Network for Sequential Recommendation", ICDE
 * 2021, pp. 1559–1570; a baseline of Meta-SGCL Table II. Specified in /work/shared/specs/baselines.md §6.
 * <b>Not verified against VSAN:</b> its paper text and code were not available; this is the spec's
 * reconstruction from ContrastVAE's vanilla attentive VAE (contrastvae.md §1–4), our own design in every detail
 * (block counts, linear posterior heads, per-position KL, the warm-up, the hyper-parameters). Table II numbers
 * cannot be tied to any setting of this class.
 *
 * <p>Built from the library's variational machinery: the embedding {@code X0 = Dropout(LN(E[s] + P))} and the
 * inference SAN are a {@link SASRec} encoder (L_inf blocks); {@code mu} and {@code ln sigma^2} come from a
 * {@link VariationalHead} (parameters {@code head.mean.*}, {@code head.logvar.*}) or, with
 * {@link VSANConfig.Posterior#STACKS}, from the SAN output and a second stack {@code encoder_logvar.*} as in
 * ContrastVAE; training samples {@code z_t = mu_t + sigma_t eps_t} (eps drawn in Java from the step's stream),
 * inference uses {@code z = mu} ({@link MetaSGCLConfig.EvalLatent}); the generative SAN ({@code decoder.*},
 * L_gen blocks, the causal mask of the input ids, no position embedding) maps z to G; scores
 * {@code G_t E^T} with the tied item table. Loss:
 * {@code L = rec(G) + beta_k KL(N(mu, sigma^2) || N(0, I))} with the KL summed over d and averaged over positions
 * ({@link GaussianKL}), {@code beta_k = min(beta_max, k / S)}, k = optimizer steps done before this batch. One Adam
 * step per batch ({@link SingleLossStep}). {@link VSANConfig#contrastVaeVanilla()} gives exactly
 * {@link ContrastVAE}'s {@link ContrastVAEConfig.Variant#VANILLA} computation (tested).
 *
 * <p>Deviations (all ours, the reference is unknown): log-variance heads instead of any sigma parameterisation
 * VSAN may use; reconstruction is full-softmax CE at every position (ContrastVAE: BCE with one negative,
 * {@code recObjective}); weights and noise are drawn from Java random streams.
 */
public final class VSAN extends AbstractRecommender<VSANConfig> implements LatentModel {

    /**
     * The loss terms of one training forward.
     *
     * @param rec reconstruction loss of the generative SAN's output
     * @param kl KL of the posterior from N(0, I) (null when beta_max = 0)
     * @param klWeight the KL weight beta_k of this step
     */
    public record Terms(NDArray rec, NDArray kl, double klWeight) {

        /** @return {@code rec + beta_k kl} */
        public NDArray total() {
            return kl == null ? rec : rec.add(Ops.scale(kl, klWeight));
        }

        /** @return rec, kl (if present), klWeight and total as plain numbers */
        public Map<String, Double> values() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("rec", rec.toType(DataType.FLOAT64, false).getDouble());
            if (kl != null) {
                m.put("kl", kl.toType(DataType.FLOAT64, false).getDouble());
            }
            m.put("klWeight", klWeight);
            m.put("total", total().toType(DataType.FLOAT64, false).getDouble());
            return m;
        }
    }

    private final VSANConfig config;
    private final SASRec backbone;
    private final Params params;
    private final VariationalHead head;
    private final TransformerStack encLogVar;
    private final TransformerStack decoder;
    private final GaussianKL kl = new GaussianKL();

    /**
     * Builds the model with weights drawn from {@code seed}.
     *
     * @param numItems number of items N
     * @param config configuration
     * @param seed initialisation seed
     */
    public VSAN(int numItems, VSANConfig config, long seed) {
        super("VSAN", numItems, config, new Params());
        this.config = config;
        this.backbone = new SASRec(numItems, config.backbone(), seed, params());
        this.params = backbone.params();
        // the same stream and order as ContrastVAE, so that the STACKS posterior draws the same weights
        SplittableRandom rng = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        double std = config.initStd();
        int d = config.transformer().hiddenSize();
        if (config.posterior() == VSANConfig.Posterior.STACKS) {
            head = null;
            encLogVar = new TransformerStack(params, "encoder_logvar", config.transformer(), false, std, rng);
        } else {
            head = new VariationalHead(params, "head", d, std, rng);
            encLogVar = null;
        }
        decoder = new TransformerStack(params, "decoder", config.generative(), false, std, rng);
    }

    /**
     * The KL weight of a step: {@code min(beta_max, k / S)} with k = optimizer steps done before it
     * ({@code ctx.globalStep() - 1}; within the epoch when the context does not know the epoch length).
     *
     * @param ctx step information
     * @return beta_k
     */
    public double klWeight(StepContext ctx) {
        return config.klWeight(Math.max(0, ctx.globalStep() - 1));
    }

    /** The posterior in a layout from embedded inputs. */
    private Gaussian encode(NDArray x0, Packing p, boolean training) {
        NDArray h = backbone.encodeEmbedded(x0, p, training);
        return head != null ? head.forward(h) : new Gaussian(h, encLogVar.forward(x0, p, training));
    }

    /**
     * Runs a training forward (dropout on, eps from {@code ctx.rng()}: one standard normal per position of the
     * padded {@code [B, T, d]} grid, row-major) and computes the loss terms.
     *
     * @param batch training batch
     * @param ctx step context (its random stream is advanced)
     * @return the terms
     */
    public Terms terms(Batch batch, StepContext ctx) {
        boolean all = config.klOverPadding();
        Packing pe = backbone.packing(batch, all);
        Packing pd = all ? backbone.packing(batch) : pe;
        Gaussian g = encode(backbone.embed(batch, pe, true), pe, true);
        NDArray mu = g.mean();
        Shape grid = new Shape(pe.rows(), pe.maxLen(), mu.getShape().get(mu.getShape().dimension() - 1));
        NDArray eps = pe.pack(VariationalHead.standardNormal(params.manager(), grid, ctx.rng())
                .toType(mu.getDataType(), false));
        NDArray z = VariationalHead.reparameterize(g, eps);
        NDArray h = decoder.forward(pd.from(z, pe), pd, true);
        NDArray rec = backbone.recLoss(h, pd, 0, batch, backbone.itemEmbedding());
        NDArray k = null;
        if (config.betaMax() > 0) {
            k = all ? kl.compute(g) : kl.compute(g, pe.nonzeroItems());
        }
        return new Terms(rec, k, klWeight(ctx));
    }

    /** {@inheritDoc} {@code L = rec + beta_k KL}. */
    @Override
    public NDArray loss(Batch batch, StepContext ctx) {
        return terms(batch, ctx).total();
    }

    /** The posterior in evaluation mode (no dropout): {@code mu} and {@code ln sigma^2}, each {@code [B, T, d]}. */
    @Override
    public Gaussian posterior(Batch batch) {
        Packing p = backbone.packing(batch, true);
        Gaussian g = encode(backbone.embed(batch, p, false), p, false);
        return new Gaussian(p.unpack(g.mean()), p.unpack(g.logVar()));
    }

    @Override
    public NDArray scoreAll(Batch batch) {
        Packing p = backbone.packing(batch);
        Gaussian g = encode(backbone.embed(batch, p, false), p, false);
        NDArray z = config.evalLatent() == MetaSGCLConfig.EvalLatent.MU ? g.mean() : g.mean().add(g.std());
        return p.last(decoder.forward(z, p, false)).matMul(backbone.itemEmbedding().transpose());
    }

    /** @return the item table {@code [N+1, d]} (for tests and analysis) */
    NDArray itemEmbedding() {
        return backbone.itemEmbedding();
    }
}
