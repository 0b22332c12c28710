package org.smtstream.processor.math.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.SmtConfig.Solver;
import org.smtstream.processor.math.coding.ActiveSetCoder;
import org.smtstream.processor.math.coding.Dictionary;
import org.smtstream.processor.math.coding.LassoOperator;
import org.smtstream.processor.math.coding.PatchCoder;
import org.smtstream.processor.math.coding.SparseCoder;
import org.smtstream.processor.math.coding.SparseCodingResult;
import org.smtstream.processor.testing.DenseReference;
import org.smtstream.processor.testing.LassoChecks;
import org.smtstream.processor.testing.TestArrays;

/**
 * Eq. 3.4 in the 1/2 convention, min 1/2||x - Phi a||^2 + lambda||a||_1 + gamma0/2 ||P(a - a~)||^2,
 * a &gt;= 0. P has the column-norm spread of an analytic embedding (log-uniform over 0.1..30, as
 * rarely used atoms get long columns, ARCHITECTURE.md, trap T22); a~ is a perturbed truth with some negative
 * entries, as 2 alpha_{t-1} - alpha_{t-2} has.
 */
class ManifoldInferenceTest {

    private static final int N_DIM = 32;
    private static final int ATOMS = 64;
    private static final int DIM = 8;
    private static final int BATCH = 10;
    private static final double LAMBDA = 0.1;

    private record Problem(double[][] phi, double[][] p, double[][] x, double[][] prediction,
                           Dictionary dictionary, Embedding embedding, INDArray xNd, INDArray predictionNd) {
    }

