package io.seqcl.analysis;

import java.util.SplittableRandom;

/**
 * Exact t-distributed stochastic neighbour embedding (t-SNE) of row vectors into two dimensions, for the 2-D
 * plots of Meta-SGCL Fig. 6 and MCLRec Figs. 2 and 5.
 *
 * <p>The method of van der Maaten and Hinton (JMLR 2008): for each point a Gaussian over the other points whose
 * width is found by bisection so that its perplexity equals {@link #perplexity()}; the symmetrised affinities
 * {@code p_ij = (p_j|i + p_i|j) / 2n} are matched by a Student-t kernel in the plane,
 * {@code q_ij ∝ 1 / (1 + |y_i - y_j|^2)}, by gradient descent on KL(P || Q) with the gradient
 * {@code 4 Σ_j (p_ij - q_ij) (y_i - y_j) / (1 + |y_i - y_j|^2)}, momentum (0.5, then 0.8), per-coordinate gains
 * and early exaggeration (12 for the first 250 iterations), as in the paper.
 *
 * <p>Deviations: the papers cite the Barnes-Hut variant (MCLRec [37]); this class computes the exact O(n²)
 * gradient, which is the same objective and is fast enough for the few thousand points the notebooks plot.
 * The start is the PCA projection ({@link Projection#pca}) scaled to a standard deviation of 1e-4 (as
 * scikit-learn's {@code init="pca"}), so runs are deterministic without a random start; the seed only breaks
 * ties of identical points. The learning rate is scikit-learn's "auto", {@code max(n / 12 / 4, 50)}.
 * No Java t-SNE on Maven Central fits the project's Apache-2.0 licence and is maintained (Smile is GPL-3.0), so
 * it is implemented here and tested ({@code TSneTest}).
 */
public final class TSne {

    private static final double EXAGGERATION = 12.0;
    private static final int EXAGGERATION_ITERATIONS = 250;

    private final double perplexity;
    private final int iterations;
    private final long seed;

