/**
 * Measures of what a model does, used by the live processor and the offline evaluation: trajectory
 * curvature ({@link org.smtstream.processor.math.analysis.Curvature},
 * {@link org.smtstream.processor.math.analysis.CurvatureWindow}), affinity groups of the embedding
 * ({@link org.smtstream.processor.math.analysis.AffinityGroups}), needle fits of atoms and the thesis's
 * neighbour check ({@link org.smtstream.processor.math.analysis.NeedleFit},
 * {@link org.smtstream.processor.math.analysis.NeedleComparison}), and frames taken back from whitened
 * to image space ({@link org.smtstream.processor.math.analysis.Unwhitening}).
 */
package org.smtstream.processor.math.analysis;
