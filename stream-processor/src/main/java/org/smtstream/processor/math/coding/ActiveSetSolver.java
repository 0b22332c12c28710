package org.smtstream.processor.math.coding;

import static org.smtstream.processor.math.linalg.Shapes.requireShape;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.smtstream.processor.math.linalg.Blas1;
import org.smtstream.processor.math.linalg.Nd4jRuntime;
import org.smtstream.processor.math.linalg.Scratch;

/**
 * A working-set solver of the batched positive weighted lasso in quadratic form ({@link GramLasso}),
 * per column b of a batch:
 * <pre>
 *   min_a  1/2 a^T H a - b^T a + lambda w^T a   subject to a &gt;= 0
 * </pre>
 * Codes of whitened patches are a few percent active, so most of a dense iteration multiplies zeros
 * for any one patch. This solver works on a working set W of atoms, the same for the whole batch:
 * <ol>
 *   <li>W starts as the support of the warm start (the previous frame's code of the same location).</li>
 *   <li>Check: the full gradient g = H a - b of all N atoms in one product, H[:, W] A_W - B (the other
 *       rows of A are 0), and from it the duality gap of every column. Stop when the batch's gap,
 *       relative to its objective, is at most the tolerance.</li>
 *   <li>Otherwise add the atoms that violate the optimality conditions (a_j = 0 with
 *       g_j &lt; -lambda w_j) in any column.</li>
 *   <li>Iterate on the subproblem over W ({@link WorkingSet}): FISTA with momentum restart, as
 *       {@link SparseCoder}, each step one product with the block H_WW, for at most
 *       {@value #CHECK_INTERVAL} iterations; then check again.</li>
 * </ol>
 * Everything runs in the Jacobi-scaled variables of {@link GramLasso} (c = d a), where one step
 * 1/lambda_max(H~) fits every atom. The working set only grows within a solve, and the momentum
 * carries over when it does; the atoms that join start at 0.
 *
 * <p><b>Duality gap.</b> For H = M^T M and b = M^T y (neither y nor the residual is formed), the
 * residual r = y - M a has M^T r = -g, and theta = s r is dual feasible for every
 * s &lt;= min over g_j &lt; 0 of lambda w_j / -g_j. With ||r||^2 = ||y||^2 - b^T a + a^T g,
 * <pre>
 *   primal P = 1/2 ||r||^2 + lambda w^T a,   dual D = s (||y||^2 - b^T a) - s^2/2 ||r||^2,   gap = P - D &gt;= P - P*
 * </pre>
 * with s the feasible scale that maximizes D, so the gap bounds the distance to the optimum from above:
 * a certificate of the returned codes on their own (a solve started from them finds the same gap). Callers pass ||y||^2 per
 * column, the one quantity the quadratic form does not carry. The per-column reductions are summed in
 * double (ARCHITECTURE.md, trap T5), and the certificate's arithmetic on those B numbers is plain Java: an ND4J op
 * per step would cost more than the arithmetic. The gap of a rescaled residual is a loose bound, larger
 * than P - P* by one to two orders of magnitude on learned dictionaries, so a tolerance on it stops
 * well after the objective has converged to that tolerance.
 *
 * <p>A cap on the total inner iterations stays as a safety net; the result reports the iterations,
 * the objective and the gap of the returned codes.
 *
 * <p>Not thread-safe: one solver per thread (ARCHITECTURE.md, trap T2).
 */
public final class ActiveSetSolver {

    /** Inner iterations between two checks of the full gradient (a check costs about one iteration). */
    static final int CHECK_INTERVAL = 15;
    /** Violators a column's working set may take in one round even when few of its atoms are active. */
    private static final int MIN_GROWTH = 16;
    private static final String WORKSPACE = "smt-active-set";

    private final double lambda;
    private final int maxIterations;
    private final double tolerance;

    private int batch = -1;
    private INDArray scaledLinear;   // b~ = b / d, N x B
    private INDArray scaledCodes;    // c = d a, N x B
    private INDArray scaledPoint;    // FISTA's extrapolated point, carried from one round of working sets to the next
    private INDArray gradient;       // g~ = H~ c - b~, N x B
    private INDArray ratio;          // g~_jb d_j / w_j = g_jb / w_j, N x B: the dual scaling and the violators

    /**
     * @param lambda        l1 weight, &gt;= 0
     * @param maxIterations cap on the inner iterations of one solve, &gt;= 1
     * @param tolerance     duality gap of the batch relative to its objective at which to stop, &gt;= 0
     *                      (0 = run to the cap)
     */
    public ActiveSetSolver(double lambda, int maxIterations, double tolerance) {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("Invalid lambda: " + lambda);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("Invalid max iterations: " + maxIterations);
        }
        if (!(tolerance >= 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("Invalid tolerance: " + tolerance);
        }
        this.lambda = lambda;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        Nd4jRuntime.useFloatByDefault();
    }

