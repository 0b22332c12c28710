package org.smtstream.processor.math.coding;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.SmtConfig;
import org.smtstream.processor.math.linalg.Metrics;
import org.smtstream.processor.math.linalg.Scratch;

/**
 * Positive sparse coding (eq. 2.4) by the working-set solver: H = Phi^T Phi is computed once per
 * dictionary version and cached ({@link GramLasso}); per batch it costs the one GEMM b = Phi^T X and
 * then work on the atoms that can be active ({@link ActiveSetSolver}). It stops on the duality gap,
 * so its result is certified to within the tolerance of the optimum; {@link SparseCoder} is the dense
 * FISTA reference it is checked against.
 *
 * <p>Not thread-safe: one coder per thread (ARCHITECTURE.md, trap T2).
 */
public final class ActiveSetCoder implements PatchCoder {

    private final ActiveSetSolver solver;
    private Dictionary cachedDictionary;
    private long cachedVersion = -1;
    private GramLasso problem;
    private INDArray linear;

    /**
     * @param lambda        l1 weight, &gt;= 0
     * @param maxIterations cap on inner iterations, &gt;= 1
     * @param tolerance     duality gap relative to the objective at which to stop
     */
    public ActiveSetCoder(double lambda, int maxIterations, double tolerance) {
        this.solver = new ActiveSetSolver(lambda, maxIterations, tolerance);
    }

    /** A coder with the lambda, iteration cap and tolerance of {@code config}. */
    public static ActiveSetCoder of(SmtConfig config) {
        return new ActiveSetCoder(config.lambda(), config.maxIterations(), config.tolerance());
    }

    @Override
    public SparseCodingResult encode(Dictionary dictionary, INDArray x, INDArray codes, boolean warmStart) {
        GramLasso gram = problem(dictionary);
        if (linear == null || linear.rows() != dictionary.size() || linear.columns() != x.columns()) {
            linear = Scratch.buffer(dictionary.size(), x.columns());
        }
        Nd4j.gemm(dictionary.phi(), x, linear, true, false, 1.0, 0.0);             // b = Phi^T X
        return solver.solve(gram, linear, Metrics.columnEnergies(x), codes, warmStart);
    }

    /** Phi^T Phi of this dictionary version, scaled; rebuilt when the dictionary or its version changes. */
    public GramLasso problem(Dictionary dictionary) {
        if (dictionary != cachedDictionary || dictionary.version() != cachedVersion) {
            problem = GramLasso.of(dictionary.phi(), null);
            cachedDictionary = dictionary;
            cachedVersion = dictionary.version();
        }
        return problem;
    }

    public ActiveSetSolver solver() {
        return solver;
    }
}
