package io.seqcl.model;

import io.soabase.recordbuilder.core.RecordBuilder;
import io.seqcl.nn.ActivationFn;
import io.seqcl.nn.TransformerConfig;
import io.seqcl.protocol.Padding;

/**
 * Configuration of {@link VSAN}; every open point of the spec is a field, so {@link #toString()} logs the full set
 * of choices with each run.
 *
 * <p>VSAN: Zhao, Zhao, Zhao, Liu, Sheng, Zhou, "Variational Self-attention Network for Sequential
 * Recommendation", ICDE 2021, pp. 1559–1570, as specified in /work/shared/specs/baselines.md §6. <b>Neither the
 * paper text nor any code of VSAN was available</b>: the architecture, loss, KL schedule and every
 * hyper-parameter below are the spec's inference from ContrastVAE's vanilla attentive VAE (contrastvae.md §1–4)
 * and Meta-SGCL's global settings (baselines.md §6, §14 item 1) — [UNVERIFIED], our own design.
 *
 * <p>Presets: {@link #defaults()} is seqcl's clean default and the settings used for Meta-SGCL Table II (d 64,
 * heads 2, dropout 0.2, T 50; the registry's {@code ml-1m} preset sets T 200); {@link #contrastVaeVanilla()} is
 * the lineage the spec derives VSAN from, ContrastVAE's vanilla mode (two encoder stacks, BCE with one negative,
 * KL over all positions, evaluation with {@code mu + sigma}), which computes exactly what
 * {@link ContrastVAE} computes with {@link ContrastVAEConfig.Variant#VANILLA}.
 *
 * @param encoder the inference SAN: T, its blocks L_inf (1), heads 2, d 64, dropout 0.2, initialisation, padding [CHOICE]
 * @param recObjective training samples and reconstruction loss [CHOICE CE_ALL_POS; BCE_ALL_POS = ContrastVAE]
 * @param generativeLayers blocks L_gen of the generative SAN (1) [CHOICE]
 * @param posterior how mu and ln sigma^2 are computed from the inference SAN [CHOICE LINEAR_HEADS; STACKS = ContrastVAE]
 * @param betaMax cap beta_max of the KL weight (0.2, ContrastVAE's Beauty value) [CHOICE]; 0 = no KL term (an
 *     autoencoder). Observed on the small synthetic data (d 32): at 0.2 from the first step the posterior collapses
 *     (KL 0.004 per dimension, HR@10 near Pop's); with the 10000-step warm-up, or at 0.05, it does not (VSANTest)
 * @param klAnnealSteps steps S of the linear KL warm-up {@code beta_k = min(beta_max, k / S)}, k = optimizer steps
 *     done before this one (10000) [CHOICE]; 0 = constant beta_max
 * @param klOverPadding whether KL averages over all T positions, padding included [ContrastVAE true], or over the
 *     real positions only [CHOICE false]
 * @param evalLatent latent decoded at inference [CHOICE MU; MU_PLUS_SIGMA = ContrastVAE]
 */
