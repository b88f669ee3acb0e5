package io.seqcl.model;

import io.soabase.recordbuilder.core.RecordBuilder;
import io.seqcl.protocol.Padding;
import io.seqcl.protocol.SampleMode;

/**
 * Configuration of {@link ACVAE}; every setting of the reference code and every open point of the spec is a field,
 * so {@link #toString()} logs the full set of choices with each run.
 *
 * <p>ACVAE: Xie, Liu, Zhang, Lu, Wang, Ding, "Adversarial and Contrastive Variational Autoencoder for Sequential
 * Recommendation", WWW 2021, arXiv:2103.10693, as implemented in ACVAE/ACVAE-PyTorch ({@code train.py}
 * hyper-parameters, {@code model_func = fc_cnn}, {@code add_eps = True}; authorship of that repository is not
 * stated) and specified in /work/shared/specs/baselines.md §7. {@link #defaults()} is the code's settings under
 * Meta-SGCL Table II's protocol ([CHOICE] of the spec: one all-positions sample per user, T 50, history excluded);
 * the registry's {@code ml-1m} preset sets T 200; {@link #simplified()} is the spec's {@code singleOptimizer} flag.
 *
 * @param maxLen maximum input length T (50 Amazon, 200 ML-1M) [CHOICE; the code keeps 200 items per user]
 * @param embeddingSize item embedding width (128, {@code item_embed_size}) [CODE]
 * @param rnnSize GRU width c (100, {@code rnn_size}) [CODE]
 * @param latentSize latent width (64, {@code latent_size}) [CODE]
 * @param kernelSize width of the causal convolution (5) [CODE]
 * @param embedDropout dropout on the embeddings before the GRU (0.5) [CODE]
 * @param encoderDropout dropout on {@code r + g} before the latent projection (0.5) [CODE]
 * @param discriminatorSize width of the KL discriminator and of the contrastive discriminator's GRU (128) [CODE]
 * @param discriminatorDropout the KL discriminator's two dropouts (0.2) [CODE]
 * @param addEps whether the encoder injects noise {@code y + tanh(W eps + b)} at its two call sites (true) [CODE]
 * @param klWeight alpha, weight of the adversarial KL estimate ({@code kl_weight} 0.05, constant) [CODE]; 0 = term off
 * @param contrastWeight beta, weight of the contrastive Jensen-Shannon term ({@code contrast_weight} 0.1) [CODE]; 0 = term off
 * @param primalLearningRate AdamW learning rate of the VAE ({@code lr_primal} 1e-3) [CODE]; 0 = the training learning rate
 * @param primalWeightDecay AdamW decoupled weight decay ({@code l2_regular} 1e-2) [CODE]
 * @param dualLearningRate SGD learning rate of the encoder's second update and the contrastive discriminator ({@code lr_dual} 3e-4) [CODE]
 * @param dualWeightDecay their SGD weight decay ({@code l2_adver} 0.1) [CODE]
 * @param priorLearningRate SGD learning rate of the KL discriminator ({@code lr_prior} 5e-4) [CODE]
 * @param priorWeightDecay its SGD weight decay ({@code l2_adver} 0.1) [CODE]
 * @param singleOptimizer one Adam (training learning rate and weight decay) over the VAE and the contrastive
 *     discriminator instead of AdamW + SGD with the double encoder update; the KL discriminator keeps its SGD
 *     [spec flag; false = the code]
 */
@RecordBuilder
public record ACVAEConfig(int maxLen, int embeddingSize, int rnnSize, int latentSize, int kernelSize,
                          double embedDropout, double encoderDropout, int discriminatorSize,
                          double discriminatorDropout, boolean addEps, double klWeight, double contrastWeight,
                          double primalLearningRate, double primalWeightDecay, double dualLearningRate,
                          double dualWeightDecay, double priorLearningRate, double priorWeightDecay,
                          boolean singleOptimizer)
        implements MaxLenConfig<ACVAEConfig>, ACVAEConfigBuilder.With {

    /** Validates every field and names the one that is wrong. */
    public ACVAEConfig {
        positive("maxLen", maxLen);
        positive("embeddingSize", embeddingSize);
        positive("rnnSize", rnnSize);
        positive("latentSize", latentSize);
        positive("kernelSize", kernelSize);
        positive("discriminatorSize", discriminatorSize);
        rate("embedDropout", embedDropout);
        rate("encoderDropout", encoderDropout);
        rate("discriminatorDropout", discriminatorDropout);
        nonNegative("klWeight", klWeight);
        nonNegative("contrastWeight", contrastWeight);
        nonNegative("primalLearningRate", primalLearningRate);
        nonNegative("primalWeightDecay", primalWeightDecay);
        nonNegative("dualWeightDecay", dualWeightDecay);
        nonNegative("priorWeightDecay", priorWeightDecay);
        if (!(dualLearningRate > 0) || Double.isInfinite(dualLearningRate)) {
            throw new IllegalArgumentException("dualLearningRate must be a finite number > 0, got " + dualLearningRate);
        }
        if (!(priorLearningRate > 0) || Double.isInfinite(priorLearningRate)) {
            throw new IllegalArgumentException("priorLearningRate must be a finite number > 0, got "
                    + priorLearningRate);
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
        }
    }

    private static void rate(String name, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + p);
        }
    }

    private static void nonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + v);
        }
    }

    /**
     * The reference code's settings ({@code train.py}) under Table II's protocol: T 50, embeddings 128, GRU 100,
     * latent 64, kernel 5, dropouts 0.5 / 0.5 / 0.2, discriminators 128, noise injection on, alpha 0.05, beta 0.1,
     * AdamW at the training learning rate (the code's 1e-3 = seqcl's default) with decay 1e-2, SGD 3e-4 / 0.1 on
     * the encoder and the contrastive discriminator, SGD 5e-4 / 0.1 on the KL discriminator.
     *
     * @return the defaults
     */
    public static ACVAEConfig defaults() {
        return new ACVAEConfig(50, 128, 100, 64, 5, 0.5, 0.5, 128, 0.2, true, 0.05, 0.1, 0.0, 1e-2, 3e-4, 0.1, 5e-4,
                0.1, false);
    }

    /** @return the spec's {@code singleOptimizer} simplification of the defaults */
    public static ACVAEConfig simplified() {
        return defaults().withSingleOptimizer(true);
    }

    /**
     * The registry's ML-1M preset: T 200 (Meta-SGCL's setting).
     *
     * @param base the base configuration
     * @return the copy
     */
    public static ACVAEConfig forMl1m(ACVAEConfig base) {
        return base.withMaxLen(200);
    }

    /** Right padding (the code's layout: the GRU starts at the first real item), one all-positions sample per user, CE. */
    @Override
    public InputSpec inputSpec() {
        return new InputSpec(maxLen, Padding.RIGHT, SampleMode.ALL_POSITIONS, false);
    }

    /** T, the length of the input sequences (set by the budget and the protocol). */
    @Override
    public ACVAEConfig withMaxLen(int t) {
        return ACVAEConfigBuilder.With.super.withMaxLen(t);
    }
}
