package org.smtstream.processor.math.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.smtstream.processor.testing.DenseReference;
import org.smtstream.processor.testing.TestArrays;

/**
 * RunningMoments against direct double computation. The codes are float32; converted to double
 * exactly, so the running form (one double GEMM per batch) may differ from the direct sums only by
 * double rounding: tolerance 1e-12 relative to the largest entry.
 */
class RunningMomentsTest {

    private static final int ATOMS = 24;
    private static final double TOL = 1e-12;

    private static List<double[][]> batches(SplittableRandom random, int... sizes) {
        List<double[][]> out = new ArrayList<>();
        for (int b : sizes) {
            out.add(floats(TestArrays.sparseCodes(ATOMS, b, 4, 0.1, 2.0, random)));
        }
        return out;
    }

    @Test
    void shouldEqualTheSampleAveragesOverBatchesOfDifferentSizes() {
        List<double[][]> batches = batches(new SplittableRandom(1), 5, 17, 1, 40, 9);
        RunningMoments moments = RunningMoments.exact(ATOMS);
        double[][] sum = new double[ATOMS][ATOMS];
        double[] mean = new double[ATOMS];
        int count = 0;
        for (double[][] a : batches) {
            moments.update(TestArrays.toNd4j(a));
            double[][] outer = TestArrays.multiply(a, TestArrays.transpose(a));
            for (int i = 0; i < ATOMS; i++) {
                for (int j = 0; j < ATOMS; j++) {
                    sum[i][j] += outer[i][j];
                }
                for (double v : a[i]) {
                    mean[i] += v;
                }
            }
            count += a[0].length;
        }
        double[][] v = TestArrays.toDouble(moments.secondMoment());
        double scale = DenseReference.maxAbs(sum) / count;
        for (int i = 0; i < ATOMS; i++) {
            for (int j = 0; j < ATOMS; j++) {
                assertEquals(sum[i][j] / count, v[i][j], TOL * scale, "V[" + i + "][" + j + "]");
            }
            assertEquals(mean[i] / count, moments.mean().getDouble(i), TOL * scale, "<alpha_" + i + ">");
        }
        assertEquals(count, moments.weight(), 0.0, "weight = column count without forgetting");
        assertEquals(count, moments.columns());
        assertEquals(5, moments.updates());
    }

