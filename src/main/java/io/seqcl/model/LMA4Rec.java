package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.pytorch.jni.JniUtils;
import io.seqcl.nn.Ops;
import io.seqcl.nn.Params;
import io.seqcl.optim.StepContext;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;

import java.util.ArrayList;
import java.util.List;

/**
 * LMA4Rec-like: CoSeRec whose contrastive branch replaces every dropout site of the encoder by learnable Bernoulli
 * dropout (LBD) with one learned keep probability per site, trained with the ARM estimator (or a concrete
 * relaxation).
 *
 * <p>Paper: Hao, Zhao, Xian, Liu, Wang, Zhao, Liu, Sheng, "Learnable Model Augmentation Self-Supervised Learning for
 * Sequential Recommendation", arXiv:2204.10128, 2022 (extended in IEEE TKDE 2024 with a multi-positive CL loss, not
 * implemented). LBD: Boluki et al., "Learnable Bernoulli Dropout for Bayesian Deep Learning", AISTATS 2020.
 * <b>This is seqcl's own design from /work/shared/specs/baselines.md §12, unverified: no code or full text was
 * available</b>; numbers from it are "LMA4Rec-like", not a reproduction.
 *
 * <p>Design (§12): CoSeRec (§9) unchanged for the next-item loss (ordinary dropout), the augmenter, the similarity
 * models and evaluation (no dropout). In the CL forward every dropout site (embedding, attention probabilities,
 * attention output, FFN output of every layer, in call order: {@code 1 + 3L} sites) computes
 * {@code x * z / pi_l}, {@code z ~ Bernoulli(pi_l)} i.i.d. per unit, {@code pi_l = sigmoid(alpha_l)},
 * {@code alpha_l} initialised at {@code logit(initKeep)} (0.5) and updated by the same Adam as the weights. Both views
 * share the keep probabilities. Gradient of {@code alpha}: the pathwise part through {@code 1/pi} by autograd, and
 * for the Bernoulli draw
 * <ul>
 *   <li>ARM (default): {@code dE[F]/dalpha_l = E_u[(F(1[u > sigmoid(-alpha)]) - F(1[u < sigmoid(alpha)]))
 *   sum_{units of l}(u - 1/2)]}, one {@code u} per unit, two extra no-grad CL forwards on the same views, injected as
 *   the zero-valued surrogate {@code s - stopgrad(s)}, {@code s = sum_l alpha_l g_l};</li>
 *   <li>CONCRETE: {@code z = sigmoid((alpha + ln u - ln(1-u)) / t)}, t 0.1, pathwise.</li>
 * </ul>
 * No entropy/KL regulariser on {@code pi}. Hyper-parameters: CoSeRec's.
 *
 * <p>Packed execution: as CoSeRec's (the LBD masks take the shape of each site's input, so the random draws of the
 * packed and padded layouts differ; with {@code initKeep} 1 and frozen keep probabilities both paths are equal).
 */
public final class LMA4Rec extends AbstractRecommender<LMA4RecConfig> {

    /** Name of the keep-logit parameter {@code [1 + 3L]}. */
    public static final String ALPHA = "lbd.alpha";

    private final LMA4RecConfig config;
    private final CoSeRec coserec;
    private final int sites;
    private final NDArray alpha;

    /**
     * Builds the model with weights drawn from {@code seed}.
     *
     * @param numItems number of items N
     * @param config configuration
     * @param seed initialisation seed
     */
    public LMA4Rec(int numItems, LMA4RecConfig config, long seed) {
        super("LMA4Rec", numItems, config, new Params());
        this.config = config;
        this.coserec = new CoSeRec(numItems, config.coserec(), seed, params());
        this.sites = 1 + 3 * config.encoder().transformer().layers();
        float logit = config.initKeep() >= 1 ? Float.POSITIVE_INFINITY
                : (float) Math.log(config.initKeep() / (1 - config.initKeep()));
        if (config.learnKeep()) {
            this.alpha = params().constant(ALPHA, logit, sites);
        } else {
            this.alpha = params().manager().create(fill(logit, sites));
        }
    }

