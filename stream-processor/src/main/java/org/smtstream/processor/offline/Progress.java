package org.smtstream.processor.offline;

import java.util.function.LongConsumer;

/**
 * Where a long offline run shows how far it is (a progress bar on a terminal, nothing in a test):
 * one task at a time, each with its number of steps.
 */
public interface Progress {

    /** Starts a task of {@code total} steps; the caller reports the steps done to it and closes it at the end. */
    Task start(String name, long total);

    /** One task under way: {@link #accept} takes the steps done so far. */
    interface Task extends LongConsumer, AutoCloseable {
        @Override
        void close();
    }

    /** Shows nothing. */
    static Progress none() {
        return (name, total) -> new Task() {
            @Override
            public void accept(long done) {
            }

            @Override
            public void close() {
            }
        };
    }
}
