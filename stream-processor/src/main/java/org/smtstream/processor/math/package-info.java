/**
 * The SMT math on ND4J, with no Kafka, in four layers that depend only downwards:
 * {@code linalg} (BLAS/LAPACK plumbing, eigen-decomposition, spectral norm, quality measures),
 * {@code coding} (the positive lasso and its solvers, the dictionary and its online update),
 * {@code embedding} (the moments V and S, the embedding P of eq. 3.3 and appendix A.1, its inverse
 * g(beta) of eq. 3.1 and the manifold-regularized inference of eq. 3.4) and {@code analysis}
 * (curvature, affinity groups, needle fits).
 *
 * <p>Conventions shared by all of them: a batch of B patches is the n x B matrix X with one patch per
 * column; the dictionary Phi is n x N with unit-norm columns (atoms); codes alpha are the N x B matrix
 * A. Arrays are FLOAT and column-major, which makes X and A share the patch-major layout of the wire
 * records. Objectives and stopping tests are computed in double. Nothing here is thread-safe: one
 * instance per thread.
 */
package org.smtstream.processor.math;
