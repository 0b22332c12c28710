/**
 * ND4J plumbing the rest of the math stands on: process-wide set-up ({@link
 * org.smtstream.processor.math.linalg.Nd4jRuntime}, {@link org.smtstream.processor.math.linalg.BackendSelection}),
 * BLAS level-1 calls on whole buffers ({@link org.smtstream.processor.math.linalg.Blas1}), per-iteration
 * workspaces ({@link org.smtstream.processor.math.linalg.Scratch}), the symmetric eigen-decomposition
 * through LAPACK ({@link org.smtstream.processor.math.linalg.SymmetricEigen}), power iteration for
 * ||Phi||_2^2 ({@link org.smtstream.processor.math.linalg.SpectralNorm}) and reconstruction quality
 * ({@link org.smtstream.processor.math.linalg.Metrics}). Knows nothing of the SMT.
 */
package org.smtstream.processor.math.linalg;
