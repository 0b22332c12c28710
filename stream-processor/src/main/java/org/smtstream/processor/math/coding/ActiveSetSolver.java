package org.smtstream.processor.math.coding;

import static org.smtstream.processor.math.linalg.Shapes.requireShape;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.smtstream.processor.math.linalg.Nd4jRuntime;
import org.smtstream.processor.math.linalg.Scratch;

/**
 * A working-set solver of the batched positive weighted lasso in quadratic form ({@link GramLasso}),
 * per column b of a batch:
 * <pre>
 *   min_a  1/2 a^T H a - b^T a + lambda w^T a   subject to a &gt;= 0
 * </pre>
 * Codes of whitened patches are a few percent active, and each patch uses its own few atoms (the
 * patches of a frame together use nearly all of them), so the work is organised per column:
 * <ol>
 *   <li>The full gradient g = H a - b of every column at the start, in one product through the
 *       cheaper of H and its factor (GEMMs; with a warm start, the previous frame's codes of the same
 *       locations, most of it is already right; from 0 no product at all).</li>
 *   <li>Per column, one round of coordinate descent with covariance updates on its working set: the
 *       atoms active in it and the worst of those that violate the optimality conditions (a_j = 0
 *       with g_j &lt; -lambda w_j). A coordinate step a_j &lt;- max(0, a_j - (g_j + lambda w_j) / H_jj)
 *       is exact for that atom. Sweeps update the gradient of the working set only
 *       ({@link ColumnDescent}).</li>
 *   <li>The gradient of the columns that moved, computed afresh by one product of those columns
 *       only, so that the optimality conditions of all N atoms and the duality gap of each column
 *       are known again; the columns that did not move have stopped. A column stops when its duality
 *       gap, relative to its objective, is at most the tolerance on such a gradient, or at the cap on
 *       sweeps; the others take another round.</li>
 * </ol>
 * Coordinate descent is sequential by nature (each step reads the gradient the previous one left),
 * so no GEMM does this part: a sweep costs |W| times the atoms that move, against 2 N n per FISTA
 * iteration through the dictionary for every column. Everything runs in the Jacobi-scaled variables
 * of {@link GramLasso} (c = d a, unit diagonal), on Java arrays of H~, b~ and g~.
 *
 * <p><b>Duality gap.</b> For H = M^T M and b = M^T y (neither y nor the residual is formed), the
 * residual r = y - M a has M^T r = -g, and theta = s r is dual feasible for every
 * s &lt;= min over g_j &lt; 0 of lambda w_j / -g_j. With ||r||^2 = ||y||^2 - b^T a + a^T g,
 * <pre>
 *   primal P = 1/2 ||r||^2 + lambda w^T a,   dual D = s (||y||^2 - b^T a) - s^2/2 ||r||^2,   gap = P - D &gt;= P - P*
 * </pre>
 * with s the feasible scale that maximizes D, so the gap bounds the distance to the optimum from
 * above: a certificate of the returned codes on their own (a solve started from them finds the same
 * gap, to the rounding of the product). Callers pass ||y||^2 per column, the one quantity the
 * quadratic form does not carry; the column sums are taken in double (ARCHITECTURE.md, trap T5).
 * The gap of a rescaled residual is a loose bound, larger than P - P* by one to two orders of
 * magnitude on learned dictionaries, so a tolerance on it stops well after the objective has
 * converged to that tolerance.
 *
 * <p>Every gap that stops a column is measured on a gradient computed afresh by a product, never on
 * one that sweeps updated in float (which drifts from H~ c - b~ by rounding), so the returned codes
 * carry their certificate. The result reports the most sweeps any column took, the objective and the
 * gap of the returned codes.
 *
 * <p>Not thread-safe: one solver per thread (ARCHITECTURE.md, trap T2).
 */
public final class ActiveSetSolver {

    private static final String WORKSPACE = "smt-active-set";

    private final double lambda;
    private final int maxIterations;
    private final double tolerance;

    private int batch = -1;
    private INDArray scaledLinear;   // b~ = b / d, N x B
    private INDArray scaledCodes;    // c = d a, N x B

