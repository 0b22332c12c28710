package org.smtstream.processor.math.embedding;
import static org.smtstream.processor.math.linalg.Shapes.requireShape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtConfig.Solver;
import org.smtstream.processor.math.coding.Dictionary;
import org.smtstream.processor.math.coding.LassoOperator;
import org.smtstream.processor.math.coding.SparseCoder;
import org.smtstream.processor.math.coding.SparseCodingResult;
import org.smtstream.processor.math.linalg.Scratch;

/**
 * Sparse inference with manifold-embedding regularization, thesis eq. 3.4, batched:
 * <pre>
 *   min_a  1/2 ||x_t - Phi a||^2 + lambda ||a||_1 + gamma0/2 ||P (a - a~_t)||^2   subject to a &gt;= 0,
 *   a~_t = alpha_{t-1} + (alpha_{t-1} - alpha_{t-2})  (the causal linear prediction, {@link CodeHistory})
 * </pre>
 * Convention: the thesis writes ||x - Phi a||^2 + lambda_T ||a||_1 + gamma0 ||P(a - a~)||^2; halving it
 * gives the form above with lambda = lambda_T / 2 and the SAME gamma0. The lambda is the one of
 * {@link SparseCoder} (eq. 2.4 in the 1/2 convention), so gamma0 = 0 is plain sparse coding.
 *
 * <p>The two quadratic terms are one least-squares term over the stacked operator:
 * 1/2 ||[x; sqrt(gamma0) P a~] - [Phi; sqrt(gamma0) P] a||^2. Plain FISTA on it stalls with an
 * analytic P (ARCHITECTURE.md, trap T22): rarely used atoms have huge columns p_j, so ||P^T P|| and with it the
 * Lipschitz constant explode and the step 1/L becomes tiny for every atom. Hence the diagonal
 * preconditioning: solve for c = d * a with
 * <pre>
 *   d_j = sqrt(||phi_j||^2 + gamma0 ||p_j||^2),   M = [Phi; sqrt(gamma0) P] diag(1/d)  (unit columns),
 *   min_c 1/2 ||[x; sqrt(gamma0) P a~] - M c||^2 + lambda sum_j c_j / d_j,  c &gt;= 0   (threshold lambda/d_j)
 * </pre>
 * an exact change of variables (same minimizer a = c / d, same objective value) solved by
 * {@link SparseCoder#solve} with weights 1/d_j. The warm start is max(a~_t, 0).
 *
 * <p>gamma0 = 0, or no prediction (fewer than two frames since a cut), is eq. 2.4: the call is
 * {@link SparseCoder#encode} itself (warm-started from max(a~_t, 0) when a prediction is given), so
 * it reproduces plain coding exactly.
 *
 * <p>The stacked operator (n + f) x N is rebuilt when the dictionary, the embedding or either version
 * changes. Not thread-safe (ARCHITECTURE.md, trap T2).
 */
public final class ManifoldInference {

    private static final String WORKSPACE = "smt-manifold-inference";

    private final double gamma0;
    private final SparseCoder coder;

    private Dictionary cachedDictionary;
    private long cachedDictionaryVersion = -1;
    private Embedding cachedEmbedding;
    private long cachedEmbeddingVersion = -1;
    private LassoOperator operator;   // [Phi; sqrt(gamma0) P] diag(1/d), weights 1/d
    private INDArray scaling;         // d, N x 1 FLOAT
    private INDArray inverseScaling;  // 1/d, N x 1 FLOAT
    private INDArray targets;         // [X; sqrt(gamma0) P a~], (n + f) x B
    private INDArray projected;       // P a~, f x B

