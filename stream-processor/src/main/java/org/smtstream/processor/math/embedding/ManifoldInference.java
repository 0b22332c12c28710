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
import org.smtstream.processor.math.coding.ActiveSetCoder;
import org.smtstream.processor.math.coding.ActiveSetSolver;
import org.smtstream.processor.math.coding.Dictionary;
import org.smtstream.processor.math.coding.GramLasso;
import org.smtstream.processor.math.coding.LassoOperator;
import org.smtstream.processor.math.coding.PatchCoder;
import org.smtstream.processor.math.coding.SparseCoder;
import org.smtstream.processor.math.coding.SparseCodingResult;
import org.smtstream.processor.math.linalg.Metrics;
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
 * <p>With the ACTIVE_SET solver the same problem goes to {@link ActiveSetSolver} in quadratic form:
 * H = Phi^T Phi + gamma0 P^T P (N x N, cached per model version, Jacobi-scaled by the same d),
 * b = Phi^T x + gamma0 P^T (P a~) and ||y||^2 = ||x||^2 + gamma0 ||P a~||^2 of the stacked target, so
 * the objective is the same and the solver stops on its duality gap.
 *
 * <p>gamma0 = 0, or no prediction (fewer than two frames since a cut), is eq. 2.4: the call is the
 * plain coder's {@link PatchCoder#encode} itself ({@link SparseCoder} or {@link ActiveSetCoder},
 * warm-started from max(a~_t, 0) when a prediction is given), so it reproduces plain coding exactly.
 *
 * <p>The stacked operator (n + f) x N and the Gram matrix are rebuilt when the dictionary, the
 * embedding or either version changes. Not thread-safe (ARCHITECTURE.md, trap T2).
 */
public final class ManifoldInference {

    private static final String WORKSPACE = "smt-manifold-inference";

    private final double lambda;
    private final double gamma0;
    private final PatchCoder plain;
    private final SparseCoder coder;          // FISTA/ISTA on the stacked operator; its settings otherwise
    private final ActiveSetSolver activeSet;  // null unless the solver is ACTIVE_SET

    private Dictionary cachedDictionary;
    private long cachedDictionaryVersion = -1;
    private Embedding cachedEmbedding;
    private long cachedEmbeddingVersion = -1;
    private LassoOperator operator;   // [Phi; sqrt(gamma0) P] diag(1/d), weights 1/d
    private INDArray scaling;         // d, N x 1 FLOAT
    private INDArray inverseScaling;  // 1/d, N x 1 FLOAT
    private INDArray targets;         // [X; sqrt(gamma0) P a~], (n + f) x B
    private INDArray projected;       // P a~, f x B
    private GramLasso gram;           // Phi^T Phi + gamma0 P^T P, scaled (ACTIVE_SET)
    private long gramDictionaryVersion = -1;
    private long gramEmbeddingVersion = -1;
    private Dictionary gramDictionary;
    private Embedding gramEmbedding;
    private INDArray linear;          // Phi^T X + gamma0 P^T P a~, N x B (ACTIVE_SET)

    /**
     * @param lambda        l1 weight (1/2 convention, as {@link SparseCoder}), &gt;= 0
     * @param gamma0        weight of the manifold term, &gt;= 0 (0 = eq. 2.4)
     * @param solver        ACTIVE_SET, FISTA or ISTA
     * @param maxIterations iteration cap
     * @param tolerance     relative duality gap (ACTIVE_SET) or relative-change (FISTA, ISTA) stopping threshold
     */
    public ManifoldInference(double lambda, double gamma0, Solver solver, int maxIterations, double tolerance) {
        if (!(gamma0 >= 0) || !Double.isFinite(gamma0)) {
            throw new IllegalArgumentException("Invalid gamma0: " + gamma0);
        }
        this.lambda = lambda;
        this.gamma0 = gamma0;
        boolean activeSetSolver = solver == Solver.ACTIVE_SET;
        this.coder = new SparseCoder(lambda, activeSetSolver ? Solver.FISTA : solver, maxIterations, tolerance);
        ActiveSetCoder activeSetCoder = activeSetSolver ? new ActiveSetCoder(lambda, maxIterations, tolerance) : null;
        this.plain = activeSetSolver ? activeSetCoder : coder;
        this.activeSet = activeSetSolver ? activeSetCoder.solver() : null;
    }

    /** Inference with the coder settings and gamma0 of {@code config}. */
    public static ManifoldInference of(SmtConfig config) {
        return new ManifoldInference(config.lambda(), config.gamma0(), config.solver(), config.maxIterations(),
                config.tolerance());
    }