    /**
     * @param lambda        l1 weight, &gt;= 0
     * @param maxIterations cap on the sweeps of one column, &gt;= 1
     * @param tolerance     duality gap of a column relative to its objective at which it stops, &gt;= 0
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
     * @return the solution (the caller's {@code codes}), the most sweeps of a column, the objective
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
        ColumnDescent descent = new ColumnDescent(problem, lambda, tolerance);
        float[] b = scaledLinear.data().asFloat();
        float[] c = scaledCodes.data().asFloat();
        float[] g = new float[b.length];
        int[] sweeps = new int[batch];
        double[] primal = new double[batch];
        double[] gap = new double[batch];
        int[] pending = IntStream.range(0, batch).toArray();
        int count = batch;
        if (warmStart) {
            refreshGradient(problem, c, g, b, pending, count);
        } else {
            for (int i = 0; i < g.length; i++) {
                g[i] = -b[i];                                            // c = 0: g~ = -b~
            }
        }
        while (count > 0) {
            int next = 0;
            for (int k = 0; k < count; k++) {
                int column = pending[k];
                ColumnDescent.Outcome outcome = descent.solve(c, g, b, column * size, targetEnergy[column],
                        maxIterations - sweeps[column]);
                primal[column] = outcome.primal();
                gap[column] = outcome.gap();
                sweeps[column] += outcome.sweeps();
                if (outcome.sweeps() > 0) {
                    pending[next++] = column;                            // to be certified on a fresh gradient
                }
            }
            count = next;
            refreshGradient(problem, c, g, b, pending, count);
        }
        scaledCodes.data().setData(c);
        codes.assign(scaledCodes).muliColumnVector(problem.inverseScaling());
        return new SparseCodingResult(codes, Arrays.stream(sweeps).max().orElse(0), Arrays.stream(primal).sum(),
                Arrays.stream(gap).sum());
    }

    /**
     * g~ = H~ c - b~ for the listed columns only (the others have stopped), in one product of those
     * columns: through H~ when it is the smaller operator, else as M~^T (M~ c), where M~ c sums the
     * few columns of M~ that a sparse code uses, in Java, and only M~^T takes a GEMM.
     */
    private void refreshGradient(GramLasso problem, float[] c, float[] g, float[] b, int[] columns, int count) {
        if (count == 0) {
            return;
        }
        int size = problem.size();
        boolean throughGram = problem.gradientThroughGram();
        int inner = throughGram ? size : problem.rows();
        float[] packed = new float[inner * count];
        if (throughGram) {
            for (int k = 0; k < count; k++) {
                System.arraycopy(c, columns[k] * size, packed, k * size, size);
            }
        } else {
            project(problem.factorColumns(), inner, c, columns, count, packed);
        }
        float[] product;
        try (MemoryWorkspace ws = Scratch.open(WORKSPACE)) {
            INDArray x = Nd4j.create(packed, new long[] {inner, count}, 'f');
            INDArray out = Nd4j.createUninitialized(DataType.FLOAT, new long[] {size, count}, 'f');
            Nd4j.gemm(throughGram ? problem.gram() : problem.factor(), x, out, !throughGram, false, 1.0, 0.0);
            product = out.data().asFloat();
        }
        for (int k = 0; k < count; k++) {
            int offset = columns[k] * size;
            int from = k * size;
            for (int i = 0; i < size; i++) {
                g[offset + i] = product[from + i] - b[offset + i];
            }
        }
    }

    /** M~ c of the listed columns into {@code packed} (m x count), from the atoms each one uses. */
    private static void project(float[][] factorColumns, int rows, float[] c, int[] columns, int count,
                                float[] packed) {
        int size = factorColumns.length;
        float[] sum = new float[rows];
        for (int k = 0; k < count; k++) {
            Arrays.fill(sum, 0f);
            int offset = columns[k] * size;
            for (int j = 0; j < size; j++) {
                float cj = c[offset + j];
                if (cj != 0f) {
                    float[] column = factorColumns[j];
                    for (int i = 0; i < rows; i++) {
                        sum[i] += cj * column[i];
                    }
                }
            }
            System.arraycopy(sum, 0, packed, k * rows, rows);
        }
    }

    private void ensureBuffers(int size, int batchSize) {
        if (batchSize == batch && scaledLinear.rows() == size) {
            return;
        }
        scaledLinear = Scratch.buffer(size, batchSize);
        scaledCodes = Scratch.buffer(size, batchSize);
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

}