    /**
     * A t-SNE with its settings.
     *
     * @param perplexity effective number of neighbours (typically 5-50; must be below the number of points)
     * @param iterations gradient steps (at least 250; 1000 is the usual choice)
     * @param seed seed of the tiny jitter that separates identical points
     * @throws IllegalArgumentException for a perplexity below 1 or fewer than 250 iterations
     */
    public TSne(double perplexity, int iterations, long seed) {
        if (!(perplexity >= 1)) {
            throw new IllegalArgumentException("perplexity must be >= 1, got " + perplexity);
        }
        if (iterations < EXAGGERATION_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be >= " + EXAGGERATION_ITERATIONS + ", got "
                    + iterations);
        }
        this.perplexity = perplexity;
        this.iterations = iterations;
        this.seed = seed;
    }

    /** @return t-SNE with perplexity 30, 1000 iterations, seed 0 (the usual defaults) */
    public static TSne defaults() {
        return new TSne(30, 1000, 0);
    }

    /** @return the perplexity */
    public double perplexity() {
        return perplexity;
    }

    /** @return the number of gradient steps */
    public int iterations() {
        return iterations;
    }

    /**
     * Embeds rows into the plane.
     *
     * @param rows n row vectors of equal dimension (n &gt; perplexity, n &gt;= 4)
     * @return n points (x, y)
     * @throws IllegalArgumentException for too few, ragged or non-finite rows
     */
    public double[][] embed(float[][] rows) {
        return run(rows).points();
    }

    /**
     * The embedding with its final KL divergence.
     *
     * @param points the 2-D points
     * @param kl KL(P || Q) at the end
     */
    public record Result(double[][] points, double kl) {
    }

    /**
     * Embeds rows into the plane and reports the final KL divergence.
     *
     * @param rows n row vectors of equal dimension (n &gt; perplexity, n &gt;= 4)
     * @return points and KL(P || Q)
     * @throws IllegalArgumentException for too few, ragged or non-finite rows
     */
    public Result run(float[][] rows) {
        int n = rows == null ? 0 : rows.length;
        if (n < 4) {
            throw new IllegalArgumentException("t-SNE needs at least 4 rows, got " + n);
        }
        if (perplexity >= n) {
            throw new IllegalArgumentException("perplexity " + perplexity + " must be below the number of rows ("
                    + n + ")");
        }
        double[][] p = jointP(rows);
        double[][] y = start(rows);
        double lr = Math.max(n / EXAGGERATION / 4, 50);
        double[][] update = new double[n][2];
        double[][] gains = new double[n][2];
        for (double[] g : gains) {
            g[0] = 1;
            g[1] = 1;
        }
        double[][] grad = new double[n][2];
        double[] num = new double[n * (n - 1) / 2];
        for (int it = 0; it < iterations; it++) {
            double exaggeration = it < EXAGGERATION_ITERATIONS ? EXAGGERATION : 1;
            double momentum = it < EXAGGERATION_ITERATIONS ? 0.5 : 0.8;
            double sum = kernel(y, num);
            gradient(p, y, num, sum, exaggeration, grad);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 2; c++) {
                    boolean sameSign = (grad[i][c] > 0) == (update[i][c] > 0);
                    gains[i][c] = Math.max(0.01, sameSign ? gains[i][c] * 0.8 : gains[i][c] + 0.2);
                    update[i][c] = momentum * update[i][c] - lr * gains[i][c] * grad[i][c];
                    y[i][c] += update[i][c];
                }
            }
            centre(y);
        }
        double sum = kernel(y, num);
        double kl = 0;
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++, k++) {
                double q = Math.max(num[k] / sum, 1e-12);
                kl += 2 * p[i][j] * Math.log(p[i][j] / q);
            }
        }
        return new Result(y, kl);
    }

    /**
     * The conditional affinities p_j|i of one point, with the Gaussian width found by bisection on the
     * perplexity (package-private for the test).
     *
     * @param d2 squared distances from point i to all points (d2[i] is ignored)
     * @param i the point
     * @param perplexity target perplexity
     * @return p_j|i (0 at i), summing to 1
     */
    static double[] conditional(double[] d2, int i, double perplexity) {
        int n = d2.length;
        double target = Math.log(perplexity);
        double beta = 1;
        double lo = Double.NEGATIVE_INFINITY;
        double hi = Double.POSITIVE_INFINITY;
        double[] row = new double[n];
        double min = Double.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            if (j != i) {
                min = Math.min(min, d2[j]);
            }
        }
        for (int step = 0; step < 200; step++) {
            double sum = 0;
            double weighted = 0;
            for (int j = 0; j < n; j++) {
                // shifting by the smallest distance keeps exp() from underflowing for far-away points
                row[j] = j == i ? 0 : Math.exp(-(d2[j] - min) * beta);
                sum += row[j];
                weighted += row[j] * (d2[j] - min);
            }
            double entropy = Math.log(sum) + beta * weighted / sum;
            for (int j = 0; j < n; j++) {
                row[j] /= sum;
            }
            double diff = entropy - target;
            if (Math.abs(diff) < 1e-6) {
                break;
            }
            if (diff > 0) { // too flat: narrow the Gaussian
                lo = beta;
                beta = hi == Double.POSITIVE_INFINITY ? beta * 2 : (beta + hi) / 2;
            } else {
                hi = beta;
                beta = lo == Double.NEGATIVE_INFINITY ? beta / 2 : (beta + lo) / 2;
            }
        }
        return row;
    }

    private double[][] jointP(float[][] rows) {
        int n = rows.length;
        int d = rows[0].length;
        double[][] d2 = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (rows[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, expected " + d);
            }
            for (int c = 0; c < d; c++) {
                if (!Float.isFinite(rows[i][c])) {
                    throw new IllegalArgumentException("row " + i + " holds a non-finite value at " + c);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    double v = rows[i][c] - rows[j][c];
                    s += v * v;
                }
                d2[i][j] = s;
                d2[j][i] = s;
            }
        }
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            p[i] = conditional(d2[i], i, perplexity);
        }
        double[][] joint = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double v = Math.max((p[i][j] + p[j][i]) / (2.0 * n), 1e-12);
                joint[i][j] = v;
                joint[j][i] = v;
            }
        }
        return joint;
    }

    private double[][] start(float[][] rows) {
        int n = rows.length;
        double[][] y;
        try {
            y = Projection.pca(rows, Math.min(2, rows[0].length)).points();
        } catch (IllegalArgumentException e) {
            y = new double[n][2];
        }
        double[][] out = new double[n][2];
        SplittableRandom rng = new SplittableRandom(seed);
        double sd = 0;
        for (double[] r : y) {
            sd += r[0] * r[0];
        }
        sd = Math.sqrt(sd / n);
        double scale = sd > 0 ? 1e-4 / sd : 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 2; c++) {
                double v = c < y[i].length ? y[i][c] * scale : 0;
                out[i][c] = v + 1e-8 * (rng.nextDouble() - 0.5);
            }
        }
        return out;
    }

    private static double kernel(double[][] y, double[] num) {
        int n = y.length;
        double sum = 0;
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++, k++) {
                double dx = y[i][0] - y[j][0];
                double dy = y[i][1] - y[j][1];
                num[k] = 1 / (1 + dx * dx + dy * dy);
                sum += 2 * num[k];
            }
        }
        return sum;
    }

    private static void gradient(double[][] p, double[][] y, double[] num, double sum, double exaggeration,
                                 double[][] grad) {
        int n = y.length;
        for (double[] g : grad) {
            g[0] = 0;
            g[1] = 0;
        }
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++, k++) {
                double m = 4 * (exaggeration * p[i][j] - num[k] / sum) * num[k];
                double dx = (y[i][0] - y[j][0]) * m;
                double dy = (y[i][1] - y[j][1]) * m;
                grad[i][0] += dx;
                grad[i][1] += dy;
                grad[j][0] -= dx;
                grad[j][1] -= dy;
            }
        }
    }

    private static void centre(double[][] y) {
        double mx = 0;
        double my = 0;
        for (double[] r : y) {
            mx += r[0];
            my += r[1];
        }
        mx /= y.length;
        my /= y.length;
        for (double[] r : y) {
            r[0] -= mx;
            r[1] -= my;
        }
    }
}