    /**
     * Codes one batch, warm-started from max(a~_t, 0).
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
        }                                                                     // the solvers clip at 0
        return solve(dictionary, embedding, x, prediction, codes, prediction != null);
    }

    /**
     * Codes one batch from a given start: the same problem as {@link #infer}, for callers that have a
     * better start than the prediction (the previous frame's codes are one: a~ extrapolates the
     * frame-to-frame noise of the codes as well).
     *
     * @param codes     N x B FLOAT: the start when {@code warmStart} (clipped at 0), then the solution
     * @param warmStart start from {@code codes} instead of 0
     */
    public SparseCodingResult solve(Dictionary dictionary, Embedding embedding, INDArray x, INDArray prediction,
                                    INDArray codes, boolean warmStart) {
        if (prediction != null) {
            requireShape("prediction", prediction, dictionary.size(), x.columns());
        }
        if (gamma0 == 0 || prediction == null) {
            return plain.encode(dictionary, x, codes, warmStart);
        }
        if (!warmStart) {
            codes.assign(0);
        }
        if (activeSet != null) {
            return inferByActiveSet(dictionary, embedding, x, prediction, codes);
        }
        LassoOperator op = operator(dictionary, embedding);
        requireShape("X", x, dictionary.atomDim(), x.columns());
        fillTargets(x, prediction, embedding);
        Transforms.relu(codes, false);
        codes.muliColumnVector(scaling);                                      // c = d * max(start, 0)
        SparseCodingResult result = coder.solve(op, targets, codes, true);
        codes.muliColumnVector(inverseScaling);                               // a = c / d
        return new SparseCodingResult(codes, result.iterations(), result.objective());
    }

    /** Eq. 3.4 in quadratic form: b = Phi^T X + gamma0 P^T (P A~), started from {@code codes}. */
    private SparseCodingResult inferByActiveSet(Dictionary dictionary, Embedding embedding, INDArray x,
                                                INDArray prediction, INDArray codes) {
        requireShape("X", x, dictionary.atomDim(), x.columns());
        GramLasso problem = gram(dictionary, embedding);
        int batch = x.columns();
        if (linear == null || linear.columns() != batch || linear.rows() != dictionary.size()) {
            linear = Scratch.buffer(dictionary.size(), batch);
        }
        if (projected == null || projected.columns() != batch || projected.rows() != embedding.dimension()) {
            projected = Scratch.buffer(embedding.dimension(), batch);
        }
        Nd4j.gemm(embedding.p(), prediction, projected, false, false, 1.0, 0.0);            // P a~
        Nd4j.gemm(dictionary.phi(), x, linear, true, false, 1.0, 0.0);                      // Phi^T x
        Nd4j.gemm(embedding.p(), projected, linear, true, false, gamma0, 1.0);              // + gamma0 P^T P a~
        double[] energy = Metrics.columnEnergies(x);
        double[] predicted = Metrics.columnEnergies(projected);
        for (int b = 0; b < batch; b++) {
            energy[b] += gamma0 * predicted[b];                                             // ||y||^2, stacked
        }
        return activeSet.solve(problem, linear, energy, codes, true);
    }

    /** H = Phi^T Phi + gamma0 P^T P of this model version, scaled; rebuilt when either version changes. */
    private GramLasso gram(Dictionary dictionary, Embedding embedding) {
        requireModel(dictionary, embedding);
        if (dictionary != gramDictionary || dictionary.version() != gramDictionaryVersion
                || embedding != gramEmbedding || embedding.version() != gramEmbeddingVersion) {
            try (MemoryWorkspace ws = Scratch.open(WORKSPACE)) {
                INDArray stacked = Nd4j.vstack(dictionary.phi(), embedding.p().mul(Math.sqrt(gamma0)));
                gram = GramLasso.of(stacked, null);   // M = [Phi; sqrt(gamma0) P]
            }
            gramDictionary = dictionary;
            gramDictionaryVersion = dictionary.version();
            gramEmbedding = embedding;
            gramEmbeddingVersion = embedding.version();
        }
        return gram;
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
            double value = 0.5 * data * data + lambda * a.sumNumber().doubleValue();
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
        return lambda;
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

    private static void requireModel(Dictionary dictionary, Embedding embedding) {
        if (embedding == null) {
            throw new IllegalArgumentException("gamma0 > 0 needs an embedding P");
        }
        if (embedding.size() != dictionary.size()) {
            throw new IllegalArgumentException("P has " + embedding.size() + " columns but Phi has "
                    + dictionary.size() + " atoms");
        }
    }

    private LassoOperator operator(Dictionary dictionary, Embedding embedding) {
        requireModel(dictionary, embedding);
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
