package org.smtstream.processor.math.embedding;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtConfig.Solver;
import org.smtstream.processor.math.coding.ActiveSetSolver;
import org.smtstream.processor.math.coding.Dictionary;
import org.smtstream.processor.math.coding.GramLasso;
import org.smtstream.processor.math.coding.LassoOperator;
import org.smtstream.processor.math.coding.SparseCoder;
import org.smtstream.processor.math.coding.SparseCodingResult;
import org.smtstream.processor.math.linalg.Metrics;
import org.smtstream.processor.math.linalg.Scratch;

/**
 * The inverse of the embedding, thesis eq. 3.1, batched (one beta per column):
 * <pre>
 *   g(beta) = argmin_a  1/2 ||beta - P a||_2^2 + lambda z^T a   subject to a &gt;= 0,
 *   z_j = ||p_j||_2 (the norm of column j of P)
 * </pre>
 * Convention: the thesis writes ||beta - P a||^2 + lambda_T z^T a; halving the whole objective gives
 * the form above with lambda = lambda_T / 2 (the minimizer is the same), the convention of
 * {@link SparseCoder}.
 *
 * <p>Solved by {@link SparseCoder#solve} after the substitution c = Z a, Z = diag(z): the problem
 * becomes the plain positive lasso min 1/2 ||beta - (P Z^-1) c||^2 + lambda sum(c), c &gt;= 0, whose
 * operator has unit-norm columns. The weight z_j of eq. 3.1 is exactly what makes this a uniform
 * threshold, and the unit columns keep the step 1/||P Z^-1||^2 from being set by a few long columns
 * (rarely used atoms have large p_j, ARCHITECTURE.md, trap T22). a = Z^-1 c. An atom with p_j = 0 is invisible in
 * beta and gets a_j = 0. The operator is rebuilt when the embedding or its version changes.
 *
 * <p>With the ACTIVE_SET solver the problem goes to {@link ActiveSetSolver} in quadratic form instead:
 * H = P^T P (cached per embedding version), b = P^T beta, w = z; its Jacobi scaling d_j = sqrt(H_jj)
 * = z_j is the same substitution, and it stops on the duality gap.
 *
 * <p><b>Scale-free lambda.</b> {@link #relative} (the configured inverse, {@link #of}) sets lambda per
 * column to a fraction c of that column's lambda_max = max_j (p_j^T beta / z_j)_+, the smallest lambda
 * whose solution is a = 0 (the positive lasso's optimality conditions at a = 0). The objective is
 * positively homogeneous: with lambda = c s, s = lambda_max, the solution is s g_c(beta / s), so it is
 * solved on beta / s with lambda c and scaled back, and k beta has the solution k g(beta) with the same
 * support for every k &gt; 0. The same c therefore means the same trade-off of fit against sparsity for a
 * faint patch and a bright one, and for a recording of any contrast or any scale of P; a fixed lambda
 * in units of beta zeroes faint patches and barely shrinks bright ones (stream-processor/EVALUATION.md
 * measures both). lambda_max costs one product M^T beta with the cached M = P Z^-1, as large as half a
 * FISTA iteration. A column with lambda_max = 0 has g = 0. In this mode the result's objective and
 * duality gap are those of the normalized problem (every column divided by its lambda_max).
 *
 * <p>Reconstruction from beta: x_rec = C Phi g(beta) ({@link #reconstruct}), C the unwhitening
 * operator (null = identity, i.e. the result stays in whitened space).
 *
 * <p>Not thread-safe (ARCHITECTURE.md, trap T2).
 */
public final class EmbeddingInverse {

    private static final String WORKSPACE = "smt-embedding-inverse";

    private final SparseCoder coder;          // FISTA/ISTA; its settings otherwise
    private final ActiveSetSolver activeSet;  // null unless the solver is ACTIVE_SET
    private final boolean relative;           // lambda is a fraction of each column's lambda_max
    private Embedding cachedEmbedding;
    private long cachedVersion = -1;
    private LassoOperator operator;      // P Z^-1, f x N
    private INDArray inverseNorms;       // 1/z_j (0 where z_j = 0), N x 1 FLOAT
    private INDArray norms;              // z_j, N x 1 FLOAT
    private Embedding gramEmbedding;
    private long gramVersion = -1;
    private GramLasso gram;              // P^T P with w = z, scaled (ACTIVE_SET)
    private INDArray linear;             // P^T beta, N x B (ACTIVE_SET)

    /**
     * @param lambda        l1 weight of eq. 3.1 in the 1/2 convention (thesis lambda / 2), &gt;= 0
     * @param solver        ACTIVE_SET, FISTA or ISTA
     * @param maxIterations iteration cap
     * @param tolerance     relative duality gap (ACTIVE_SET) or relative-change (FISTA, ISTA) stopping threshold
     */
    public EmbeddingInverse(double lambda, Solver solver, int maxIterations, double tolerance) {
        this(lambda, false, solver, maxIterations, tolerance);
    }

