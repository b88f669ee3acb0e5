package io.seqcl.analysis;

/**
 * How the 2-D embedding plots reduce vectors to the plane: {@link #TSNE} as the papers do (Meta-SGCL Fig. 6,
 * MCLRec Figs. 2 and 5), or {@link #PCA}, linear and parameter-free, where a "narrow cone" shows directly as one
 * dominant component.
 */
public enum Map2D {
    /** t-SNE ({@link TSne}): perplexity 30 (at most a third of the points), 1000 iterations. */
    TSNE,
    /** Principal components ({@link Projection#pca}). */
    PCA;

    /**
     * Projects rows to the plane.
     *
     * @param rows n row vectors (n &gt;= 4 for t-SNE, n &gt;= 2 for PCA)
     * @param seed the seed (t-SNE only)
     * @return n points (x, y)
     */
    public double[][] project(float[][] rows, long seed) {
        if (this == PCA) {
            return Projection.pca(rows, 2).points();
        }
        double perplexity = Math.max(2, Math.min(30, (rows.length - 1) / 3.0));
        return new TSne(perplexity, 1000, seed).embed(rows);
    }

    /** @return "t-SNE" or "PCA", for titles */
    public String label() {
        return this == PCA ? "PCA" : "t-SNE";
    }
}
