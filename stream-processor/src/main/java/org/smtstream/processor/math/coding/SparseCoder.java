package org.smtstream.processor.math.coding;

import static org.smtstream.processor.math.linalg.Shapes.requireFloatShape;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtConfig.Solver;
import org.smtstream.processor.math.linalg.Blas1;
import org.smtstream.processor.math.linalg.Nd4jRuntime;
import org.smtstream.processor.math.linalg.Scratch;
import org.smtstream.processor.math.linalg.SpectralNorm;

/**
 * Batched positive sparse coding (thesis eq. 2.4, one column per patch):
 * <pre>
 *   min_A  1/2 ||X - Phi A||_F^2 + lambda sum(A)   subject to A >= 0
 *   X: n x B whitened patches, Phi: n x N unit-norm atoms, A: N x B codes alpha
 * </pre>
 * by proximal gradient descent with step 1/L, L = ||Phi||_2^2 (power iteration, cached per
 * dictionary version). The prox of lambda sum(a) + indicator(a >= 0) is the one-sided shrinkage
 * [z - lambda/L]_+. ISTA takes the step from the last iterate; FISTA (Beck and Teboulle 2009) from
 * the extrapolated point Z_k = A_k + (t_{k-1} - 1)/t_k (A_k - A_{k-1}), which improves the objective
 * gap from O(1/k) to O(1/k^2). FISTA restarts its momentum (t = 1) whenever it points uphill,
 * (Z_{k-1} - A_k) . (A_k - A_{k-1}) &gt; 0 (O'Donoghue and Candes 2015, gradient scheme): two dot
 * products per iteration that, on learned dictionaries of whitened video, cut the iterations needed
 * to a given relative change and lower the gap left at the iteration cap (measured in
 * stream-processor/BENCHMARKS.md).
 *
 * <p>The gradient Phi^T (Phi Z - X) is two thin GEMMs (n x N by N x B, then its transpose), 4nNB
 * FLOPs, not the Gram form (Phi^T Phi) Z - Phi^T X, 2N^2 B FLOPs: N/(2n) times fewer (2x at
 * 256 x 1024, 5x at 400 x 4000) and no N x N matrix. Every per-iteration array is a buffer
 * preallocated for the batch size and updated in place (GEMM into its output, in-place ReLU, BLAS
 * level-1 copies, axpy, dots and norms), so an iteration allocates nothing; the few temporaries of
 * the objective live in a workspace.
 *
 * <p>Stops when ||A_k - A_{k-1}||_F / ||A_k||_F &lt;= tolerance or after maxIterations. The norms of
 * that test are float BLAS norms (relative error ~1e-6, far below any useful tolerance); the returned
 * objective is accumulated in double.
 *
 * <p>The same solver runs the positive weighted lasso over any explicit operator
 * ({@link #solve(LassoOperator, INDArray, INDArray, boolean)}: min 1/2||Y - M C||^2 + lambda sum w_j C_jb,
 * C &gt;= 0, prox [z - step lambda w_j]_+), which is what the inverse g(beta) of eq. 3.1 and the
 * manifold-regularized inference of eq. 3.4 reduce to after a per-atom rescaling
 * ({@link EmbeddingInverse}, {@link ManifoldInference}). With M = Phi and no weights it is exactly
 * {@link #encode}.
 *
 * <p>Not thread-safe: one coder per thread (ARCHITECTURE.md, trap T2).
 */
public final class SparseCoder implements PatchCoder {

    /** FISTA's relative-change tolerance where the configuration's tolerance is ACTIVE_SET's duality gap. */
    static final double ACTIVE_SET_FALLBACK_TOLERANCE = 1e-3;

    /** 1/L must not exceed the true 1/||Phi||^2; the power estimate approaches it from below. */
    static final double LIPSCHITZ_MARGIN = 1.01;
    private static final int POWER_MAX_ITERATIONS = 200;
    private static final double POWER_TOLERANCE = 1e-6;
    private static final String WORKSPACE = "smt-sparse-coder";