    private EmbeddingInverse(double lambda, boolean relative, Solver solver, int maxIterations, double tolerance) {
        this.relative = relative;
        boolean activeSetSolver = solver == Solver.ACTIVE_SET;
        this.coder = new SparseCoder(lambda, activeSetSolver ? Solver.FISTA : solver, maxIterations, tolerance);
        this.activeSet = activeSetSolver ? new ActiveSetSolver(lambda, maxIterations, tolerance) : null;
    }

    /**
     * The inverse whose lambda is {@code fraction} times each column's lambda_max (see the class comment).
     *
     * @param fraction      c in [0, 1]: at 1 and above every solution is 0
     * @param solver        ACTIVE_SET, FISTA or ISTA
     * @param maxIterations iteration cap
     * @param tolerance     stopping threshold, as for the constructor
     */
    public static EmbeddingInverse relative(double fraction, Solver solver, int maxIterations, double tolerance) {
        return new EmbeddingInverse(fraction, true, solver, maxIterations, tolerance);
    }

    /**
     * The inverse a configuration describes: lambda the fraction {@link SmtConfig#inverseLambdaFraction()}
     * of each column's lambda_max, {@link SmtConfig#inverseIterations()} and the solver.
     *
     * @param tolerance relative duality gap (ACTIVE_SET) or relative-change stopping threshold
     */
    public static EmbeddingInverse of(SmtConfig config, double tolerance) {
        return relative(config.inverseLambdaFraction(), config.solver(), config.inverseIterations(), tolerance);
    }

    /**
     * g(beta) for a batch.
     *
     * @param embedding P (f x N)
     * @param beta      f x B FLOAT, one embedding per column; not modified
     * @param codes     N x B FLOAT; the warm start a_0 when {@code warmStart}, then overwritten with g(beta)
     * @param warmStart start from {@code codes} (clipped at 0) instead of 0
     * @return the solution (the caller's {@code codes}), iterations, and the objective
     *         1/2||beta - P a||^2 + lambda z^T a in double
     */
    public SparseCodingResult invert(Embedding embedding, INDArray beta, INDArray codes, boolean warmStart) {
        if (!relative) {
            return invertScaled(embedding, beta, codes, warmStart);
        }
        INDArray scale = lambdaMax(embedding, beta);                       // 1 x B
        INDArray inverseScale = safeReciprocal(scale);
        if (warmStart) {
            codes.muliRowVector(inverseScale);
        }
        SparseCodingResult result = invertScaled(embedding, beta.mulRowVector(inverseScale), codes, warmStart);
        codes.muliRowVector(scale);
        return new SparseCodingResult(codes, result.iterations(), result.objective(), result.dualityGap());
    }

    /**
     * lambda_max of every column, max_j (p_j^T beta / z_j)_+: the smallest lambda of eq. 3.1 whose
     * solution is 0 (a_j = 0 is optimal iff p_j^T beta &lt;= lambda z_j for every j).
     *
     * @param embedding P
     * @param beta      f x B FLOAT
     * @return 1 x B FLOAT, &gt;= 0
     */
    public INDArray lambdaMax(Embedding embedding, INDArray beta) {
        INDArray correlations = operator(embedding).matrix().transpose().mmul(beta);   // (P Z^-1)^T beta, N x B
        return Transforms.max(correlations.max(0), 0.0, false).reshape(1, beta.columns());
    }

    /** The lambda of every column: the fixed lambda, or its fraction of the column's lambda_max. */
    private INDArray lambdas(Embedding embedding, INDArray beta) {
        if (relative) {
            return lambdaMax(embedding, beta).castTo(DataType.DOUBLE).muli(coder.lambda());
        }
        return Nd4j.valueArrayOf(new long[] {1, beta.columns()}, coder.lambda(), DataType.DOUBLE);
    }

    private SparseCodingResult invertScaled(Embedding embedding, INDArray beta, INDArray codes, boolean warmStart) {
        if (activeSet != null) {
            return invertByActiveSet(embedding, beta, codes, warmStart);
        }
        LassoOperator op = operator(embedding);
        if (warmStart) {
            codes.muliColumnVector(norms);                         // c = Z a
        }
        SparseCodingResult result = coder.solve(op, beta, codes, warmStart);
        codes.muliColumnVector(inverseNorms);                      // a = Z^-1 c
        return new SparseCodingResult(codes, result.iterations(), result.objective());
    }

    private SparseCodingResult invertByActiveSet(Embedding embedding, INDArray beta, INDArray codes,
                                                 boolean warmStart) {
        if (embedding != gramEmbedding || embedding.version() != gramVersion) {
            gram = GramLasso.of(embedding.p(), embedding.columnNorms());
            gramEmbedding = embedding;
            gramVersion = embedding.version();
        }
        if (linear == null || linear.columns() != beta.columns() || linear.rows() != embedding.size()) {
            linear = Scratch.buffer(embedding.size(), beta.columns());
        }
        Nd4j.gemm(embedding.p(), beta, linear, true, false, 1.0, 0.0);                       // P^T beta
        return activeSet.solve(gram, linear, Metrics.columnEnergies(beta), codes, warmStart);
    }

