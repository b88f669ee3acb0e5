package io.seqcl.analysis;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TSneTest {

    /** Three Gaussian clusters in 20-D, far apart, 40 points each; label = row / 40. */
    private static float[][] clusters(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] rows = new float[120][20];
        for (int i = 0; i < rows.length; i++) {
            int c = i / 40;
            for (int j = 0; j < 20; j++) {
                double centre = j == c * 5 ? 10 : 0;
                rows[i][j] = (float) (centre + gauss(rng));
            }
        }
        return rows;
    }

    private static double gauss(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    @Test
    void bisectionHitsThePerplexity() {
        SplittableRandom rng = new SplittableRandom(1);
        double[] d2 = new double[60];
        for (int j = 0; j < d2.length; j++) {
            d2[j] = 5 * rng.nextDouble();
        }
        for (double perp : new double[] {5, 15, 30}) {
            double[] p = TSne.conditional(d2, 3, perp);
            double sum = 0;
            double h = 0;
            for (double v : p) {
                sum += v;
                if (v > 0) {
                    h -= v * Math.log(v);
                }
            }
            assertEquals(0, p[3]);
            assertEquals(1, sum, 1e-9);
            assertEquals(perp, Math.exp(h), 1e-3 * perp);
        }
    }

    @Test
    void separatedClustersStaySeparatedInThePlane() {
        double[][] y = new TSne(20, 500, 7).embed(clusters(3));
        // every point's nearest neighbour in 2-D belongs to its own cluster
        int wrong = 0;
        for (int i = 0; i < y.length; i++) {
            int best = -1;
            double bd = Double.POSITIVE_INFINITY;
            for (int j = 0; j < y.length; j++) {
                double d = Math.hypot(y[i][0] - y[j][0], y[i][1] - y[j][1]);
                if (j != i && d < bd) {
                    bd = d;
                    best = j;
                }
            }
            wrong += best / 40 == i / 40 ? 0 : 1;
        }
        assertEquals(0, wrong);
        // and the clusters are far apart compared with their spread
        double within = 0;
        double between = 0;
        int nw = 0;
        int nb = 0;
        for (int i = 0; i < y.length; i++) {
            for (int j = i + 1; j < y.length; j++) {
                double d = Math.hypot(y[i][0] - y[j][0], y[i][1] - y[j][1]);
                if (i / 40 == j / 40) {
                    within += d;
                    nw++;
                } else {
                    between += d;
                    nb++;
                }
            }
        }
        assertTrue(between / nb > 3 * within / nw, "between " + between / nb + " within " + within / nw);
    }

    @Test
    void moreIterationsLowerTheKlAndRunsAreDeterministic() {
        float[][] rows = clusters(5);
        TSne.Result short1 = new TSne(15, 250, 1).run(rows);
        TSne.Result long1 = new TSne(15, 600, 1).run(rows);
        TSne.Result long2 = new TSne(15, 600, 1).run(rows);
        assertTrue(long1.kl() < short1.kl(), long1.kl() + " vs " + short1.kl());
        assertTrue(long1.kl() > 0);
        for (int i = 0; i < rows.length; i++) {
            assertArrayEquals(long1.points()[i], long2.points()[i], 0);
        }
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> new TSne(0.5, 1000, 0));
        assertThrows(IllegalArgumentException.class, () -> new TSne(30, 10, 0));
        var e = assertThrows(IllegalArgumentException.class, () -> new TSne(30, 300, 0).embed(new float[10][3]));
        assertTrue(e.getMessage().contains("perplexity"));
        float[][] ragged = {{1, 2}, {1, 2}, {1}, {3, 4}, {5, 6}};
        e = assertThrows(IllegalArgumentException.class, () -> new TSne(2, 300, 0).embed(ragged));
        assertTrue(e.getMessage().contains("row 2"));
        float[][] nan = {{1, 2}, {1, Float.NaN}, {1, 0}, {3, 4}, {5, 6}};
        e = assertThrows(IllegalArgumentException.class, () -> new TSne(2, 300, 0).embed(nan));
        assertTrue(e.getMessage().contains("non-finite"));
    }
}
