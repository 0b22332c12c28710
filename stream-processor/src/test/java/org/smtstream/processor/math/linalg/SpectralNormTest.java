package org.smtstream.processor.math.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smtstream.processor.math.coding.Dictionary;
import org.smtstream.processor.testing.TestArrays;

class SpectralNormTest {

    /**
     * Phi = U S V^T with U (n x n) and V (N x N) orthogonal Householder reflections and S = diag(s)
     * (n x N): its singular values are s, so ||Phi||_2^2 = max(s)^2 exactly. The gap s1/s2 = 5/4 makes
     * the power method converge like (4/5)^(2k).
     */
    @Test
    void shouldMatchTheLargestSquaredSingularValueOfAKnownMatrix() {
        int n = 48;
        int atoms = 96;
        SplittableRandom random = new SplittableRandom(3);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = 0.5 + 3.5 * random.nextDouble();    // in [0.5, 4)
        }
        s[17] = 5.0;
        double[][] sigma = new double[n][atoms];
        for (int i = 0; i < n; i++) {
            sigma[i][i] = s[i];
        }
        double[][] u = TestArrays.householder(TestArrays.gaussian(1, n, random)[0]);
        double[][] v = TestArrays.householder(TestArrays.gaussian(1, atoms, random)[0]);
        double[][] phi = TestArrays.multiply(TestArrays.multiply(u, sigma), TestArrays.transpose(v));

        double estimate = SpectralNorm.squared(TestArrays.toNd4j(phi), 500, 1e-9);

        assertEquals(25.0, estimate, 25.0 * 1e-5, "sigma_max^2 of U diag(s) V^T with max(s) = 5");
    }

    @Test
    void shouldEqualOneForAnOrthonormalDictionaryAndTwoForTwoStackedBases() {
        int n = 32;
        double[][] identity = new double[n][n];
        double[][] stacked = new double[n][2 * n];
        double[][] h = TestArrays.hadamard(n);
        for (int i = 0; i < n; i++) {
            identity[i][i] = 1;
            stacked[i][i] = 1;
            for (int j = 0; j < n; j++) {
                stacked[i][n + j] = h[i][j] / Math.sqrt(n);
            }
        }
        assertEquals(1.0, SpectralNorm.squared(TestArrays.toNd4j(identity), 100, 1e-9), 1e-5, "||I||^2");
        // [I | H] [I | H]^T = I + H H^T = 2 I
        assertEquals(2.0, SpectralNorm.squared(TestArrays.toNd4j(stacked), 100, 1e-9), 2e-5, "||[I | H]||^2");
    }

    @Test
    void shouldLeaveTheTopSingularVectorForAWarmStart() {
        Dictionary dictionary = Dictionary.random(64, 256, 5);
        INDArray v = SpectralNorm.startVector(256);
        double cold = SpectralNorm.squared(dictionary.phi(), v, 1000, 1e-9);
        double[] estimates = new double[3];
        for (int k = 0; k < 3; k++) {
            estimates[k] = SpectralNorm.squared(dictionary.phi(), v, 1, 0);   // one step from the converged v
        }
        for (double e : estimates) {
            assertEquals(cold, e, 1e-5 * cold, "one warm step reproduces the converged estimate");
        }
        assertTrue(cold > 1.0, "a random 4x overcomplete unit-norm dictionary has ||Phi||^2 > 1, got " + cold);
    }
}
