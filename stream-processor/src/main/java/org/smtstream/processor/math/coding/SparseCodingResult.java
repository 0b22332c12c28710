package org.smtstream.processor.math.coding;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Outcome of one batched positive sparse-coding solve (thesis eq. 2.4).
 *
 * @param codes      A, N x B, non-negative: the caller's array, now holding the solution
 * @param iterations solver iterations used (at most maxIterations)
 * @param objective  1/2 ||X - Phi A||_F^2 + lambda sum(A) at the returned A, summed over the B patches,
 *                   computed in double
 */
public record SparseCodingResult(INDArray codes, int iterations, double objective) {
}
