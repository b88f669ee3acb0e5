package io.seqcl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.SplittableRandom;

/**
 * Seeded, deterministic k-means (Lloyd) with restarts, for ICLRec's per-epoch intent clustering (Chen et al.,
 * WWW'22; baselines.md §10, which uses faiss: L2, 20 iterations, 5 restarts keeping the lowest objective).
 *
 * <p>Each restart starts from {@code k} distinct points drawn uniformly (seeded), runs {@code iterations} rounds of
 * assignment (nearest centroid in squared L2, lowest index on ties) and centroid update, and ends with a final
 * assignment; the restart with the lowest inertia (sum of squared distances) wins. The assignment step is one
 * matrix product and arg-min per round ({@code ||x||^2 - 2 x.c + ||c||^2}, computed by the engine); updates are summed in
 * double precision in Java.
 *
 * <p>Deviation from faiss: an empty cluster is re-seeded with the point farthest from its current centroid (faiss
 * splits a large cluster instead), and faiss's sub-sampling of large inputs (256 points per centroid) is not done.
 */
public final class KMeans {

    /**
     * The result of a fit.
     *
     * @param centroids {@code k} centroids of dimension d
     * @param assignment the nearest centroid of every point
     * @param inertia sum of squared distances to the assigned centroids
     */
    public record Result(float[][] centroids, int[] assignment, double inertia) {

        /**
         * @return the centroids scaled to unit L2 norm (a zero centroid stays zero): ICLRec's prototypes
         */
        public float[][] unitCentroids() {
            float[][] u = new float[centroids.length][];
            for (int c = 0; c < u.length; c++) {
                double n = 0;
                for (float v : centroids[c]) {
                    n += (double) v * v;
                }
                double s = n > 0 ? 1 / Math.sqrt(n) : 0;
                u[c] = new float[centroids[c].length];
                for (int j = 0; j < u[c].length; j++) {
                    u[c][j] = (float) (centroids[c][j] * s);
                }
            }
            return u;
        }

        /**
         * The nearest centroid of each of some points (squared L2, lowest index on ties).
         *
         * @param points rows of dimension d
         * @return one centroid index per row
         */
        public int[] assign(float[][] points) {
            int[] a = new int[points.length];
            for (int i = 0; i < points.length; i++) {
                double best = Double.POSITIVE_INFINITY;
                for (int c = 0; c < centroids.length; c++) {
                    double d = 0;
                    for (int j = 0; j < points[i].length; j++) {
                        double t = points[i][j] - centroids[c][j];
                        d += t * t;
                    }
                    if (d < best) {
                        best = d;
                        a[i] = c;
                    }
                }
            }
            return a;
        }
    }

    private KMeans() {
    }

    /**
     * Fits k centroids.
     *
     * @param points n rows of dimension d (n > k)
     * @param k number of clusters
     * @param iterations Lloyd rounds per restart
     * @param restarts number of restarts (the lowest inertia wins)
     * @param seed seed of the initialisations
     * @return centroids, assignment and inertia
     */
    public static Result fit(float[][] points, int k, int iterations, int restarts, long seed) {
        int n = points.length;
        if (k < 1 || n < k) {
            throw new IllegalArgumentException("k-means needs 1 <= k <= n, got k=" + k + " n=" + n);
        }
        if (iterations < 0 || restarts < 1) {
            throw new IllegalArgumentException("iterations must be >= 0 and restarts >= 1, got " + iterations + ", "
                    + restarts);
        }
        int d = points[0].length;
        float[] flat = new float[n * d];
        for (int i = 0; i < n; i++) {
            if (points[i].length != d) {
                throw new IllegalArgumentException("point " + i + " has dimension " + points[i].length + ", not " + d);
            }
            System.arraycopy(points[i], 0, flat, i * d, d);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        Result best = null;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(flat, new Shape(n, d));
            for (int r = 0; r < restarts; r++) {
                float[][] c = new float[k][];
                int[] idx = new int[n];
                for (int i = 0; i < n; i++) {
                    idx[i] = i;
                }
                for (int i = 0; i < k; i++) {
                    int j = i + rng.nextInt(n - i);
                    int t = idx[i];
                    idx[i] = idx[j];
                    idx[j] = t;
                    c[i] = points[idx[i]].clone();
                }
                int[] a = new int[n];
                float[] dist = new float[n];
                for (int it = 0; it < iterations; it++) {
                    assign(m, x, c, a, dist);
                    update(points, c, a, dist);
                }
                double inertia = assign(m, x, c, a, dist);
                if (best == null || inertia < best.inertia()) {
                    best = new Result(c, a.clone(), inertia);
                }
            }
        }
        return best;
    }

    /** Nearest centroids into {@code a}, squared distances into {@code dist}; returns the inertia. */
    private static double assign(NDManager m, NDArray x, float[][] c, int[] a, float[] dist) {
        int k = c.length;
        int d = c[0].length;
        float[] cf = new float[k * d];
        float[] cn = new float[k];
        for (int i = 0; i < k; i++) {
            System.arraycopy(c[i], 0, cf, i * d, d);
            double s = 0;
            for (float v : c[i]) {
                s += (double) v * v;
            }
            cn[i] = (float) s;
        }
        long[] arg;
        float[] best;
        float[] xn;
        // NDScope: the products are attached to x's manager and must not pile up over the rounds
        try (NDManager sub = m.newSubManager(); ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
            NDArray ca = sub.create(cf, new Shape(k, d));
            NDArray dd = x.matMul(ca.transpose()).mul(-2f).add(sub.create(cn, new Shape(1, k)));
            arg = dd.argMin(1).toType(DataType.INT64, false).toLongArray();
            best = dd.min(new int[] {1}).toFloatArray();
            xn = x.square().sum(new int[] {1}).toType(DataType.FLOAT32, false).toFloatArray();
        }
        double inertia = 0;
        int n = a.length;
        for (int i = 0; i < n; i++) {
            a[i] = (int) arg[i];
            dist[i] = Math.max(0f, best[i] + xn[i]);
            inertia += dist[i];
        }
        return inertia;
    }

    /** Centroid update; an empty cluster takes the point farthest from its centroid. */
    private static void update(float[][] points, float[][] c, int[] a, float[] dist) {
        int k = c.length;
        int d = c[0].length;
        double[][] sum = new double[k][d];
        int[] count = new int[k];
        for (int i = 0; i < points.length; i++) {
            count[a[i]]++;
            for (int j = 0; j < d; j++) {
                sum[a[i]][j] += points[i][j];
            }
        }
        boolean[] taken = new boolean[points.length];
        for (int cl = 0; cl < k; cl++) {
            if (count[cl] > 0) {
                for (int j = 0; j < d; j++) {
                    c[cl][j] = (float) (sum[cl][j] / count[cl]);
                }
                continue;
            }
            int far = -1;
            for (int i = 0; i < points.length; i++) {
                if (!taken[i] && (far < 0 || dist[i] > dist[far])) {
                    far = i;
                }
            }
            taken[far] = true;
            c[cl] = points[far].clone();
        }
    }
}
