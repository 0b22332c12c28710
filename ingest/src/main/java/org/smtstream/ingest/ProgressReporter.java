package org.smtstream.ingest;

/** Shows how far a run has got: a progress bar on a terminal, periodic log lines otherwise. */
interface ProgressReporter extends AutoCloseable {

    /** Called after each published frame with the totals so far. */
    void update(long framesPublished, long framesSkipped);

    @Override
    void close();

    /**
     * A progress bar when a terminal is attached and {@code totalFrames} is known (&gt; 0); log lines
     * otherwise (services, CI, pipes, and loops that never end).
     */
    static ProgressReporter create(String task, long totalFrames) {
        return System.console() != null && totalFrames > 0
                ? new ConsoleProgressReporter(task, totalFrames)
                : new LogProgressReporter(task, LogProgressReporter.DEFAULT_INTERVAL_NANOS);
    }
}
