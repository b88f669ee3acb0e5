package io.seqcl.model;

import io.soabase.recordbuilder.core.RecordBuilder;
import io.seqcl.loss.InfoNCE;
import io.seqcl.nn.ActivationFn;
import io.seqcl.nn.Pooling;
import io.seqcl.nn.TransformerConfig;
import io.seqcl.protocol.Padding;

/**
 * Configuration of {@link ContrastVAE}; every open point of the spec is a field, so {@link #toString()} logs the
 * full set of choices with each run.
 *
 * <p>ContrastVAE: Wang et al., "ContrastVAE: Contrastive Variational AutoEncoder for Sequential Recommendation",
 * CIKM 2022 (../shared/papers/003_35e0abd0e5b770ab.txt), as implemented in YuWang-1024/ContrastVAE and specified in
 * /work/shared/specs/contrastvae.md (sections cited per field). {@link #defaults()} is the README's Beauty command
 * (model augmentation); {@link #office()}, {@link #tools()}, {@link #toys()} are the README's variational
 * augmentation commands (spec §6).
 *
 * <p>Deviations from the reference code: the item table has no {@code [mask]} row N+1 (no variant here masks
 * items; ContrastVAE's negatives can be the mask id, ours are real items only); the reorder augmentation of the
 * data-augmentation variants acts on the truncated input window; the unused parameters of the reference
 * (a base-model temperature, an extra dropout) do not exist.
 *
 * @param encoder the shared encoder settings: T (50 Amazon, 200 ML-1M), blocks, initialisation, padding
 * @param recObjective training samples and reconstruction loss [CODE BCE_ALL_POS: one sample per user, BCE with one negative at every position]
 * @param variant which two views are built (spec §3) [CODE Beauty: MODEL_AUGMENTATION]
 * @param clWeight weight lambda_cl of the contrastive loss ({@code latent_clr_weight}; Beauty 0.6) [CODE §6]; 0 = CL not computed
 * @param reparamDropout dropout rate p on sigma in the model-augmentation latent R2 ({@code reparam_dropout_rate}; Beauty 0.1) [CODE §2]
 * @param annealCap cap of the KL weight {@code w_t = min(annealCap, t / annealSteps)} ({@code anneal_cap}; Beauty 0.2) [CODE §4]
 * @param annealSteps {@code total_annealing_step} of the KL schedule, in optimizer steps (10000) [CODE §4]
 * @param temperature InfoNCE temperature tau (0.5) [CODE §4]
 * @param similarity InfoNCE similarity [CODE COSINE]
 * @param clNegatives in-batch negatives [CODE BOTH_VIEWS, 2B-2]
 * @param clPooling pooling of the latent sequence into one vector per user [CODE SUM]
 * @param clOverPadding whether the pooling covers all T positions, padding included [CODE true], or only the real ones
 * @param klOverPadding whether KL averages over all B*T positions, padding included [CODE true], or only the real ones
 * @param klOverSlots whether the real positions' KL is summed and divided by all B*T slots of the batch [CHOICE
 *     false]: the reference's scale (the KL of a padding position, which the reference adds, is left out) without
 *     computing the padding, so that, with {@code clOverPadding} false too, the step stays packed; cannot be
 *     combined with {@code klOverPadding}
 * @param evalLatent latent decoded at inference [CODE MU_PLUS_SIGMA: z1 = mu + sigma; MU = posterior mean]
 * @param reorderRate beta of the reorder augmentation used by the data-augmentation variants (0.6, the code's effective value) [CODE §3]
 * @param alphaInit initial value of the learnable scale alpha = sigmoid(a) of the variational-augmentation latent R3 (0.5, i.e. a = 0) [CODE §2]
 * @param alphaPrior whether the variational-augmentation variants add the prior term L_alpha [CODE true]
 */
