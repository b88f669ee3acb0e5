package io.seqcl.analysis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProjectionTest {

    @Test
    void pointsOnALineProjectToTheirSignedDistanceAlongIt() {
        // x_i = c + t_i * u with u = (3, 4) / 5: PC1 coordinate = t_i - mean(t), PC2 = 0, all variance on PC1
        float[] t = {-2, -1, 0, 1, 5};
        float[][] rows = new float[t.length][];
        for (int i = 0; i < t.length; i++) {
            rows[i] = new float[] {1 + t[i] * 0.6f, -2 + t[i] * 0.8f, 7};
        }
        Projection p = Projection.pca(rows, 2);
        double mean = 0.6;
        for (int i = 0; i < t.length; i++) {
            assertEquals(t[i] - mean, p.points()[i][0], 1e-5);
            assertEquals(0, p.points()[i][1], 1e-5);
        }
        assertEquals(1.0, p.explainedVariance()[0], 1e-9);
    }

    @Test
    void explainedVarianceOfAnAxisAlignedCloudIsTheVarianceShare() {
        float[][] rows = {{2, 0}, {-2, 0}, {0, 1}, {0, -1}};
        Projection p = Projection.pca(rows, 2);
        assertEquals(0.8, p.explainedVariance()[0], 1e-9);
        assertEquals(0.2, p.explainedVariance()[1], 1e-9);
        assertEquals(2, Math.abs(p.points()[0][0]), 1e-9);
    }

    @Test
    void badInputIsRejectedWithAClearMessage() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Projection.pca(new float[][] {{1}}, 1))
                .getMessage().contains("at least 2 rows"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Projection.pca(new float[][] {{1, 2}, {1}}, 1)).getMessage().contains("row 1"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Projection.pca(new float[][] {{1, 2}, {1, Float.NaN}}, 1)).getMessage().contains("non-finite"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Projection.pca(new float[][] {{1, 2}, {3, 4}}, 3)).getMessage().contains("components"));
    }

    @Test
    void geometryOfOrthogonalAndIdenticalVectors() {
        EmbeddingGeometry orth = EmbeddingGeometry.of(new float[][] {{1, 0}, {0, 2}});
        assertEquals(0, orth.meanCosine(), 1e-12);
        assertEquals(-4, orth.uniformity(), 1e-12); // |x - y|^2 = 2 for orthogonal unit vectors: log exp(-4)
        assertEquals(1.5, orth.meanNorm(), 1e-12);
        EmbeddingGeometry cone = EmbeddingGeometry.of(new float[][] {{1, 1}, {2, 2}, {3, 3}});
        assertEquals(1, cone.meanCosine(), 1e-9);
        assertEquals(0, cone.uniformity(), 1e-9);
    }
}
