package org.smtstream.processor.math.linalg;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ||Phi||_2^2, the largest eigenvalue of Phi^T Phi, by power iteration. It is the Lipschitz constant
 * of the gradient Phi^T (Phi a - x) of the sparse-coding data term, so 1/L is the largest safe step of
 * ISTA/FISTA.
 *
 * <p>Each step applies Phi and then Phi^T to a unit vector v (two matrix-vector products, never the
 * N x N Gram matrix); the Rayleigh quotient ||Phi v||^2 approaches sigma_max^2 from below, with error
 * shrinking like (sigma_2 / sigma_1)^(2k). Warm-starting v from the previous dictionary version makes
 * a small online update cost a few steps.
 */
public final class SpectralNorm {

    private static final String WORKSPACE = "smt-spectral-norm";

    private SpectralNorm() {
    }

    /**
     * Estimates sigma_max(Phi)^2 from a seeded random start.
     *
     * @param phi           n x N
     * @param maxIterations cap on power steps
     * @param tolerance     stop when the estimate changes by less than this, relatively
     */
    public static double squared(INDArray phi, int maxIterations, double tolerance) {
        INDArray v = startVector(phi.columns());
        return squared(phi, v, maxIterations, tolerance);
    }

    /**
     * A seeded, generic N x 1 start vector outside any workspace. The power method fails only for a
     * start orthogonal to the top singular vector, which a structured start (all ones) can be for
     * structured dictionaries.
     */
    public static INDArray startVector(long size) {
        SplittableRandom random = new SplittableRandom(7L);
        INDArray v = Scratch.buffer(size, 1);
        for (long j = 0; j < size; j++) {
            v.putScalar(j, 2 * random.nextDouble() - 1);
        }
        return v;
    }

    /**
     * Estimates sigma_max(Phi)^2 starting from {@code v}.
     *
     * @param phi           n x N
     * @param v             N x 1 start vector, not zero; overwritten with the unit-norm estimate of the
     *                      top right singular vector, ready to warm-start the next call
     * @param maxIterations cap on power steps (at least 1 is taken)
     * @param tolerance     stop when the estimate changes by less than this, relatively
     * @return the Rayleigh quotient ||Phi v||^2 / ||v||^2 at the last step, a lower bound of
     *         sigma_max^2
     */
    public static double squared(INDArray phi, INDArray v, int maxIterations, double tolerance) {
        if (v.length() != phi.columns()) {
            throw new IllegalArgumentException("Start vector has " + v.length() + " entries, Phi has "
                    + phi.columns() + " columns");
        }
        double estimate = 0;
        try (MemoryWorkspace ws = Scratch.open(WORKSPACE)) {
            INDArray w = Nd4j.createUninitialized(DataType.FLOAT, phi.rows(), 1);
            INDArray next = Nd4j.createUninitialized(DataType.FLOAT, phi.columns(), 1);
            double norm = Blas1.norm(v);
            if (!(norm > 0) || !Double.isFinite(norm)) {
                throw new IllegalArgumentException("Start vector must be finite and not zero, norm " + norm);
            }
            v.divi(norm);
            for (int k = 0; k < Math.max(1, maxIterations); k++) {
                Nd4j.gemm(phi, v, w, false, false, 1.0, 0.0);        // w = Phi v
                Nd4j.gemm(phi, w, next, true, false, 1.0, 0.0);      // next = Phi^T Phi v
                double wNorm = Blas1.norm(w);
                double previous = estimate;
                estimate = wNorm * wNorm;                             // v^T Phi^T Phi v, ||v|| = 1
                double nextNorm = Blas1.norm(next);
                if (!(nextNorm > 0)) {
                    return estimate;                                  // Phi v = 0: Phi is zero on span(v)
                }
                v.assign(next).divi(nextNorm);
                if (k > 0 && Math.abs(estimate - previous) <= tolerance * estimate) {
                    break;
                }
            }
        }
        return estimate;
    }
}
