package org.smtstream.processor.math.coding;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Outcome of one batched positive sparse-coding solve (thesis eq. 2.4).
 *
 * @param codes      A, N x B, non-negative: the caller's array, now holding the solution
 * @param iterations solver iterations used (at most maxIterations)
 * @param objective  1/2 ||X - Phi A||_F^2 + lambda sum(A) at the returned A, summed over the B patches,
 *                   computed in double
 * @param dualityGap the duality gap at the returned A, summed over the batch: an upper bound of
 *                   objective - optimum ({@link ActiveSetSolver}); NaN where the solver does not compute it
 */
public record SparseCodingResult(INDArray codes, int iterations, double objective, double dualityGap) {

    /** A result without a duality gap (FISTA and ISTA stop on the relative change). */
    public SparseCodingResult(INDArray codes, int iterations, double objective) {
        this(codes, iterations, objective, Double.NaN);
    }
}
