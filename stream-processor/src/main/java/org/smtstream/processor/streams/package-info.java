/**
 * The Kafka Streams side of the processor: {@link org.smtstream.processor.streams.SmtTopology} (the
 * topology and its Streams configuration), the per-task
 * {@link org.smtstream.processor.streams.InferenceProcessor} that calls the math, and
 * {@link org.smtstream.processor.streams.SmtProcessor}, the runner the deploy module starts.
 */
package org.smtstream.processor.streams;
