package org.smtstream.processor.math.coding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.SmtConfig.Solver;
import org.smtstream.processor.testing.TestArrays;

/**
 * The generalized solver: SparseCoder on an explicit operator with per-row l1 weights,
 * min 1/2||Y - M C||^2 + lambda sum_jb w_j C_jb, C >= 0.
 */
class LassoOperatorTest {

    private static final int ROWS = 48;
    private static final int ATOMS = 96;
    private static final int BATCH = 12;
    private static final double LAMBDA = 0.1;

    private static INDArray zeros(int rows, int cols) {
        return Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, cols}, 'f').assign(0);
    }

    /** With M = Phi and no weights, solve is encode, bit for bit. */
    @Test
    void shouldReproduceEncodeExactlyWithoutWeights() {
        SplittableRandom random = new SplittableRandom(1);
        double[][] phi = TestArrays.normalizeColumns(TestArrays.gaussian(ROWS, ATOMS, random));
        double[][] x = TestArrays.gaussian(ROWS, BATCH, random);
        Dictionary dictionary = Dictionary.of(TestArrays.toNd4j(phi), 0);
        INDArray a = zeros(ATOMS, BATCH);
        INDArray c = zeros(ATOMS, BATCH);
        SparseCodingResult encoded = new SparseCoder(LAMBDA, Solver.FISTA, 300, 1e-5)
                .encode(dictionary, TestArrays.toNd4j(x), a, false);
        SparseCodingResult solved = new SparseCoder(LAMBDA, Solver.FISTA, 300, 1e-5)
                .solve(LassoOperator.of(TestArrays.toNd4j(phi), null), TestArrays.toNd4j(x), c, false);
        assertEquals(encoded.iterations(), solved.iterations(), "iterations");
        assertArrayEquals(a.data().asFloat(), c.data().asFloat(), "codes must be identical");
        assertEquals(encoded.objective(), solved.objective(), 0.0, "objective");
    }

    /**
     * KKT of the weighted positive lasso: g = M^T (Y - M C); g_j = lambda w_j where C_j &gt; 0 and
     * g_j &lt;= lambda w_j where C_j = 0. Weights span 0.3..3 so a wrong (unweighted) threshold fails.
     * Tolerance 1e-4 as in SparseCoderTest (float32, 4000 iterations).
     */
    @Test
    void shouldSatisfyTheKktConditionsOfTheWeightedProblem() {
        SplittableRandom random = new SplittableRandom(2);
        double[][] m = TestArrays.gaussian(ROWS, ATOMS, random);
        for (double[] row : m) {
            for (int j = 0; j < ATOMS; j++) {
                row[j] /= Math.sqrt(ROWS);
            }
        }
        double[] w = new double[ATOMS];
        for (int j = 0; j < ATOMS; j++) {
            w[j] = 0.3 + 2.7 * random.nextDouble();
        }
        double[][] truth = TestArrays.sparseCodes(ATOMS, BATCH, 5, 0.5, 2.0, random);
        double[][] y = TestArrays.addNoise(TestArrays.multiply(m, truth), 0.05, random);
        INDArray c = zeros(ATOMS, BATCH);
        LassoOperator op = LassoOperator.of(TestArrays.toNd4j(m), Nd4j.createFromArray(w).reshape(ATOMS, 1));
        SparseCodingResult result = new SparseCoder(LAMBDA, Solver.FISTA, 4000, 0.0)
                .solve(op, TestArrays.toNd4j(y), c, false);

        double[][] codes = TestArrays.toDouble(c);
        double[][] g = TestArrays.multiply(TestArrays.transpose(m),
                TestArrays.subtract(y, TestArrays.multiply(m, codes)));
        int active = 0;
        for (int j = 0; j < ATOMS; j++) {
            for (int b = 0; b < BATCH; b++) {
                assertTrue(codes[j][b] >= 0, "negative code");
                if (codes[j][b] > 0) {
                    active++;
                    assertEquals(LAMBDA * w[j], g[j][b], 1e-4,
                            "active atom " + j + " of column " + b + " (w = " + w[j] + ")");
                } else {
                    assertTrue(g[j][b] <= LAMBDA * w[j] + 1e-4, "inactive atom " + j + " of column " + b
                            + ": correlation " + g[j][b] + " above lambda w = " + LAMBDA * w[j]);
                }
            }
        }
        assertTrue(active >= BATCH, "non-trivial solution expected, " + active + " active");
        double l1 = 0;
        for (int j = 0; j < ATOMS; j++) {
            for (int b = 0; b < BATCH; b++) {
                l1 += w[j] * codes[j][b];
            }
        }
        double direct = 0.5 * TestArrays.squaredNorm(TestArrays.subtract(y, TestArrays.multiply(m, codes)))
                + LAMBDA * l1;
        assertEquals(direct, result.objective(), 1e-5 * direct, "reported weighted objective");
    }

    /**
     * The sparse-coding smooth part 1/2||X - Phi A||^2: SparseCoder.smoothGradient (the two GEMMs of the
     * solver) against central differences of SparseCoder.objective at a strictly positive A, where the
     * l1 term is linear (its derivative is exactly lambda). The objective is a quadratic, so central
     * differences have no truncation error; h = 0.25 keeps float32 round-off (objective ~1e2, relative
     * 1e-7) at ~1e-4 of the O(1) gradient entries. Tolerance 2e-3.
     */
    @Test
    void shouldMatchFiniteDifferencesOfTheSparseCodingObjective() {
        SplittableRandom random = new SplittableRandom(3);
        double[][] phi = TestArrays.normalizeColumns(TestArrays.gaussian(ROWS, ATOMS, random));
        double[][] x = TestArrays.gaussian(ROWS, 4, random);
        double[][] a = new double[ATOMS][4];
        for (double[] row : a) {
            for (int b = 0; b < 4; b++) {
                row[b] = 0.5 + random.nextDouble();
            }
        }
        INDArray phiNd = TestArrays.toNd4j(phi);
        INDArray xNd = TestArrays.toNd4j(x);
        INDArray aNd = TestArrays.toNd4j(a);
        SparseCoder coder = new SparseCoder(LAMBDA, Solver.FISTA, 10, 0);
        double[][] gradient = TestArrays.toDouble(SparseCoder.smoothGradient(phiNd, xNd, aNd, zeros(ATOMS, 4)));
        double h = 0.25;
        double worst = 0;
        for (int j = 0; j < ATOMS; j += 3) {
            for (int b = 0; b < 4; b++) {
                float keep = aNd.getFloat(j, b);
                aNd.putScalar(j, b, keep + h);
                double plus = coder.objective(phiNd, xNd, aNd);
                aNd.putScalar(j, b, keep - h);
                double minus = coder.objective(phiNd, xNd, aNd);
                aNd.putScalar(j, b, keep);
                double fd = (plus - minus) / (2 * h) - LAMBDA;
                worst = Math.max(worst, Math.abs(fd - gradient[j][b]));
                assertEquals(fd, gradient[j][b], 2e-3, "d/d a[" + j + "][" + b + "] of the smooth part");
            }
        }
        System.out.printf("sparse-coding gradient vs finite differences: max error %.2g%n", worst);
    }

    @Test
    void shouldRejectBadWeights() {
        INDArray m = zeros(4, 3).addi(1);
        assertThrows(IllegalArgumentException.class, () -> LassoOperator.of(m, Nd4j.createFromArray(1f, -1f, 1f)));
        assertThrows(IllegalArgumentException.class, () -> LassoOperator.of(m, Nd4j.createFromArray(1f, 1f)));
        assertThrows(IllegalArgumentException.class, () -> LassoOperator.of(zeros(4, 3), null).lipschitz());
    }
}
