package org.smtstream.processor.math.coding;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.smtstream.processor.math.linalg.Blas1;

/**
 * The lasso of a {@link GramLasso} restricted to a working set W of atoms (the other codes fixed at
 * 0), in the scaled variables c:
 * <pre>
 *   min_{C_W &gt;= 0}  1/2 C_W^T H~_WW C_W - b~_W^T C_W + lambda w~_W^T C_W
 * </pre>
 * with what it needs gathered once: b~_W, w~_W and either the Gram blocks H~[:, W] and H~_WW or the
 * factor's columns M~_W ({@link GramLasso#prefersGram}). {@link #iterate} runs FISTA on it with the
 * step 1/lambda_max(H~) (no principal block has a larger eigenvalue) and the momentum restart of
 * {@link SparseCoder}; a step is one product with H~_WW (one GEMM, or two thin ones through M~_W)
 * and BLAS level-1 updates. Created inside the solver's workspace and dropped with it.
 */
final class WorkingSet {

    private final int[] atoms;
    private final INDArray gramColumns;     // H~[:, W], N x |W| (Gram form)
    private final INDArray gramBlock;       // H~_WW, |W| x |W| (Gram form)
    private final INDArray factor;          // M~, m x N (factor form)
    private final INDArray factorColumns;   // M~_W, m x |W| (factor form)
    private final INDArray projection;      // M~_W z, m x B (factor form)
    private final INDArray linear;
    private final INDArray weights;
    private final INDArray offset;
    private final double step;
    private final INDArray extrapolated;
    private final INDArray change;
    private INDArray current;
    private INDArray latest;
    private double momentum;

    /**
     * @param problem      the scaled problem
     * @param atoms        W, ascending, not empty
     * @param lambda       l1 weight
     * @param scaledLinear b~, N x B
     * @param scaledCodes  c, N x B: the start (rows W are read)
     * @param scaledPoint  the extrapolated point of an earlier working set, N x B (rows W are read), or
     *                     null to start without momentum
     * @param momentum     FISTA's t of that earlier working set (1 without one)
     */
    WorkingSet(GramLasso problem, int[] atoms, double lambda, INDArray scaledLinear, INDArray scaledCodes,
               INDArray scaledPoint, double momentum) {
        this.atoms = atoms;
        if (problem.prefersGram(atoms.length)) {
            gramColumns = Nd4j.pullRows(problem.gram(), 0, atoms, 'f');    // contiguous columns of H~
            gramBlock = Nd4j.pullRows(gramColumns, 1, atoms, 'f');
            factor = null;
            factorColumns = null;
            projection = null;
        } else {
            gramColumns = null;
            gramBlock = null;
            factor = problem.factor();
            factorColumns = Nd4j.pullRows(factor, 0, atoms, 'f');
            projection = Nd4j.createUninitialized(DataType.FLOAT, new long[] {factor.rows(), scaledCodes.columns()}, 'f');
        }
        linear = Nd4j.pullRows(scaledLinear, 1, atoms, 'f');
        weights = Nd4j.pullRows(problem.scaledWeights(), 1, atoms, 'f');
        step = 1.0 / problem.lipschitz();
        offset = linear.dup('f').subiColumnVector(weights.mul(lambda)).muli(step);   // step (b~_W - lambda w~_W)
        current = Nd4j.pullRows(scaledCodes, 1, atoms, 'f');
        latest = current.dup('f');
        extrapolated = scaledPoint == null ? current.dup('f') : Nd4j.pullRows(scaledPoint, 1, atoms, 'f');
        change = current.dup('f');
        this.momentum = momentum;
    }

    /** W, ascending. */
    int[] atoms() {
        return atoms;
    }

    /** The current iterate C_W, |W| x B. */
    INDArray codes() {
        return current;
    }

    /** b~_W, |W| x B. */
    INDArray linear() {
        return linear;
    }

    /** w~_W, |W| x 1. */
    INDArray weights() {
        return weights;
    }

    /**
     * G~ = H~[:, W] C_W - b~ into {@code gradient} (N x B): the full scaled gradient, since the codes
     * outside W are 0.
     */
    void fullGradient(INDArray scaledLinear, INDArray gradient) {
        Blas1.copy(scaledLinear, gradient);
        if (gramColumns != null) {
            Nd4j.gemm(gramColumns, current, gradient, false, false, 1.0, -1.0);
        } else {
            Nd4j.gemm(factorColumns, current, projection, false, false, 1.0, 0.0);
            Nd4j.gemm(factor, projection, gradient, true, false, 1.0, -1.0);
        }
    }

    /**
     * Runs FISTA steps on the restricted problem, continuing the momentum of earlier calls.
     *
     * @return the steps taken
     */
    int iterate(int steps) {
        for (int k = 0; k < steps; k++) {
            Blas1.copy(extrapolated, latest);
            Blas1.axpy(1.0, offset, latest);
            multiplyBlock(extrapolated, latest, -step);                          // Z - step (H~ Z - b~ + lambda w~)
            Transforms.relu(latest, false);                                       // [.]_+ : the prox step
            Blas1.copy(latest, change);
            Blas1.axpy(-1.0, current, change);                                   // C_k - C_{k-1}
            // Adaptive restart, as in SparseCoder: momentum that points uphill is dropped.
            if (Blas1.dot(extrapolated, change) - Blas1.dot(latest, change) > 0) {
                momentum = 1;
            }
            double next = (1 + Math.sqrt(1 + 4 * momentum * momentum)) / 2;
            Blas1.copy(latest, extrapolated);
            Blas1.axpy((momentum - 1) / next, change, extrapolated);
            momentum = next;
            INDArray swap = current;
            current = latest;
            latest = swap;
        }
        return steps;
    }

    /** out += alpha H~_WW z. */
    private void multiplyBlock(INDArray z, INDArray out, double alpha) {
        if (gramBlock != null) {
            Nd4j.gemm(gramBlock, z, out, false, false, alpha, 1.0);
        } else {
            Nd4j.gemm(factorColumns, z, projection, false, false, 1.0, 0.0);
            Nd4j.gemm(factorColumns, projection, out, true, false, alpha, 1.0);
        }
    }

    /**
     * Writes C_W into rows W of {@code scaledCodes} and the extrapolated point into rows W of
     * {@code scaledPoint} (both N x B, or null to skip); the other rows are left as they are.
     */
    void scatterInto(INDArray scaledCodes, INDArray scaledPoint) {
        INDArray indices = Nd4j.createFromArray(atoms);
        scatter(scaledCodes, indices, current);
        if (scaledPoint != null) {
            scatter(scaledPoint, indices, extrapolated);
        }
    }

    /** FISTA's t, to continue the momentum on a larger working set. */
    double momentum() {
        return momentum;
    }

    private static void scatter(INDArray target, INDArray indices, INDArray rows) {
        Nd4j.exec(DynamicCustomOp.builder("scatter_upd").addInputs(target, indices, rows).addOutputs(target).build());
    }

    /** Sum over W of x .* C_W per column, in double: B values. */
    double[] columnDots(INDArray x) {
        return x.castTo(DataType.DOUBLE).muli(current.castTo(DataType.DOUBLE)).sum(0).toDoubleVector();
    }
}
