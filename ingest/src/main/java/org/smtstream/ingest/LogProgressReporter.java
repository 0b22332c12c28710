package org.smtstream.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One INFO line per interval with frames, rate, skipped and dropped frames, and outages of a live source. */
final class LogProgressReporter implements ProgressReporter {

    static final long DEFAULT_INTERVAL_NANOS = 5_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);

    private final String task;
    private final long intervalNanos;
    private final long startNanos = System.nanoTime();
    private long nextReportNanos;

    LogProgressReporter(String task, long intervalNanos) {
        this.task = task;
        this.intervalNanos = intervalNanos;
        this.nextReportNanos = startNanos + intervalNanos;
    }

    @Override
    public void update(long framesPublished, long framesSkipped, long framesDropped, long outages) {
        long now = System.nanoTime();
        if (now - nextReportNanos >= 0) {
            nextReportNanos = now + intervalNanos;
            LOG.info("{}: {} frames published ({} fps), {} skipped, {} dropped, {} outages", task, framesPublished,
                    String.format("%.1f", framesPublished / ((now - startNanos) / 1e9)), framesSkipped, framesDropped,
                    outages);
        }
    }

    @Override
    public void close() {
        // Nothing to release; the job logs its summary.
    }
}