    private static float[] fill(float v, int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** @return the current keep probability of every LBD site */
    public float[] keepProbabilities() {
        try (NDArray p = Activation.sigmoid(alpha.stopGradient())) {
            return p.toFloatArray();
        }
    }

    /** @return the number of LBD sites ({@code 1 + 3L}) */
    public int sites() {
        return sites;
    }

    /** @return the CoSeRec inside (tests) */
    CoSeRec coserecForTest() {
        return coserec;
    }

    @Override
    public void prepare(LeaveOneOutSplit split) {
        coserec.prepare(split);
    }

    @Override
    public void onEpochStart(int epoch, LeaveOneOutSplit split, long epochSeed) {
        coserec.onEpochStart(epoch, split, epochSeed);
    }

    /** How an LBD site draws its mask in one CL forward. */
    enum Mode { SAMPLE, ARM_FIRST, ARM_SECOND, CONCRETE }

    /** The uniforms of one CL forward, one per dropout call, and the LBD site of each call. */
    static final class Draws {
        final List<NDArray> uniforms = new ArrayList<>();
        final List<Integer> siteOf = new ArrayList<>();
    }

    /**
     * The LBD replacement of the dropout sites of one encoder pass. Sites are numbered in call order; consecutive
     * calls on 4-d inputs (attention probabilities, which the packed path computes per length group) are one site.
     */
    final class Lbd implements Ops.DropoutSite {
        private final Mode mode;
        private final Draws draws;
        private int call;
        private int site = -1;
        private boolean previousAttention;

        Lbd(Mode mode, Draws draws) {
            this.mode = mode;
            this.draws = draws;
        }

        @Override
        public NDArray apply(NDArray x, double rate) {
            boolean attention = x.getShape().dimension() == 4;
            if (!(attention && previousAttention)) {
                site++;
            }
            previousAttention = attention;
            if (site >= sites) {
                throw new IllegalStateException("LMA4Rec expected " + sites + " dropout sites per CL forward");
            }
            NDArray a = alpha.get(site);
            NDArray pi = Activation.sigmoid(a);
            NDArray u;
            if (mode == Mode.SAMPLE || mode == Mode.CONCRETE) {
                u = x.getManager().randomUniform(0f, 1f, x.getShape(), x.getDataType());
                draws.uniforms.add(u);
                draws.siteOf.add(site);
            } else {
                if (draws.siteOf.get(call) != site) {
                    throw new IllegalStateException("LMA4Rec: ARM forward saw another site order");
                }
                u = draws.uniforms.get(call);
            }
            call++;
            NDArray z;
            switch (mode) {
                case SAMPLE, ARM_SECOND -> z = u.lt(pi.stopGradient()).toType(x.getDataType(), false);
                case ARM_FIRST -> z = u.gt(Activation.sigmoid(a.neg()).stopGradient()).toType(x.getDataType(), false);
                default -> {
                    NDArray lo = Ops.scalar(u, 1e-6);
                    NDArray hi = Ops.scalar(u, 1 - 1e-6);
                    NDArray uc = u.maximum(lo).minimum(hi);
                    NDArray logit = uc.log().sub(Ops.scalar(u, 1).sub(uc).log());
                    z = Activation.sigmoid(Ops.scale(a.add(logit), 1.0 / config.concreteTemperature()));
                }
            }
            return x.mul(z).div(pi);
        }

        /** @return the number of sites seen */
        int sitesSeen() {
            return site + 1;
        }
    }

    /**
     * The ARM mask-gradient factor of a site: {@code sum over its units of (u - 1/2)}.
     *
     * @param u the site's uniforms
     * @return the sum
     */
    static double centredSum(NDArray u) {
        return u.sum().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble() - 0.5 * u.size();
    }

    /**
     * The ARM estimate of {@code dE[F(z)]/dalpha} for one Bernoulli unit with {@code P(z = 1) = sigmoid(alpha)}:
     * {@code (F(1[u > sigmoid(-alpha)]) - F(1[u < sigmoid(alpha)])) (u - 1/2)}.
     *
     * @param f the function of the binary draw
     * @param alpha the logit
     * @param u a uniform draw
     * @return one unbiased sample of the derivative
     */
    public static double armSample(java.util.function.DoubleUnaryOperator f, double alpha, double u) {
        double z1 = u > 1 / (1 + Math.exp(alpha)) ? 1 : 0;
        double z2 = u < 1 / (1 + Math.exp(-alpha)) ? 1 : 0;
        return (f.applyAsDouble(z1) - f.applyAsDouble(z2)) * (u - 0.5);
    }

    /**
     * The contrastive term with LBD: NCE between the flattened states of two views, plus (ARM, learned keep
     * probabilities) the zero-valued surrogate that carries the ARM gradient to {@link #ALPHA}.
     *
     * @param batch training batch
     * @param ctx step context
     * @return scalar (value = the NCE of the sampled masks)
     */
    NDArray contrastive(Batch batch, StepContext ctx) {
        Batch[] v = coserec.views(batch, ctx);
        int b = batch.size();
        Draws draws = new Draws();
        Mode main = config.estimator() == LMA4RecConfig.Estimator.CONCRETE ? Mode.CONCRETE : Mode.SAMPLE;
        Lbd first = new Lbd(main, draws);
        NDArray nce = Ops.withDropout(first, () -> coserec.contrastive(v, b));
        if (first.sitesSeen() != sites) {
            throw new IllegalStateException("LMA4Rec expected " + sites + " dropout sites, saw " + first.sitesSeen());
        }
        if (main == Mode.CONCRETE || !config.learnKeep()) {
            return nce;
        }
        boolean grad = JniUtils.isGradMode();
        double f1;
        double f2;
        JniUtils.setGradMode(false);
        try {
            f1 = Ops.withDropout(new Lbd(Mode.ARM_FIRST, draws), () -> coserec.contrastive(v, b)).getFloat();
            f2 = Ops.withDropout(new Lbd(Mode.ARM_SECOND, draws), () -> coserec.contrastive(v, b)).getFloat();
        } finally {
            JniUtils.setGradMode(grad);
        }
        double[] centred = new double[sites];
        for (int k = 0; k < draws.uniforms.size(); k++) {
            centred[draws.siteOf.get(k)] += centredSum(draws.uniforms.get(k));
        }
        float[] g = new float[sites];
        for (int l = 0; l < sites; l++) {
            g[l] = (float) ((f1 - f2) * centred[l]);
        }
        NDArray s = alpha.mul(nce.getManager().create(g)).sum();
        return nce.add(s.sub(s.stopGradient()));
    }

    @Override
    public NDArray loss(Batch batch, StepContext ctx) {
        NDArray rec = coserec.recLoss(batch);
        if (config.lambda() == 0) {
            return rec;
        }
        return rec.add(Ops.scale(contrastive(batch, ctx), config.lambda()));
    }

    @Override
    public NDArray scoreAll(Batch batch) {
        return coserec.scoreAll(batch);
    }
}
