/**
 * What a model does to a recording, measured: the held-out straightening protocol with its controls
 * ({@link org.smtstream.processor.offline.evaluation.StraighteningProtocol}), the evaluation of one model
 * on one clip ({@link org.smtstream.processor.offline.evaluation.ClipEvaluation}), a second stacked layer
 * ({@link org.smtstream.processor.offline.evaluation.TwoLayerSmt}) and the unit-disc demonstration of
 * thesis figure 3.2 ({@link org.smtstream.processor.offline.evaluation.UnitDiscDemo}).
 */
package org.smtstream.processor.offline.evaluation;
