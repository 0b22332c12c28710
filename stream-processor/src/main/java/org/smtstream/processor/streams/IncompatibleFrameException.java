package org.smtstream.processor.streams;

/**
 * A patch frame this processor cannot use: valid on the wire, but cut with another geometry than
 * the model's (frame size, patch size, stride), or carrying non-finite values. Never thrown to Kafka
 * Streams: its class and message name the reason in the dead-letter record's headers.
 */
public final class IncompatibleFrameException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public IncompatibleFrameException(String message) {
        super(message, null, false, false);
    }
}
