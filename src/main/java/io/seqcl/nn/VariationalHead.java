package io.seqcl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.SplittableRandom;

/**
 * Two linear projections, applied per position, that turn hidden states into a diagonal Gaussian posterior
 * {@code q(z|h) = N(mu, sigma^2)} with {@code mu = h W_mu + b_mu} and {@code ln sigma^2 = h W_sigma + b_sigma}
 * (Meta-SGCL Eq. 11 and 14, metasgcl.md §3.3).
 *
 * <p>Parameters: {@code NAME.mean.weight/bias} and {@code NAME.logvar.weight/bias}, weights drawn from
 * Normal(0, std), zero biases, so at initialisation {@code ln sigma^2 ~ 0} and {@code sigma ~ 1}.
 *
 * <p>Training samples {@code z = mu + sigma * eps} with {@link #reparameterize(Gaussian, NDArray)}, where the
 * caller draws {@code eps ~ N(0, I)} in Java from a seeded stream ({@link #standardNormal}) so that runs are
 * deterministic. <b>Inference uses the mean</b> {@code z = mu} (metasgcl.md §5, our choice).
 *
 * <p>Deviations from reference code: ContrastVAE (contrastvae.md §1) computes {@code mu} and {@code ln sigma^2}
 * with two whole Transformer stacks, not linear heads, and evaluates with {@code z = mu + sigma}; Meta-SGCL's
 * paper writes the heads as producing {@code sigma} itself, we produce the log-variance. Meta-SGCL's second view
 * shares the mean head but has its own ("meta") log-variance head: build it with
 * {@link #VariationalHead(Dense, Dense)} from this head's {@link #meanProjection()} and a new {@link Dense}.
 * Noise comes from a Java stream rather than {@code torch.randn}, so draws differ from PyTorch for the same seed.
 */
public final class VariationalHead {

    private final Dense mean;
    private final Dense logVar;

    /**
     * Registers a head from {@code d} to {@code d} (the Meta-SGCL shape).
     *
     * @param params the store
     * @param name parameter prefix
     * @param d input and latent width
     * @param std init standard deviation (0.02 in the reference codes)
     * @param rng init stream
     */
    public VariationalHead(Params params, String name, int d, double std, SplittableRandom rng) {
        this(params, name, d, d, std, rng);
    }

    /**
     * Registers a head from {@code in} to {@code latent} dimensions.
     *
     * @param params the store
     * @param name parameter prefix; parameters are {@code NAME.mean.*} and {@code NAME.logvar.*}
     * @param in input width
     * @param latent latent width
     * @param std init standard deviation
     * @param rng init stream (the mean projection is drawn first, then the log-variance projection)
     */
    public VariationalHead(Params params, String name, int in, int latent, double std, SplittableRandom rng) {
        this(new Dense(params, name + ".mean", in, latent, std, rng),
                new Dense(params, name + ".logvar", in, latent, std, rng));
    }

    /**
     * Assembles a head from existing projections, e.g. to share the mean projection between two views while
     * giving the second view its own log-variance projection (Meta-SGCL's meta encoder {@code Enc_sigma'}).
     *
     * @param mean projection producing {@code mu}
     * @param logVar projection producing {@code ln sigma^2}
     */
    public VariationalHead(Dense mean, Dense logVar) {
        if (mean == null || logVar == null) {
            throw new IllegalArgumentException("VariationalHead needs a mean and a log-variance projection");
        }
        this.mean = mean;
        this.logVar = logVar;
    }

    /** @return the projection producing the mean (for sharing with another head) */
    public Dense meanProjection() {
        return mean;
    }

    /** @return the projection producing the log-variance */
    public Dense logVarProjection() {
        return logVar;
    }

    /**
     * Computes the posterior parameters per position.
     *
     * @param h hidden states {@code [..., in]}
     * @return {@code mu} and {@code ln sigma^2}, each {@code [..., latent]}
     */
    public Gaussian forward(NDArray h) {
        return new Gaussian(mean.forward(h), logVar.forward(h));
    }

    /**
     * The reparameterisation trick {@code z = mu + exp(logVar / 2) * eps}; gradients flow to {@code mu} and
     * {@code logVar}, not to {@code eps}.
     *
     * @param g the posterior
     * @param eps standard normal noise of the same shape as {@code g.mean()}
     * @return a sample {@code z}
     */
    public static NDArray reparameterize(Gaussian g, NDArray eps) {
        if (!eps.getShape().equals(g.mean().getShape())) {
            throw new IllegalArgumentException("eps " + eps.getShape() + " does not match the latent shape "
                    + g.mean().getShape());
        }
        return g.mean().add(g.std().mul(eps));
    }

    /**
     * Draws {@code z = mu + sigma * eps} with fresh noise from a seeded stream; same as
     * {@code reparameterize(g, standardNormal(manager of mu, shape of mu, rng))}.
     *
     * @param g the posterior
     * @param rng noise stream
     * @return a sample
     */
    public static NDArray sample(Gaussian g, SplittableRandom rng) {
        NDArray mu = g.mean();
        NDArray eps = standardNormal(mu.getManager(), mu.getShape(), rng).toType(mu.getDataType(), false);
        return reparameterize(g, eps);
    }

    /**
     * Draws standard normal noise in Java (row-major order, {@link SplittableRandom#nextGaussian()}), so the same
     * stream state gives the same noise on every engine and machine.
     *
     * @param manager where to create the array
     * @param shape its shape
     * @param rng the stream (advanced by {@code shape.size()} draws)
     * @return a float32 array without gradient
     */
    public static NDArray standardNormal(NDManager manager, Shape shape, SplittableRandom rng) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return manager.create(v, shape);
    }
}
