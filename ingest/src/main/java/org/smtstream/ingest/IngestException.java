package org.smtstream.ingest;

/**
 * A failure of ingest that a user can act on: a file that cannot be opened or decoded, a frame
 * format the preprocessor does not handle, or records Kafka refused. The message names the input
 * and the reason, so it can be shown as-is without a stack trace.
 */
public class IngestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public IngestException(String message) {
        super(message);
    }

    public IngestException(String message, Throwable cause) {
        super(message, cause);
    }
}
