package org.smtstream.processor.math.coding;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smtstream.processor.math.linalg.Scratch;
import org.smtstream.processor.math.linalg.SpectralNorm;

/**
 * The data of a batched positive weighted lasso, the problem every solver of this package reduces to:
 * <pre>
 *   min_C  1/2 ||Y - M C||_F^2 + lambda sum_{j,b} w_j C_jb   subject to C &gt;= 0
 *   M: m x N operator, Y: m x B targets, C: N x B, w: N per-row weights (all 1 when absent)
 * </pre>
 * Plain sparse coding (eq. 2.4) is M = Phi, w = 1. The inverse g(beta) of eq. 3.1 is M = P Z^-1 with
 * C = Z a, and the manifold-regularized inference of eq. 3.4 is M = [Phi; sqrt(gamma0) P] D^-1 with
 * C = D a and w = 1/d ({@link EmbeddingInverse}, {@link ManifoldInference}). {@link SparseCoder#solve}
 * runs its FISTA on it; the prox of lambda w_j c + indicator(c &gt;= 0) is [z - step lambda w_j]_+.
 *
 * <p>The operator's Lipschitz constant ||M||_2^2 (times the coder's 1 % margin) is computed by power
 * iteration on first use and cached until {@link #changed()} (for owners that refill the matrix in
 * place), restarting from the previous singular vector.
 */
public final class LassoOperator {

    private static final int POWER_MAX_ITERATIONS = 200;
    private static final double POWER_TOLERANCE = 1e-6;

    private final INDArray matrix;
    private final INDArray weights;
    private INDArray powerVector;
    private double lipschitz = Double.NaN;

    private LassoOperator(INDArray matrix, INDArray weights) {
        this.matrix = matrix;
        this.weights = weights;
    }

    /**
     * An operator over FLOAT copies of the arguments.
     *
     * @param matrix  M, m x N, any dtype
     * @param weights w, N x 1 (or 1 x N / length N), non-negative and finite, or null for all ones
     */
    public static LassoOperator of(INDArray matrix, INDArray weights) {
        if (matrix.rank() != 2) {
            throw new IllegalArgumentException("M must be a matrix, got shape " + Arrays.toString(matrix.shape()));
        }
        INDArray m = Scratch.buffer(matrix.rows(), matrix.columns());
        m.assign(matrix);
        INDArray w = null;
        if (weights != null) {
            w = Scratch.buffer(matrix.columns(), 1);
            if (weights.length() != matrix.columns()) {
                throw new IllegalArgumentException("Weights have " + weights.length() + " entries, M has "
                        + matrix.columns() + " columns");
            }
            w.assign(weights.reshape(matrix.columns(), 1));
        }
        return wrap(m, w);
    }

    /**
     * An operator over the given FLOAT, column-major arrays themselves (no copy): the owner may refill
     * them in place and must then call {@link #changed()}.
     */
    public static LassoOperator wrap(INDArray matrix, INDArray weights) {
        if (matrix.dataType() != DataType.FLOAT || matrix.ordering() != 'f' || matrix.isView()) {
            throw new IllegalArgumentException("M must be a whole FLOAT column-major buffer");
        }
        if (weights != null) {
            if (weights.dataType() != DataType.FLOAT || weights.length() != matrix.columns()) {
                throw new IllegalArgumentException("Weights must be FLOAT with one entry per column of M");
            }
            double min = weights.minNumber().doubleValue();
            if (!(min >= 0) || !Double.isFinite(weights.sumNumber().doubleValue())) {
                throw new IllegalArgumentException("Weights must be non-negative and finite, min " + min);
            }
        }
        return new LassoOperator(matrix, weights);
    }

    /** M, m x N FLOAT, live. */
    public INDArray matrix() {
        return matrix;
    }

    /** w, N x 1 FLOAT, live; null means all ones. */
    public INDArray weights() {
        return weights;
    }

    /** m. */
    public int rows() {
        return matrix.rows();
    }

    /** N. */
    public int columns() {
        return matrix.columns();
    }

    /** Marks an in-place change of M or w: the Lipschitz constant is recomputed on next use. */
    public void changed() {
        lipschitz = Double.NaN;
    }

    /** L = ||M||_2^2 times {@link SparseCoder#LIPSCHITZ_MARGIN}, cached. */
    public double lipschitz() {
        if (Double.isNaN(lipschitz)) {
            if (powerVector == null || powerVector.length() != matrix.columns()) {
                powerVector = SpectralNorm.startVector(matrix.columns());
            }
            double squared = SpectralNorm.squared(matrix, powerVector, POWER_MAX_ITERATIONS, POWER_TOLERANCE);
            if (!(squared > 0) || !Double.isFinite(squared)) {
                throw new IllegalArgumentException("Lasso operator has spectral norm^2 " + squared
                        + ": it is zero or not finite");
            }
            lipschitz = SparseCoder.LIPSCHITZ_MARGIN * squared;
        }
        return lipschitz;
    }
}
