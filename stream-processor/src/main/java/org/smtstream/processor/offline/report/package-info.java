/**
 * Writes an evaluation as {@code report.json}, {@code report.md} and PNG figures
 * ({@link org.smtstream.processor.offline.report.EvaluationReport}, {@link
 * org.smtstream.processor.offline.report.Plots}).
 */
package org.smtstream.processor.offline.report;
