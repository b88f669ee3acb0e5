package io.seqcl.analysis;

/**
 * Summary statistics of how embeddings fill their space, the quantitative side of Meta-SGCL Fig. 6 ("SASRec's
 * item embeddings form a narrow cone; Meta-SGCL's are more uniform").
 *
 * @param meanCosine mean cosine similarity over all pairs of distinct rows (near 1 = a narrow cone)
 * @param uniformity log of the mean of {@code exp(-2 |x - y|^2)} over distinct pairs of L2-normalised rows
 *     (Wang and Isola 2020; lower = more uniform)
 * @param meanNorm mean L2 norm of the rows
 */
public record EmbeddingGeometry(double meanCosine, double uniformity, double meanNorm) {

    /**
     * Computes the statistics over all pairs of rows (O(n^2 d); pass a sample for large tables).
     *
     * @param rows n &gt;= 2 vectors
     * @return the statistics
     */
    public static EmbeddingGeometry of(float[][] rows) {
        int n = rows.length;
        if (n < 2) {
            throw new IllegalArgumentException("need at least 2 rows, got " + n);
        }
        double[][] unit = new double[n][];
        double normSum = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (float v : rows[i]) {
                s += (double) v * v;
            }
            double norm = Math.sqrt(s);
            normSum += norm;
            unit[i] = new double[rows[i].length];
            for (int j = 0; j < rows[i].length; j++) {
                unit[i][j] = norm == 0 ? 0 : rows[i][j] / norm;
            }
        }
        double cos = 0;
        double gauss = 0;
        long pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int k = i + 1; k < n; k++) {
                double dot = 0;
                for (int j = 0; j < unit[i].length; j++) {
                    dot += unit[i][j] * unit[k][j];
                }
                cos += dot;
                gauss += Math.exp(-2 * (2 - 2 * dot));
                pairs++;
            }
        }
        return new EmbeddingGeometry(cos / pairs, Math.log(gauss / pairs), normSum / n);
    }
}
