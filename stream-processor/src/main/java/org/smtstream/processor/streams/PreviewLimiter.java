package org.smtstream.processor.streams;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-stream rate limit of preview images: at most one per interval of wall-clock time, so a
 * viewer gets a live picture without the preview topic carrying every frame twice.
 */
final class PreviewLimiter {

    private final long intervalMs;
    private final Map<String, Long> lastSentMs = new HashMap<>();

    PreviewLimiter(long intervalMs) {
        this.intervalMs = intervalMs;
    }

    /** True (and the stream's clock restarts) when stream {@code streamId} may send a preview at {@code nowMs}. */
    boolean tryAcquire(String streamId, long nowMs) {
        Long last = lastSentMs.get(streamId);
        if (intervalMs > 0 && last != null && nowMs - last < intervalMs) {
            return false;
        }
        lastSentMs.put(streamId, nowMs);
        return true;
    }
}
