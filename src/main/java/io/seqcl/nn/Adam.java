package io.seqcl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

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
 *
 * <p>The moments of the whole group live in two flat buffers, and when every parameter of the group has a gradient
 * the update runs once over the concatenated gradients (about a dozen libtorch calls instead of about fifteen per
 * parameter); the arithmetic per element is the same sequence of float32 operations as the per-parameter form, so
 * both give bit-identical weights ({@code AdamTest}). A step in which some parameter has no gradient updates the
 * others one by one, leaving that parameter and its moments untouched.
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
    /** First and second moments of the whole group, parameters in {@link #names} order (null for SGD). */
    private final NDArray m;
    private final NDArray v;
    /** Start of each parameter's slice in the flat buffers, and one more entry for the end. */
    private final long[] offsets;
    private final Shape[] shapes;
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
        this.offsets = new long[this.names.size() + 1];
        this.shapes = new Shape[this.names.size()];
        for (int i = 0; i < shapes.length; i++) {
            NDArray w = params.get(this.names.get(i));
            shapes[i] = w.getShape();
            offsets[i + 1] = offsets[i] + w.size();
        }
        if (kind == OptimizerKind.SGD || this.names.isEmpty()) {
            this.m = null; // no moments
            this.v = null;
            return;
        }
        NDArray first = params.get(this.names.get(0));
        this.m = first.getManager().zeros(new Shape(offsets[shapes.length]), first.getDataType(), first.getDevice());
        this.v = first.getManager().zeros(new Shape(offsets[shapes.length]), first.getDataType(), first.getDevice());
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
        t++;
        if (m == null) {
            return;
        }
        try (NDScope scope = new NDScope()) {
            NDArray[] w = new NDArray[shapes.length];
            NDArray[] g = new NDArray[shapes.length];
            boolean all = true;
            for (int i = 0; i < shapes.length; i++) {
                w[i] = params.get(names.get(i));
                if (w[i].hasGradient()) {
                    g[i] = w[i].getGradient();
                } else {
                    all = false;
                }
            }
            if (all) {
                stepFlat(w, g);
            } else {
                for (int i = 0; i < shapes.length; i++) {
                    if (g[i] != null) {
                        w[i].subi(update(g[i].reshape(-1), slice(m, i), slice(v, i), w[i]).reshape(shapes[i]));
                    }
                }
            }
            for (NDArray gi : g) {
                if (gi != null) {
                    gi.subi(gi);
                }
            }
        }
    }

    /** One Adam/AdamW update of the whole group over its concatenated gradients. */
    private void stepFlat(NDArray[] w, NDArray[] g) {
        NDArray upd = update(flat(g), m, v, w);
        NDList parts = w.length == 1 ? new NDList(upd) : upd.split(java.util.Arrays.copyOfRange(offsets, 1, w.length));
        for (int i = 0; i < w.length; i++) {
            w[i].subi(parts.get(i).reshape(shapes[i]));
        }
    }

    /**
     * Advances the moments in place and returns the step to subtract, flat: {@code lr * m_hat / (sqrt(v_hat) + eps)}.
     * {@code g}, {@code mm} and {@code vv} are flat over the parameters {@code ws}, in order. With decoupled decay
     * (AdamW) the weights are shrunk first; with coupled decay the gradient gets {@code wd * w}.
     */
    private NDArray update(NDArray g, NDArray mm, NDArray vv, NDArray... ws) {
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        NDArray grad = g;
        if (weightDecay > 0 && kind == OptimizerKind.ADAMW) {
            for (NDArray w : ws) {
                w.muli(1 - lr * weightDecay); // AdamW: shrink the weights, then Adam on the raw gradient
            }
        } else if (weightDecay > 0) {
            grad = g.add(flat(ws).mul(weightDecay)); // Adam: L2 term added to the gradient
        }
        mm.muli(beta1).addi(grad.mul(1 - beta1));
        vv.muli(beta2).addi(grad.square().muli(1 - beta2));
        NDArray denom = vv.div(bc2).sqrt().addi(eps);
        return mm.div(bc1).divi(denom).muli(lr);
    }

    /** @return the arrays flattened and concatenated in order (the array itself, flattened, when there is one) */
    private static NDArray flat(NDArray[] xs) {
        if (xs.length == 1) {
            return xs[0].reshape(-1);
        }
        NDList l = new NDList(xs.length);
        for (NDArray x : xs) {
            l.add(x.reshape(-1));
        }
        return NDArrays.concat(l);
    }

    /** @return parameter {@code i}'s slice of a flat buffer (a view: in-place ops write through) */
    private NDArray slice(NDArray buffer, int i) {
        return buffer.get(new NDIndex().addSliceDim(offsets[i], offsets[i + 1]));
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
        if (m != null) {
            try (NDScope scope = new NDScope()) {
                for (int i = 0; i < shapes.length; i++) {
                    s.put("m/" + names.get(i), slice(m, i).toFloatArray());
                    s.put("v/" + names.get(i), slice(v, i).toFloatArray());
                }
            }
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
        if (m != null) {
            int total = Math.toIntExact(offsets[shapes.length]);
            float[] mAll = new float[total];
            float[] vAll = new float[total];
            for (int i = 0; i < shapes.length; i++) {
                String n = names.get(i);
                float[] mv = s.get("m/" + n);
                float[] vv = s.get("v/" + n);
                if (mv == null || vv == null || mv.length != offsets[i + 1] - offsets[i]
                        || vv.length != mv.length) {
                    throw new IllegalArgumentException("optimizer state does not match parameter '" + n + "'");
                }
                System.arraycopy(mv, 0, mAll, (int) offsets[i], mv.length);
                System.arraycopy(vv, 0, vAll, (int) offsets[i], vv.length);
            }
            try (NDScope scope = new NDScope()) {
                // index-set writes into the existing buffers (NDArray.set(float[]) would give them new storage)
                m.set(new NDIndex(":"), m.getManager().create(mAll).toDevice(m.getDevice(), false));
                v.set(new NDIndex(":"), v.getManager().create(vAll).toDevice(v.getDevice(), false));
            }
        }
        t = ((long) Float.floatToRawIntBits(tt[0]) << 32) | (Float.floatToRawIntBits(tt[1]) & 0xffffffffL);
    }
}