    private final double lambda;
    private final Solver solver;
    private final int maxIterations;
    private final double tolerance;

    private Dictionary lipschitzDictionary;
    private long lipschitzVersion = -1;
    private double lipschitz;
    private INDArray powerVector;

    private int batch = -1;
    private INDArray current;     // A_{k-1}, N x B
    private INDArray next;        // A_k, N x B
    private INDArray extrapolated; // Z_k, N x B (FISTA)
    private INDArray change;      // A_k - A_{k-1}, N x B
    private INDArray residual;    // Phi Z - X, n x B
    private INDArray patches;     // X in the buffers' layout, n x B
    private INDArray thresholds;  // step lambda w_j in every column, N x B (weighted problems only)
    private int lastIterations;   // iterations of the last run

    /**
     * @param lambda        l1 weight, >= 0, in the units of X
     * @param solver        FISTA or ISTA
     * @param maxIterations cap on iterations, >= 1
     * @param tolerance     relative-change stopping threshold, >= 0 (0 = always run maxIterations)
     */
    public SparseCoder(double lambda, Solver solver, int maxIterations, double tolerance) {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("Invalid lambda: " + lambda);
        }
        if (solver == null || solver == Solver.ACTIVE_SET) {
            throw new IllegalArgumentException("Invalid solver for SparseCoder: " + solver + " (FISTA or ISTA; the "
                    + "active-set solver is ActiveSetCoder)");
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("Invalid max iterations: " + maxIterations);
        }
        if (!(tolerance >= 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("Invalid tolerance: " + tolerance);
        }
        this.lambda = lambda;
        this.solver = solver;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        Nd4jRuntime.useFloatByDefault();
    }

    /**
     * A coder with the sparse-coding settings of {@code config} (lambda, solver, cap, tolerance). A
     * configuration that selects ACTIVE_SET gets FISTA here with the relative-change tolerance
     * {@value #ACTIVE_SET_FALLBACK_TOLERANCE} (what the presets gave FISTA before): its own tolerance is
     * a duality gap, which FISTA does not compute. The held-out protocol and the offline evaluations
     * take this coder, the reference their published figures were measured with;
     * {@link PatchCoder#of} follows the configured solver (inference and the online learner, whose
     * Gram matrix per dictionary step costs less than the FISTA iterations it saves).
     */
    public static SparseCoder of(SmtConfig config) {
        if (config.solver() == Solver.ACTIVE_SET) {
            return new SparseCoder(config.lambda(), Solver.FISTA, config.maxIterations(),
                    ACTIVE_SET_FALLBACK_TOLERANCE);
        }
        return new SparseCoder(config.lambda(), config.solver(), config.maxIterations(), config.tolerance());
    }

    /**
     * Solves for the codes of a batch.
     *
     * @param dictionary Phi (n x N) and its version
     * @param x          X, n x B, one whitened patch per column; not modified
     * @param codes      N x B; read as the warm start when {@code warmStart} (negative entries are
     *                   clipped to 0), then overwritten with the solution A
     * @param warmStart  start from {@code codes} instead of A = 0
     * @return the solution (same array as {@code codes}), iterations used and the objective
     */
    @Override
    public SparseCodingResult encode(Dictionary dictionary, INDArray x, INDArray codes, boolean warmStart) {
        INDArray phi = dictionary.phi();
        requireFloatShape("X", x, phi.rows(), x.columns());
        requireFloatShape("codes", codes, phi.columns(), x.columns());
        run(phi, lipschitz(dictionary), null, x, codes, warmStart);
        return new SparseCodingResult(codes, lastIterations, objective(phi, x, codes));
    }