    @Test
    void shouldGiveTheCentredCovarianceOnRequest() {
        List<double[][]> batches = batches(new SplittableRandom(2), 30, 30);
        RunningMoments moments = RunningMoments.exact(ATOMS);
        batches.forEach(a -> moments.update(TestArrays.toNd4j(a)));
        double[][] all = new double[ATOMS][60];
        for (int i = 0; i < ATOMS; i++) {
            System.arraycopy(batches.get(0)[i], 0, all[i], 0, 30);
            System.arraycopy(batches.get(1)[i], 0, all[i], 30, 30);
        }
        double[] m = new double[ATOMS];
        for (int i = 0; i < ATOMS; i++) {
            for (double x : all[i]) {
                m[i] += x / 60;
            }
        }
        double[][] c = TestArrays.toDouble(moments.covariance());
        for (int i = 0; i < ATOMS; i++) {
            for (int j = 0; j < ATOMS; j++) {
                double direct = 0;
                for (int b = 0; b < 60; b++) {
                    direct += (all[i][b] - m[i]) * (all[j][b] - m[j]) / 60;
                }
                assertEquals(direct, c[i][j], 1e-12, "centred C[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void shouldWeightPastBatchesByTheForgettingFactor() {
        double rho = 0.6;
        List<double[][]> batches = batches(new SplittableRandom(3), 8, 3, 12, 5);
        RunningMoments moments = new RunningMoments(ATOMS, rho);
        batches.forEach(a -> moments.update(TestArrays.toNd4j(a)));
        Weighted expected = weighted(batches, rho);
        assertEquals(expected.weight(), moments.weight(), 1e-12 * expected.weight(), "total weight");
        assertMatches(expected, moments, "forgetting");
    }

    /** Sparse codes, batch after batch with forgetting: V and the mean of their weighted average. */
    @Test
    void sparseBatchesGiveTheWeightedAverageOfTheirOuterProducts() {
        int atoms = 200;
        double rho = 0.9;
        SplittableRandom random = new SplittableRandom(5);
        RunningMoments moments = new RunningMoments(atoms, rho);
        List<double[][]> batches = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            feedSparse(moments, batches, 12, 3, random);
            assertMatches(weighted(batches, rho), moments, "after batch " + t);
        }
    }

    /** Over many batches the lazy forgetting scale falls below its threshold and is folded into V, exactly. */
    @Test
    void theLazyForgettingScaleIsFoldedWithoutChangingV() {
        int atoms = 60;
        double rho = 0.5;                                  // the scale halves every batch: folded about every 20
        SplittableRandom random = new SplittableRandom(6);
        RunningMoments moments = new RunningMoments(atoms, rho);
        List<double[][]> batches = new ArrayList<>();
        for (int t = 0; t < 50; t++) {
            feedSparse(moments, batches, 4, 2, random);
            if (t % 7 == 0) {
                moments.secondMoment();                    // a read folds the scale too
            }
        }
        assertMatches(weighted(batches, rho), moments, "after 50 batches");
    }

    /** A batch of {@code columns} codes of {@code k} atoms each, fed to {@code moments} and kept in {@code batches}. */
    private static void feedSparse(RunningMoments moments, List<double[][]> batches, int columns, int k,
                                   SplittableRandom random) {
        double[][] a = floats(TestArrays.sparseCodes(moments.size(), columns, k, 0.1, 2.0, random));
        batches.add(a);
        moments.update(TestArrays.toNd4j(a));
    }

    /** V and the mean of batches weighted rho^(batches since), divided by the total weight. */
    private record Weighted(double[][] v, double[] mean, double weight) {
    }

    private static Weighted weighted(List<double[][]> batches, double rho) {
        int atoms = batches.get(0).length;
        double[][] sum = new double[atoms][atoms];
        double[] mean = new double[atoms];
        double weight = 0;
        int k = batches.size();
        for (int m = 0; m < k; m++) {
            double w = Math.pow(rho, k - 1 - m);                  // batch m was seen k-1-m batches ago
            double[][] a = batches.get(m);
            double[][] outer = TestArrays.multiply(a, TestArrays.transpose(a));
            for (int i = 0; i < atoms; i++) {
                for (int j = 0; j < atoms; j++) {
                    sum[i][j] += w * outer[i][j];
                }
                for (double value : a[i]) {
                    mean[i] += w * value;
                }
            }
            weight += w * a[0].length;
        }
        for (int i = 0; i < atoms; i++) {
            for (int j = 0; j < atoms; j++) {
                sum[i][j] /= weight;
            }
            mean[i] /= weight;
        }
        return new Weighted(sum, mean, weight);
    }

    private static void assertMatches(Weighted expected, RunningMoments moments, String when) {
        double[][] v = TestArrays.toDouble(moments.secondMoment());
        double scale = DenseReference.maxAbs(expected.v());
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v.length; j++) {
                assertEquals(expected.v()[i][j], v[i][j], TOL * scale, when + ": V[" + i + "][" + j + "]");
            }
            assertEquals(expected.mean()[i], moments.mean().getDouble(i), TOL * scale, when + ": <alpha_" + i + ">");
        }
    }

    /** Rounds to float32, what the FLOAT codes hold. */
    private static double[][] floats(double[][] a) {
        for (double[] row : a) {
            for (int c = 0; c < row.length; c++) {
                row[c] = (float) row[c];
            }
        }
        return a;
    }

    /** The running-average form keeps V at the data's scale: no drift after many identical batches. */
    @Test
    void shouldStayExactOverManyBatches() {
        double[][] a = batches(new SplittableRandom(4), 3).get(0);
        RunningMoments moments = RunningMoments.exact(ATOMS);
        var batch = TestArrays.toNd4j(a);
        for (int k = 0; k < 3000; k++) {
            moments.update(batch);
        }
        double[][] expected = TestArrays.multiply(a, TestArrays.transpose(a));
        double[][] v = TestArrays.toDouble(moments.secondMoment());
        double error = 0;
        for (int i = 0; i < ATOMS; i++) {
            for (int j = 0; j < ATOMS; j++) {
                error = Math.max(error, Math.abs(expected[i][j] / 3 - v[i][j]));
            }
        }
        assertTrue(error <= 1e-12 * DenseReference.maxAbs(expected), "drift after 3000 batches: " + error);
        assertEquals(9000, moments.columns());
    }

    @Test
    void shouldRejectBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new RunningMoments(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RunningMoments(4, 0));
        assertThrows(IllegalArgumentException.class, () -> new RunningMoments(4, 1.5));
        RunningMoments moments = RunningMoments.exact(4);
        assertThrows(IllegalArgumentException.class,
                () -> moments.update(TestArrays.toNd4j(new double[5][2])));
    }
}
