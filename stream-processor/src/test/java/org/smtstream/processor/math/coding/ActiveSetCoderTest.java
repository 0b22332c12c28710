package org.smtstream.processor.math.coding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.SmtConfig.Solver;
import org.smtstream.processor.testing.CodingProblem;
import org.smtstream.processor.testing.LassoChecks;
import org.smtstream.processor.testing.TestArrays;

/**
 * The working-set solver on plain positive sparse coding (eq. 2.4), checked against the dense FISTA
 * of {@link SparseCoder} run long, on a 4x overcomplete problem whose codes are about 2 % active, so
 * that the working set is a small part of the dictionary. Checks in double from the float output.
 */
class ActiveSetCoderTest {

    private static final int N_DIM = 64;
    private static final int ATOMS = 256;
    private static final int BATCH = 16;
    private static final double LAMBDA = 0.1;
    /** FISTA to this many iterations is the optimum of the float problem to ~1e-7 relative. */
    private static final int LONG = 5000;
    /** |g_j + lambda| at an active atom after a solve to a relative gap of 1e-7 (measured ~1e-6). */
    private static final double KKT_TOL = 1e-4;

    private static CodingProblem randomProblem(long seed) {
        return CodingProblem.random(N_DIM, ATOMS, BATCH, seed);
    }

    private static INDArray zeros(int rows, int cols) {
        return CodingProblem.zeros(rows, cols);
    }

    private static SparseCodingResult fista(CodingProblem p, INDArray codes) {
        return new SparseCoder(LAMBDA, Solver.FISTA, LONG, 0.0).encode(p.dictionary(), p.xNd(), codes, false);
    }

    /** Phi^T (Phi A - X), in double. */
    private static double[][] gradient(CodingProblem p, double[][] a) {
        return TestArrays.multiply(TestArrays.transpose(p.phi()),
                TestArrays.subtract(TestArrays.multiply(p.phi(), a), p.x()));
    }

    @Test
    void shouldReachTheFistaOptimumAndItsOptimalityConditions() {
        CodingProblem p = randomProblem(21);
        INDArray reference = zeros(ATOMS, BATCH);
        double optimum = fista(p, reference).objective();
        INDArray codes = zeros(ATOMS, BATCH);
        SparseCodingResult result =
                new ActiveSetCoder(LAMBDA, LONG, 1e-7).encode(p.dictionary(), p.xNd(), codes, false);

        double[][] a = TestArrays.toDouble(codes);
        double direct = TestArrays.objective(p.phi(), p.x(), a, LAMBDA);
        assertEquals(optimum, direct, 1e-5 * optimum, "objective vs long FISTA");
        assertEquals(direct, result.objective(), 1e-5 * direct, "reported objective vs double recomputation");
        double[][] g = gradient(p, a);
        int active = 0;
        for (int j = 0; j < ATOMS; j++) {
            for (int b = 0; b < BATCH; b++) {
                assertTrue(a[j][b] >= 0, "negative code a[" + j + "][" + b + "]");
                if (a[j][b] > 0) {
                    active++;
                    assertEquals(-LAMBDA, g[j][b], KKT_TOL, "active atom " + j + " of patch " + b);
                } else {
                    assertTrue(g[j][b] >= -LAMBDA - KKT_TOL, "inactive atom " + j + " of patch " + b + ": gradient "
                            + g[j][b] + " below -lambda");
                }
            }
        }
        assertTrue(active > BATCH && active < ATOMS * BATCH / 10, "sparse, non-trivial solution: " + active);
        System.out.printf("active set vs FISTA: objective %.8g vs %.8g, %d iterations vs %d, gap %.2g%n", direct,
                optimum, result.iterations(), LONG, result.dualityGap());
    }

    @Test
    void shouldNeverLeaveOutAnAtomThatIsActiveAtTheOptimum() {
        for (long seed = 22; seed < 25; seed++) {
            CodingProblem p = randomProblem(seed);
            INDArray reference = zeros(ATOMS, BATCH);
            fista(p, reference);
            INDArray codes = zeros(ATOMS, BATCH);
            new ActiveSetCoder(LAMBDA, LONG, 1e-7).encode(p.dictionary(), p.xNd(), codes, false);
            LassoChecks.assertSameSupport(TestArrays.toDouble(reference), TestArrays.toDouble(codes), 1e-3,
                    "seed " + seed);
        }
    }

