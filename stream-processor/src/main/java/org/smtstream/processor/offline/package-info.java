/**
 * The SMT on recordings, without Kafka: offline training with checkpoints in the model store
 * ({@link org.smtstream.processor.offline.OfflineTrainer}, the same per-frame inference and learner as
 * the stream), the evaluation of a model on a clip and its report with the thesis's figures
 * ({@link org.smtstream.processor.offline.evaluation.ClipEvaluation},
 * {@link org.smtstream.processor.offline.report.EvaluationReport}), a second stacked layer
 * ({@link org.smtstream.processor.offline.evaluation.TwoLayerSmt}) and a short timing harness
 * ({@link org.smtstream.processor.offline.FrameBench}). Frames arrive already whitened and cut into
 * patches ({@link org.smtstream.processor.offline.Clip}); decoding them is ingest's job.
 */
package org.smtstream.processor.offline;
