/**
 * The SMT math on ND4J, with no Kafka: positive sparse coding ({@link org.smtstream.processor.math.SparseCoder},
 * thesis eq. 2.4), online dictionary learning ({@link org.smtstream.processor.math.DictionaryLearner}),
 * the spectral norm that sets the coder's step ({@link org.smtstream.processor.math.SpectralNorm}),
 * quality measures ({@link org.smtstream.processor.math.Metrics}), patch geometry
 * ({@link org.smtstream.processor.math.PatchGrid}) and the per-frame combination of them
 * ({@link org.smtstream.processor.math.OnlineSparseCoding}).
 *
 * <p>Conventions: a batch of B patches is the n x B matrix X with one patch per column; the
 * dictionary Phi is n x N with unit-norm columns (atoms); codes alpha are the N x B matrix A. Arrays
 * are FLOAT and column-major, which makes X and A share the patch-major layout of the wire records.
 * Objectives and stopping tests are reported in double. Nothing here is thread-safe: one instance per
 * thread.
 */
package org.smtstream.processor.math;
