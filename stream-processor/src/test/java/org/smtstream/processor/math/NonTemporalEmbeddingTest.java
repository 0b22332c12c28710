package org.smtstream.processor.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smtstream.processor.math.NonTemporalEmbedding.Interpolation;

/**
 * The non-temporal data term S = (A D*)(A D*)^T of eq. 3.6 against a direct computation with the
 * dense D* = I - Gamma, on planted problems.
 */
class NonTemporalEmbeddingTest {

    /** The dense M x m matrix D*: column i has 1 at targets[i] and -gamma at the neighbours. */
    private static double[][] denseD(Interpolation interpolation, int columns) {
        double[][] d = new double[columns][interpolation.size()];
        for (int i = 0; i < interpolation.size(); i++) {
            d[interpolation.targets()[i]][i] += 1.0;
            for (int q = 0; q < interpolation.neighbourCount(); q++) {
                d[interpolation.neighbours()[i][q]][i] -= interpolation.weights()[i][q];
            }
        }
        return d;
    }

    private static double maxRelativeDifference(double[][] expected, INDArray actual) {
        double scale = 0;
        double worst = 0;
        for (int r = 0; r < expected.length; r++) {
            for (int c = 0; c < expected[0].length; c++) {
                scale = Math.max(scale, Math.abs(expected[r][c]));
                worst = Math.max(worst, Math.abs(expected[r][c] - actual.getDouble(r, c)));
            }
        }
        return worst / scale;
    }

    @Test
    void shouldBuildHorizontalAndVerticalSecondDifferencesWithinEachImage() {
        int side = 5;
        Interpolation grid = NonTemporalEmbedding.gridInterpolation(side, 2, 1);
        assertEquals(2 * 2 * side * (side - 2), grid.size(), "2 directions x 2 images x side x (side - 2)");
        assertEquals(2, grid.neighbourCount());
        // first column: image 0, row 0, centre (0, 1) between (0, 0) and (0, 2)
        assertEquals(1, grid.targets()[0]);
        assertArrayEquals(new int[] {0, 2}, grid.neighbours()[0]);
        assertArrayEquals(new double[] {0.5, 0.5}, grid.weights()[0]);
        for (int i = 0; i < grid.size(); i++) {
            int image = grid.targets()[i] / (side * side);
            for (int j : grid.neighbours()[i]) {
                assertEquals(image, j / (side * side), "column " + i + " mixes images: " + grid.targets()[i] + " and " + j);
                int dr = Math.abs(j % (side * side) / side - grid.targets()[i] % (side * side) / side);
                int dc = Math.abs(j % side - grid.targets()[i] % side);
                assertEquals(1, dr + dc, "neighbours are adjacent on the grid");
            }
        }
        Interpolation two = NonTemporalEmbedding.gridInterpolation(side, 1, 2);
        assertEquals(2 * side * (side - 4), two.size(), "step 2");
        assertThrows(IllegalArgumentException.class, () -> NonTemporalEmbedding.gridInterpolation(4, 1, 2));
    }

    @Test
    void shouldEqualTheDirectComputationOfADDTransposeATranspose() {
        // side 20, 2 images: m = 1440 difference columns, more than one 1024-column block.
        SplittableRandom random = new SplittableRandom(91);
        int atoms = 9;
        int side = 20;
        Interpolation grid = NonTemporalEmbedding.gridInterpolation(side, 2, 1);
        double[][] a = TestArrays.sparseCodes(atoms, 2 * side * side, 3, 0.2, 1.5, random);
        INDArray codes = TestArrays.toNd4j(a);
        double[][] ad = TestArrays.multiply(a, denseD(grid, 2 * side * side));
        double[][] expected = TestArrays.multiply(ad, TestArrays.transpose(ad));
        assertTrue(grid.size() > 1024, "must span blocks, m = " + grid.size());

        INDArray differences = NonTemporalEmbedding.differences(codes, grid);
        assertEquals(grid.size(), differences.columns());
        double dError = maxRelativeDifference(ad, differences);
        assertTrue(dError < 1e-6, "A D* vs dense: relative error " + dError);

        INDArray s = NonTemporalEmbedding.secondMoment(codes, grid);
        assertEquals(DataType.DOUBLE, s.dataType());
        double sError = maxRelativeDifference(expected, s);
        // float32 codes, float GEMM per 1024-column block accumulated in double: ~1e-7 relative.
        assertTrue(sError < 1e-5, "S vs (A D)(A D)^T: relative error " + sError);

        INDArray sDouble = NonTemporalEmbedding.secondMoment(codes.castTo(DataType.DOUBLE), grid);
        double dd = maxRelativeDifference(expected, sDouble);
        assertTrue(dd < 1e-6, "double path: relative error " + dd);
    }