    private static Problem problem(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] phi = TestArrays.normalizeColumns(TestArrays.gaussian(N_DIM, ATOMS, random));
        double[][] p = TestArrays.gaussian(DIM, ATOMS, random);
        for (int j = 0; j < ATOMS; j++) {
            double scale = Math.exp(Math.log(0.1) + (Math.log(30) - Math.log(0.1)) * random.nextDouble())
                    / Math.sqrt(DIM);
            for (int i = 0; i < DIM; i++) {
                p[i][j] *= scale;
            }
        }
        double[][] truth = TestArrays.sparseCodes(ATOMS, BATCH, 5, 0.5, 1.5, random);
        double[][] x = TestArrays.addNoise(TestArrays.multiply(phi, truth), 0.1, random);
        double[][] prediction = TestArrays.addNoise(truth, 0.2, random);
        return new Problem(phi, p, x, prediction, Dictionary.of(TestArrays.toNd4j(phi), 0),
                Embedding.of(TestArrays.toNd4j(p), 0), TestArrays.toNd4j(x), TestArrays.toNd4j(prediction));
    }

    private static INDArray zeros(int rows, int cols) {
        return Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, cols}, 'f').assign(0);
    }

    /** gamma0 = 0 is eq. 2.4: identical codes, iterations and objective to SparseCoder, bit for bit. */
    @Test
    void shouldReproducePlainCodingExactlyWithGammaZero() {
        Problem pr = problem(1);
        assertGammaZeroIsPlainCoding(pr, Solver.FISTA, new SparseCoder(LAMBDA, Solver.FISTA, 200, 1e-5), 1e-5);

        INDArray cold = zeros(ATOMS, BATCH);
        new ManifoldInference(LAMBDA, 0.7, Solver.FISTA, 200, 1e-5)
                .infer(pr.dictionary(), pr.embedding(), pr.xNd(), null, cold);
        INDArray coldPlain = zeros(ATOMS, BATCH);
        new SparseCoder(LAMBDA, Solver.FISTA, 200, 1e-5).encode(pr.dictionary(), pr.xNd(), coldPlain, false);
        assertArrayEquals(coldPlain.data().asFloat(), cold.data().asFloat(), "no prediction: plain cold-start coding");
    }

    /** gamma0 = 0 with the working-set solver is its plain coding (eq. 2.4), bit for bit. */
    @Test
    void theActiveSetSolverWithGammaZeroShouldBePlainActiveSetCoding() {
        assertGammaZeroIsPlainCoding(problem(1), Solver.ACTIVE_SET, new ActiveSetCoder(LAMBDA, 200, 1e-4), 1e-4);
    }

    /** Eq. 3.4 with gamma0 = 0, warm-started from max(a~, 0), gives what {@code plain} gives from there. */
    private static void assertGammaZeroIsPlainCoding(Problem pr, Solver solver, PatchCoder plain, double tolerance) {
        INDArray manifold = zeros(ATOMS, BATCH);
        SparseCodingResult got = new ManifoldInference(LAMBDA, 0.0, solver, 200, tolerance)
                .infer(pr.dictionary(), pr.embedding(), pr.xNd(), pr.predictionNd(), manifold);
        INDArray codes = pr.predictionNd().dup('f');                // warm start max(a~, 0): the coder clips
        SparseCodingResult expected = plain.encode(pr.dictionary(), pr.xNd(), codes, true);
        assertArrayEquals(codes.data().asFloat(), manifold.data().asFloat(), "codes");
        assertEquals(expected.iterations(), got.iterations(), "iterations");
        assertEquals(expected.objective(), got.objective(), 0.0, "objective");
    }

    /**
     * KKT at the solution: the smooth gradient g = Phi^T(Phi a - x) + gamma0 P^T P (a - a~) satisfies
     * g_j = -lambda where a_j &gt; 0 and g_j &gt;= -lambda where a_j = 0. The solver works on c = d a,
     * where the condition reads g_j / d_j = -lambda / d_j, so float32 accuracy 1e-4 in c-space is
     * 1e-4 d_j in a-space (d_j up to ~30 here): tolerance 2e-4 max(1, d_j).
     */
    @Test
    void shouldSatisfyTheKktConditionsOfEq34() {
        Problem pr = problem(2);
        double gamma0 = 1.0;
        ManifoldInference inference = new ManifoldInference(LAMBDA, gamma0, Solver.FISTA, 5000, 0.0);
        INDArray codes = zeros(ATOMS, BATCH);
        SparseCodingResult result =
                inference.infer(pr.dictionary(), pr.embedding(), pr.xNd(), pr.predictionNd(), codes);
        double[][] a = assertKkt(pr, gamma0, codes, inference);
        double direct = objective(pr, a, gamma0);
        assertEquals(direct, result.objective(), 1e-5 * direct, "reported objective vs double recomputation");
        assertEquals(direct, inference.objective(pr.dictionary(), pr.embedding(), pr.xNd(), pr.predictionNd(), codes),
                1e-6 * direct, "objective()");
    }

    /**
     * The working-set solver on the same eq. 3.4, in quadratic form with H = Phi^T Phi + gamma0 P^T P:
     * the KKT conditions above, the objective of FISTA run long, the same support, and a duality gap
     * that certifies its distance to the optimum.
     */
    @Test
    void theActiveSetSolverShouldReachTheFistaOptimumOfEq34() {
        Problem pr = problem(2);
        double gamma0 = 1.0;
        INDArray reference = zeros(ATOMS, BATCH);
        double optimum = new ManifoldInference(LAMBDA, gamma0, Solver.FISTA, 5000, 0.0)
                .infer(pr.dictionary(), pr.embedding(), pr.xNd(), pr.predictionNd(), reference).objective();
        ManifoldInference inference = new ManifoldInference(LAMBDA, gamma0, Solver.ACTIVE_SET, 20000, 1e-7);
        INDArray codes = zeros(ATOMS, BATCH);
        SparseCodingResult result =
                inference.infer(pr.dictionary(), pr.embedding(), pr.xNd(), pr.predictionNd(), codes);
        double[][] a = assertKkt(pr, gamma0, codes, inference);
        double direct = objective(pr, a, gamma0);
        assertEquals(optimum, direct, 1e-5 * optimum, "objective vs FISTA run long");
        // the quadratic form adds ||y||^2 - 2 b^T a + a^T H a in float-rounded terms far larger than the
        // objective (the long columns of P make ||y||^2 about 50 times it here): 1e-4 relative
        assertEquals(direct, result.objective(), 1e-4 * direct, "reported objective vs double recomputation");
        LassoChecks.assertSameSupport(TestArrays.toDouble(reference), a, 1e-3, "eq. 3.4");
        for (double tolerance : new double[] {1e-1, 1e-2, 1e-3}) {
            INDArray loose = zeros(ATOMS, BATCH);
            SparseCodingResult r = new ManifoldInference(LAMBDA, gamma0, Solver.ACTIVE_SET, 20000, tolerance)
                    .infer(pr.dictionary(), pr.embedding(), pr.xNd(), pr.predictionNd(), loose);
            LassoChecks.assertCertificate(r, objective(pr, TestArrays.toDouble(loose), gamma0), optimum, tolerance,
                    "eq. 3.4, tolerance " + tolerance);
        }
        System.out.printf("eq. 3.4 active set: objective %.8g vs FISTA %.8g, %d iterations, gap %.2g%n", direct,
                optimum,
                result.iterations(), result.dualityGap());
    }

    /**
     * Started from its own solution, the working-set solver finds the gap closed at once, but for a
     * column whose gap lands within rounding of the tolerance: it may take one sweep, which moves its
     * codes a little. Tolerance 1e-2: in float the gap of this problem bottoms out between 2e-4 and
     * 1.5e-3 of the objective (the stacked target ||x||^2 + gamma0 ||P a~||^2 is about 50 times the
     * objective), and the gradient's rounding depends on how many columns its product takes, so a
     * certified gap can read about 1 % higher when the whole batch is multiplied again.
     */
    @Test
    void theActiveSetSolverShouldReturnAtOnceFromTheOptimum() {
        Problem pr = problem(7);
        ManifoldInference inference = new ManifoldInference(LAMBDA, 1.0, Solver.ACTIVE_SET, 5000, 1e-2);
        INDArray codes = zeros(ATOMS, BATCH);
        inference.infer(pr.dictionary(), pr.embedding(), pr.xNd(), pr.predictionNd(), codes);
        INDArray solution = codes.dup('f');
        SparseCodingResult again = inference.solve(pr.dictionary(), pr.embedding(), pr.xNd(), pr.predictionNd(), codes,
                true);
        assertTrue(again.iterations() <= 1, "warm start from the optimum took " + again.iterations() + " iterations");
        // one sweep from a point within rounding of the tolerance moves codes by far less than the solution
        assertEquals(0.0, solution.sub(codes).amaxNumber().doubleValue(),
                1e-4 * solution.amaxNumber().doubleValue(), "codes moved");
    }

    /**
     * KKT at the solution: the smooth gradient g = Phi^T(Phi a - x) + gamma0 P^T P (a - a~) satisfies
     * g_j = -lambda where a_j &gt; 0 and g_j &gt;= -lambda where a_j = 0. The solvers work on c = d a,
     * where the condition reads g_j / d_j = -lambda / d_j, so float32 accuracy 1e-4 in c-space is
     * 1e-4 d_j in a-space (d_j up to ~30 here): tolerance 2e-4 max(1, d_j).
     *
     * @return the codes, in double
     */
    private static double[][] assertKkt(Problem pr, double gamma0, INDArray codes, ManifoldInference inference) {
        double[][] a = TestArrays.toDouble(codes);
        double[][] g = gradient(pr, a, gamma0);
        double[] d = DenseReference.column(TestArrays.toDouble(inference.scaling(pr.dictionary(), pr.embedding())), 0);
        int active = 0;
        double worst = 0;
        for (int j = 0; j < ATOMS; j++) {
            double tol = 2e-4 * Math.max(1, d[j]);
            for (int b = 0; b < BATCH; b++) {
                assertTrue(a[j][b] >= 0, "negative code");
                if (a[j][b] > 0) {
                    active++;
                    worst = Math.max(worst, Math.abs(g[j][b] + LAMBDA) / Math.max(1, d[j]));
                    assertEquals(-LAMBDA, g[j][b], tol, "active atom " + j + " of column " + b + " (d = " + d[j] + ")");
                } else {
                    assertTrue(g[j][b] >= -LAMBDA - tol, "inactive atom " + j + " of column " + b + ": gradient "
                            + g[j][b] + " below -lambda (d = " + d[j] + ")");
                }
            }
        }
        assertTrue(active >= BATCH, "non-trivial solution expected, " + active + " active");
        System.out.printf("eq. 3.4 KKT: %d active, max |g + lambda| / max(1, d_j) = %.2g%n", active, worst);
        return a;
    }

    private static double[][] gradient(Problem pr, double[][] a, double gamma0) {
        double[][] g = TestArrays.multiply(TestArrays.transpose(pr.phi()),
                TestArrays.subtract(TestArrays.multiply(pr.phi(), a), pr.x()));
        double[][] m = TestArrays.multiply(TestArrays.transpose(pr.p()),
                TestArrays.multiply(pr.p(), TestArrays.subtract(a, pr.prediction())));
        for (int j = 0; j < ATOMS; j++) {
            for (int b = 0; b < a[0].length; b++) {
                g[j][b] += gamma0 * m[j][b];
            }
        }
        return g;
    }

    private static double objective(Problem pr, double[][] a, double gamma0) {
        return 0.5 * TestArrays.squaredNorm(TestArrays.subtract(pr.x(), TestArrays.multiply(pr.phi(), a)))
                + LAMBDA * TestArrays.sum(a)
                + 0.5 * gamma0 * TestArrays.squaredNorm(
                        TestArrays.multiply(pr.p(), TestArrays.subtract(a, pr.prediction())));
    }

    /**
     * The smooth gradient as the solver computes it (d * M^T (M c - y) at c = d a) against central
     * differences of {@link ManifoldInference#objective} at a positive a, minus the exactly linear
     * l1 part; and against the closed form in double. The objective is quadratic; h = 0.05 (the
     * gamma0/2 ||P.||^2 term has curvature up to ~1e3 here), tolerance 2e-3 relative to the entry's
     * scale.
     */
    @Test
    void shouldMatchFiniteDifferencesOfEq34() {
        Problem pr = problem(3);
        double gamma0 = 0.5;
        ManifoldInference inference = new ManifoldInference(LAMBDA, gamma0, Solver.FISTA, 10, 0.0);
        SplittableRandom random = new SplittableRandom(4);
        double[][] a = new double[ATOMS][BATCH];
        for (double[] row : a) {
            for (int b = 0; b < BATCH; b++) {
                row[b] = 0.5 + random.nextDouble();
            }
        }
        INDArray aNd = TestArrays.toNd4j(a);
        double[][] got = TestArrays.toDouble(inference.smoothGradient(pr.dictionary(), pr.embedding(), pr.xNd(),
                pr.predictionNd(), aNd, zeros(ATOMS, BATCH)));
        double[][] closed = gradient(pr, TestArrays.toDouble(aNd), gamma0);
        double scale = DenseReference.maxAbs(closed);
        assertTrue(DenseReference.maxAbsDiff(got, closed) < 1e-5 * scale,
                "gradient vs closed form: " + DenseReference.maxAbsDiff(got, closed) + " at scale " + scale);
        double h = 0.05;
        double worst = 0;
        for (int j = 0; j < ATOMS; j += 3) {
            for (int b = 0; b < BATCH; b += 3) {
                float keep = aNd.getFloat(j, b);
                aNd.putScalar(j, b, keep + h);
                double plus = inference.objective(pr.dictionary(), pr.embedding(), pr.xNd(), pr.predictionNd(), aNd);
                aNd.putScalar(j, b, keep - h);
                double minus = inference.objective(pr.dictionary(), pr.embedding(), pr.xNd(), pr.predictionNd(), aNd);
                aNd.putScalar(j, b, keep);
                double fd = (plus - minus) / (2 * h) - LAMBDA;
                worst = Math.max(worst, Math.abs(fd - got[j][b]) / Math.max(1, Math.abs(got[j][b])));
                assertEquals(fd, got[j][b], 2e-3 * Math.max(1, Math.abs(got[j][b])), "d/d a[" + j + "][" + b + "]");
            }
        }
        System.out.printf("eq. 3.4 gradient vs finite differences: max relative error %.2g%n", worst);
    }

    /**
     * ARCHITECTURE.md, trap T22: on the same problem and the same budget (150 iterations from max(a~, 0)), the
     * per-atom preconditioned solve ends far closer to the optimum than FISTA on the unscaled
     * stacked operator [Phi; sqrt(gamma0) P], whose step is set by the longest columns of P.
     * Measured gaps: 0.040 vs 0.50 (optimum 12.51), a factor 12.6. The remaining gap is the
     * conditioning no diagonal scaling removes (the long columns share the f = 8 rows of P).
     * Asserted: at least a factor 5.
     */
    @Test
    void shouldConvergeFarFasterThanUnpreconditionedFista() {
        Problem pr = problem(5);
        double gamma0 = 1.0;
        SparseCodingResult optimum = new ManifoldInference(LAMBDA, gamma0, Solver.FISTA, 5000, 0.0)
                .infer(pr.dictionary(), pr.embedding(), pr.xNd(), pr.predictionNd(), zeros(ATOMS, BATCH));
        SparseCodingResult preconditioned = new ManifoldInference(LAMBDA, gamma0, Solver.FISTA, 150, 0.0)
                .infer(pr.dictionary(), pr.embedding(), pr.xNd(), pr.predictionNd(), zeros(ATOMS, BATCH));

        double[][] stacked = new double[N_DIM + DIM][];
        double[][] target = new double[N_DIM + DIM][];
        double[][] pa = TestArrays.multiply(pr.p(), pr.prediction());
        for (int i = 0; i < N_DIM; i++) {
            stacked[i] = pr.phi()[i].clone();
            target[i] = pr.x()[i].clone();
        }
        for (int i = 0; i < DIM; i++) {
            stacked[N_DIM + i] = pr.p()[i].clone();
            target[N_DIM + i] = pa[i].clone();
            for (int j = 0; j < ATOMS; j++) {
                stacked[N_DIM + i][j] *= Math.sqrt(gamma0);
            }
            for (int b = 0; b < BATCH; b++) {
                target[N_DIM + i][b] *= Math.sqrt(gamma0);
            }
        }
        INDArray plain = pr.predictionNd().dup('f');
        SparseCodingResult unscaled = new SparseCoder(LAMBDA, Solver.FISTA, 150, 0.0)
                .solve(LassoOperator.of(TestArrays.toNd4j(stacked), null), TestArrays.toNd4j(target), plain, true);
        double gapPreconditioned = preconditioned.objective() - optimum.objective();
        double gapPlain = unscaled.objective() - optimum.objective();
        System.out.printf("eq. 3.4 after 150 iterations: objective gap preconditioned %.3g, unpreconditioned %.3g "
                + "(optimum %.6g)%n", gapPreconditioned, gapPlain, optimum.objective());
        assertTrue(gapPlain > 0, "the unpreconditioned run cannot beat the optimum: gap " + gapPlain);
        assertTrue(gapPreconditioned < 0.2 * gapPlain, "preconditioned gap " + gapPreconditioned
                + " should be far below the unpreconditioned " + gapPlain);
    }

    /**
     * Known answer: if a~ is the plain-coding solution itself, the manifold term and its gradient vanish
     * there, so it also solves eq. 3.4; started from it, the solver stays.
     */
    @Test
    void shouldKeepThePlainSolutionWhenThePredictionIsIt() {
        Problem pr = problem(6);
        INDArray plain = zeros(ATOMS, BATCH);
        new SparseCoder(LAMBDA, Solver.FISTA, 5000, 0.0).encode(pr.dictionary(), pr.xNd(), plain, false);
        INDArray codes = zeros(ATOMS, BATCH);
        SparseCodingResult result = new ManifoldInference(LAMBDA, 1.0, Solver.FISTA, 500, 1e-6)
                .infer(pr.dictionary(), pr.embedding(), pr.xNd(), plain, codes);
        double change = DenseReference.maxAbsDiff(TestArrays.toDouble(plain), TestArrays.toDouble(codes));
        assertTrue(change < 1e-4,
                "moved away from a fixed point by " + change + " in " + result.iterations() + " iterations");
    }
}