@RecordBuilder
public record ContrastVAEConfig(EncoderConfig encoder, MetaSGCLConfig.RecObjective recObjective, Variant variant, double clWeight, double reparamDropout, double annealCap, long annealSteps, double temperature, InfoNCE.Similarity similarity, InfoNCE.Negatives clNegatives, Pooling clPooling, boolean clOverPadding, boolean klOverPadding, boolean klOverSlots, MetaSGCLConfig.EvalLatent evalLatent, double reorderRate, double alphaInit, boolean alphaPrior)
        implements TransformerModelConfig<ContrastVAEConfig>, ContrastVAEConfigBuilder.With {

    /** How one latent sequence z is built from the posterior {@code N(mu, sigma^2)} (spec §2). */
    public enum Latent {
        /** R0, vanilla VAE: training {@code z = mu + sigma * eps}, evaluation {@code z = mu + sigma}. */
        VANILLA,
        /** R1, "without noise": {@code z = mu + sigma} in training and evaluation. */
        NO_NOISE,
        /** R2, model augmentation: training {@code z = mu + Dropout_p(sigma)}, evaluation {@code z = mu + sigma}. */
        MODEL_AUGMENTATION,
        /**
         * R3, variational augmentation: {@code z = mu + alpha * sigma * eps} with one learnable scalar
         * {@code alpha = sigmoid(a)}, in training and evaluation alike.
         */
        VARIATIONAL_AUGMENTATION
    }

    /** The model variants of the reference code (spec §3): latents of both views and the second view's input. */
    public enum Variant {
        /** No flag: one view, z = R0, loss BCE + w KL (the attentive VAE baseline; no CL). */
        VANILLA(Latent.VANILLA, null, false),
        /** {@code latent_contrastive_learning}: z1 = R1 and z2 = R2 from a second encoder pass on x. */
        MODEL_AUGMENTATION(Latent.NO_NOISE, Latent.MODEL_AUGMENTATION, false),
        /** {@code latent_data_augmentation}: z1 = R1; z2 = R2 from the reordered input. */
        DATA_AUGMENTATION(Latent.NO_NOISE, Latent.MODEL_AUGMENTATION, true),
        /** {@code variational_dropout}: z1 = R1; z2 = R3 from a second encoder pass on x. */
        VARIATIONAL_AUGMENTATION(Latent.NO_NOISE, Latent.VARIATIONAL_AUGMENTATION, false),
        /** {@code VAandDA}: z1 = R1; z2 = R3 from the reordered input. */
        VA_AND_DA(Latent.NO_NOISE, Latent.VARIATIONAL_AUGMENTATION, true);

        private final Latent view1;
        private final Latent view2;
        private final boolean augmentsInput;

        Variant(Latent view1, Latent view2, boolean augmentsInput) {
            this.view1 = view1;
            this.view2 = view2;
            this.augmentsInput = augmentsInput;
        }

        /** @return the latent of view 1 (also the one decoded at inference) */
        public Latent view1() {
            return view1;
        }

        /** @return the latent of view 2, or {@code null} for the single-view vanilla VAE */
        public Latent view2() {
            return view2;
        }

        /** @return whether there is a second view (and hence a contrastive term) */
        public boolean twoViews() {
            return view2 != null;
        }

        /** @return whether view 2 encodes the reordered input instead of a second pass over x */
        public boolean augmentsInput() {
            return augmentsInput;
        }

        /** @return whether the learnable scale alpha (and the prior term L_alpha) exists */
        public boolean variational() {
            return view2 == Latent.VARIATIONAL_AUGMENTATION;
        }
    }

    /** Validates every field and names the one that is wrong. */
    public ContrastVAEConfig {
        requireNonNull("encoder", encoder);
        requireNonNull("recObjective", recObjective);
        requireNonNull("variant", variant);
        if (!(clWeight >= 0) || Double.isInfinite(clWeight)) {
            throw new IllegalArgumentException("clWeight must be a finite number >= 0, got " + clWeight);
        }
        if (!(reparamDropout >= 0 && reparamDropout < 1)) {
            throw new IllegalArgumentException("reparamDropout must be in [0, 1), got " + reparamDropout);
        }
        if (!(annealCap >= 0) || Double.isInfinite(annealCap)) {
            throw new IllegalArgumentException("annealCap must be a finite number >= 0, got " + annealCap);
        }
        if (annealSteps < 1) {
            throw new IllegalArgumentException("annealSteps must be >= 1, got " + annealSteps);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number > 0, got " + temperature);
        }
        requireNonNull("similarity", similarity);
        requireNonNull("clNegatives", clNegatives);
        requireNonNull("clPooling", clPooling);
        requireNonNull("evalLatent", evalLatent);
        if (klOverPadding && klOverSlots) {
            throw new IllegalArgumentException("klOverSlots cannot be combined with klOverPadding, which already "
                    + "averages the KL over all B*T slots (padding positions computed); set klOverPadding false");
        }
        if (!(reorderRate >= 0 && reorderRate <= 1)) {
            throw new IllegalArgumentException("reorderRate must be in [0, 1], got " + reorderRate);
        }
        if (!(alphaInit > 0 && alphaInit < 1)) {
            throw new IllegalArgumentException("alphaInit must be in (0, 1) (alpha = sigmoid(a)), got " + alphaInit);
        }
    }

    private static void requireNonNull(String name, Object v) {
        if (v == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }

    /**
     * The README's Beauty command (spec §6): model augmentation, lambda_cl 0.6, p 0.1, d 128, T 50, p_h 0.3,
     * p_a 0.0, 1 block per stack, 4 heads, inner 512, GELU, anneal cap 0.2 over 10000 steps, cosine InfoNCE with
     * tau 0.5 and 2B-2 negatives on the sum over all T latents, KL over all positions, BCE at every position with
     * one negative, left padding, evaluation with {@code z1 = mu + sigma}.
     *
     * @return the defaults
     */
    public static ContrastVAEConfig defaults() {
        return new ContrastVAEConfig(new EncoderConfig(50, new TransformerConfig(128, 1, 4, 512, ActivationFn.GELU,
                0.3, 0.0, 1e-12), 0.02, Padding.LEFT), MetaSGCLConfig.RecObjective.BCE_ALL_POS, Variant.MODEL_AUGMENTATION, 0.6, 0.1,
                0.2, 10000, 0.5, InfoNCE.Similarity.COSINE, InfoNCE.Negatives.BOTH_VIEWS, Pooling.SUM, true, true,
                false, MetaSGCLConfig.EvalLatent.MU_PLUS_SIGMA, 0.6, 0.5, true);
    }

    /** @return the README's Office command: VD, lambda_cl 0.3, T 100, p_a 0.3, cap 0.2 over 20000 steps */
    public static ContrastVAEConfig office() {
        return vd(0.3, 0.2, 20000);
    }

    /** @return the README's Tools command: VD, lambda_cl 0.4, T 100, p_a 0.3, cap 0.4 over 5000 steps */
    public static ContrastVAEConfig tools() {
        return vd(0.4, 0.4, 5000);
    }

    /** @return the README's Toys command: VD, lambda_cl 0.3, T 100, p_a 0.3, cap 0.2 over 10000 steps */
    public static ContrastVAEConfig toys() {
        return vd(0.3, 0.2, 10000);
    }

    /**
     * The registry's "toys" preset: the README's Toys command applied to a base configuration.
     *
     * @param base the base configuration
     * @return VD, lambda_cl 0.3, T 100, p_a 0.3, cap 0.2 over 10000 steps
     */
    public static ContrastVAEConfig forToys(ContrastVAEConfig base) {
        return vd(base, 0.3, 0.2, 10000);
    }

    private static ContrastVAEConfig vd(double cl, double cap, long steps) {
        return vd(defaults(), cl, cap, steps);
    }

    private static ContrastVAEConfig vd(ContrastVAEConfig d, double cl, double cap, long steps) {
        return d.withVariant(Variant.VARIATIONAL_AUGMENTATION).withMaxLen(100).withClWeight(cl).withAnnealCap(cap)
                .withAnnealSteps(steps).withTransformer(d.transformer().withAttnDropout(0.3));
    }

    /**
     * The KL weight after {@code step} optimizer steps: {@code min(annealCap, step / annealSteps)} (spec §4).
     *
     * @param step optimizer steps done so far (0 at the first batch)
     * @return the weight
     */
    public double klWeight(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        return Math.min(annealCap, (double) step / annealSteps);
    }

    /** @return the contrastive loss these settings describe */
    public InfoNCE infoNCE() {
        return new InfoNCE(temperature, similarity, clNegatives);
    }

    /** @return the equivalent backbone configuration (embedding, Enc_mu, reconstruction loss) */
    public SASRecConfig backbone() {
        return new SASRecConfig(encoder, recObjective.sampleMode(), recObjective.loss());
    }


    @Override
    public InputSpec inputSpec() {
        return backbone().inputSpec();
    }
}
