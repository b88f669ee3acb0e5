package io.seqcl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** Feed-forward activation of a Transformer block (sasrec_backbone.md A.3 and C). */
public enum ActivationFn {
    /** Exact erf-form GELU, {@code x * 0.5 * (1 + erf(x / sqrt 2))} (RecBole, ContrastVAE). */
    GELU {
        @Override
        public NDArray apply(NDArray x) {
            return Activation.gelu(x);
        }
    },
    /** ReLU (Meta-SGCL Eq. 8, original SASRec). */
    RELU {
        @Override
        public NDArray apply(NDArray x) {
            return Activation.relu(x);
        }
    };

    /**
     * Applies the activation.
     *
     * @param x input
     * @return activated output
     */
    public abstract NDArray apply(NDArray x);
}