    @Test
    void shouldVanishOnCodesThatAreAffineInPatchPosition() {
        // alpha_(r,c) = a + r u + c v: exactly linear along rows and columns, so every second difference is 0.
        SplittableRandom random = new SplittableRandom(92);
        int atoms = 6;
        int side = 6;
        double[][] a = new double[atoms][side * side];
        double[][] base = TestArrays.gaussian(atoms, 3, random);
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                for (int j = 0; j < atoms; j++) {
                    a[j][r * side + c] = base[j][0] + r * base[j][1] + c * base[j][2];
                }
            }
        }
        INDArray s = NonTemporalEmbedding.secondMoment(TestArrays.toNd4j(a), NonTemporalEmbedding.gridInterpolation(side, 1, 1));
        double max = s.amaxNumber().doubleValue();
        assertTrue(max < 1e-8, "affine code field: S must vanish, max |S| = " + max);
    }

    @Test
    void shouldReconstructPointsOnAPlaneFromTheirNeighboursWithWeightsSummingToOne() {
        // 80 points on a 2-D affine plane in R^7: each is an affine combination of its neighbours.
        SplittableRandom random = new SplittableRandom(93);
        int d = 7;
        int m = 80;
        double[][] origin = TestArrays.gaussian(d, 1, random);
        double[][] frame = TestArrays.gaussian(d, 2, random);
        double[][] x = new double[d][m];
        for (int i = 0; i < m; i++) {
            double s = 4 * random.nextDouble();
            double t = 4 * random.nextDouble();
            for (int r = 0; r < d; r++) {
                x[r][i] = origin[r][0] + s * frame[r][0] + t * frame[r][1];
            }
        }
        int k = 6;
        Interpolation lle = NonTemporalEmbedding.lleInterpolation(TestArrays.toNd4j(x), k, 1e-6);
        assertEquals(m, lle.size());
        for (int i = 0; i < m; i++) {
            assertEquals(i, lle.targets()[i]);
            double sum = 0;
            double[] rec = new double[d];
            for (int q = 0; q < k; q++) {
                sum += lle.weights()[i][q];
                for (int r = 0; r < d; r++) {
                    rec[r] += lle.weights()[i][q] * x[r][lle.neighbours()[i][q]];
                }
                assertTrue(lle.neighbours()[i][q] != i, "point " + i + " is its own neighbour");
            }
            assertEquals(1.0, sum, 1e-9, "weights of point " + i + " sum to 1");
            double err = 0;
            for (int r = 0; r < d; r++) {
                err = Math.max(err, Math.abs(rec[r] - x[r][i]));
            }
            // ridge 1e-6 of the local trace and float32 input: residual ~1e-5 on coordinates of size ~5
            assertTrue(err < 1e-3, "point " + i + " reconstructed with error " + err);
        }
        // Codes that are a linear function of the points inherit the interpolation: A D* ~ 0.
        double[][] codes = TestArrays.multiply(TestArrays.gaussian(5, d, random), x);
        INDArray s = NonTemporalEmbedding.secondMoment(TestArrays.toNd4j(codes), lle);
        double scale = TestArrays.squaredNorm(codes);
        double ratio = s.amaxNumber().doubleValue() / scale;
        assertTrue(ratio < 1e-6, "linear codes of the plane: max |S| / ||A||^2 = " + ratio);
    }

    @Test
    void shouldRejectOutOfRangeInterpolations() {
        Interpolation grid = NonTemporalEmbedding.gridInterpolation(4, 2, 1);
        INDArray tooFew = TestArrays.toNd4j(new double[3][16]);          // grid needs 32 columns
        assertThrows(IllegalArgumentException.class, () -> NonTemporalEmbedding.differences(tooFew, grid));
        assertThrows(IllegalArgumentException.class,
                () -> new Interpolation(new int[] {0}, new int[][] {{1, 2}}, new double[][] {{0.5}}));
        assertThrows(IllegalArgumentException.class,
                () -> NonTemporalEmbedding.lleInterpolation(TestArrays.toNd4j(new double[2][5]), 2, -1));
    }
}
