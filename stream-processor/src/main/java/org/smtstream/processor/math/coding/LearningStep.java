package org.smtstream.processor.math.coding;

/**
 * Outcome of one online dictionary update.
 *
 * @param version        dictionary version after the step (unchanged when rejected)
 * @param accepted       false when the step produced NaN/Inf atoms and the last good Phi was kept
 * @param reseededAtoms  atoms that had been inactive for the whole window and were replaced by
 *                       high-residual patches of this batch
 */
public record LearningStep(long version, boolean accepted, int reseededAtoms) {
}