    /**
     * Solves the positive weighted lasso min_C 1/2 ||Y - M C||_F^2 + lambda sum_jb w_j C_jb, C &gt;= 0,
     * with this coder's lambda, solver, iteration cap and tolerance.
     *
     * @param operator  M (m x N) and the weights w
     * @param y         Y, m x B FLOAT; not modified
     * @param codes     C, N x B FLOAT; the warm start when {@code warmStart} (clipped at 0), then
     *                  overwritten with the solution
     * @param warmStart start from {@code codes} instead of 0
     * @return the solution (same array as {@code codes}), iterations and the objective above
     */
    public SparseCodingResult solve(LassoOperator operator, INDArray y, INDArray codes, boolean warmStart) {
        INDArray m = operator.matrix();
        requireFloatShape("Y", y, m.rows(), y.columns());
        requireFloatShape("codes", codes, m.columns(), y.columns());
        run(m, operator.lipschitz(), operator.weights(), y, codes, warmStart);
        return new SparseCodingResult(codes, lastIterations, objective(operator, y, codes));
    }

    /**
     * The FISTA/ISTA loop. The names are those of eq. 2.4, but {@code phi} is any operator M (m x N),
     * {@code x} its targets Y (m x B), {@code weights} the per-row l1 weights (N x 1, null = all 1).
     */
    private void run(INDArray phi, double lipschitzConstant, INDArray weights, INDArray x, INDArray codes,
                     boolean warmStart) {
        ensureBuffers(phi.rows(), phi.columns(), x.columns());
        double step = 1.0 / lipschitzConstant;
        double threshold = step * lambda;
        if (weights != null) {
            thresholds.assign(0).addiColumnVector(weights).muli(threshold);     // step lambda w_j
        }

        patches.assign(x);                       // layout-aware copy; from here on BLAS copies suffice
        INDArray previous = current;
        INDArray latest = next;
        if (warmStart) {
            previous.assign(codes);
            Transforms.relu(previous, false);
        } else {
            previous.assign(0);
        }
        Blas1.copy(previous, extrapolated);
        double t = 1;
        int iterations = 0;
        while (iterations < maxIterations) {
            iterations++;
            INDArray point = solver == Solver.FISTA ? extrapolated : previous;
            Blas1.copy(patches, residual);
            Nd4j.gemm(phi, point, residual, false, false, 1.0, -1.0);        // R = Phi Z - X
            if (weights == null) {
                point.sub(threshold, latest);
            } else {
                Blas1.copy(point, latest);
                Blas1.axpy(-1.0, thresholds, latest);
            }
            Nd4j.gemm(phi, residual, latest, true, false, -step, 1.0);       // Z - step Phi^T R - step lambda
            Transforms.relu(latest, false);                                  // [.]_+ : the prox step
            Blas1.copy(latest, change);
            Blas1.axpy(-1.0, previous, change);                              // A_k - A_{k-1}
            boolean converged = Blas1.norm(change) <= tolerance * Blas1.norm(latest);
            if (solver == Solver.FISTA) {
                // Adaptive restart: momentum that points uphill, (Z_{k-1} - A_k) . (A_k - A_{k-1}) > 0, is dropped.
                if (Blas1.dot(extrapolated, change) - Blas1.dot(latest, change) > 0) {
                    t = 1;
                }
                double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
                Blas1.copy(latest, extrapolated);
                Blas1.axpy((t - 1) / tNext, change, extrapolated);          // Z = A_k + mu (A_k - A_{k-1})
                t = tNext;
            }
            INDArray swap = previous;
            previous = latest;
            latest = swap;
            if (converged) {
                break;
            }
        }
        codes.assign(previous);
        lastIterations = iterations;
    }

    /**
     * 1/2 ||X - Phi A||_F^2 + lambda sum(A), accumulated in double.
     *
     * @param phi   n x N
     * @param x     n x B
     * @param codes N x B
     */
    public double objective(INDArray phi, INDArray x, INDArray codes) {
        try (MemoryWorkspace ws = Scratch.open(WORKSPACE)) {
            INDArray r = x.dup('f');
            Nd4j.gemm(phi, codes, r, false, false, -1.0, 1.0);                 // X - Phi A
            double error = r.castTo(DataType.DOUBLE).norm2Number().doubleValue();
            double l1 = codes.castTo(DataType.DOUBLE).sumNumber().doubleValue();
            return 0.5 * error * error + lambda * l1;
        }
    }

