package io.seqcl.analysis;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Principal-component projection of row vectors, computed with Apache Commons Math's singular value
 * decomposition (commons-math3 3.6.1); nothing numerical is implemented here beyond centring.
 *
 * <p>Used for the 2-D embedding plots of Meta-SGCL Fig. 6 and MCLRec Figs. 2 and 5. The papers use t-SNE; PCA is
 * linear, deterministic and parameter-free, so a "narrow cone" (anisotropic embeddings) shows up directly as
 * one dominant component, which {@link #explainedVariance()} reports.
 */
public final class Projection {

    private final double[][] points;
    private final double[] explained;

    private Projection(double[][] points, double[] explained) {
        this.points = points;
        this.explained = explained;
    }

    /**
     * Projects rows onto their first principal components.
     *
     * @param rows n row vectors of equal dimension d (n &gt;= 2)
     * @param components how many components (1..d)
     * @return the projection
     * @throws IllegalArgumentException for empty, ragged or non-finite input or an impossible component count
     */
    public static Projection pca(float[][] rows, int components) {
        if (rows == null || rows.length < 2) {
            throw new IllegalArgumentException("PCA needs at least 2 rows, got " + (rows == null ? 0 : rows.length));
        }
        int d = rows[0].length;
        if (components < 1 || components > d) {
            throw new IllegalArgumentException("components must be in 1.." + d + ", got " + components);
        }
        int n = rows.length;
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            if (rows[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, expected " + d);
            }
            for (int j = 0; j < d; j++) {
                if (!Float.isFinite(rows[i][j])) {
                    throw new IllegalArgumentException("row " + i + " holds a non-finite value at " + j);
                }
                mean[j] += rows[i][j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] centred = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                centred[i][j] = rows[i][j] - mean[j];
            }
        }
        RealMatrix x = new Array2DRowRealMatrix(centred, false);
        SingularValueDecomposition svd = new SingularValueDecomposition(x);
        double[] s = svd.getSingularValues();
        RealMatrix v = svd.getV().getSubMatrix(0, d - 1, 0, components - 1);
        double[][] pts = x.multiply(v).getData();
        double total = 0;
        for (double sv : s) {
            total += sv * sv;
        }
        double[] explained = new double[components];
        for (int c = 0; c < components; c++) {
            explained[c] = total == 0 ? 0 : s[c] * s[c] / total;
        }
        // fix the sign of each component (largest |loading| positive) so results do not flip between runs
        for (int c = 0; c < components; c++) {
            int arg = 0;
            for (int j = 1; j < d; j++) {
                if (Math.abs(v.getEntry(j, c)) > Math.abs(v.getEntry(arg, c))) {
                    arg = j;
                }
            }
            if (v.getEntry(arg, c) < 0) {
                for (double[] p : pts) {
                    p[c] = -p[c];
                }
            }
        }
        return new Projection(pts, explained);
    }

    /** @return the projected points, one row per input row */
    public double[][] points() {
        return points;
    }

    /** @return the share of the total variance each component explains */
    public double[] explainedVariance() {
        return explained.clone();
    }
}