    /**
     * x_rec = C Phi a for codes a (e.g. g(beta)).
     *
     * @param dictionary  Phi, n x N
     * @param codes       N x B
     * @param unwhitening C, n x n, or null for the identity
     * @param out         n x B FLOAT, overwritten
     * @return out
     */
    public static INDArray reconstruct(Dictionary dictionary, INDArray codes, INDArray unwhitening, INDArray out) {
        if (unwhitening == null) {
            return Metrics.reconstruct(dictionary.phi(), codes, out);
        }
        if (unwhitening.rows() != out.rows() || unwhitening.columns() != dictionary.atomDim()) {
            throw new IllegalArgumentException("Unwhitening operator has shape " + Arrays.toString(unwhitening.shape())
                    + ", expected [" + out.rows() + ", " + dictionary.atomDim() + "]");
        }
        try (MemoryWorkspace ws = Scratch.open(WORKSPACE)) {
            INDArray whitened = Nd4j.createUninitialized(DataType.FLOAT,
                    new long[] {dictionary.atomDim(), codes.columns()}, 'f');
            Metrics.reconstruct(dictionary.phi(), codes, whitened);
            return Nd4j.gemm(unwhitening.castTo(DataType.FLOAT), whitened, out, false, false, 1.0, 0.0);
        }
    }

    /**
     * 1/2 ||beta - P a||^2 + sum_b lambda_b z^T a_b in double, for codes a (not the scaled c), with each
     * column's lambda ({@link #lambdaPerColumn}).
     *
     * @param embedding P
     * @param beta      f x B
     * @param codes     a, N x B
     */
    public double objective(Embedding embedding, INDArray beta, INDArray codes) {
        INDArray lambda = lambdas(embedding, beta);
        try (MemoryWorkspace ws = Scratch.open(WORKSPACE)) {
            INDArray r = beta.castTo(DataType.DOUBLE);
            INDArray a = codes.castTo(DataType.DOUBLE);
            r.subi(embedding.p().castTo(DataType.DOUBLE).mmul(a));
            double error = r.norm2Number().doubleValue();
            INDArray weighted = embedding.columnNorms().castTo(DataType.DOUBLE).reshape(1, a.rows()).mmul(a);
            double penalty = weighted.mul(lambda).sumNumber().doubleValue();
            return 0.5 * error * error + penalty;
        }
    }

    /**
     * The lambda each column of {@code beta} is solved with, 1 x B in double.
     *
     * @param embedding P
     * @param beta      f x B FLOAT
     */
    public double[] lambdaPerColumn(Embedding embedding, INDArray beta) {
        return lambdas(embedding, beta).toDoubleVector();
    }

    /**
     * The gradient with respect to a of the smooth part 1/2 ||beta - P a||^2, P^T (P a - beta),
     * computed as the solver sees it: Z^-1 (M^T (M c - beta)) at c = Z a, M = P Z^-1.
     *
     * @param embedding P
     * @param beta      f x B FLOAT
     * @param codes     a, N x B FLOAT
     * @param out       N x B FLOAT, overwritten
     * @return out
     */
    public INDArray smoothGradient(Embedding embedding, INDArray beta, INDArray codes, INDArray out) {
        LassoOperator op = operator(embedding);
        INDArray scaled = codes.dup('f').muliColumnVector(norms);
        SparseCoder.smoothGradient(op.matrix(), beta, scaled, out);
        return out.muliColumnVector(norms);
    }

    /** The fixed lambda, or with {@link #relative} the fraction of lambda_max. */
    public double lambda() {
        return coder.lambda();
    }

    /** Whether {@link #lambda()} is a fraction of each column's lambda_max. */
    public boolean isRelative() {
        return relative;
    }

    /** The operator P Z^-1 of the current embedding version (rebuilt on change). */
    LassoOperator operator(Embedding embedding) {
        if (embedding != cachedEmbedding || embedding.version() != cachedVersion) {
            INDArray p = embedding.p();
            INDArray z = embedding.columnNorms();                          // N x 1 double
            INDArray inv = safeReciprocal(z);
            norms = Scratch.buffer(p.columns(), 1).assign(z);
            inverseNorms = Scratch.buffer(p.columns(), 1).assign(inv);
            INDArray m = Scratch.buffer(p.rows(), p.columns()).assign(p);
            m.muliRowVector(inverseNorms.reshape(1, p.columns()));
            operator = LassoOperator.wrap(m, null);
            cachedEmbedding = embedding;
            cachedVersion = embedding.version();
        }
        return operator;
    }

    /** 1/v entry by entry, with 0 where v is 0 (a new array of v's type). */
    static INDArray safeReciprocal(INDArray v) {
        INDArray inv = Transforms.pow(v, -1, true);
        BooleanIndexing.replaceWhere(inv, 0.0, Conditions.isInfinite());
        return inv;
    }
}
