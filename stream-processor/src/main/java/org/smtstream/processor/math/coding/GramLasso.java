package org.smtstream.processor.math.coding;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.smtstream.processor.math.linalg.Scratch;

/**
 * The positive weighted lasso in quadratic form, per column of a batch:
 * <pre>
 *   min_a  1/2 a^T H a - b^T a + lambda w^T a   subject to a &gt;= 0,   H = M^T M (N x N), b = M^T y
 * </pre>
 * which is 1/2 ||y - M a||^2 + lambda w^T a up to the constant 1/2 ||y||^2. All three problems of the
 * SMT are of this form: plain coding (eq. 2.4, M = Phi, w = 1), the manifold-regularized inference
 * (eq. 3.4, M = [Phi; sqrt(gamma0) P], H = Phi^T Phi + gamma0 P^T P) and the inverse g(beta)
 * (eq. 3.1, M = P, w_j = ||p_j||). H depends on the model only: its owner builds one of these per
 * model version and {@link ActiveSetSolver} reuses it for every frame.
 *
 * <p>Stored after the Jacobi scaling c = d a, d_j = sqrt(H_jj) = ||m_j||: H~ = D^-1 H D^-1 has a unit
 * diagonal and the threshold of atom j becomes lambda w_j / d_j. One step size then suits every atom,
 * which matters when P^T P is part of H: rarely used atoms have long columns p_j, and an unscaled
 * step would be set by them (ARCHITECTURE.md, trap T22). An atom with m_j = 0 is invisible to the data and stays 0.
 *
 * <p>Both H~ (N x N) and the scaled factor M~ = M D^-1 (m x N) are kept, because which one multiplies
 * a working set W of atoms more cheaply depends on its size: the block H~_WW costs 2 |W|^2 flops per
 * column, the pair M~_W^T (M~_W z) 4 m |W|; the full gradient H~[:, W] c_W costs 2 N |W| from the
 * Gram matrix, 2 m (|W| + N) through M~ ({@link #gradientThroughGram} picks one for the solver's
 * full gradients). Codes of whitened video use most atoms somewhere in a frame's batch, so the working
 * set of a frame is often larger than m; H~ (2 m N^2 flops, 4 N^2 bytes: 64 MB at N = 4000) is
 * therefore computed on first use and then cached with the rest.
 *
 * <p>Not thread-safe (the Gram matrix is built lazily); the arrays are live, do not modify them.
 */
public final class GramLasso {

    private static final String WORKSPACE = "smt-gram-lasso";

    private final INDArray factor;
    private INDArray gram;
    private float[] gramValues;
    private float[][] factorColumns;
    private final INDArray scaling;
    private final INDArray inverseScaling;
    private final INDArray weights;
    private final INDArray reciprocalWeights;

    private GramLasso(INDArray factor, INDArray scaling, INDArray inverseScaling, INDArray weights,
                      INDArray reciprocalWeights) {
        this.factor = factor;
        this.scaling = scaling;
        this.inverseScaling = inverseScaling;
        this.weights = weights;
        this.reciprocalWeights = reciprocalWeights;
    }

