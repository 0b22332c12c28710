package org.smtstream.ingest;

/** Lets a preview through at most once per interval of wall-clock time. */
final class PreviewThrottle {

    private final long intervalMs;
    private long lastMs;
    private boolean any;

    /** @param intervalMs minimum time between two previews; 0 lets every frame through */
    PreviewThrottle(long intervalMs) {
        this.intervalMs = intervalMs;
    }

    /** True when a preview may be sent at {@code nowMs}; the time is then remembered. */
    boolean tryAcquire(long nowMs) {
        if (any && nowMs - lastMs < intervalMs) {
            return false;
        }
        any = true;
        lastMs = nowMs;
        return true;
    }
}