    /**
     * Solves a batch.
     *
     * @param problem      H and w, scaled ({@link GramLasso})
     * @param linear       b = M^T y, N x B FLOAT; not modified
     * @param targetEnergy ||y||^2 of every column, B values (the constant of the objective)
     * @param codes        N x B FLOAT; read as the warm start when {@code warmStart} (clipped at 0; its
     *                     support is the first working set), then overwritten with the solution
     * @param warmStart    start from {@code codes} instead of 0
     * @return the solution (the caller's {@code codes}), inner iterations used, the objective
     *         1/2 ||y - M a||^2 + lambda w^T a summed over the batch, and the batch's duality gap
     */
    public SparseCodingResult solve(GramLasso problem, INDArray linear, double[] targetEnergy, INDArray codes,
                                    boolean warmStart) {
        int size = problem.size();
        requireShape("b", linear, size, codes.columns());
        requireShape("codes", codes, size, linear.columns());
        if (targetEnergy.length != codes.columns()) {
            throw new IllegalArgumentException(targetEnergy.length + " target energies for " + codes.columns()
                    + " columns");
        }
        ensureBuffers(size, codes.columns());
        scaledLinear.assign(linear).muliColumnVector(problem.inverseScaling());
        if (warmStart) {
            scaledCodes.assign(codes);
            Transforms.relu(scaledCodes, false);
            scaledCodes.muliColumnVector(problem.scaling());
        } else {
            scaledCodes.assign(0);
        }
        try (MemoryWorkspace ws = Scratch.open(WORKSPACE)) {
            Outcome outcome = iterate(problem, targetEnergy);
            codes.assign(scaledCodes).muliColumnVector(problem.inverseScaling());
            return new SparseCodingResult(codes, outcome.iterations(), outcome.check().primal(), outcome.check().gap());
        }
    }

    /** Checks and iterates until the gap or the cap stops it; leaves the solution in scaledCodes. */
    private Outcome iterate(GramLasso problem, double[] targetEnergy) {
        int iterations = 0;
        double momentum = 1;
        boolean carried = false;
        while (true) {
            Check check = check(problem, targetEnergy);
            if (check.gap() <= tolerance * check.primal() || iterations >= maxIterations) {
                return new Outcome(check, iterations);
            }
            int[][] sets = workingSets(problem.size());
            if (Arrays.stream(sets).allMatch(set -> set.length == 0)) {
                return new Outcome(check, iterations);   // nothing violates at 0: 0 is optimal, the gap is rounding
            }
            ColumnWorkingSets working = new ColumnWorkingSets(problem, sets, lambda, scaledLinear, scaledCodes,
                    carried ? scaledPoint : null, momentum);
            iterations += working.iterate(Math.min(CHECK_INTERVAL, maxIterations - iterations));
            working.scatterInto(scaledCodes, scaledPoint);
            momentum = working.momentum();
            carried = true;
        }
    }

    /**
     * The full gradient g~ = H~ c - b~ of the current codes, through whichever of H~ and M~ multiplies
     * an N x B matrix more cheaply, and from it the per-column duality gap of the class comment,
     * summed; leaves g_jb / w_j in {@link #ratio}.
     */
    private Check check(GramLasso problem, double[] targetEnergy) {
        int columns = targetEnergy.length;
        Blas1.copy(scaledLinear, gradient);
        if (problem.size() <= 2 * problem.rows()) {
            Nd4j.gemm(problem.gram(), scaledCodes, gradient, false, false, 1.0, -1.0);
        } else {
            INDArray projection = Nd4j.createUninitialized(DataType.FLOAT, new long[] {problem.rows(), columns}, 'f');
            Nd4j.gemm(problem.factor(), scaledCodes, projection, false, false, 1.0, 0.0);
            Nd4j.gemm(problem.factor(), projection, gradient, true, false, 1.0, -1.0);
        }
        double[] linearTerm = columnDots(scaledLinear, scaledCodes);                  // b^T a = b~^T c
        double[] curvature = columnDots(gradient, scaledCodes);                      // a^T g = c^T g~
        double[] l1 = problem.scaledWeights().transpose().mmul(scaledCodes)          // w^T a = w~^T c
                .castTo(DataType.DOUBLE).toDoubleVector();
        Blas1.copy(gradient, ratio);
        ratio.muliColumnVector(problem.reciprocalWeights());
        double[] mostNegative = ratio.min(0).toDoubleVector();
        double primal = 0;
        double dual = 0;
        for (int b = 0; b < columns; b++) {
            double residual = targetEnergy[b] - linearTerm[b] + curvature[b];         // ||r||^2
            primal += 0.5 * residual + lambda * l1[b];
            dual += dual(targetEnergy[b] - linearTerm[b], residual, -mostNegative[b]);
        }
        return new Check(primal, primal - dual);
    }

