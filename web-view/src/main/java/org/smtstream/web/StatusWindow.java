package org.smtstream.web;

import java.util.List;
import org.smtstream.web.MetricHistory.MetricPoint;

/** The status bar's figures over a stream's most recent metric points. */
final class StatusWindow {

    /** Points the frame rate and the latency median are taken over. */
    static final int POINTS = 30;

    private StatusWindow() {
    }

    /** Frames per second by the processor's clock, so catching up on old records does not inflate it. */
    static double fps(List<MetricPoint> recent) {
        if (recent.size() < 2) {
            return Double.NaN;
        }
        long spanMs = recent.get(recent.size() - 1).processedTimeMs() - recent.get(0).processedTimeMs();
        return spanMs <= 0 ? Double.NaN : (recent.size() - 1) * 1000.0 / spanMs;
    }

    /**
     * The median capture-to-processed latency, -1 without points. A median, not the newest value:
     * one frame that waited on a model update would otherwise make the bar jump.
     */
    static long medianLatencyMs(List<MetricPoint> recent) {
        if (recent.isEmpty()) {
            return -1;
        }
        long[] latencies = recent.stream().mapToLong(MetricPoint::latencyMs).sorted().toArray();
        int mid = latencies.length / 2;
        return latencies.length % 2 == 1 ? latencies[mid] : Math.round((latencies[mid - 1] + latencies[mid]) / 2.0);
    }
}
