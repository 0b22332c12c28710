/**
 * The SMT math on ND4J, with no Kafka: positive sparse coding ({@link org.smtstream.processor.math.SparseCoder},
 * thesis eq. 2.4), online dictionary learning ({@link org.smtstream.processor.math.DictionaryLearner}),
 * the spectral norm that sets the coder's step ({@link org.smtstream.processor.math.SpectralNorm}),
 * quality measures ({@link org.smtstream.processor.math.Metrics}), patch geometry
 * ({@link org.smtstream.processor.math.PatchGrid}) and the per-frame combination of them
 * ({@link org.smtstream.processor.math.OnlineSparseCoding}). Patch-level whitening operators with their
 * inverses ({@link org.smtstream.processor.math.Whitening}: {@link org.smtstream.processor.math.FourierWhitening},
 * {@link org.smtstream.processor.math.ZcaWhitening}) and the analysis tools: trajectory curvature
 * ({@link org.smtstream.processor.math.Curvature}), affinity groups
 * ({@link org.smtstream.processor.math.AffinityGroups}), needle fits of atoms and the thesis's
 * neighbour check ({@link org.smtstream.processor.math.NeedleFit}, {@link org.smtstream.processor.math.NeedleComparison}),
 * and the data term of the embedding without time ({@link org.smtstream.processor.math.NonTemporalEmbedding}).
 *
 * <p>The embedding half of the SMT: the statistics it is fitted to, V = E[alpha alpha^T] and
 * &lt;alpha&gt; ({@link org.smtstream.processor.math.RunningMoments}) and the second differences A D of
 * each location's own code sequence ({@link org.smtstream.processor.math.SecondDifference},
 * {@link org.smtstream.processor.math.CodeHistory}); the embedding P ({@link org.smtstream.processor.math.Embedding}),
 * fitted analytically (eq. 3.3, {@link org.smtstream.processor.math.AnalyticEmbedding}) or online (appendix A.1,
 * {@link org.smtstream.processor.math.OnlineEmbedding}); its inverse g(beta) (eq. 3.1,
 * {@link org.smtstream.processor.math.EmbeddingInverse}) and manifold-regularized inference (eq. 3.4,
 * {@link org.smtstream.processor.math.ManifoldInference}), both reduced to the positive weighted lasso
 * that {@link org.smtstream.processor.math.SparseCoder} solves over a {@link org.smtstream.processor.math.LassoOperator}.
 * The straightening measurement of DESIGN.md section 3a (train on 70 % of a clip, curvature of pixels, alpha,
 * beta and three controls on the rest) is {@link org.smtstream.processor.math.StraighteningProtocol}.
 *
 * <p>Conventions: a batch of B patches is the n x B matrix X with one patch per column; the
 * dictionary Phi is n x N with unit-norm columns (atoms); codes alpha are the N x B matrix A. Arrays
 * are FLOAT and column-major, which makes X and A share the patch-major layout of the wire records.
 * Objectives and stopping tests are reported in double. Nothing here is thread-safe: one instance per
 * thread.
 */
package org.smtstream.processor.math;