    /**
     * 1/2 ||Y - M C||_F^2 + lambda sum_jb w_j C_jb, accumulated in double.
     *
     * @param operator M (m x N) and w
     * @param y        m x B
     * @param codes    C, N x B
     */
    public double objective(LassoOperator operator, INDArray y, INDArray codes) {
        if (operator.weights() == null) {
            return objective(operator.matrix(), y, codes);
        }
        try (MemoryWorkspace ws = Scratch.open(WORKSPACE)) {
            INDArray r = y.dup('f');
            Nd4j.gemm(operator.matrix(), codes, r, false, false, -1.0, 1.0);   // Y - M C
            double error = r.castTo(DataType.DOUBLE).norm2Number().doubleValue();
            INDArray rowSums = codes.castTo(DataType.DOUBLE).sum(1).reshape(1, codes.rows());
            double l1 = rowSums.mmul(operator.weights().castTo(DataType.DOUBLE).reshape(codes.rows(), 1))
                    .getDouble(0);
            return 0.5 * error * error + lambda * l1;
        }
    }

    /**
     * The gradient of the smooth part 1/2 ||Y - M C||_F^2, M^T (M C - Y), with the two GEMMs the
     * solver uses (residual first, then M^T times it; never the Gram matrix).
     *
     * @param m     M, m x N FLOAT
     * @param y     Y, m x B FLOAT
     * @param codes C, N x B FLOAT
     * @param out   N x B FLOAT, overwritten
     * @return out
     */
    public static INDArray smoothGradient(INDArray m, INDArray y, INDArray codes, INDArray out) {
        try (MemoryWorkspace ws = Scratch.open(WORKSPACE)) {
            INDArray r = y.dup('f');
            Nd4j.gemm(m, codes, r, false, false, 1.0, -1.0);                    // R = M C - Y
            Nd4j.gemm(m, r, out, true, false, 1.0, 0.0);                        // M^T R
            return out;
        }
    }

    /**
     * L = ||Phi||_2^2 (times a 1 % margin), recomputed only when the dictionary or its version
     * changed; the power iteration restarts from the previous singular vector.
     */
    public double lipschitz(Dictionary dictionary) {
        if (dictionary != lipschitzDictionary || dictionary.version() != lipschitzVersion) {
            INDArray phi = dictionary.phi();
            if (powerVector == null || powerVector.length() != phi.columns()) {
                powerVector = SpectralNorm.startVector(phi.columns());
            }
            double squared = SpectralNorm.squared(phi, powerVector, POWER_MAX_ITERATIONS, POWER_TOLERANCE);
            if (!(squared > 0) || !Double.isFinite(squared)) {
                throw new IllegalArgumentException("Dictionary has spectral norm^2 " + squared
                        + " (version " + dictionary.version() + "): it is zero or not finite");
            }
            lipschitz = LIPSCHITZ_MARGIN * squared;
            lipschitzDictionary = dictionary;
            lipschitzVersion = dictionary.version();
        }
        return lipschitz;
    }

    public double lambda() {
        return lambda;
    }

    public Solver solver() {
        return solver;
    }

    public int maxIterations() {
        return maxIterations;
    }

    public double tolerance() {
        return tolerance;
    }

    private void ensureBuffers(int atomDim, int size, int batchSize) {
        if (batchSize == batch && current.rows() == size && residual.rows() == atomDim) {
            return;
        }
        current = Scratch.buffer(size, batchSize);
        next = Scratch.buffer(size, batchSize);
        extrapolated = Scratch.buffer(size, batchSize);
        change = Scratch.buffer(size, batchSize);
        thresholds = Scratch.buffer(size, batchSize);
        residual = Scratch.buffer(atomDim, batchSize);
        patches = Scratch.buffer(atomDim, batchSize);
        batch = batchSize;
    }
}
