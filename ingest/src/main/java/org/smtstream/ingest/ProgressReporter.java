package org.smtstream.ingest;

/** Shows how far a run has got: a progress bar on a terminal, periodic log lines otherwise. */
interface ProgressReporter extends AutoCloseable {

    /** Called after each published frame with the totals so far. */
    void update(long framesPublished, long framesSkipped, long framesDropped, long outages);

    @Override
    void close();

    /**
     * A progress bar when a terminal is attached, {@code totalFrames} is known (&gt; 0) and no other
     * stream draws one ({@code barAllowed}); log lines otherwise (services, CI, pipes, loops that never
     * end, live sources, several streams at once).
     */
    static ProgressReporter create(String task, long totalFrames, boolean barAllowed) {
        return barAllowed && System.console() != null && totalFrames > 0
                ? new ConsoleProgressReporter(task, totalFrames)
                : new LogProgressReporter(task, LogProgressReporter.DEFAULT_INTERVAL_NANOS);
    }
}
