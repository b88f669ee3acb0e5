package io.seqcl.nn;

import ai.djl.ndarray.NDArray;

/**
 * A diagonal Gaussian {@code N(mean, exp(logVar))} over the last axis, as produced by a {@link VariationalHead}
 * (Meta-SGCL Eq. 11/14, ContrastVAE's {@code mu}/{@code log_var}; metasgcl.md §3.3, contrastvae.md §1–2).
 *
 * <p>Deviation from the Meta-SGCL paper, which writes its heads as producing {@code sigma} directly: the variance
 * is carried as a log-variance (as ContrastVAE does), so {@code sigma = exp(logVar / 2) > 0} always.
 *
 * @param mean the mean {@code mu}, e.g. {@code [B, T, d]}
 * @param logVar the log-variance {@code ln sigma^2}, same shape as {@code mean}
 */
public record Gaussian(NDArray mean, NDArray logVar) {

    /** Checks that both arrays are present and have the same shape. */
    public Gaussian {
        if (mean == null || logVar == null) {
            throw new IllegalArgumentException("Gaussian needs both a mean and a log-variance");
        }
        if (!mean.getShape().equals(logVar.getShape())) {
            throw new IllegalArgumentException("Gaussian mean " + mean.getShape() + " and logVar "
                    + logVar.getShape() + " differ in shape");
        }
    }

    /**
     * Standard deviation {@code sigma = exp(logVar / 2)} (differentiable).
     *
     * @return an array of the same shape as {@link #mean()}
     */
    public NDArray std() {
        return io.seqcl.nn.Ops.scale(logVar, 0.5).exp();
    }
}
