package org.smtstream.processor.math.coding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.SmtConfig.Solver;
import org.smtstream.processor.testing.CodingProblem;
import org.smtstream.processor.testing.TestArrays;

/**
 * Optimality and known answers of positive sparse coding, min 1/2||X - Phi A||^2 + lambda sum(A),
 * A >= 0. The solver runs in float32; the checks are computed in double from its output.
 */
class SparseCoderTest {

    /** Patch dimension, atoms, batch of a small random problem (2x overcomplete). */
    private static final int N_DIM = 64;
    private static final int ATOMS = 128;
    private static final int BATCH = 16;
    private static final double LAMBDA = 0.1;
    /**
     * KKT tolerance on Phi^T(X - Phi A), whose entries are O(1): after 3000 float32 FISTA iterations
     * the active entries sit within ~1e-6 of lambda (measured over seeds 11-15), so 1e-4 leaves a
     * 100x margin for other BLAS kernels while still failing for a wrong step or prox.
     */
    private static final double KKT_TOL = 1e-4;

    private static CodingProblem randomProblem(long seed) {
        return CodingProblem.random(N_DIM, ATOMS, BATCH, seed);
    }

    private static INDArray zeros(int rows, int cols) {
        return CodingProblem.zeros(rows, cols);
    }

    @Test
    void shouldSatisfyKktConditionsOfPositiveLassoAtFistaSolution() {
        CodingProblem p = randomProblem(11);
        INDArray codes = zeros(ATOMS, BATCH);
        new SparseCoder(LAMBDA, Solver.FISTA, 3000, 0.0).encode(p.dictionary(), p.xNd(), codes, false);

        double[][] a = TestArrays.toDouble(codes);
        double[][] gradient = TestArrays.multiply(TestArrays.transpose(p.phi()),
                TestArrays.subtract(p.x(), TestArrays.multiply(p.phi(), a)));   // Phi^T (X - Phi A)
        int active = 0;
        for (int j = 0; j < ATOMS; j++) {
            for (int b = 0; b < BATCH; b++) {
                assertTrue(a[j][b] >= 0, "negative code a[" + j + "][" + b + "] = " + a[j][b]);
                if (a[j][b] > 0) {
                    active++;
                    assertEquals(LAMBDA, gradient[j][b], KKT_TOL, "active atom " + j + " of patch " + b
                            + " (a = " + a[j][b] + "): correlation with the residual must equal lambda");
                } else {
                    assertTrue(gradient[j][b] <= LAMBDA + KKT_TOL, "inactive atom " + j + " of patch " + b
                            + ": correlation " + gradient[j][b] + " exceeds lambda " + LAMBDA + " + " + KKT_TOL);
                }
            }
        }
        assertTrue(active > BATCH && active < ATOMS * BATCH / 2,
                "expected a sparse but non-trivial solution, got " + active + " active coefficients");
    }

    @Test
    void shouldReturnZeroCodesWhenLambdaExceedsEveryCorrelation() {
        CodingProblem p = randomProblem(12);
        double maxCorrelation = 0;
        double[][] correlations = TestArrays.multiply(TestArrays.transpose(p.phi()), p.x());
        for (double[] row : correlations) {
            for (double v : row) {
                maxCorrelation = Math.max(maxCorrelation, v);
            }
        }
        INDArray codes = Nd4j.rand(DataType.FLOAT, ATOMS, BATCH).dup('f');
        SparseCodingResult result = new SparseCoder(maxCorrelation * 1.01, Solver.FISTA, 500, 1e-6)
                .encode(p.dictionary(), p.xNd(), codes, true);

        assertEquals(0.0, codes.maxNumber().doubleValue(), 0.0,
                "lambda above max Phi^T X (" + maxCorrelation + ") must give A = 0 even from a warm start");
        assertEquals(0.5 * TestArrays.squaredNorm(p.x()), result.objective(), 1e-5 * result.objective(),
                "objective at A = 0 is 1/2 ||X||^2");
    }