    /** Sum over the rows of x .* y per column, in double: B values. */
    private static double[] columnDots(INDArray x, INDArray y) {
        return x.castTo(DataType.DOUBLE).muli(y.castTo(DataType.DOUBLE)).sum(0).toDoubleVector();
    }

    /**
     * The dual objective D(s r) = s r^T y - s^2/2 ||r||^2 at the best feasible scale: its maximizer
     * r^T y / ||r||^2 (above 1 near the optimum, where r^T y = ||r||^2 + lambda w^T a), capped where
     * theta = s r meets the constraint of the most violating atom, s max_j (-g_j / w_j) &lt;= lambda.
     *
     * @param correlation r^T y = ||y||^2 - b^T a
     * @param residual    ||r||^2
     * @param worst       max_j -g_j / w_j
     */
    private double dual(double correlation, double residual, double worst) {
        if (!(residual > 0)) {
            return 0;                                   // r = 0 (to rounding): theta = 0, always feasible
        }
        double s = Math.max(0, correlation / residual);
        if (worst > 0) {
            s = Math.min(s, lambda / worst);
        }
        return s * correlation - 0.5 * s * s * residual;
    }

    /**
     * Every column's working set: the atoms active in it, and of the atoms that violate the optimality
     * conditions there (g_jb / w_j &lt; -lambda, read from {@link #ratio} of the last check) the
     * strongest, at most as many as are active and at least {@value #MIN_GROWTH}: the set at most
     * doubles per round, so a cold start (every atom of a patch may violate at 0) grows it in a few
     * rounds instead of making it N wide. Atoms that went to 0 and no longer violate leave it. Only the
     * non-zeros and the violators are visited.
     */
    private int[][] workingSets(int size) {
        long[] active = positions(scaledCodes.gt(0.0));
        long[] violating = positions(ratio.lt(-lambda));
        float[] ratios = ratio.data().asFloat();
        Integer[] order = new Integer[violating.length];
        int[] activeCount = new int[batch];
        for (long key : active) {
            activeCount[(int) (key / size)]++;
        }
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (x, y) -> Float.compare(ratios[(int) violating[x]], ratios[(int) violating[y]]));
        int[] added = new int[batch];
        long[] keys = Arrays.copyOf(active, active.length + violating.length);
        int used = active.length;
        for (int k : order) {
            int b = (int) (violating[k] / size);
            if (added[b] < Math.max(MIN_GROWTH, activeCount[b])) {
                added[b]++;
                keys[used++] = violating[k];
            }
        }
        keys = Arrays.copyOf(keys, used);
        Arrays.sort(keys);
        return split(keys, size);
    }

    /** Ascending keys b N + j, duplicates allowed, as one ascending set of j per column b. */
    private int[][] split(long[] keys, int size) {
        int[] counts = new int[batch];
        long last = -1;
        for (long key : keys) {
            if (key != last) {
                counts[(int) (key / size)]++;
                last = key;
            }
        }
        int[][] sets = new int[batch][];
        for (int b = 0; b < batch; b++) {
            sets[b] = new int[counts[b]];
        }
        int[] filled = new int[batch];
        last = -1;
        for (long key : keys) {
            if (key != last) {
                int b = (int) (key / size);
                sets[b][filled[b]++] = (int) (key % size);
                last = key;
            }
        }
        return sets;
    }

    /**
     * b N + j for every true entry (j, b) of an N x B condition: its positions in column-major order
     * (ND4J's where() misreads the rows of a column-major matrix, so it gets the flattened vector).
     */
    private static long[] positions(INDArray condition) {
        INDArray[] where = Nd4j.where(condition.dup('f').reshape('f', new long[] {condition.length()}), null, null);
        return where.length == 0 || where[0].isEmpty() ? new long[0] : where[0].toLongVector();
    }

    private void ensureBuffers(int size, int batchSize) {
        if (batchSize == batch && scaledLinear.rows() == size) {
            return;
        }
        scaledLinear = Scratch.buffer(size, batchSize);
        scaledCodes = Scratch.buffer(size, batchSize);
        scaledPoint = Scratch.buffer(size, batchSize);
        gradient = Scratch.buffer(size, batchSize);
        ratio = Scratch.buffer(size, batchSize);
        batch = batchSize;
    }

    public double lambda() {
        return lambda;
    }

    public int maxIterations() {
        return maxIterations;
    }

    public double tolerance() {
        return tolerance;
    }

    /** The batch's objective and duality gap at one check. */
    private record Check(double primal, double gap) {
    }

    /** The last check and the inner iterations it took to get there. */
    private record Outcome(Check check, int iterations) {
    }
}
