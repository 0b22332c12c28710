package org.smtstream.web;

/** A feed the test switches on and off by hand. */
final class StubFeed implements Feed {

    static final String DETAIL = "stub feed";

    volatile boolean started;
    volatile boolean running;
    volatile boolean closed;

    @Override
    public void start() {
        started = true;
    }

    @Override
    public Status status() {
        return new Status(running, DETAIL);
    }

    @Override
    public void close() {
        closed = true;
    }
}