    @Test
    void shouldReachTheSameObjectiveWithIstaAsWithFista() {
        CodingProblem p = randomProblem(13);
        double fista = solve(p, Solver.FISTA, 2000);
        double ista = solve(p, Solver.ISTA, 20000);

        // Both are within float32 precision (~1e-6 relative) of the same convex minimum.
        assertEquals(fista, ista, 1e-5 * fista, "FISTA (2000 iterations) vs ISTA (20000 iterations) objective");

        // The point of FISTA: at the same small budget its optimality gap is smaller.
        double fistaGap = solve(p, Solver.FISTA, 30) - fista;
        double istaGap = solve(p, Solver.ISTA, 30) - fista;
        assertTrue(fistaGap < 0.5 * istaGap, "after 30 iterations FISTA's gap " + fistaGap
                + " should be well below ISTA's " + istaGap);
    }

    private static double solve(CodingProblem p, Solver solver, int iterations) {
        return new SparseCoder(LAMBDA, solver, iterations, 0.0)
                .encode(p.dictionary(), p.xNd(), zeros(ATOMS, BATCH), false).objective();
    }

    @Test
    void shouldReportTheObjectiveOfTheReturnedCodes() {
        CodingProblem p = randomProblem(14);
        INDArray codes = zeros(ATOMS, BATCH);
        SparseCodingResult result = new SparseCoder(LAMBDA, Solver.FISTA, 60, 1e-3)
                .encode(p.dictionary(), p.xNd(), codes, false);

        assertSame(codes, result.codes(), "the result must hand back the caller's array");
        double direct = TestArrays.objective(p.phi(), p.x(), TestArrays.toDouble(codes), LAMBDA);
        assertEquals(direct, result.objective(), 1e-5 * direct,
                "reported objective vs recomputation in double");
        assertTrue(result.iterations() >= 1 && result.iterations() <= 60, "iterations " + result.iterations());
    }

    @Test
    void shouldDecreaseTheObjectiveWithMoreIterations() {
        CodingProblem p = randomProblem(15);
        double previous = Double.POSITIVE_INFINITY;
        for (int iterations : new int[] {1, 5, 25, 125, 625}) {
            INDArray codes = zeros(ATOMS, BATCH);
            double objective = new SparseCoder(LAMBDA, Solver.ISTA, iterations, 0.0)
                    .encode(p.dictionary(), p.xNd(), codes, false).objective();
            assertTrue(objective <= previous * (1 + 1e-6),
                    "ISTA is monotone: objective " + objective + " after " + iterations + " > " + previous);
            previous = objective;
        }
    }

    @Test
    void shouldConvergeImmediatelyWhenWarmStartedAtTheSolution() {
        CodingProblem p = randomProblem(16);
        INDArray codes = zeros(ATOMS, BATCH);
        SparseCoder coder = new SparseCoder(LAMBDA, Solver.FISTA, 3000, 1e-5);
        SparseCodingResult cold = coder.encode(p.dictionary(), p.xNd(), codes, false);
        SparseCodingResult warm = coder.encode(p.dictionary(), p.xNd(), codes, true);

        assertTrue(warm.iterations() <= 3, "warm start at the solution took " + warm.iterations()
                + " iterations (cold: " + cold.iterations() + ")");
        assertEquals(cold.objective(), warm.objective(), 1e-5 * cold.objective(), "objective must not move");
    }

