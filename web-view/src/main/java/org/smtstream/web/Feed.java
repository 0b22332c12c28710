package org.smtstream.web;

/**
 * What fills the {@link LiveState} (the Kafka {@link PipelineFeed} in production, a stub in tests)
 * and answers {@code /health}.
 */
public interface Feed extends AutoCloseable {

    /** Whether the feed is delivering, and a sentence a person can act on. */
    record Status(boolean running, String detail) {
    }

    /** Starts delivering in the background; returns at once. */
    void start();

    Status status();

    /** Stops delivering and releases resources; safe to call twice or before {@link #start()}. */
    @Override
    void close();
}
