package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.seqcl.loss.GaussianKL;
import io.seqcl.loss.InfoNCE;
import io.seqcl.nn.Dense;
import io.seqcl.nn.Gaussian;
import io.seqcl.nn.Packing;
import io.seqcl.nn.Params;
import io.seqcl.nn.TransformerStack;
import io.seqcl.nn.VariationalHead;
import io.seqcl.protocol.Batch;
import io.seqcl.optim.MetaTwoStageStep;
import io.seqcl.optim.SingleLossStep;
import io.seqcl.optim.SplitLoss;
import io.seqcl.optim.StepContext;
import io.seqcl.optim.OptimConfig;
import io.seqcl.optim.TrainStep;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Meta-SGCL, a sequential VAE with two stochastic views whose second variance encoder is meta-optimised for
 * contrastive learning.
 *
 * <p>Hao et al., "Meta-optimized Joint Generative and Contrastive Learning for Sequential Recommendation", arXiv
 * 2310.13925 (../shared/papers/001_10888dff13463991.txt), as specified in /work/shared/specs/metasgcl.md.
 * Architecture (§3): SASRec-style embedding {@code LN(E[s] + P)} and causal post-LN encoder (shared with
 * {@link SASRec}); mean head {@code W_mu} and variance head {@code Enc_sigma} (view 1), meta variance head
 * {@code Enc_sigma'} (view 2, parameters {@code meta.*}); {@code z = mu + sigma eps}, {@code z' = mu' + sigma'
 * eps'} with eps drawn in Java from the step's random stream; a causal Transformer decoder of the encoder's shape
 * (input z, no position embedding) shared by both views; scores {@code D_t E^T} with the tied item table.
 * Loss (§4, sign-corrected): {@code L = Lrs1 + Lrs2 + beta (KL1 + KL2) + alpha Lcl} with
 * {@code Lcl = InfoNCE(pool(z), pool(z'))}. Training (§5): {@link MetaSGCLConfig.Schedule#META} uses
 * {@link MetaTwoStageStep} (Theta on L, then Phi = {@code meta.*} on L'); {@link MetaSGCLConfig.Schedule#JOINT}
 * one Adam over everything. Inference decodes the posterior mean.
 *
 * <p>Deviations from the paper (from the spec): minimised loss with corrected signs and the 1/2 of the Gaussian
 * KL; KL2 uses {@code mu'} (the paper writes {@code mu}); variance heads output log-variances; reconstruction CE
 * at every position of one sample per user; the encoder runs twice (independent dropout) unless
 * {@code sharedEncoderPass}; the stage-2 loss is the paper's {@code alpha Lcl} by default, with
 * {@code Lrs2 + beta KL2 + alpha Lcl} ({@link MetaSGCLConfig.MetaLoss#FULL}, the spec's choice and seqcl's default
 * until 2026-12-02) selectable; the decoder has no cross-attention (the paper gives no memory for it). Weights
 * and noise come from Java random streams, so they differ from PyTorch draws.
 */
public final class MetaSGCL extends AbstractRecommender<MetaSGCLConfig> implements LatentModel {

    /** Name prefix of the meta encoder Enc_sigma' (the parameter group Phi). */
    public static final String META_PREFIX = "meta.";

    /** Selects the meta encoder's parameters. */
    public static final Predicate<String> META_GROUP = n -> n.startsWith(META_PREFIX);

    /** The loss terms of §4. */
    public enum Term {
        /** Reconstruction of view 1. */
        REC1,
        /** Reconstruction of view 2. */
        REC2,
        /** KL of view 1. */
        KL1,
        /** KL of view 2. */
        KL2,
        /** Contrastive loss between the views. */
        CL
    }

    /**
     * Loss terms of one forward pass; a term that was not requested is {@code null}.
     *
     * @param rec1 reconstruction CE of view 1
     * @param rec2 reconstruction CE of view 2
     * @param kl1 KL of view 1
     * @param kl2 KL of view 2
     * @param cl contrastive loss
     */
    public record Terms(NDArray rec1, NDArray rec2, NDArray kl1, NDArray kl2, NDArray cl) {

        /**
         * The weighted sum {@code rec1 + rec2 + beta (kl1 + kl2) + alpha cl} over the present terms.
         *
         * @param alpha CL weight
         * @param beta KL weight
         * @return scalar
         */
        public NDArray sum(double alpha, double beta) {
            NDArray total = null;
            total = plus(total, rec1, 1);
            total = plus(total, rec2, 1);
            total = plus(total, kl1, beta);
            total = plus(total, kl2, beta);
            total = plus(total, cl, alpha);
            if (total == null) {
                throw new IllegalStateException("no loss term was computed");
            }
            return total;
        }

    }

    private final MetaSGCLConfig config;
    private final SASRec backbone;
    private final Params params;
    private final Dense mean;
    private final Dense logVar;
    private final Dense metaLogVar;
    private final TransformerStack decoder;
    private final GaussianKL kl = new GaussianKL();
    private final InfoNCE infoNCE;

    /**
     * Builds the model with weights drawn from {@code seed}.
     *
     * @param numItems number of items N
     * @param config configuration
     * @param seed initialisation seed
     */
    public MetaSGCL(int numItems, MetaSGCLConfig config, long seed) {
        super("Meta-SGCL", numItems, config, new Params());
        this.config = config;
        this.backbone = new SASRec(numItems, config.backbone(), seed, params());
        this.params = backbone.params();
        SplittableRandom rng = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        int d = config.transformer().hiddenSize();
        double std = config.initStd();
        mean = new Dense(params, "head.mean", d, d, std, rng);
        logVar = new Dense(params, "head.logvar", d, d, std, rng);
        metaLogVar = new Dense(params, META_PREFIX + "logvar", d, d, std, rng);
        decoder = new TransformerStack(params, "decoder", config.transformer(), false, std, rng);
        infoNCE = config.infoNCE();
    }

    /** @return the terms of the main loss L (the KL terms only if beta &gt; 0, CL only if alpha &gt; 0) */
    public Set<Term> mainTerms() {
        EnumSet<Term> s = EnumSet.of(Term.REC1, Term.REC2);
        if (config.beta() > 0) {
            s.add(Term.KL1);
            s.add(Term.KL2);
        }
        if (config.alpha() > 0) {
            s.add(Term.CL);
        }
        return s;
    }

    /** @return the terms of the stage-2 loss L' (empty if Phi gets no gradient: metaLoss CL with alpha 0) */
    public Set<Term> metaTerms() {
        EnumSet<Term> s = EnumSet.noneOf(Term.class);
        if (config.metaLoss() == MetaSGCLConfig.MetaLoss.FULL) {
            s.add(Term.REC2);
            if (config.beta() > 0) {
                s.add(Term.KL2);
            }
        }
        if (config.alpha() > 0) {
            s.add(Term.CL);
        }
        return s;
    }

    /**
     * Runs a training forward (dropout on, noise from {@code ctx.rng()}) and computes the requested terms; the
     * views and decoders that no requested term needs are skipped. Noise is drawn for view 1 first, then view 2.
     *
     * @param batch training batch
     * @param ctx step context (its random stream is advanced)
     * @param which terms to compute
     * @return the terms, unrequested ones {@code null}
     */
    public Terms terms(Batch batch, StepContext ctx, Set<Term> which) {
        Forward f = forward(batch, ctx, which);
        NDArray cl = which.contains(Term.CL) ? infoNCE.compute(f.pooled1(), f.pooled2()) : null;
        return new Terms(f.rec1(), f.rec2(), f.kl1(), f.kl2(), cl);
    }

    /** The per-row terms of a training forward and the pooled latents L_cl reads (null unless CL is requested). */
    private record Forward(NDArray rec1, NDArray rec2, NDArray kl1, NDArray kl2, NDArray pooled1, NDArray pooled2) {
    }

    private Forward forward(Batch batch, StepContext ctx, Set<Term> which) {
        NDManager m = params.manager();
        boolean view1 = which.contains(Term.REC1) || which.contains(Term.KL1) || which.contains(Term.CL);
        boolean view2 = which.contains(Term.REC2) || which.contains(Term.KL2) || which.contains(Term.CL);
        Packing p = backbone.packing(batch, config.klOverPadding());
        NDArray f1 = view1 || (view2 && config.sharedEncoderPass()) ? backbone.encode(batch, p, true) : null;
        NDArray f2 = !view2 ? null : config.sharedEncoderPass() ? f1 : backbone.encode(batch, p, true);
        NDArray valid = config.klOverPadding() ? null : p.nonzeroItems();
        long slots = config.klOverSlots() ? (long) batch.size() * batch.maxLen() : 0;
        Shape shape = new Shape(batch.size(), batch.maxLen(), config.transformer().hiddenSize());
        NDArray rec1 = null;
        NDArray rec2 = null;
        NDArray kl1 = null;
        NDArray kl2 = null;
        NDArray z1 = null;
        NDArray z2 = null;
        NDArray eps1 = null;
        if (view1) {
            Gaussian g1 = new Gaussian(mean.forward(f1), logVar.forward(f1));
            eps1 = p.pack(VariationalHead.standardNormal(m, shape, ctx.rng()));
            z1 = VariationalHead.reparameterize(g1, eps1);
            if (which.contains(Term.REC1)) {
                rec1 = backbone.recLoss(decoder.forward(z1, p, true), p, 0, batch, backbone.itemEmbedding());
            }
            if (which.contains(Term.KL1)) {
                kl1 = kl.over(g1, valid, slots);
            }
        }
        if (view2) {
            Gaussian g2 = new Gaussian(mean.forward(f2), metaLogVar.forward(f2));
            NDArray eps2 = config.sharedNoise() && eps1 != null ? eps1
                    : p.pack(VariationalHead.standardNormal(m, shape, ctx.rng()));
            z2 = VariationalHead.reparameterize(g2, eps2);
            if (which.contains(Term.REC2)) {
                rec2 = backbone.recLoss(decoder.forward(z2, p, true), p, 0, batch, backbone.itemEmbedding());
            }
            if (which.contains(Term.KL2)) {
                kl2 = kl.over(g2, valid, slots);
            }
        }
        if (!which.contains(Term.CL)) {
            return new Forward(rec1, rec2, kl1, kl2, null, null);
        }
        return new Forward(rec1, rec2, kl1, kl2, config.clPooling().pool(p.unpack(z1), batch),
                config.clPooling().pool(p.unpack(z2), batch));
    }

    /**
     * A loss over some terms split by rows: each range's reconstructions (its share of the mean over target slots)
     * and beta-weighted KL terms (its share of the mean over real positions, or over all positions with
     * {@code klOverPadding} or {@code klOverSlots}), with noise and dropout drawn from the range's stream; the joint
     * term is {@code alpha L_cl} on the ranges' pooled latents. {@code split(which).loss(b, ctx)} equals
     * {@code terms(b, ctx, which).sum(alpha, beta)}.
     *
     * @param which the terms, e.g. {@link #mainTerms()} or {@link #metaTerms()}
     * @return the split loss
     */
    public SplitLoss split(Set<Term> which) {
        return new SplitLoss() {
            @Override
            public Part part(Batch range, int from, Batch whole, StepContext ctx) {
                Forward f = forward(range, ctx, which);
                double slots = SplitLoss.share(range, whole);
                double positions = SplitLoss.positionShare(range, whole,
                        config.klOverPadding() || config.klOverSlots());
                double beta = config.betaAt(ctx.globalStep());
                NDArray rows = null;
                rows = plus(rows, f.rec1(), slots);
                rows = plus(rows, f.rec2(), slots);
                rows = plus(rows, f.kl1(), beta * positions);
                rows = plus(rows, f.kl2(), beta * positions);
                return new Part(rows, f.pooled1() == null ? List.of() : List.of(f.pooled1(), f.pooled2()));
            }

            @Override
            public NDArray joint(List<NDArray> reps, Batch whole) {
                return reps.isEmpty() ? null
                        : io.seqcl.nn.Ops.scale(infoNCE.compute(reps.get(0), reps.get(1)), config.alpha());
            }
        };
    }

    /** @return {@code total + w term} with a null total or term standing for none */
    private static NDArray plus(NDArray total, NDArray term, double w) {
        if (term == null) {
            return total;
        }
        NDArray t = w == 1 ? term : io.seqcl.nn.Ops.scale(term, w);
        return total == null ? t : total.add(t);
    }

    /**
     * {@inheritDoc} The main loss L split by rows ({@link #mainTerms()}); the META schedule trains both stages
     * in row ranges through {@link #newTrainStep(OptimConfig, int)}.
     *
     * @return the split main loss
     */
    @Override
    public SplitLoss splitLoss() {
        return backbone.perSlotLoss() ? split(mainTerms()) : null;
    }

    /**
     * {@inheritDoc} With the META schedule both stages run in row ranges (L and L' split by rows,
     * {@link MetaTwoStageStep#sharded}).
     */
    @Override
    public TrainStep newTrainStep(OptimConfig trainConfig, int shards) {
        if (shards == 1 || config.schedule() == MetaSGCLConfig.Schedule.JOINT) {
            return super.newTrainStep(trainConfig, shards);
        }
        if (splitLoss() == null) {
            throw new IllegalArgumentException(name() + " cannot be trained in row ranges with a custom "
                    + "reconstruction loss");
        }
        return MetaTwoStageStep.sharded(name(), params, META_GROUP, split(mainTerms()),
                metaTerms().isEmpty() ? null : split(metaTerms()), trainConfig, config.metaLearningRate(),
                config.thirdStep(), shards);
    }

    /** {@inheritDoc} The main loss {@code L = Lrs1 + Lrs2 + beta (KL1 + KL2) + alpha Lcl}. */
    @Override
    public NDArray loss(Batch batch, StepContext ctx) {
        return terms(batch, ctx, mainTerms()).sum(config.alpha(), config.betaAt(ctx.globalStep()));
    }

    /**
     * The stage-2 loss L' ({@link MetaSGCLConfig.MetaLoss}).
     *
     * @param batch training batch
     * @param ctx step context
     * @return scalar
     * @throws IllegalStateException if L' has no term (metaLoss CL with alpha 0)
     */
    public NDArray metaLoss(Batch batch, StepContext ctx) {
        return terms(batch, ctx, metaTerms()).sum(config.alpha(), config.betaAt(ctx.globalStep()));
    }

    /** View 1's posterior in evaluation mode: {@code mu = W_mu F}, {@code ln sigma^2 = Enc_sigma(F)}. */
    @Override
    public Gaussian posterior(Batch batch) {
        Packing p = backbone.packing(batch, true);
        NDArray f = p.unpack(backbone.encode(batch, p, false));
        return new Gaussian(mean.forward(f), logVar.forward(f));
    }

    /** @return true: scoring encodes each batch in its own layout and only reads the parameters */
    @Override
    public boolean concurrentScoring() {
        return true;
    }

    @Override
    public NDArray scoreAll(Batch batch) {
        Packing p = backbone.packing(batch);
        NDArray f = backbone.encode(batch, p, false);
        NDArray z = mean.forward(f);
        if (config.evalLatent() == MetaSGCLConfig.EvalLatent.MU_PLUS_SIGMA) {
            z = z.add(new Gaussian(z, logVar.forward(f)).std());
        }
        return p.last(decoder.forward(z, p, false)).matMul(backbone.itemEmbedding().transpose());
    }

    /**
     * {@link MetaTwoStageStep} for the META schedule (stage 2 omitted if L' is empty), {@link SingleLossStep}
     * over all parameters for JOINT.
     */
    @Override
    public TrainStep newTrainStep(OptimConfig trainConfig) {
        if (config.schedule() == MetaSGCLConfig.Schedule.JOINT) {
            return super.newTrainStep(trainConfig);
        }
        MetaTwoStageStep.StageLoss stage2 = metaTerms().isEmpty() ? null : this::metaLoss;
        return new MetaTwoStageStep(name(), params, META_GROUP, this::loss, stage2, trainConfig,
                config.metaLearningRate(), config.thirdStep());
    }
}
