package io.seqcl.nn;

/**
 * The update rule of an {@link Adam} optimizer object: Adam with coupled L2 weight decay (seqcl's default),
 * AdamW with decoupled weight decay (Loshchilov and Hutter, ICLR'19), or plain SGD with coupled L2 weight decay.
 *
 * <p>The three follow {@code torch.optim.Adam}, {@code torch.optim.AdamW} and {@code torch.optim.SGD} (momentum 0,
 * dampening 0, no Nesterov); ACVAE (Xie et al., WWW'21) trains with AdamW and SGD (baselines.md §7).
 */
public enum OptimizerKind {
    /** Adam: {@code g += wd w}; bias-corrected moments; {@code w -= lr m^ / (sqrt(v^) + eps)}. */
    ADAM,
    /** AdamW: {@code w *= 1 - lr wd} first, then the Adam update on the raw gradient. */
    ADAMW,
    /** SGD: {@code g += wd w}; {@code w -= lr g} (no momentum; betas and eps are unused). */
    SGD
}