    /**
     * Known answer: Phi = [I | H/sqrt(n)] (identity and normalized Hadamard, n = 64) has mutual
     * coherence mu = 1/8, so every code with k < (1 + 1/mu)/2 = 4.5 non-zeros is the unique sparsest
     * representation and l1 recovers it. With X = Phi a* exactly and a small lambda the positive lasso
     * returns a* up to a shrinkage bias of order lambda.
     */
    @Test
    void shouldRecoverAPlantedSparsePositiveCodeOnAnIncoherentDictionary() {
        int n = 64;
        int atoms = 2 * n;
        int k = 4;
        double lambda = 1e-3;
        double[][] hadamard = TestArrays.hadamard(n);
        double[][] phi = new double[n][atoms];
        for (int i = 0; i < n; i++) {
            phi[i][i] = 1;
            for (int j = 0; j < n; j++) {
                phi[i][n + j] = hadamard[i][j] / Math.sqrt(n);
            }
        }
        SplittableRandom random = new SplittableRandom(17);
        double[][] truth = TestArrays.sparseCodes(atoms, 32, k, 0.5, 1.5, random);
        double[][] x = TestArrays.multiply(phi, truth);

        INDArray codes = zeros(atoms, 32);
        new SparseCoder(lambda, Solver.FISTA, 5000, 1e-7).encode(Dictionary.of(TestArrays.toNd4j(phi), 0),
                TestArrays.toNd4j(x), codes, false);

        double[][] a = TestArrays.toDouble(codes);
        // bias per coefficient is lambda * ((Phi_S^T Phi_S)^-1 1)_j <= lambda / (1 - (k-1) mu) ~ 1.6 lambda
        double valueTol = 5 * lambda;
        for (int b = 0; b < 32; b++) {
            for (int j = 0; j < atoms; j++) {
                if (truth[j][b] > 0) {
                    assertEquals(truth[j][b], a[j][b], valueTol, "planted atom " + j + " of patch " + b);
                } else {
                    assertTrue(a[j][b] < valueTol, "atom " + j + " of patch " + b + " is not in the support but has "
                            + a[j][b]);
                }
            }
        }
    }

    @Test
    void shouldRejectShapesThatDoNotMatchTheDictionary() {
        CodingProblem p = randomProblem(18);
        SparseCoder coder = new SparseCoder(LAMBDA, Solver.FISTA, 10, 1e-3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> coder.encode(p.dictionary(), p.xNd(), zeros(ATOMS + 1, BATCH), false));
        assertTrue(e.getMessage().contains("codes"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> coder.encode(p.dictionary(), zeros(N_DIM - 1, BATCH), zeros(ATOMS, BATCH), false));
        assertThrows(IllegalArgumentException.class, () -> new SparseCoder(-1, Solver.FISTA, 10, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> new SparseCoder(0.1, Solver.FISTA, 0, 1e-3));
    }

    @Test
    void shouldCacheTheLipschitzConstantPerDictionaryVersion() {
        CodingProblem p = randomProblem(19);
        SparseCoder coder = new SparseCoder(LAMBDA, Solver.FISTA, 10, 1e-3);
        double first = coder.lipschitz(p.dictionary());
        p.dictionary().phi().muli(2);           // an in-place change without a version bump is not seen ...
        assertEquals(first, coder.lipschitz(p.dictionary()), 0.0, "cached per version");
        p.dictionary().advanceVersion();        // ... a new version is
        assertEquals(4 * first, coder.lipschitz(p.dictionary()), 1e-4 * first, "||2 Phi||^2 = 4 ||Phi||^2");
    }

    @Test
    void shouldStopOnTheRelativeChangeTolerance() {
        CodingProblem p = randomProblem(20);
        SparseCodingResult loose = new SparseCoder(LAMBDA, Solver.FISTA, 5000, 1e-2)
                .encode(p.dictionary(), p.xNd(), zeros(ATOMS, BATCH), false);
        SparseCodingResult tight = new SparseCoder(LAMBDA, Solver.FISTA, 5000, 1e-6)
                .encode(p.dictionary(), p.xNd(), zeros(ATOMS, BATCH), false);
        if (!(loose.iterations() < tight.iterations() && tight.iterations() < 5000)) {
            fail("tolerance 1e-2 took " + loose.iterations() + " iterations, 1e-6 took " + tight.iterations());
        }
        assertTrue(tight.objective() <= loose.objective() * (1 + 1e-6),
                "tighter tolerance must not end worse: " + tight.objective() + " vs " + loose.objective());
    }
}
