package org.smtstream.processor.math.coding;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtConfig.Solver;

/**
 * Positive sparse coding of a batch of patches under a dictionary (thesis eq. 2.4, one column per
 * patch): min_A 1/2 ||X - Phi A||_F^2 + lambda sum(A), A &gt;= 0.
 */
public interface PatchCoder {

    /**
     * Solves for the codes of a batch.
     *
     * @param dictionary Phi (n x N) and its version
     * @param x          X, n x B FLOAT, one whitened patch per column; not modified
     * @param codes      N x B FLOAT; read as the warm start when {@code warmStart} (negative entries are
     *                   clipped to 0), then overwritten with the solution A
     * @param warmStart  start from {@code codes} instead of A = 0
     * @return the solution (same array as {@code codes}), iterations used and the objective
     */
    SparseCodingResult encode(Dictionary dictionary, INDArray x, INDArray codes, boolean warmStart);

    /** The coder {@code config} selects: {@link ActiveSetCoder} for ACTIVE_SET, else {@link SparseCoder}. */
    static PatchCoder of(SmtConfig config) {
        return config.solver() == Solver.ACTIVE_SET ? ActiveSetCoder.of(config) : SparseCoder.of(config);
    }
}
