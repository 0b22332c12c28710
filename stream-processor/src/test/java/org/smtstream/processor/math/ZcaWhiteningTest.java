package org.smtstream.processor.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ZCA whitening: identity covariance on its fit data, exact inverse, symmetric operators. */
class ZcaWhiteningTest {

    private static final int N = 16;
    private static final int M = 6000;

    /**
     * Correlated data with covariance eigenvalues spread over 0.05 .. 20 (condition 400) and a non-zero
     * mean: x = mu + Q diag(sqrt(l)) g, Q a random rotation (Gram-Schmidt of a Gaussian matrix).
     */
    private static double[][] correlatedData(SplittableRandom random) {
        double[][] q = TestArrays.gaussian(N, N, random);
        for (int j = 0; j < N; j++) {                                    // Gram-Schmidt on columns
            for (int i = 0; i < j; i++) {
                double dot = 0;
                for (int r = 0; r < N; r++) {
                    dot += q[r][i] * q[r][j];
                }
                for (int r = 0; r < N; r++) {
                    q[r][j] -= dot * q[r][i];
                }
            }
            double norm = 0;
            for (int r = 0; r < N; r++) {
                norm += q[r][j] * q[r][j];
            }
            for (int r = 0; r < N; r++) {
                q[r][j] /= Math.sqrt(norm);
            }
        }
        double[][] x = new double[N][M];
        for (int m = 0; m < M; m++) {
            double[] g = new double[N];
            for (int j = 0; j < N; j++) {
                double lambda = 0.05 * Math.pow(400, j / (N - 1.0));
                g[j] = Math.sqrt(lambda) * TestArrays.gaussian(random);
            }
            for (int r = 0; r < N; r++) {
                double v = 2.0 + 0.5 * r;                                  // mean
                for (int j = 0; j < N; j++) {
                    v += q[r][j] * g[j];
                }
                x[r][m] = v;
            }
        }
        return x;
    }

