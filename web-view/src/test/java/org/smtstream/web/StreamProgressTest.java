package org.smtstream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.smtstream.model.Topics;

class StreamProgressTest {

    private static final String PATCHES = Topics.PATCHES.name();
    private static final String METRICS = Topics.METRICS.name();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StreamProgress progress = new StreamProgress(registry);

    private void frames(String topic, String streamId, long... indices) {
        for (long i : indices) {
            progress.onFrame(topic, streamId, i);
        }
    }

    @Test
    void shouldCountMissingFrameIndicesAsGaps() {
        frames(PATCHES, "cam", 10, 11, 14, 15, 20);

        StreamProgress.Snapshot s = progress.snapshot("cam");

        assertEquals(2 + 4, s.gaps().get(PATCHES), "12, 13 and 16-19 are missing");
        assertEquals(20, s.newest().get(PATCHES));
        assertEquals(0, s.gaps().get(METRICS));
        assertEquals(-1, s.newest().get(METRICS), "nothing seen on metrics");
        assertEquals(6.0, registry.get("smt.web.frame.gaps").tags("stream", "cam", "topic", PATCHES)
                .functionCounter().count());
    }

    @Test
    void shouldNotCountARestartOrARepeatAsAGap() {
        frames(METRICS, "cam", 794, 795, 0, 1, 1, 2);

        StreamProgress.Snapshot s = progress.snapshot("cam");

        assertEquals(0, s.gaps().get(METRICS));
        assertEquals(2, s.newest().get(METRICS));
    }

    @Test
    void shouldKeepStreamsApart() {
        frames(PATCHES, "a", 0, 1, 2);
        frames(PATCHES, "b", 5, 9);

        assertEquals(0, progress.snapshot("a").gaps().get(PATCHES));
        assertEquals(3, progress.snapshot("b").gaps().get(PATCHES));
    }

    @Test
    void shouldMeasureLagAsPatchesAheadOfMetrics() {
        frames(PATCHES, "cam", 0, 1, 2, 3, 4, 5, 6);
        frames(METRICS, "cam", 0, 1, 2);

        assertEquals(4, progress.snapshot("cam").lagFrames());
        assertEquals(4.0, registry.get("smt.web.lag.frames").tag("stream", "cam").gauge().value());

        frames(METRICS, "cam", 3, 4, 5, 6);
        assertEquals(0, progress.snapshot("cam").lagFrames(), "caught up");
    }

    @Test
    void shouldNotGuessLagWithoutBothSidesOrAcrossARestart() {
        frames(PATCHES, "cam", 0, 1);
        assertEquals(StreamProgress.Snapshot.UNKNOWN, progress.snapshot("cam").lagFrames(), "no metrics yet");
        assertTrue(Double.isNaN(registry.get("smt.web.lag.frames").tag("stream", "cam").gauge().value()));

        frames(METRICS, "cam", 795);
        assertEquals(StreamProgress.Snapshot.UNKNOWN, progress.snapshot("cam").lagFrames(),
                "patches restarted, metrics not yet");
    }
}