    /**
     * At a loose tolerance the solver stops early; the gap it reports must still bound its distance to
     * the optimum from above (a certificate) and be within the tolerance.
     */
    @Test
    void shouldReportADualityGapThatBoundsTheDistanceToTheOptimum() {
        CodingProblem p = randomProblem(25);
        double optimum = fista(p, zeros(ATOMS, BATCH)).objective();
        for (double tolerance : new double[] {1e-1, 1e-2, 1e-3}) {
            INDArray codes = zeros(ATOMS, BATCH);
            SparseCodingResult r = new ActiveSetCoder(LAMBDA, LONG, tolerance).encode(p.dictionary(), p.xNd(), codes,
                    false);
            double objective = TestArrays.objective(p.phi(), p.x(), TestArrays.toDouble(codes), LAMBDA);
            LassoChecks.assertCertificate(r, objective, optimum, tolerance, "tolerance " + tolerance);
            System.out.printf("tolerance %.0e: %d iterations, gap %.3g >= distance %.3g%n", tolerance, r.iterations(),
                    r.dualityGap(), objective - optimum);
        }
    }

    /**
     * Columns are independent problems: each one solved on its own (a working set of a few atoms, so
     * products go through the Gram blocks) matches its column of the batch solve (a working set larger
     * than n, so products go through the factor Phi).
     */
    @Test
    void shouldSolveEachColumnAsTheWholeBatchDoes() {
        CodingProblem p = randomProblem(28);
        ActiveSetCoder coder = new ActiveSetCoder(LAMBDA, LONG, 1e-6);
        INDArray batch = zeros(ATOMS, BATCH);
        coder.encode(p.dictionary(), p.xNd(), batch, false);
        for (int b = 0; b < BATCH; b += 5) {
            INDArray single = zeros(ATOMS, 1);
            coder.encode(p.dictionary(), p.xNd().getColumn(b).reshape(N_DIM, 1).dup('f'), single, false);
            double difference = single.sub(batch.getColumn(b).reshape(ATOMS, 1)).amaxNumber().doubleValue();
            assertTrue(difference < 1e-3, "column " + b + " alone differs from the batch by " + difference);
        }
    }

    @Test
    void shouldReturnAtOnceWhenWarmStartedFromTheOptimum() {
        CodingProblem p = randomProblem(26);
        ActiveSetCoder coder = new ActiveSetCoder(LAMBDA, LONG, 1e-5);
        INDArray codes = zeros(ATOMS, BATCH);
        coder.encode(p.dictionary(), p.xNd(), codes, false);
        INDArray solution = codes.dup('f');
        SparseCodingResult again = coder.encode(p.dictionary(), p.xNd(), codes, true);
        assertTrue(again.iterations() <= 1, "warm start from the optimum took " + again.iterations() + " iterations");
        assertEquals(0.0, solution.sub(codes).amaxNumber().doubleValue(), 1e-6, "codes moved");
    }

    @Test
    void shouldReturnZeroCodesWhenLambdaExceedsEveryCorrelation() {
        CodingProblem p = randomProblem(27);
        double maxCorrelation = 0;
        for (double[] row : TestArrays.multiply(TestArrays.transpose(p.phi()), p.x())) {
            for (double v : row) {
                maxCorrelation = Math.max(maxCorrelation, v);
            }
        }
        INDArray codes = Nd4j.rand(DataType.FLOAT, ATOMS, BATCH).dup('f');
        SparseCodingResult result = new ActiveSetCoder(maxCorrelation * 1.01, 500, 1e-6)
                .encode(p.dictionary(), p.xNd(), codes, true);
        assertEquals(0.0, codes.amaxNumber().doubleValue(), 0.0, "A = 0 even from a warm start");
        assertEquals(0.5 * TestArrays.squaredNorm(p.x()), result.objective(), 1e-5 * result.objective(),
                "objective at A = 0 is 1/2 ||X||^2");
        assertEquals(0.0, result.dualityGap(), 1e-5 * result.objective(), "A = 0 is optimal: no gap");
    }

    @Test
    void shouldRejectTheActiveSetSolverInTheFistaCoder() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparseCoder(0.1, Solver.ACTIVE_SET, 10, 1e-3));
        assertTrue(e.getMessage().contains("ActiveSetCoder"), e.getMessage());
    }
}