    /** (1/M) (Y - mean)(Y - mean)^T in double. */
    private static double[][] covariance(INDArray y) {
        double[][] d = TestArrays.toDouble(y);
        int n = d.length;
        int m = d[0].length;
        double[] mean = new double[n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < m; c++) {
                mean[r] += d[r][c] / m;
            }
        }
        double[][] cov = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = a; b < n; b++) {
                double s = 0;
                for (int c = 0; c < m; c++) {
                    s += (d[a][c] - mean[a]) * (d[b][c] - mean[b]);
                }
                cov[a][b] = s / m;
                cov[b][a] = s / m;
            }
        }
        return cov;
    }

    @Test
    void shouldWhitenItsFitDataToIdentityCovarianceAndZeroMean() {
        INDArray x = TestArrays.toNd4j(correlatedData(new SplittableRandom(31)));
        ZcaWhitening zca = ZcaWhitening.fit(x, 1e-9);
        INDArray y = zca.whiten(x);
        double[][] cov = covariance(y);
        // Tolerance: float32 data and operators at condition 400 give ~1e-5 (measured); eps 1e-9 adds < 2e-8.
        for (int a = 0; a < N; a++) {
            for (int b = 0; b < N; b++) {
                assertEquals(a == b ? 1.0 : 0.0, cov[a][b], 1e-3, "whitened covariance [" + a + "][" + b + "]");
            }
        }
        double meanMax = y.mean(1).amaxNumber().doubleValue();
        assertTrue(meanMax < 1e-4, "whitened mean " + meanMax + " should be 0");
    }

    @Test
    void shouldShrinkEachEigenDirectionBySOverSPlusEps() {
        INDArray x = TestArrays.toNd4j(correlatedData(new SplittableRandom(32)));
        double eps = 0.05;                                                 // = the smallest eigenvalue: visible effect
        ZcaWhitening zca = ZcaWhitening.fit(x, eps);
        double[][] cov = covariance(zca.whiten(x));
        double[] s = zca.eigenvalues();
        // trace(W Sigma W) = sum s / (s + eps)
        double expected = 0;
        for (double v : s) {
            expected += v / (v + eps);
        }
        double trace = 0;
        for (int a = 0; a < N; a++) {
            trace += cov[a][a];
        }
        assertEquals(expected, trace, 1e-3 * N, "trace of the whitened covariance");
        assertTrue(expected < N - 0.4, "eps must visibly shrink the small directions, sum s/(s+eps) = " + expected);
    }

    @Test
    void shouldUnwhitenToTheInputWhateverEps() {
        SplittableRandom random = new SplittableRandom(33);
        INDArray x = TestArrays.toNd4j(correlatedData(random));
        INDArray fresh = TestArrays.toNd4j(TestArrays.gaussian(N, 50, random)).addi(1.0);   // not fit data
        for (double eps : new double[] {0.0, 1e-3, 10.0}) {
            ZcaWhitening zca = ZcaWhitening.fit(x, eps);
            double error = zca.unwhiten(zca.whiten(fresh)).sub(fresh).amaxNumber().doubleValue();
            assertTrue(error < 1e-4, "C W (x - m) + m != x at eps " + eps + ": max error " + error);
            INDArray product = zca.inverse().mmul(zca.operator());
            double identity = product.sub(Nd4j.eye(N).castTo(DataType.FLOAT)).amaxNumber().doubleValue();
            assertTrue(identity < 1e-4, "C W != I at eps " + eps + ": max deviation " + identity);
            INDArray out = Nd4j.create(DataType.FLOAT, N, 50);
            assertTrue(zca.whiten(fresh, out) == out && out.equalsWithEps(zca.whiten(fresh), 1e-6), "whiten into a buffer");
            assertThrows(IllegalArgumentException.class, () -> zca.whiten(out, out), "GEMM cannot work in place");
            double asymmetry = zca.operator().sub(zca.operator().transpose()).amaxNumber().doubleValue();
            assertTrue(asymmetry < 1e-5, "W must be symmetric, asymmetry " + asymmetry);
        }
    }

    @Test
    void shouldRequireEpsForASingularCovariance() {
        SplittableRandom random = new SplittableRandom(34);
        double[][] low = TestArrays.multiply(TestArrays.gaussian(N, 4, random), TestArrays.gaussian(4, 500, random));
        INDArray x = TestArrays.toNd4j(low);                              // rank 4 < 16
        assertThrows(IllegalArgumentException.class, () -> ZcaWhitening.fit(x, 0.0));
        ZcaWhitening zca = ZcaWhitening.fit(x, 1e-2);
        double error = zca.unwhiten(zca.whiten(x)).sub(x).amaxNumber().doubleValue();
        assertTrue(error < 1e-3, "round trip on rank-deficient data, max error " + error);
        assertThrows(IllegalArgumentException.class, () -> ZcaWhitening.fit(x, -1));
        assertThrows(IllegalArgumentException.class, () -> ZcaWhitening.fit(Nd4j.zeros(DataType.FLOAT, N, 1), 1));
    }

    @Test
    void shouldAccumulateTheCovarianceAcrossColumnBlocks() {
        // M = 9000 spans three 4096-column blocks; the result must equal a direct double computation.
        SplittableRandom random = new SplittableRandom(35);
        INDArray x = TestArrays.toNd4j(TestArrays.gaussian(6, 9000, random)).muliColumnVector(
                Nd4j.createFromArray(new float[] {1, 2, 3, 0.5f, 4, 1}).reshape(6, 1));
        ZcaWhitening zca = ZcaWhitening.fit(x, 0.0);
        double[][] cov = covariance(x);
        double[][] c = TestArrays.toDouble(zca.inverse());
        double[][] c2 = TestArrays.multiply(c, c);                         // C^2 = Sigma when eps = 0
        for (int a = 0; a < 6; a++) {
            for (int b = 0; b < 6; b++) {
                assertEquals(cov[a][b], c2[a][b], 1e-4 * (1 + Math.abs(cov[a][b])), "C^2 vs covariance [" + a + "][" + b + "]");
            }
        }
    }
}
