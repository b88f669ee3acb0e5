package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import io.seqcl.nn.Adam;
import io.seqcl.nn.CausalConv1d;
import io.seqcl.nn.Gru;
import io.seqcl.nn.Ops;
import io.seqcl.nn.OptimizerKind;
import io.seqcl.nn.Params;
import io.seqcl.nn.VariationalHead;
import io.seqcl.optim.OptimConfig;
import io.seqcl.optim.OptimizerStage;
import io.seqcl.optim.SingleLossStep;
import io.seqcl.optim.StepContext;
import io.seqcl.optim.TrainStep;
import io.seqcl.protocol.Batch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * ACVAE, a sequential VAE with an implicit noise-injected posterior trained by adversarial variational Bayes (a
 * discriminator estimates the KL term) plus a contrastive discriminator that maximises a Jensen-Shannon mutual
 * information bound between each input item and its latent, over a GRU and a causal convolution.
 *
 * <p>Xie, Liu, Zhang, Lu, Wang, Ding, "Adversarial and Contrastive Variational Autoencoder for Sequential
 * Recommendation", WWW 2021, arXiv:2103.10693; a baseline of Meta-SGCL Table II. Follows the code of
 * ACVAE/ACVAE-PyTorch ({@code model.py}, {@code loss_func.py}, {@code train.py}; the repository does not name its
 * authors) as specified in /work/shared/specs/baselines.md §7; the paper's own equations were not available.
 *
 * <p>Architecture: {@code e_t = E[s_t]} (N(0, 1) init, no padding row), {@code r = GRU(Dropout(e))} (c units,
 * {@code h_0 = 0}); encoder {@code a = Softplus(W_a AddEps(r))}, {@code b = Softplus(CausalConv_k(AddEps(a)))}
 * (c to 2c), {@code g = Softplus(W_g b)}, {@code y = Dropout(r + g)}, {@code z = W_z y} with
 * {@code AddEps(y) = y + tanh(W_eps eps + b_eps)} (one shared {@code W_eps}); decoder
 * {@code logits = W_2 tanh(W_1 z)} over ids 0..N. KL discriminator {@code T_psi(e, z)} (parameters
 * {@code kl_disc.*}): Linear, dropout, two residual ELU steps, Linear, dropout, {@code + z^2 / 2}, zero at padding.
 * Contrastive discriminator {@code D_omega(e, z)} ({@code mi_disc.*}): GRU over {@code [e, z]}, GELU, Linear to 1.
 * Loss: {@code L = L_rec + L_con + L_KL}, {@code L_rec = -(1/B) sum_{b,t} log softmax(logits_t)[s_{t+1}]},
 * {@code L_KL = alpha (1/B) sum_{b,t} mean_k T_psi(e_t, z_t)_k}, {@code L_con = beta (1/B) sum_{b,t} m_t
 * [softplus(D(e, z~)_t) + softplus(-D(e, z)_t)]} with {@code z~} = z rolled by one user ({@link #shuffle}).
 * Per batch ({@link #newTrainStep}): stage 1, one backward of L, AdamW on the VAE ({@code item_embedding},
 * {@code gru.*}, {@code encoder.*}, {@code decoder.*}), then SGD on {@code encoder.*} and {@code mi_disc.*} with the
 * same gradients ({@link OptimizerStage} with two optimizers: the encoder is updated twice, and D_omega
 * <i>minimises</i> L_con, a cooperative estimator, not a min-max game); stage 2, SGD on {@code kl_disc.*} on the
 * logistic loss {@link #priorLoss} of stage 1's detached e and z against {@code z_p ~ N(0, I)}.
 *
 * <p>Deviations from the code: seqcl's protocol (one all-positions sample per user, leave-one-out, single-target
 * HR/NDCG, right padding up to T; the code splits 80/20 in time and reports multi-target recall); at evaluation the
 * injected noise is its mean input {@code eps = 0} ({@code AddEps(y) = y + tanh(b_eps)}) so scores are deterministic
 * (the code keeps drawing noise at test time); the padding id 0 stays a class of the softmax as in the code but is
 * never ranked; weights, dropout-free noise and {@code z_p} come from Java streams (PyTorch draws differ); the unused
 * parameters of the code ({@code linear_o}, {@code linear1} of the model) do not exist.
 */
public final class ACVAE extends AbstractRecommender<ACVAEConfig> {

    /** Parameter name of the item table. */
    public static final String ITEM_EMBEDDING = "item_embedding";

    /** The VAE's parameters (AdamW in the code). */
    public static final Predicate<String> VAE = n -> n.equals(ITEM_EMBEDDING) || n.startsWith("gru.")
            || n.startsWith("encoder.") || n.startsWith("decoder.");

    /** The noise-injection encoder (the code's {@code net.encoder}: updated by AdamW and again by SGD). */
    public static final Predicate<String> ENCODER = n -> n.startsWith("encoder.");

    /** The contrastive (mutual-information) discriminator D_omega. */
    public static final Predicate<String> MI_DISCRIMINATOR = n -> n.startsWith("mi_disc.");

    /** The KL (prior) discriminator T_psi. */
    public static final Predicate<String> KL_DISCRIMINATOR = n -> n.startsWith("kl_disc.");

    /** A linear layer with {@code torch.nn.Linear}'s default or Xavier-normal initialisation. */
    private record Lin(NDArray weight, NDArray bias) {

        static Lin torchDefault(Params p, String name, int in, int out, SplittableRandom rng) {
            double bound = 1 / Math.sqrt(in);
            return new Lin(p.add(name + ".weight", uniform(rng, out * in, bound), out, in),
                    p.add(name + ".bias", uniform(rng, out, bound), out));
        }

        static Lin xavierNormal(Params p, String name, int in, int out, SplittableRandom rng) {
            double std = Math.sqrt(2.0 / (in + out));
            float[] w = new float[out * in];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (rng.nextGaussian() * std);
            }
            return new Lin(p.add(name + ".weight", w, out, in),
                    p.add(name + ".bias", uniform(rng, out, 1 / Math.sqrt(in)), out));
        }

        NDArray forward(NDArray x) {
            return Linear.linear(x, weight, bias).singletonOrThrow();
        }
    }

    private static float[] uniform(SplittableRandom rng, int n, double bound) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        return v;
    }

    /**
     * The loss terms of stage 1 (unweighted; absent terms null).
     *
     * @param rec reconstruction {@code L_rec} (sum over positions, mean over users)
     * @param kl the adversarial KL estimate before alpha (null when alpha = 0)
     * @param con the contrastive term before beta (null when beta = 0)
     * @param klWeight alpha
     * @param contrastWeight beta
     */
    public record Terms(NDArray rec, NDArray kl, NDArray con, double klWeight, double contrastWeight) {

        /** @return {@code rec + alpha kl + beta con} over the present terms */
        public NDArray total() {
            NDArray t = rec;
            if (kl != null) {
                t = t.add(Ops.scale(kl, klWeight));
            }
            if (con != null) {
                t = t.add(Ops.scale(con, contrastWeight));
            }
            return t;
        }

        /** @return the terms as plain numbers: rec, kl, con (present ones) and total */
        public Map<String, Double> values() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("rec", d(rec));
            if (kl != null) {
                m.put("kl", d(kl));
            }
            if (con != null) {
                m.put("con", d(con));
            }
            m.put("total", d(total()));
            return m;
        }

        private static double d(NDArray a) {
            return a.toType(DataType.FLOAT64, false).getDouble();
        }
    }

    /**
     * One encoder pass: embeddings, latents and the real-position mask.
     *
     * @param e item embeddings {@code [B, T, emb]}
     * @param z latents {@code [B, T, latent]}
     * @param mask 1 at real input positions {@code [B, T]} (float)
     */
    public record Encoded(NDArray e, NDArray z, NDArray mask) {
    }

    private final ACVAEConfig config;
    private final Params params;
    private final NDArray itemEmb;
    private final Gru gru;
    private final Lin epsLinear;
    private final Lin conv1;
    private final CausalConv1d conv;
    private final Lin conv2;
    private final Lin zOut;
    private final Lin dec1;
    private final Lin dec2;
    private final Lin klIn;
    private final Lin[] klA = new Lin[2];
    private final Lin[] klB = new Lin[2];
    private final Lin klOut;
    private final Gru miGru;
    private final Lin miOut;

    /**
     * Builds the model with weights drawn from {@code seed}.
     *
     * @param numItems number of items N
     * @param config configuration
     * @param seed initialisation seed
     */
    public ACVAE(int numItems, ACVAEConfig config, long seed) {
        super("ACVAE", numItems, config, new Params());
        this.config = config;
        this.params = params();
        SplittableRandom rng = new SplittableRandom(seed);
        int emb = config.embeddingSize();
        int c = config.rnnSize();
        int lat = config.latentSize();
        int dsz = config.discriminatorSize();
        itemEmb = params.normal(ITEM_EMBEDDING, 1.0, rng, numItems + 1, emb);
        gru = new Gru(params, "gru", emb, c, true, Gru.Init.PYTORCH_DEFAULT, true, rng);
        epsLinear = Lin.torchDefault(params, "encoder.eps", c, c, rng);
        conv1 = Lin.torchDefault(params, "encoder.conv1", c, c, rng);
        conv = new CausalConv1d(params, "encoder.conv", c, 2 * c, config.kernelSize(), rng);
        conv2 = Lin.torchDefault(params, "encoder.conv2", 2 * c, c, rng);
        zOut = Lin.torchDefault(params, "encoder.out", c, lat, rng);
        dec1 = Lin.xavierNormal(params, "decoder.linear1", lat, emb, rng);
        dec2 = Lin.xavierNormal(params, "decoder.linear2", emb, numItems + 1, rng);
        klIn = Lin.torchDefault(params, "kl_disc.in", emb + lat, dsz, rng);
        for (int i = 0; i < 2; i++) {
            klA[i] = Lin.torchDefault(params, "kl_disc.a" + i, dsz, dsz, rng);
            klB[i] = Lin.torchDefault(params, "kl_disc.b" + i, dsz, dsz, rng);
        }
        klOut = Lin.torchDefault(params, "kl_disc.out", dsz, lat, rng);
        miGru = new Gru(params, "mi_disc.gru", emb + lat, dsz, true, Gru.Init.PYTORCH_DEFAULT, true, rng);
        miOut = Lin.torchDefault(params, "mi_disc.out", dsz, 1, rng);
    }

    /** {@code y + tanh(W_eps eps + b_eps)}; eps from {@code rng}, or 0 when {@code rng} is null (evaluation). */
    private NDArray addEps(NDArray y, SplittableRandom rng) {
        if (!config.addEps()) {
            return y;
        }
        NDArray eps = rng == null ? y.zerosLike()
                : VariationalHead.standardNormal(params.manager(), y.getShape(), rng).toType(y.getDataType(), false);
        return y.add(epsLinear.forward(eps).tanh());
    }

    /**
     * Encodes a batch: embeddings, GRU, the noise-injection causal-convolution encoder.
     *
     * @param batch the inputs (right-padded)
     * @param training dropout on and noise from {@code rng}
     * @param rng noise stream (two draws of {@code [B, T, c]}); null in evaluation
     * @return e, z and the mask
     */
    public Encoded encode(Batch batch, boolean training, SplittableRandom rng) {
        NDManager m = params.manager();
        NDArray e = Ops.rows(itemEmb, Ops.ids(m, batch.items()));
        NDArray r = gru.forward(Ops.dropout(e, config.embedDropout(), training));
        NDArray a = Activation.softPlus(conv1.forward(addEps(r, training ? rng : null)));
        NDArray b = Activation.softPlus(conv.forward(addEps(a, training ? rng : null)));
        NDArray g = Activation.softPlus(conv2.forward(b));
        NDArray z = zOut.forward(Ops.dropout(r.add(g), config.encoderDropout(), training));
        return new Encoded(e, z, mask(m, batch));
    }

    private static NDArray mask(NDManager m, Batch batch) {
        int bsz = batch.size();
        int t = batch.maxLen();
        float[] v = new float[bsz * t];
        for (int b = 0; b < bsz; b++) {
            for (int p = 0; p < t; p++) {
                v[b * t + p] = batch.items()[b][p] != 0 ? 1f : 0f;
            }
        }
        return m.create(v, new Shape(bsz, t));
    }

    /**
     * The decoder's logits over ids 0..N.
     *
     * @param z latents {@code [..., latent]}
     * @return {@code [..., N+1]}
     */
    public NDArray decode(NDArray z) {
        return dec2.forward(dec1.forward(z).tanh());
    }

    /**
     * The KL discriminator {@code T_psi(e, z)}, zero at padding.
     *
     * @param e embeddings {@code [B, T, emb]}
     * @param z latents {@code [B, T, latent]}
     * @param mask {@code [B, T]}
     * @param training whether its dropouts are active
     * @return {@code [B, T, latent]}
     */
    public NDArray klDiscriminator(NDArray e, NDArray z, NDArray mask, boolean training) {
        double p = config.discriminatorDropout();
        NDArray n = Ops.dropout(klIn.forward(NDArrays.concat(new NDList(e, z), 2)), p, training);
        for (int i = 0; i < 2; i++) {
            n = elu(n.add(klB[i].forward(klA[i].forward(n))));
        }
        NDArray out = Ops.dropout(klOut.forward(n), p, training).add(Ops.scale(z.square(), 0.5));
        return out.mul(mask.expandDims(2));
    }

    /** ELU with alpha 1: {@code max(x, 0) + exp(min(x, 0)) - 1}. */
    static NDArray elu(NDArray x) {
        NDArray zero = Ops.scalar(x, 0);
        return x.maximum(zero).add(x.minimum(zero).exp()).sub(Ops.scalar(x, 1));
    }

    /**
     * The contrastive discriminator {@code D_omega(e, z)}: GRU over {@code [e_t, z_t]}, GELU, Linear to 1, zero at
     * padding.
     *
     * @param e embeddings {@code [B, T, emb]}
     * @param z latents {@code [B, T, latent]}
     * @param mask {@code [B, T]}
     * @return {@code [B, T]}
     */
    public NDArray miDiscriminator(NDArray e, NDArray z, NDArray mask) {
        NDArray h = Activation.gelu(miGru.forward(NDArrays.concat(new NDList(e, z), 2)));
        return miOut.forward(h).squeeze(2).mul(mask);
    }

    /**
     * Rolls latents by one user: row b of the result is row {@code (b + 1) mod B} of {@code z} (the code's
     * {@code torch.cat([z[1:], z[:1]])}); with one row it is {@code z}.
     *
     * @param z {@code [B, ...]}
     * @return the shuffled latents
     */
    public static NDArray shuffle(NDArray z) {
        long b = z.getShape().get(0);
        if (b == 1) {
            return z;
        }
        return NDArrays.concat(new NDList(z.get(new NDIndex("1:")), z.get(new NDIndex(":1"))), 0);
    }

    /**
     * The contrastive term before beta: {@code (1/B) sum_{b,t} m_t [softplus(d~_t) + softplus(-d_t)]}.
     *
     * @param joint {@code D(e, z)} {@code [B, T]}
     * @param shuffled {@code D(e, z~)} {@code [B, T]}
     * @param mask {@code [B, T]}
     * @return scalar
     */
    public static NDArray contrastiveLoss(NDArray joint, NDArray shuffled, NDArray mask) {
        long b = joint.getShape().get(0);
        NDArray per = Activation.softPlus(shuffled).add(Activation.softPlus(joint.neg())).mul(mask);
        return Ops.scale(per.sum(), 1.0 / b);
    }

    /**
     * The KL discriminator's logistic loss (stage 2): {@code (1/B) sum_{b,t} m_t (-mean_k [log(sigma(tq)_k + 1e-9)
     * + log(1 - sigma(tp)_k + 1e-9)])}, tq on posterior samples and tp on prior samples.
     *
     * @param tq {@code T(e, z)} {@code [B, T, latent]}
     * @param tp {@code T(e, z_p)} {@code [B, T, latent]}
     * @param mask {@code [B, T]}
     * @return scalar
     */
    public static NDArray priorLoss(NDArray tq, NDArray tp, NDArray mask) {
        long b = tq.getShape().get(0);
        NDArray tiny = Ops.scalar(tq, 1e-9);
        NDArray a = Activation.sigmoid(tq).add(tiny).log();
        NDArray c = Ops.scalar(tp, 1).sub(Activation.sigmoid(tp)).add(tiny).log();
        NDArray per = a.add(c).mean(new int[] {2}).neg().mul(mask);
        return Ops.scale(per.sum(), 1.0 / b);
    }

    /**
     * Computes stage 1's terms from an encoder pass.
     *
     * @param batch the batch (targets at every real position)
     * @param enc its encoding
     * @return the terms
     */
    public Terms terms(Batch batch, Encoded enc) {
        NDArray z = enc.z();
        Shape s = z.getShape();
        int bsz = batch.size();
        Batch.TargetSlots slots = batch.targetSlots();
        int count = slots.size();
        long[] targets = slots.targets();
        NDArray zt = Ops.rows(z.reshape(s.get(0) * s.get(1), s.get(2)), slots.flatIndices(batch.maxLen()));
        NDArray logp = decode(zt).logSoftmax(1);
        NDArray picked = logp.gather(params.manager().create(targets).reshape(count, 1), 1);
        NDArray rec = Ops.scale(picked.sum().neg(), 1.0 / bsz);
        NDArray kl = null;
        if (config.klWeight() > 0) {
            NDArray tj = klDiscriminator(enc.e(), z, enc.mask(), true);
            kl = Ops.scale(tj.mean(new int[] {2}).sum(), 1.0 / bsz);
        }
        NDArray con = null;
        if (config.contrastWeight() > 0) {
            con = contrastiveLoss(miDiscriminator(enc.e(), z, enc.mask()),
                    miDiscriminator(enc.e(), shuffle(z), enc.mask()), enc.mask());
        }
        return new Terms(rec, kl, con, config.klWeight(), config.contrastWeight());
    }

    /**
     * A training forward (dropout on, noise from {@code ctx.rng()}) and stage 1's terms.
     *
     * @param batch the batch
     * @param ctx step context (its stream is advanced)
     * @return the terms
     */
    public Terms terms(Batch batch, StepContext ctx) {
        return terms(batch, encode(batch, true, ctx.rng()));
    }

    /** {@inheritDoc} Stage 1's loss {@code L_rec + alpha L_KL + beta L_con}. */
    @Override
    public NDArray loss(Batch batch, StepContext ctx) {
        return terms(batch, ctx).total();
    }

    /**
     * Stage 2's loss on a detached encoding: the KL discriminator against {@code z_p ~ N(0, I)} from {@code rng}.
     *
     * @param e embeddings (no gradient needed)
     * @param z latents (no gradient needed)
     * @param mask {@code [B, T]}
     * @param rng stream for {@code z_p}
     * @return scalar
     */
    public NDArray priorLoss(NDArray e, NDArray z, NDArray mask, SplittableRandom rng) {
        NDArray zp = VariationalHead.standardNormal(params.manager(), z.getShape(), rng).toType(z.getDataType(),
                false);
        return priorLoss(klDiscriminator(e, z, mask, true), klDiscriminator(e, zp, mask, true), mask);
    }

    @Override
    public NDArray scoreAll(Batch batch) {
        Encoded enc = encode(batch, false, null);
        return decode(SASRec.lastHidden(enc.z(), batch));
    }

    /** The two-stage step of the code (or the {@code singleOptimizer} simplification), see the class comment. */
    @Override
    public TrainStep newTrainStep(OptimConfig optim) {
        return new Step(optim);
    }

    /** Stage 1 (AdamW + SGD on one backward, or one Adam) and stage 2 (SGD on the KL discriminator). */
    private final class Step implements TrainStep {

        private final Map<String, Adam> optimizers = new LinkedHashMap<>();
        private final OptimizerStage main;
        private final OptimizerStage prior;
        private final double maxLoss;
        private float[] eStash;
        private float[] zStash;
        private float[] maskStash;
        private Shape eShape;
        private Shape zShape;

        Step(OptimConfig optim) {
            Predicate<String> mainGroup = VAE.or(MI_DISCRIMINATOR);
            if (config.singleOptimizer()) {
                optimizers.put("single", optim.newAdam(params, params.names(mainGroup)));
            } else {
                double lr = config.primalLearningRate() > 0 ? config.primalLearningRate() : optim.learningRate();
                optimizers.put("primal", new Adam(OptimizerKind.ADAMW, params, params.names(VAE), lr, optim.beta1(),
                        optim.beta2(), 1e-8, config.primalWeightDecay()));
                optimizers.put("dual", new Adam(OptimizerKind.SGD, params, params.names(ENCODER.or(MI_DISCRIMINATOR)),
                        config.dualLearningRate(), optim.beta1(), optim.beta2(), 1e-8, config.dualWeightDecay()));
            }
            optimizers.put("prior", new Adam(OptimizerKind.SGD, params, params.names(KL_DISCRIMINATOR),
                    config.priorLearningRate(), optim.beta1(), optim.beta2(), 1e-8, config.priorWeightDecay()));
            List<Adam> first = optimizers.entrySet().stream().filter(e -> !e.getKey().equals("prior"))
                    .map(Map.Entry::getValue).toList();
            main = new OptimizerStage(params, mainGroup, first, OptimizerStage.Direction.DESCEND);
            prior = new OptimizerStage(params, KL_DISCRIMINATOR, List.of(optimizers.get("prior")),
                    OptimizerStage.Direction.DESCEND);
            maxLoss = optim.maxLoss();
        }

        @Override
        public double step(Batch batch, StepContext ctx) {
            double v = main.run(() -> {
                Encoded enc = encode(batch, true, ctx.rng());
                eStash = enc.e().toFloatArray();
                eShape = enc.e().getShape();
                zStash = enc.z().toFloatArray();
                zShape = enc.z().getShape();
                maskStash = enc.mask().toFloatArray();
                return terms(batch, enc).total();
            }, x -> SingleLossStep.check(name() + " (VAE stage)", x, ctx, maxLoss));
            prior.run(() -> {
                NDManager m = params.manager();
                return priorLoss(m.create(eStash, eShape), m.create(zStash, zShape),
                        m.create(maskStash, new Shape(eShape.get(0), eShape.get(1))), ctx.rng());
            }, x -> SingleLossStep.check(name() + " (KL discriminator stage)", x, ctx, maxLoss));
            return v;
        }

        @Override
        public Map<String, float[]> state() {
            Map<String, float[]> s = new LinkedHashMap<>();
            optimizers.forEach((g, a) -> a.state().forEach((k, v) -> s.put(g + "/" + k, v)));
            return s;
        }

        @Override
        public void loadState(Map<String, float[]> state) {
            for (Map.Entry<String, Adam> e : optimizers.entrySet()) {
                String prefix = e.getKey() + "/";
                Map<String, float[]> sub = new LinkedHashMap<>();
                state.forEach((k, v) -> {
                    if (k.startsWith(prefix)) {
                        sub.put(k.substring(prefix.length()), v);
                    }
                });
                e.getValue().loadState(sub);
            }
        }
    }
}
