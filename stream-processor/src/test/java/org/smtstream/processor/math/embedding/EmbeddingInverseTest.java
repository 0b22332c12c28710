package org.smtstream.processor.math.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.SmtConfig.Solver;
import org.smtstream.processor.math.coding.Dictionary;
import org.smtstream.processor.math.coding.SparseCodingResult;
import org.smtstream.processor.testing.DenseReference;
import org.smtstream.processor.testing.LassoChecks;
import org.smtstream.processor.testing.TestArrays;

/**
 * The inverse g(beta) of eq. 3.1 (1/2 convention: min 1/2||beta - P a||^2 + lambda z^T a, a &gt;= 0,
 * z_j = ||p_j||), on a planted compressed-sensing problem: P Gaussian f x N with column norms spread
 * over 0.5..2 (so the weights z matter), N = 200, f = 40, k = 5 non-zeros (f = 8 k).
 */
class EmbeddingInverseTest {

    private static final int ATOMS = 200;
    private static final int DIM = 40;
    private static final int SPARSITY = 5;
    private static final int BATCH = 16;

    private record Planted(double[][] p, double[][] truth, double[][] beta, Embedding embedding) {
    }

    private static Planted planted(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] p = TestArrays.gaussian(DIM, ATOMS, random);
        for (int j = 0; j < ATOMS; j++) {
            double scale = (0.5 + 1.5 * random.nextDouble()) / Math.sqrt(DIM);
            for (int i = 0; i < DIM; i++) {
                p[i][j] *= scale;
            }
        }
        double[][] truth = TestArrays.sparseCodes(ATOMS, BATCH, SPARSITY, 0.5, 1.5, random);
        double[][] beta = TestArrays.multiply(p, truth);
        return new Planted(p, truth, beta, Embedding.of(TestArrays.toNd4j(p), 0));
    }

    private static INDArray zeros(int rows, int cols) {
        return Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, cols}, 'f').assign(0);
    }

    private static double[] columnNorms(double[][] p) {
        double[] z = new double[p[0].length];
        for (double[] row : p) {
            for (int j = 0; j < z.length; j++) {
                z[j] += row[j] * row[j];
            }
        }
        for (int j = 0; j < z.length; j++) {
            z[j] = Math.sqrt(z[j]);
        }
        return z;
    }

    /**
     * Support and values of the planted positive 5-sparse codes from beta = P alpha. With lambda =
     * 1e-4 the l1 bias is ~lambda (about 1e-4 on values in [0.5, 1.5]); tolerance 5e-3 on values and
     * off-support entries. Measured: max value error and max off-support value printed.
     */
    @Test
    void shouldRecoverAPlantedSparseCodeFromItsEmbedding() {
        Planted planted = planted(1);
        EmbeddingInverse inverse = new EmbeddingInverse(1e-4, Solver.FISTA, 20000, 1e-8);
        INDArray codes = zeros(ATOMS, BATCH);
        SparseCodingResult result =
                inverse.invert(planted.embedding(), TestArrays.toNd4j(planted.beta()), codes, false);
        double[][] a = TestArrays.toDouble(codes);
        double valueError = 0;
        double offSupport = 0;
        for (int b = 0; b < BATCH; b++) {
            for (int j = 0; j < ATOMS; j++) {
                if (planted.truth()[j][b] > 0) {
                    valueError = Math.max(valueError, Math.abs(planted.truth()[j][b] - a[j][b]));
                    assertEquals(planted.truth()[j][b], a[j][b], 5e-3, "planted atom " + j + " of column " + b);
                } else {
                    offSupport = Math.max(offSupport, a[j][b]);
                    assertTrue(a[j][b] < 5e-3,
                            "atom " + j + " of column " + b + " is off the support but has " + a[j][b]);
                }
            }
        }
        System.out.printf("g(beta) planted recovery (N=%d, f=%d, k=%d): max value error %.2g, max off-support %.2g, "
                + "%d iterations%n", ATOMS, DIM, SPARSITY, valueError, offSupport, result.iterations());
    }

    /**
     * KKT of eq. 3.1: g = P^T (beta - P a) equals lambda z_j where a_j &gt; 0 and is at most lambda z_j
     * where a_j = 0. A larger lambda (0.05) makes the penalty matter; tolerance 1e-4 (float32).
     */
    @Test
    void shouldSatisfyTheKktConditionsOfEq31() {
        Planted planted = planted(2);
        double lambda = 0.05;
        double[][] beta = TestArrays.addNoise(planted.beta(), 0.02, new SplittableRandom(9));
        EmbeddingInverse inverse = new EmbeddingInverse(lambda, Solver.FISTA, 5000, 0.0);
        INDArray codes = zeros(ATOMS, BATCH);
        SparseCodingResult result = inverse.invert(planted.embedding(), TestArrays.toNd4j(beta), codes, false);
        double[][] a = assertKkt(planted, beta, lambda, codes);
        double direct = objective(planted, beta, lambda, a);
        assertEquals(direct, result.objective(), 1e-5 * direct, "reported objective (c-space) = a-space objective");
        assertEquals(direct, inverse.objective(planted.embedding(), TestArrays.toNd4j(beta), codes), 1e-5 * direct,
                "objective()");
    }

    /**
     * The working-set solver on eq. 3.1 in quadratic form (H = P^T P, w = z): the KKT conditions above,
     * the objective of FISTA run long, the same support, a certifying duality gap, and the planted code.
     */
    @Test
    void theActiveSetSolverShouldReachTheFistaOptimumOfEq31() {
        Planted planted = planted(2);
        double lambda = 0.05;
        double[][] beta = TestArrays.addNoise(planted.beta(), 0.02, new SplittableRandom(9));
        INDArray reference = zeros(ATOMS, BATCH);
        double optimum = new EmbeddingInverse(lambda, Solver.FISTA, 5000, 0.0)
                .invert(planted.embedding(), TestArrays.toNd4j(beta), reference, false).objective();
        INDArray codes = zeros(ATOMS, BATCH);
        SparseCodingResult result = new EmbeddingInverse(lambda, Solver.ACTIVE_SET, 20000, 1e-7)
                .invert(planted.embedding(), TestArrays.toNd4j(beta), codes, false);
        double[][] a = assertKkt(planted, beta, lambda, codes);
        double direct = objective(planted, beta, lambda, a);
        assertEquals(optimum, direct, 1e-5 * optimum, "objective vs FISTA run long");
        assertEquals(direct, result.objective(), 1e-5 * direct, "reported objective vs double recomputation");
        LassoChecks.assertSameSupport(TestArrays.toDouble(reference), a, 1e-3, "eq. 3.1");
        for (double tolerance : new double[] {1e-1, 1e-2, 1e-3}) {
            INDArray loose = zeros(ATOMS, BATCH);
            SparseCodingResult r = new EmbeddingInverse(lambda, Solver.ACTIVE_SET, 20000, tolerance)
                    .invert(planted.embedding(), TestArrays.toNd4j(beta), loose, false);
            LassoChecks.assertCertificate(r, objective(planted, beta, lambda, TestArrays.toDouble(loose)), optimum,
                    tolerance, "eq. 3.1, tolerance " + tolerance);
        }
        INDArray recovered = zeros(ATOMS, BATCH);
        new EmbeddingInverse(1e-4, Solver.ACTIVE_SET, 20000, 1e-7).invert(planted.embedding(),
                TestArrays.toNd4j(planted.beta()), recovered, false);
        LassoChecks.assertSameSupport(planted.truth(), TestArrays.toDouble(recovered), 5e-3, "planted code");
        System.out.printf("eq. 3.1 active set: objective %.8g vs FISTA %.8g, %d iterations, gap %.2g%n", direct,
                optimum, result.iterations(), result.dualityGap());
    }

    /** Checks KKT of eq. 3.1 at {@code codes} and returns them in double. */
    private static double[][] assertKkt(Planted planted, double[][] beta, double lambda, INDArray codes) {
        double[] lambdas = new double[BATCH];
        Arrays.fill(lambdas, lambda);
        return assertKkt(planted, beta, lambdas, codes);
    }

    /** Checks KKT of eq. 3.1 with column b's own lambda_b at {@code codes} and returns them in double. */
    private static double[][] assertKkt(Planted planted, double[][] beta, double[] lambdas, INDArray codes) {
        double[][] a = TestArrays.toDouble(codes);
        double[] z = columnNorms(planted.p());
        double[][] g = TestArrays.multiply(TestArrays.transpose(planted.p()),
                TestArrays.subtract(beta, TestArrays.multiply(planted.p(), a)));
        int active = 0;
        for (int j = 0; j < ATOMS; j++) {
            for (int b = 0; b < BATCH; b++) {
                assertTrue(a[j][b] >= 0, "negative code");
                double lambda = lambdas[b];
                if (a[j][b] > 0) {
                    active++;
                    assertEquals(lambda * z[j], g[j][b], 1e-4,
                            "active atom " + j + " of column " + b + " (z = " + z[j] + ")");
                } else {
                    assertTrue(g[j][b] <= lambda * z[j] + 1e-4,
                            "inactive atom " + j + ": " + g[j][b] + " > lambda z = " + lambda * z[j]);
                }
            }
        }
        assertTrue(active >= BATCH, "non-trivial solution expected, " + active + " active");
        return a;
    }

    /** 1/2 ||beta - P a||^2 + lambda z^T a, in double. */
    private static double objective(Planted planted, double[][] beta, double lambda, double[][] a) {
        double[] z = columnNorms(planted.p());
        double l1 = 0;
        for (int j = 0; j < ATOMS; j++) {
            for (int b = 0; b < BATCH; b++) {
                l1 += z[j] * a[j][b];
            }
        }
        return 0.5 * TestArrays.squaredNorm(TestArrays.subtract(beta, TestArrays.multiply(planted.p(), a)))
                + lambda * l1;
    }

    /**
     * The smooth part's gradient as the solver computes it (through the rescaled operator P Z^-1)
     * against central differences of {@link EmbeddingInverse#objective} at a positive a, minus the
     * exactly linear l1 part lambda z_j. Quadratic: no truncation error; h = 0.25, tolerance 1e-3.
     */
    @Test
    void shouldMatchFiniteDifferencesOfTheInverseObjective() {
        Planted planted = planted(3);
        double lambda = 0.05;
        EmbeddingInverse inverse = new EmbeddingInverse(lambda, Solver.FISTA, 10, 0.0);
        SplittableRandom random = new SplittableRandom(4);
        double[][] a = new double[ATOMS][3];
        for (double[] row : a) {
            for (int b = 0; b < 3; b++) {
                row[b] = 0.5 + random.nextDouble();
            }
        }
        INDArray aNd = TestArrays.toNd4j(a);
        double[][] beta = new double[DIM][3];
        for (int i = 0; i < DIM; i++) {
            System.arraycopy(planted.beta()[i], 0, beta[i], 0, 3);
        }
        INDArray betaNd = TestArrays.toNd4j(beta);
        double[][] gradient =
                TestArrays.toDouble(inverse.smoothGradient(planted.embedding(), betaNd, aNd, zeros(ATOMS, 3)));
        double[] z = columnNorms(planted.p());
        double h = 0.25;
        double worst = 0;
        for (int j = 0; j < ATOMS; j += 5) {
            for (int b = 0; b < 3; b++) {
                float keep = aNd.getFloat(j, b);
                aNd.putScalar(j, b, keep + h);
                double plus = inverse.objective(planted.embedding(), betaNd, aNd);
                aNd.putScalar(j, b, keep - h);
                double minus = inverse.objective(planted.embedding(), betaNd, aNd);
                aNd.putScalar(j, b, keep);
                double fd = (plus - minus) / (2 * h) - lambda * z[j];
                worst = Math.max(worst, Math.abs(fd - gradient[j][b]));
                assertEquals(fd, gradient[j][b], 1e-3, "d/d a[" + j + "][" + b + "] of 1/2||beta - P a||^2");
            }
        }
        System.out.printf("g(beta) gradient vs finite differences: max error %.2g%n", worst);
    }

    /** x_rec = C Phi g(beta); an atom with p_j = 0 is invisible and gets a_j = 0. */
    @Test
    void shouldReconstructThroughTheUnwhiteningOperatorAndZeroInvisibleAtoms() {
        SplittableRandom random = new SplittableRandom(5);
        double[][] phi = TestArrays.normalizeColumns(TestArrays.gaussian(16, ATOMS, random));
        double[][] c = TestArrays.gaussian(16, 16, random);
        double[][] a = TestArrays.sparseCodes(ATOMS, 4, 3, 0.5, 1.0, random);
        INDArray out = zeros(16, 4);
        EmbeddingInverse.reconstruct(Dictionary.of(TestArrays.toNd4j(phi), 0), TestArrays.toNd4j(a),
                TestArrays.toNd4j(c), out);
        double[][] expected = TestArrays.multiply(c, TestArrays.multiply(phi, a));
        assertTrue(DenseReference.maxAbsDiff(expected, TestArrays.toDouble(out)) < 1e-4, "C Phi a");
        EmbeddingInverse.reconstruct(Dictionary.of(TestArrays.toNd4j(phi), 0), TestArrays.toNd4j(a), null, out);
        assertTrue(DenseReference.maxAbsDiff(TestArrays.multiply(phi, a), TestArrays.toDouble(out)) < 1e-4,
                "identity C");

        Planted planted = planted(6);
        double[][] p = planted.p();
        for (double[] row : p) {
            row[7] = 0;
        }
        INDArray codes = zeros(ATOMS, BATCH).addi(1);
        new EmbeddingInverse(0.01, Solver.FISTA, 100, 0).invert(Embedding.of(TestArrays.toNd4j(p), 0),
                TestArrays.toNd4j(planted.beta()), codes, true);
        assertEquals(0.0, codes.getRow(7).amaxNumber().doubleValue(), 0.0, "invisible atom 7");
        assertTrue(Double.isFinite(codes.sumNumber().doubleValue()), "finite codes");
    }

    /** lambda_max of every column computed in double: max_j (p_j^T beta_b / z_j)_+. */
    private static double[] lambdaMax(double[][] p, double[][] beta) {
        double[] z = columnNorms(p);
        double[][] correlations = TestArrays.multiply(TestArrays.transpose(p), beta);
        double[] max = new double[beta[0].length];
        for (int j = 0; j < z.length; j++) {
            for (int b = 0; b < max.length; b++) {
                max[b] = Math.max(max[b], correlations[j][b] / z[j]);
            }
        }
        return max;
    }

    /**
     * The scale-free inverse solves column b with lambda_b = c lambda_max(beta_b): it reports those
     * lambdas, and its codes satisfy the KKT conditions of eq. 3.1 at them, with either solver.
     */
    @Test
    void theRelativeInverseShouldSatisfyTheKktConditionsAtAFractionOfEachColumnsLambdaMax() {
        Planted planted = planted(7);
        double[][] beta = TestArrays.addNoise(planted.beta(), 0.02, new SplittableRandom(8));
        for (int b = 0; b < BATCH; b++) {             // columns of very different scale in one batch
            for (int i = 0; i < DIM; i++) {
                beta[i][b] *= Math.pow(10, b % 4 - 2);
            }
        }
        double fraction = 0.05;
        double[] expected = lambdaMax(planted.p(), beta);
        for (Solver solver : new Solver[] {Solver.FISTA, Solver.ACTIVE_SET}) {
            EmbeddingInverse inverse = EmbeddingInverse.relative(fraction, solver, 20000, 1e-9);
            double[] lambdas = inverse.lambdaPerColumn(planted.embedding(), TestArrays.toNd4j(beta));
            for (int b = 0; b < BATCH; b++) {
                assertEquals(fraction * expected[b], lambdas[b], 1e-5 * expected[b], "lambda of column " + b);
            }
            INDArray codes = zeros(ATOMS, BATCH);
            inverse.invert(planted.embedding(), TestArrays.toNd4j(beta), codes, false);
            // KKT scaled per column: the tolerance is relative to the column's scale
            double[][] normalized = new double[DIM][BATCH];
            INDArray scaledCodes = codes.dup('f');
            for (int b = 0; b < BATCH; b++) {
                for (int i = 0; i < DIM; i++) {
                    normalized[i][b] = beta[i][b] / expected[b];
                }
                scaledCodes.getColumn(b).divi(expected[b]);
            }
            double[] unit = new double[BATCH];
            Arrays.fill(unit, fraction);
            assertKkt(planted, normalized, unit, scaledCodes);
        }
    }

    /**
     * Scaling beta by k scales the relative inverse's lambda and solution by k and leaves the support
     * unchanged (a fixed lambda does not: the one that suits beta zeroes beta / 1000).
     */
    @Test
    void theRelativeInverseShouldScaleWithBeta() {
        Planted planted = planted(8);
        INDArray beta = TestArrays.toNd4j(planted.beta());
        EmbeddingInverse inverse = EmbeddingInverse.relative(0.05, Solver.ACTIVE_SET, 20000, 1e-9);
        INDArray reference = zeros(ATOMS, BATCH);
        inverse.invert(planted.embedding(), beta, reference, false);
        double[] lambdas = inverse.lambdaPerColumn(planted.embedding(), beta);
        for (double k : new double[] {1e-3, 7.5, 1e3}) {
            INDArray scaledBeta = beta.mul(k);
            double[] scaledLambdas = inverse.lambdaPerColumn(planted.embedding(), scaledBeta);
            for (int b = 0; b < BATCH; b++) {
                assertEquals(k * lambdas[b], scaledLambdas[b], 1e-5 * k * lambdas[b], "lambda of column " + b);
            }
            INDArray codes = zeros(ATOMS, BATCH);
            inverse.invert(planted.embedding(), scaledBeta, codes, false);
            LassoChecks.assertSameSupport(TestArrays.toDouble(reference), TestArrays.toDouble(codes.div(k)), 1e-3,
                    "k = " + k);
            assertTrue(DenseReference.maxAbsDiff(TestArrays.toDouble(reference), TestArrays.toDouble(codes.div(k)))
                    < 1e-3, "g(k beta) = k g(beta), k = " + k);
        }
        INDArray faint = zeros(ATOMS, BATCH);
        new EmbeddingInverse(Arrays.stream(lambdas).min().orElseThrow(), Solver.ACTIVE_SET, 20000, 1e-9)
                .invert(planted.embedding(), beta.mul(1e-3), faint, false);
        assertEquals(0.0, faint.amaxNumber().doubleValue(), 0.0,
                "the fixed lambda that suits beta zeroes all of beta / 1000");
    }

    /** At a fraction of 1 every solution is 0 (there the lasso's solution vanishes); a zero beta gives 0. */
    @Test
    void theRelativeInverseShouldVanishAtLambdaMaxAndOnAZeroBeta() {
        Planted planted = planted(9);
        INDArray beta = TestArrays.toNd4j(planted.beta());
        beta.getColumn(3).assign(0);
        INDArray codes = zeros(ATOMS, BATCH);
        EmbeddingInverse.relative(0.9, Solver.FISTA, 5000, 1e-9).invert(planted.embedding(), beta, codes, false);
        for (int b = 0; b < BATCH; b++) {
            double sum = codes.getColumn(b).sumNumber().doubleValue();
            assertTrue(b == 3 ? sum == 0 : sum > 0, "column " + b + " at 0.9 lambda_max: " + sum);
        }
        EmbeddingInverse.relative(1.0, Solver.ACTIVE_SET, 5000, 1e-9).invert(planted.embedding(), beta, codes, false);
        assertEquals(0.0, codes.amaxNumber().doubleValue(), 1e-6, "g = 0 at lambda_max");
    }
}
