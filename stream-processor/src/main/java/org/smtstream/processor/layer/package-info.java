/**
 * One SMT layer as the stream and the offline tools run it: the parts of a model version inference
 * needs ({@link org.smtstream.processor.layer.LayerModel}), the per-frame inference on a frame's
 * patches ({@link org.smtstream.processor.layer.FrameInference}) and the single writer that learns Phi,
 * V and P from coded frames ({@link org.smtstream.processor.layer.OnlineSmtLearner}).
 */
package org.smtstream.processor.layer;
