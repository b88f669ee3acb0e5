package io.seqcl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba, 2015) over a named group of parameters, with state that can be saved and restored; the same
 * object also implements AdamW and SGD ({@link OptimizerKind}), so every training step can use any of the three.
 *
 * <p>Update with bias correction: {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2},
 * {@code w -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)}; optional L2 weight decay adds {@code wd * w}
 * to {@code g} (torch.optim.Adam's {@code weight_decay}). {@link OptimizerKind#ADAMW} instead first shrinks
 * {@code w *= 1 - lr * wd} and applies the Adam update to the raw gradient (torch.optim.AdamW, Loshchilov and
 * Hutter, ICLR'19); {@link OptimizerKind#SGD} does {@code w -= lr * (g + wd * w)} (torch.optim.SGD without
 * momentum) and keeps no moments. {@link #step()} zeroes the gradients of its own group after updating, and only
 * of its own group: multi-stage training uses one optimizer per group.
 */
public final class Adam {

    private final Params params;
    private final List<String> names;
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final OptimizerKind kind;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private long t;

    /**
     * Creates an optimizer for a group of parameters.
     *
     * @param params the store
     * @param names the parameters this optimizer updates
     * @param lr learning rate
     * @param beta1 first-moment decay
     * @param beta2 second-moment decay
     * @param eps denominator epsilon
     * @param weightDecay L2 coefficient (0 = none)
     */
    public Adam(Params params, List<String> names, double lr, double beta1, double beta2, double eps,
                double weightDecay) {
        this(OptimizerKind.ADAM, params, names, lr, beta1, beta2, eps, weightDecay);
    }

    /**
     * Creates an optimizer of the given kind for a group of parameters.
     *
     * @param kind Adam (coupled L2), AdamW (decoupled decay) or SGD (coupled L2; betas and eps unused)
     * @param params the store
     * @param names the parameters this optimizer updates
     * @param lr learning rate
     * @param beta1 first-moment decay
     * @param beta2 second-moment decay
     * @param eps denominator epsilon
     * @param weightDecay weight-decay coefficient (0 = none)
     */
    public Adam(OptimizerKind kind, Params params, List<String> names, double lr, double beta1, double beta2,
                double eps, double weightDecay) {
        if (kind == null) {
            throw new IllegalArgumentException("optimizer kind must be set (ADAM, ADAMW or SGD)");
        }
        if (!(lr > 0) || beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || !(eps > 0) || weightDecay < 0) {
            throw new IllegalArgumentException("invalid " + kind + " settings: lr=" + lr + " beta1=" + beta1 + " beta2="
                    + beta2 + " eps=" + eps + " weightDecay=" + weightDecay);
        }
        this.params = params;
        this.names = List.copyOf(names);
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.kind = kind;
        if (kind == OptimizerKind.SGD) {
            return; // no moments
        }
        for (String n : this.names) {
            NDArray w = params.get(n);
            m.put(n, w.zerosLike());
            v.put(n, w.zerosLike());
        }
    }

    /**
     * Creates Adam with betas (0.9, 0.999), eps 1e-8 and no weight decay over the given parameters.
     *
     * @param params the store
     * @param names parameters to update
     * @param lr learning rate
     * @return the optimizer
     */
    public static Adam of(Params params, List<String> names, double lr) {
        return new Adam(params, names, lr, 0.9, 0.999, 1e-8, 0.0);
    }

    /** @return the update rule */
    public OptimizerKind kind() {
        return kind;
    }

    /** @return the names of the parameters this optimizer updates */
    public List<String> names() {
        return names;
    }

    /** @return the number of steps taken */
    public long steps() {
        return t;
    }

    /**
     * Applies one update from the accumulated gradients, then zeroes them. Call outside any open
     * {@code GradientCollector}; parameters without a gradient are skipped.
     */
    public void step() {
        if (kind == OptimizerKind.SGD) {
            stepSgd();
            return;
        }
        boolean decoupled = kind == OptimizerKind.ADAMW;
        t++;
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        try (NDScope scope = new NDScope()) {
            for (String n : names) {
                NDArray w = params.get(n);
                if (!w.hasGradient()) {
                    continue;
                }
                NDArray g = w.getGradient();
                NDArray grad = g;
                if (weightDecay > 0 && decoupled) {
                    w.muli(1 - lr * weightDecay); // AdamW: shrink the weights, then Adam on the raw gradient
                } else if (weightDecay > 0) {
                    grad = g.add(w.mul(weightDecay)); // Adam: L2 term added to the gradient
                }
                NDArray mm = m.get(n);
                NDArray vv = v.get(n);
                mm.muli(beta1).addi(grad.mul(1 - beta1));
                vv.muli(beta2).addi(grad.square().muli(1 - beta2));
                NDArray denom = vv.div(bc2).sqrt().addi(eps);
                w.subi(mm.div(bc1).divi(denom).muli(lr));
                g.subi(g);
            }
        }
    }

    private void stepSgd() {
        t++;
        try (NDScope scope = new NDScope()) {
            for (String n : names) {
                NDArray w = params.get(n);
                if (!w.hasGradient()) {
                    continue;
                }
                NDArray g = w.getGradient();
                NDArray grad = weightDecay > 0 ? g.add(w.mul(weightDecay)) : g;
                w.subi(grad.mul(lr));
                g.subi(g);
            }
        }
    }

    /**
     * Copies the optimizer state to the heap (for checkpoints).
     *
     * @return moments as "m/NAME" and "v/NAME" (none for SGD), and the step count as "t"
     */
    public Map<String, float[]> state() {
        Map<String, float[]> s = new LinkedHashMap<>();
        s.put("t", new float[] {Float.intBitsToFloat((int) (t >>> 32)), Float.intBitsToFloat((int) t)});
        for (String n : m.keySet()) {
            s.put("m/" + n, m.get(n).toFloatArray());
            s.put("v/" + n, v.get(n).toFloatArray());
        }
        return s;
    }

    /**
     * Restores state saved by {@link #state()}.
     *
     * @param s the saved state
     * @throws IllegalArgumentException if it belongs to a different parameter group
     */
    public void loadState(Map<String, float[]> s) {
        float[] tt = s.get("t");
        if (tt == null) {
            throw new IllegalArgumentException("optimizer state has no step count");
        }
        for (String n : m.keySet()) {
            float[] mv = s.get("m/" + n);
            float[] vv = s.get("v/" + n);
            if (mv == null || vv == null || mv.length != m.get(n).size()) {
                throw new IllegalArgumentException("optimizer state does not match parameter '" + n + "'");
            }
            m.get(n).set(mv);
            v.get(n).set(vv);
        }
        t = ((long) Float.floatToRawIntBits(tt[0]) << 32) | (Float.floatToRawIntBits(tt[1]) & 0xffffffffL);
    }
}
