package org.smtstream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.smtstream.web.MetricHistory.MetricPoint;

class StatusWindowTest {

    /** A point processed at {@code processedMs} that took {@code latencyMs}. */
    private static MetricPoint point(long processedMs, long latencyMs) {
        return new MetricPoint(1, 0, processedMs, 10, 7, 0.05, 25, latencyMs, 0.5, Double.NaN, Double.NaN, Double.NaN);
    }

    @Test
    void shouldTakeTheMedianLatencySoOneSlowFrameDoesNotMoveIt() {
        List<MetricPoint> odd = List.of(point(0, 40), point(100, 9000), point(200, 50));
        List<MetricPoint> even = List.of(point(0, 40), point(100, 9000), point(200, 50), point(300, 30));

        assertEquals(50, StatusWindow.medianLatencyMs(odd));
        assertEquals(45, StatusWindow.medianLatencyMs(even));
        assertEquals(-1, StatusWindow.medianLatencyMs(List.of()));
    }

    @Test
    void shouldMeasureFramesPerSecondByTheProcessorsClock() {
        List<MetricPoint> tenPerSecond = LongStream.range(0, 11).mapToObj(t -> point(5_000 + 100 * t, 40)).toList();

        assertEquals(10.0, StatusWindow.fps(tenPerSecond), 1e-9);
        assertTrue(Double.isNaN(StatusWindow.fps(List.of(point(0, 40)))));
        assertTrue(Double.isNaN(StatusWindow.fps(List.of(point(7, 40), point(7, 40)))), "no time passed");
    }
}