@RecordBuilder
public record VSANConfig(EncoderConfig encoder, MetaSGCLConfig.RecObjective recObjective, int generativeLayers,
                         Posterior posterior, double betaMax, long klAnnealSteps, boolean klOverPadding,
                         MetaSGCLConfig.EvalLatent evalLatent)
        implements TransformerModelConfig<VSANConfig>, VSANConfigBuilder.With {

    /** How the posterior parameters are computed from the inference SAN's output H (baselines.md §6, open points). */
    public enum Posterior {
        /** {@code mu = W_mu H + b_mu}, {@code ln sigma^2 = W_sigma H + b_sigma} ({@link io.seqcl.nn.VariationalHead}). */
        LINEAR_HEADS,
        /**
         * ContrastVAE's form: {@code mu} is the inference SAN's output, {@code ln sigma^2} the output of a second,
         * separate stack of the same shape over the same embedded input.
         */
        STACKS
    }

    /** Validates every field and names the one that is wrong. */
    public VSANConfig {
        Checks.notNull("encoder", encoder);
        Checks.notNull("recObjective", recObjective);
        if (recObjective == MetaSGCLConfig.RecObjective.CE_LAST_PREFIX) {
            throw new IllegalArgumentException("recObjective must be CE_ALL_POS or BCE_ALL_POS (VSAN trains every "
                    + "position of one sample per user), got CE_LAST_PREFIX");
        }
        if (generativeLayers < 1) {
            throw new IllegalArgumentException("generativeLayers must be >= 1, got " + generativeLayers);
        }
        Checks.notNull("posterior", posterior);
        if (!(betaMax >= 0) || Double.isInfinite(betaMax)) {
            throw new IllegalArgumentException("betaMax must be a finite number >= 0, got " + betaMax);
        }
        if (klAnnealSteps < 0) {
            throw new IllegalArgumentException("klAnnealSteps must be >= 0 (0 = constant betaMax), got "
                    + klAnnealSteps);
        }
        Checks.notNull("evalLatent", evalLatent);
    }

    /**
     * seqcl's default and the Table II setting (baselines.md §6 [CHOICE]): T 50, d 64, L_inf = L_gen = 1, 2 heads,
     * inner 256, GELU, dropout 0.2, LN eps 1e-12, std 0.02, left padding, CE at every position of one sample per
     * user, linear posterior heads, beta_max 0.2 reached linearly over 10000 steps, KL over real positions,
     * posterior mean at inference.
     *
     * @return the defaults
     */
    public static VSANConfig defaults() {
        return new VSANConfig(new EncoderConfig(50, new TransformerConfig(64, 1, 2, 256, ActivationFn.GELU, 0.2, 0.2,
                1e-12), 0.02, Padding.LEFT), MetaSGCLConfig.RecObjective.CE_ALL_POS, 1, Posterior.LINEAR_HEADS, 0.2,
                10000, false, MetaSGCLConfig.EvalLatent.MU);
    }

    /**
     * The lineage the spec infers VSAN from: ContrastVAE's vanilla attentive VAE (contrastvae.md §1–4) with
     * seqcl's widths — two encoder stacks, BCE with one negative per position, KL over all B*T positions, evaluation
     * with {@code z = mu + sigma}.
     *
     * @return the configuration
     */
    public static VSANConfig contrastVaeVanilla() {
        return defaults().withPosterior(Posterior.STACKS).withRecObjective(MetaSGCLConfig.RecObjective.BCE_ALL_POS)
                .withKlOverPadding(true).withEvalLatent(MetaSGCLConfig.EvalLatent.MU_PLUS_SIGMA);
    }

    /**
     * The registry's ML-1M preset: T 200 (Meta-SGCL's setting for ML-1M).
     *
     * @param base the base configuration
     * @return the copy
     */
    public static VSANConfig forMl1m(VSANConfig base) {
        return base.withMaxLen(200);
    }

    /**
     * The KL weight after {@code k} optimizer steps: {@code min(betaMax, k / klAnnealSteps)}, or betaMax without
     * warm-up.
     *
     * @param k optimizer steps done before this one (0 at the first batch)
     * @return the weight
     */
    public double klWeight(long k) {
        if (k < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + k);
        }
        return klAnnealSteps == 0 ? betaMax : Math.min(betaMax, (double) k / klAnnealSteps);
    }

    /** @return the block shape of the generative SAN (the encoder's, with {@link #generativeLayers} blocks) */
    public TransformerConfig generative() {
        return transformer().withLayers(generativeLayers);
    }

    /** @return the equivalent backbone configuration (embedding, inference SAN, reconstruction loss) */
    public SASRecConfig backbone() {
        return new SASRecConfig(encoder, recObjective.sampleMode(), recObjective.loss());
    }

    @Override
    public InputSpec inputSpec() {
        return backbone().inputSpec();
    }
}
