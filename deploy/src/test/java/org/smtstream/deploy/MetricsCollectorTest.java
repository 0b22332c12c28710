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

    @Test
    void staleFramesAreEachStreamsNewestCountAndShowInTheSummary() {
        FrameMetrics a1 = frame(1, 0, 10);
        FrameMetrics a9 = withStale(frame(9, 0, 20), "cam", 7);
        FrameMetrics b4 = withStale(frame(4, 0, 30), "other", 2);
        List<FrameMetrics> metrics = List.of(a1, withStale(frame(5, 0, 15), "cam", 3), a9, b4);
        assertEquals(9, MetricsCollector.staleSkipped(metrics), "7 of cam (newest), 2 of other");
        assertEquals("4 frames processed, 9 skipped as stale; reconstruction SNR 10.00 dB over the first 2, "
                + "10.00 dB over the last 2", MetricsCollector.snrSummary(metrics, 2));
    }

    private static FrameMetrics withStale(FrameMetrics m, String stream, long stale) {
        return new FrameMetrics(stream, m.frameIndex(), m.captureTimeMs(), m.processedTimeMs(), m.modelVersion(),
                m.snrAlphaDb(), m.snrBetaDb(), m.activeFraction(), m.iterations(), m.objective(),
                m.curvaturePixels(), m.curvatureAlpha(), m.curvatureBeta(), stale);
    }
}
