/**
 * The embedding half of one SMT layer: the statistics it is fitted to, V = E[alpha alpha^T] and
 * &lt;alpha&gt; ({@link org.smtstream.processor.math.embedding.RunningMoments}), the second differences A D
 * of each location's own code sequence ({@link org.smtstream.processor.math.embedding.SecondDifference},
 * {@link org.smtstream.processor.math.embedding.CodeHistory}); the embedding P
 * ({@link org.smtstream.processor.math.embedding.Embedding}) fitted analytically (eq. 3.3,
 * {@link org.smtstream.processor.math.embedding.AnalyticEmbedding}) or online (appendix A.1,
 * {@link org.smtstream.processor.math.embedding.OnlineEmbedding}); its inverse g(beta) (eq. 3.1,
 * {@link org.smtstream.processor.math.embedding.EmbeddingInverse}) and manifold-regularized inference
 * (eq. 3.4, {@link org.smtstream.processor.math.embedding.ManifoldInference}), both reduced to the
 * positive weighted lasso of the {@code coding} package (as an operator for FISTA, in quadratic form for
 * the working-set solver).
 */
package org.smtstream.processor.math.embedding;
