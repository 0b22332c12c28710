package org.smtstream.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PcaProjectionTest {

    /** Window length and ambient dimension: a trajectory window of alpha-like size. */
    private static final int T = 64;
    private static final int D = 300;
    /** Float input, double arithmetic: agreement to about 1e-4 of the path's scale. */
    private static final double TOL = 1e-4;

    private final Random random = new Random(42);

    private double[] randomVector(int d) {
        double[] v = new double[d];
        for (int k = 0; k < d; k++) {
            v[k] = random.nextGaussian();
        }
        return v;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /** Two orthonormal directions in R^d (Gram-Schmidt on random vectors). */
    private double[][] randomPlane(int d) {
        double[] u = randomVector(d);
        double nu = norm(u);
        for (int k = 0; k < d; k++) {
            u[k] /= nu;
        }
        double[] w = randomVector(d);
        double dot = 0;
        for (int k = 0; k < d; k++) {
            dot += u[k] * w[k];
        }
        for (int k = 0; k < d; k++) {
            w[k] -= dot * u[k];
        }
        double nw = norm(w);
        for (int k = 0; k < d; k++) {
            w[k] /= nw;
        }
        return new double[][] {u, w};
    }

    @Test
    void shouldKeepCollinearPointsOnALineAtTheirSpacing() {
        double[] origin = randomVector(D);
        double[] step = randomVector(D);
        float[][] points = new float[T][D];
        for (int t = 0; t < T; t++) {
            for (int k = 0; k < D; k++) {
                points[t][k] = (float) (origin[k] + t * 0.1 * step[k]);
            }
        }

        PcaProjection.Projection projection = PcaProjection.project(points, 2);

        double spacing = 0.1 * norm(step);
        double scale = spacing * T;
        for (int t = 0; t < T; t++) {
            double[] c = projection.coordinates()[t];
            // On the first axis at its distance from the centroid, oriented first-to-last.
            assertEquals((t - (T - 1) / 2.0) * spacing, c[0], TOL * scale, "PC1 of point " + t);
            assertEquals(0, c[1], TOL * scale, "a line has no second axis: point " + t);
        }
        assertEquals(1, projection.explained()[0], 1e-6);
        assertEquals(0, projection.explained()[1], 1e-6);
    }

    @Test
    void shouldPreserveAPlanarPathsDistancesAndFlattenTheThirdAxis() {
        double[][] plane = randomPlane(D);
        double[] centre = randomVector(D);
        float[][] points = new float[T][D];
        double[][] truth = new double[T][2];
        for (int t = 0; t < T; t++) {
            // An ellipse, so the two axes have distinct variances and a definite order.
            truth[t][0] = 3 * Math.cos(2 * Math.PI * t / T);
            truth[t][1] = Math.sin(2 * Math.PI * t / T);
            for (int k = 0; k < D; k++) {
                points[t][k] = (float) (centre[k] + truth[t][0] * plane[0][k] + truth[t][1] * plane[1][k]);
            }
        }

        PcaProjection.Projection projection = PcaProjection.project(points, 3);

        double[][] c = projection.coordinates();
        for (int i = 0; i < T; i++) {
            assertEquals(0, c[i][2], TOL * 3, "third coordinate of a planar path, point " + i);
            for (int j = 0; j < i; j++) {
                double projected = Math.hypot(c[i][0] - c[j][0], c[i][1] - c[j][1]);
                double actual = Math.hypot(truth[i][0] - truth[j][0], truth[i][1] - truth[j][1]);
                assertEquals(actual, projected, TOL * 3, "distance between points " + i + " and " + j);
            }
        }
        // Variance 9/2 on the long axis, 1/2 on the short: 90 % and 10 %.
        assertArrayEquals(new double[] {0.9, 0.1, 0}, projection.explained(), 1e-4);
    }

    @Test
    void shouldOrientEachAxisFromFirstToLastPoint() {
        float[][] points = new float[T][D];
        double[] step = randomVector(D);
        for (int t = 0; t < T; t++) {
            for (int k = 0; k < D; k++) {
                points[t][k] = (float) (-t * step[k]);
            }
        }

        double[][] c = PcaProjection.project(points, 2).coordinates();

        assertTrue(c[T - 1][0] > c[0][0], "the last point lies beyond the first on PC1");
    }

    @Test
    void shouldGiveZerosWhereThereIsNothingToProject() {
        float[][] still = new float[5][D];
        float[][] single = new float[1][D];

        PcaProjection.Projection flat = PcaProjection.project(still, 2);
        PcaProjection.Projection one = PcaProjection.project(single, 2);

        for (double[] row : flat.coordinates()) {
            assertArrayEquals(new double[2], row);
        }
        assertArrayEquals(new double[2], flat.explained());
        assertEquals(1, one.coordinates().length);
        assertEquals(0, PcaProjection.project(new float[0][], 2).coordinates().length);
    }

    @Test
    void shouldProjectSparsePausingWindowsLikeRealCodes() {
        // Codes of a patch: a few active atoms out of many, often the same for several frames.
        float[][] points = new float[T][D];
        for (int t = 0; t < T; t++) {
            int active = (t / 8) % 5;
            points[t][active] = 1 + (t % 3 == 0 ? 0.5f : 0);
            points[t][D - 1] = t / 8;
        }

        PcaProjection.Projection projection = PcaProjection.project(points, 3);

        double total = 0;
        for (double e : projection.explained()) {
            assertTrue(e >= 0 && e <= 1, "explained share " + e);
            total += e;
        }
        assertTrue(total > 0.5 && total <= 1 + 1e-9, "three axes explain most of a few-atom path: " + total);
        for (double[] row : projection.coordinates()) {
            for (double v : row) {
                assertTrue(Double.isFinite(v));
            }
        }
    }
}