    /**
     * @param lambda        l1 weight (1/2 convention, as {@link SparseCoder}), &gt;= 0
     * @param gamma0        weight of the manifold term, &gt;= 0 (0 = eq. 2.4)
     * @param solver        FISTA or ISTA
     * @param maxIterations iteration cap
     * @param tolerance     relative-change stopping threshold
     */
    public ManifoldInference(double lambda, double gamma0, Solver solver, int maxIterations, double tolerance) {
        if (!(gamma0 >= 0) || !Double.isFinite(gamma0)) {
            throw new IllegalArgumentException("Invalid gamma0: " + gamma0);
        }
        this.gamma0 = gamma0;
        this.coder = new SparseCoder(lambda, solver, maxIterations, tolerance);
    }

    /** Inference with the coder settings and gamma0 of {@code config}. */
    public static ManifoldInference of(SmtConfig config) {
        return new ManifoldInference(config.lambda(), config.gamma0(), config.solver(), config.maxIterations(),
                config.tolerance());
    }

    /**
     * Codes one batch.
     *
     * @param dictionary Phi, n x N
     * @param embedding  P, f x N (unused when gamma0 = 0 or prediction is null; may then be null)
     * @param x          X, n x B FLOAT
     * @param prediction a~_t, N x B FLOAT, or null when the history is too short
     * @param codes      N x B FLOAT, overwritten with the solution
     * @return the solution (the caller's {@code codes}), iterations, and the objective of eq. 3.4 in
     *         the 1/2 convention (eq. 2.4 when the manifold term is off)
     */
    public SparseCodingResult infer(Dictionary dictionary, Embedding embedding, INDArray x, INDArray prediction,
                                    INDArray codes) {
        if (prediction != null) {
            requireShape("prediction", prediction, dictionary.size(), x.columns());
            codes.assign(prediction);                                        // warm start max(a~, 0):
        }                                                                     // the coder clips at 0
        if (gamma0 == 0 || prediction == null) {
            return coder.encode(dictionary, x, codes, prediction != null);
        }
        LassoOperator op = operator(dictionary, embedding);
        requireShape("X", x, dictionary.atomDim(), x.columns());
        fillTargets(x, prediction, embedding);
        Transforms.relu(codes, false);
        codes.muliColumnVector(scaling);                                      // c = d * max(a~, 0)
        SparseCodingResult result = coder.solve(op, targets, codes, true);
        codes.muliColumnVector(inverseScaling);                               // a = c / d
        return new SparseCodingResult(codes, result.iterations(), result.objective());
    }

    /**
     * The objective of eq. 3.4 (1/2 convention) in DOUBLE:
     * 1/2||X - Phi A||^2 + lambda sum(A) + gamma0/2 ||P (A - A~)||^2, summed over the batch.
     */
    public double objective(Dictionary dictionary, Embedding embedding, INDArray x, INDArray prediction,
                            INDArray codes) {
        try (MemoryWorkspace ws = Scratch.open(WORKSPACE)) {
            INDArray a = codes.castTo(DataType.DOUBLE);
            INDArray r = x.castTo(DataType.DOUBLE).subi(dictionary.phi().castTo(DataType.DOUBLE).mmul(a));
            double data = r.norm2Number().doubleValue();
            double value = 0.5 * data * data + coder.lambda() * a.sumNumber().doubleValue();
            if (gamma0 > 0 && prediction != null) {
                INDArray e = embedding.p().castTo(DataType.DOUBLE).mmul(a.sub(prediction.castTo(DataType.DOUBLE)));
                double m = e.norm2Number().doubleValue();
                value += 0.5 * gamma0 * m * m;
            }
            return value;
        }
    }

    /**
     * The gradient with respect to a of the smooth part of eq. 3.4,
     * Phi^T (Phi a - x) + gamma0 P^T P (a - a~), computed as the solver sees it:
     * d * (M^T (M c - y)) at c = d * a.
     *
     * @param out N x B FLOAT, overwritten
     * @return out
     */
    public INDArray smoothGradient(Dictionary dictionary, Embedding embedding, INDArray x, INDArray prediction,
                                   INDArray codes, INDArray out) {
        if (gamma0 == 0 || prediction == null) {
            return SparseCoder.smoothGradient(dictionary.phi(), x, codes, out);
        }
        LassoOperator op = operator(dictionary, embedding);
        fillTargets(x, prediction, embedding);
        INDArray c = codes.dup('f').muliColumnVector(scaling);
        SparseCoder.smoothGradient(op.matrix(), targets, c, out);
        return out.muliColumnVector(scaling);
    }