    /**
     * Builds the scaled problem of H = M^T M: M~ = M D^-1 (a copy); H~ = M~^T M~ follows on first use.
     *
     * @param m        M, m x N, any dtype; not modified
     * @param weights  w, N entries, positive and finite where m_j is not 0, or null for all ones
     */
    public static GramLasso of(INDArray m, INDArray weights) {
        if (m.rank() != 2) {
            throw new IllegalArgumentException("M must be a matrix, got " + m.shapeInfoToString());
        }
        int size = m.columns();
        if (weights != null && weights.length() != size) {
            throw new IllegalArgumentException("Weights have " + weights.length() + " entries, M has " + size
                    + " columns");
        }
        INDArray factor = Scratch.buffer(m.rows(), size).assign(m);
        INDArray d = Scratch.buffer(size, 1);
        INDArray inverse = Scratch.buffer(size, 1);
        INDArray w = Scratch.buffer(size, 1);
        INDArray reciprocal = Scratch.buffer(size, 1);
        try (MemoryWorkspace ws = Scratch.open(WORKSPACE)) {
            INDArray root = m.castTo(DataType.DOUBLE).norm2(0).reshape(size, 1);
            double total = root.sumNumber().doubleValue();
            if (!Double.isFinite(total)) {
                throw new IllegalArgumentException("M has NaN or infinite entries");
            }
            if (!(total > 0)) {
                throw new IllegalArgumentException("M is zero: every atom is invisible to the data");
            }
            INDArray given = weights == null ? Nd4j.ones(DataType.DOUBLE, size, 1)
                    : weights.castTo(DataType.DOUBLE).reshape(size, 1);
            INDArray visible = root.gt(0.0).castTo(DataType.DOUBLE);
            // the weight of an invisible atom (m_j = 0) never matters; every other one must be positive
            double smallestVisible = given.mul(visible).addi(visible.rsub(1.0)).minNumber().doubleValue();
            if (!Double.isFinite(given.sumNumber().doubleValue()) || !(smallestVisible > 0)) {
                throw new IllegalArgumentException("Weights must be finite, and positive for every atom with m_j != 0");
            }
            d.assign(root);
            inverse.assign(safeReciprocal(root));
            w.assign(given.mul(safeReciprocal(root)));                         // w_j / d_j
            reciprocal.assign(root.mul(safeReciprocal(given)).muli(visible));   // d_j / w_j
        }
        factor.muliRowVector(inverse.reshape(1, size));
        return new GramLasso(factor, d, inverse, w, reciprocal);
    }

    /** M~ = M D^-1, m x N FLOAT, column-major: unit columns (0 for invisible atoms). */
    public INDArray factor() {
        return factor;
    }

    /** H~ = M~^T M~, N x N FLOAT, column-major; symmetric, so column j is also row j. One GEMM on first use. */
    public INDArray gram() {
        if (gram == null) {
            gram = Scratch.buffer(size(), size());
            Nd4j.gemm(factor, factor, gram, true, false, 1.0, 0.0);
        }
        return gram;
    }

    /** H~'s entries in a Java array (cached with it), for gathering the blocks of many small index sets. */
    public float[] gramValues() {
        if (gramValues == null) {
            gramValues = gram().data().asFloat();
        }
        return gramValues;
    }

    /**
     * M~'s columns as Java arrays (cached), for sums over the few atoms a sparse code uses: one array
     * per column, because HotSpot vectorizes an axpy over a whole array but not over a slice of one.
     */
    public float[][] factorColumns() {
        if (factorColumns == null) {
            int rows = rows();
            float[] values = factor.data().asFloat();
            factorColumns = new float[size()][];
            for (int j = 0; j < factorColumns.length; j++) {
                factorColumns[j] = Arrays.copyOfRange(values, j * rows, (j + 1) * rows);
            }
        }
        return factorColumns;
    }

    /** d_j = ||m_j||, N x 1 FLOAT: a = c / d. */
    public INDArray scaling() {
        return scaling;
    }

    /** 1/d_j (0 where d_j = 0), N x 1 FLOAT. */
    public INDArray inverseScaling() {
        return inverseScaling;
    }

    /** w_j / d_j (0 where d_j = 0), N x 1 FLOAT: the threshold of atom j in c is lambda times this. */
    public INDArray scaledWeights() {
        return weights;
    }

    /**
     * d_j / w_j (0 where d_j = 0), N x 1 FLOAT: the scaled gradient g~_j times this is g_j / w_j, which
     * the optimality conditions compare with -lambda.
     */
    public INDArray reciprocalWeights() {
        return reciprocalWeights;
    }

    /** N. */
    public int size() {
        return factor.columns();
    }

    /** m, the rows of M. */
    public int rows() {
        return factor.rows();
    }

    /**
     * Whether {@link ActiveSetSolver} computes the full gradients of a round as H~ c (2 N^2 flops a
     * column) rather than as M~^T (M~ c): for N at most 2 m, where the two dense products of the second
     * form (4 m N) stop being cheaper. M~ c now sums only the atoms a code uses, which moves the true
     * crossover towards N = m; the rule is kept as it was.
     */
    public boolean gradientThroughGram() {
        return size() <= 2 * rows();
    }

    /** 1/v entry by entry, 0 where v is 0 (a new array). */
    private static INDArray safeReciprocal(INDArray v) {
        INDArray reciprocal = Transforms.pow(v, -1, true);
        BooleanIndexing.replaceWhere(reciprocal, 0.0, Conditions.isInfinite());
        return reciprocal;
    }
}
