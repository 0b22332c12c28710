package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.smtstream.model.wire.FrameMetrics;

class MetricsCollectorTest {

    private static FrameMetrics frame(long index, long captured, long processed) {
        return new FrameMetrics("cam", index, captured, processed, 0, 10, Double.NaN, 0.1, 5, 1.0,
                Double.NaN, Double.NaN, Double.NaN, 0);
    }

    @Test
    void percentilesAreNearestRank() {
        long[] values = LongStream.rangeClosed(1, 100).toArray();
        assertEquals(50, MetricsCollector.percentile(values, 0.50));
        assertEquals(99, MetricsCollector.percentile(values, 0.99));
        assertEquals(7, MetricsCollector.percentile(new long[] {7}, 0.99));
    }

    @Test
    void rateSummaryGivesFramesPerSecondAndLatencyPercentiles() {
        // 11 frames processed 100 ms apart (10 frames/s), each 40 ms after capture except one slow frame
        List<FrameMetrics> metrics = LongStream.range(0, 11)
                .mapToObj(t -> frame(t, 1000 + 100 * t - (t == 5 ? 500 : 40), 1000 + 100 * t)).toList();
        assertEquals("10.0 frames/s; latency p50 40 ms, p99 500 ms", MetricsCollector.rateSummary(metrics));
    }
}