    /** d_j = sqrt(||phi_j||^2 + gamma0 ||p_j||^2), N x 1 FLOAT, of the given model (live). */
    public INDArray scaling(Dictionary dictionary, Embedding embedding) {
        operator(dictionary, embedding);
        return scaling;
    }

    /** The step 1/L of the preconditioned problem is 1 / {@code lipschitz}. */
    public double lipschitz(Dictionary dictionary, Embedding embedding) {
        return operator(dictionary, embedding).lipschitz();
    }

    public double gamma0() {
        return gamma0;
    }

    public double lambda() {
        return coder.lambda();
    }

    private void fillTargets(INDArray x, INDArray prediction, Embedding embedding) {
        int n = x.rows();
        int f = embedding.dimension();
        int batch = x.columns();
        if (targets == null || targets.columns() != batch || targets.rows() != n + f) {
            targets = Scratch.buffer(n + f, batch);
            projected = Scratch.buffer(f, batch);
        }
        Nd4j.gemm(embedding.p(), prediction, projected, false, false, Math.sqrt(gamma0), 0.0);   // sqrt(g) P a~
        targets.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).assign(x);
        targets.get(NDArrayIndex.interval(n, n + f), NDArrayIndex.all()).assign(projected);
    }

    private LassoOperator operator(Dictionary dictionary, Embedding embedding) {
        if (embedding == null) {
            throw new IllegalArgumentException("gamma0 > 0 needs an embedding P");
        }
        if (embedding.size() != dictionary.size()) {
            throw new IllegalArgumentException("P has " + embedding.size() + " columns but Phi has "
                    + dictionary.size() + " atoms");
        }
        if (dictionary == cachedDictionary && dictionary.version() == cachedDictionaryVersion
                && embedding == cachedEmbedding && embedding.version() == cachedEmbeddingVersion) {
            return operator;
        }
        int n = dictionary.atomDim();
        int f = embedding.dimension();
        int size = dictionary.size();
        INDArray matrix = operator != null && operator.rows() == n + f && operator.columns() == size
                ? operator.matrix() : Scratch.buffer(n + f, size);
        if (scaling == null || scaling.length() != size) {
            scaling = Scratch.buffer(size, 1);
            inverseScaling = Scratch.buffer(size, 1);
        }
        try (MemoryWorkspace ws = Scratch.open(WORKSPACE)) {
            INDArray phiNorms = dictionary.phi().castTo(DataType.DOUBLE).norm2(0);
            INDArray pNorms = embedding.p().castTo(DataType.DOUBLE).norm2(0);
            INDArray d = Transforms.sqrt(phiNorms.muli(phiNorms).addi(pNorms.muli(pNorms).muli(gamma0)), false);
            scaling.assign(d.reshape(size, 1));
            inverseScaling.assign(EmbeddingInverse.safeReciprocal(d).reshape(size, 1));
        }
        matrix.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).assign(dictionary.phi());
        matrix.get(NDArrayIndex.interval(n, n + f), NDArrayIndex.all()).assign(embedding.p()).muli(Math.sqrt(gamma0));
        matrix.muliRowVector(inverseScaling.reshape(1, size));
        if (operator == null || operator.matrix() != matrix) {
            operator = LassoOperator.wrap(matrix, inverseScaling);
        } else {
            operator.changed();
        }
        cachedDictionary = dictionary;
        cachedDictionaryVersion = dictionary.version();
        cachedEmbedding = embedding;
        cachedEmbeddingVersion = embedding.version();
        return operator;
    }
}
