package io.seqcl.model;

import io.seqcl.nn.Gaussian;
import io.seqcl.protocol.Batch;

/**
 * A sequential VAE whose per-position posterior {@code q(z_t | s_1..t) = N(mu_t, sigma_t^2)} can be inspected,
 * e.g. by {@code io.seqcl.analysis.LatentDiagnostics} to look for posterior collapse (KL per latent dimension near 0, latent means
 * that do not vary across users).
 *
 * <p>Implemented by {@link ContrastVAE} (Wang et al., CIKM 2022, ../shared/papers/003_35e0abd0e5b770ab.txt) and
 * {@link MetaSGCL} (Hao et al., ../shared/papers/001_10888dff13463991.txt); both return the posterior of the view
 * that is decoded at inference. Implementations also implement {@link SequentialRecommender}, whose
 * {@link #name()} and {@link #inputSpec()} these are.
 */
public interface LatentModel {

    /** @return a display name */
    String name();

    /** @return the input conventions (maximum length, padding side) used to build batches */
    InputSpec inputSpec();

    /**
     * The posterior of the inference view in evaluation mode (no dropout, no noise).
     *
     * @param batch histories, built with {@link #inputSpec()}
     * @return {@code mu} and {@code ln sigma^2}, each {@code [B, T, d]}
     */
    Gaussian posterior(Batch batch);
}
