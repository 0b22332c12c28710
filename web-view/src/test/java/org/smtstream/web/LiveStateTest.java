package org.smtstream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.smtstream.model.Topics;
import org.smtstream.model.wire.FrameImage;
import org.smtstream.model.wire.FrameImage.Kind;
import org.smtstream.web.LiveState.StreamView;

class LiveStateTest {

    private final LiveState state = new LiveState(100);

    private StreamView only(Map<String, Long> cursors) {
        List<StreamView> streams = state.view(cursors).streams();
        assertEquals(1, streams.size());
        return streams.get(0);
    }

    @Test
    void shouldSummariseStream() {
        for (long f = 0; f < 11; f++) {
            state.onMetrics(Samples.metrics(Samples.STREAM, f, 10 + f));
        }

        StreamView view = only(Map.of());

        assertEquals(11, view.frames());
        assertEquals(10, view.lastFrameIndex());
        assertEquals(7, view.modelVersion());
        assertEquals(Samples.LATENCY_MS, view.latencyMs());
        assertEquals(1000.0 / Samples.FRAME_INTERVAL_MS, view.fps(), 1e-9);
        assertEquals(11, view.newPoints().size());
        assertEquals(20.0, view.newPoints().get(10).snrAlphaDb());
    }

    /** A frame inference found blank (no SNR) is counted, on the page and on /metrics, and stays a chart gap. */
    @Test
    void shouldCountBlankFramesByTheirUndefinedSnr() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        state.bindTo(registry);
        state.onMetrics(Samples.metrics(Samples.STREAM, 0, Double.NaN));
        state.onMetrics(Samples.metrics(Samples.STREAM, 1, 11));
        state.onMetrics(Samples.metrics(Samples.STREAM, 2, Double.NaN));

        StreamView view = only(Map.of());
        assertEquals(3, view.frames());
        assertEquals(2, view.blankFrames());
        assertTrue(Double.isNaN(view.newPoints().get(0).snrAlphaDb()), "no value invented for the chart");
        assertEquals(2.0, registry.get("smt.web.frames.blank").tag("stream", Samples.STREAM).functionCounter()
                .count());
        String json = StateJson.encode(state.view(Map.of()), Samples.STREAM, Optional.empty(), List.of());
        assertTrue(json.contains("\"blank\":2"), json);
        assertTrue(json.contains("[0,null,null,"), "NaN goes out as null, never as a NaN token: " + json);
        assertFalse(json.contains("NaN"), json);
    }

    @Test
    void shouldSendEachPointOnceToACursor() {
        Map<String, Long> cursors = new HashMap<>();
        state.onMetrics(Samples.metrics(Samples.STREAM, 0, 10));
        StreamView first = only(cursors);
        cursors.put(first.streamId(), first.lastSeq());

        state.onMetrics(Samples.metrics(Samples.STREAM, 1, 11));
        StreamView second = only(cursors);

        assertEquals(1, second.newPoints().size());
        assertEquals(1, second.newPoints().get(0).frameIndex());
        assertEquals(2, second.frames(), "totals are never reset by the cursor");
    }

    @Test
    void shouldBoundHistoryButNotCounts() {
        for (long f = 0; f < 250; f++) {
            state.onMetrics(Samples.metrics(Samples.STREAM, f, 10));
        }

        StreamView view = only(Map.of());

        assertEquals(100, view.newPoints().size());
        assertEquals(150, view.newPoints().get(0).frameIndex());
        assertEquals(250, view.frames());
    }

    @Test
    void shouldStartNewRunWhenFrameIndexGoesBack() {
        state.onMetrics(Samples.metrics(Samples.STREAM, 5, 10));
        state.onMetrics(Samples.metrics(Samples.STREAM, 6, 10));
        state.onMetrics(Samples.metrics(Samples.STREAM, 0, 10));

        StreamView view = only(Map.of());

        assertEquals(1, view.run());
        assertEquals(List.of(0L), view.newPoints().stream().map(p -> p.frameIndex()).toList());
        assertEquals(3, view.frames());
    }

    @Test
    void shouldKeepLatestImagePerKind() {
        state.onImage(Samples.horizontalGradient(Kind.INPUT, 4, 2, 0, 1));
        var newer = Samples.horizontalGradient(Kind.INPUT, 4, 2, 1, 0);
        state.onImage(newer);

        assertEquals(newer, state.latestImage(Samples.STREAM, Kind.INPUT).orElseThrow());
        assertTrue(state.latestImage(Samples.STREAM, Kind.WHITENED).isEmpty());
        assertTrue(state.latestImage("other", Kind.INPUT).isEmpty());
        assertEquals(Map.of(Kind.INPUT, 12L), only(Map.of()).imageFrames());
    }

    private static FrameImage picture(Kind kind, long frame, float... pixels) {
        return new FrameImage(Samples.STREAM, frame, kind, pixels.length, 1, pixels);
    }

    @Test
    void shouldMeasureImageSpaceReconstructionsAgainstCxOfTheirOwnFrame() {
        state.onImage(picture(Kind.UNWHITENED, 5, 3, 4, 0, 0));
        state.onImage(picture(Kind.RECONSTRUCTION_ALPHA_UNWHITENED, 5, 3, 4, 0.5f, 0));   // error 0.25 of 25: 20 dB
        state.onImage(picture(Kind.RECONSTRUCTION_BETA_UNWHITENED, 4, 0, 0, 0, 0));       // an older frame: no C x
        Map<Kind, ImageSnr> snr = only(Map.of()).imageSnr();
        assertEquals(Map.of(Kind.RECONSTRUCTION_ALPHA_UNWHITENED, new ImageSnr(5, 20.0)).keySet(), snr.keySet());
        assertEquals(20.0, snr.get(Kind.RECONSTRUCTION_ALPHA_UNWHITENED).db(), 1e-9);
        assertEquals(5, snr.get(Kind.RECONSTRUCTION_ALPHA_UNWHITENED).frameIndex());

        state.onImage(picture(Kind.UNWHITENED, 6, 0, 0, 0, 0));
        state.onImage(picture(Kind.RECONSTRUCTION_ALPHA_UNWHITENED, 6, 0, 0, 0, 0));
        ImageSnr blank = only(Map.of()).imageSnr().get(Kind.RECONSTRUCTION_ALPHA_UNWHITENED);
        assertEquals(6, blank.frameIndex());
        assertTrue(Double.isNaN(blank.db()), "a blank frame has no SNR");
    }

    @Test
    void shouldRefuseAnSnrOfTwoDifferentFrames() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ImageSnr.of(picture(Kind.UNWHITENED, 1, 1, 2),
                        picture(Kind.RECONSTRUCTION_ALPHA_UNWHITENED, 2, 1, 2)));
        assertTrue(e.getMessage().contains("frame 1") && e.getMessage().contains("frame 2"), e.getMessage());
    }

    @Test
    void shouldCountMalformedRecordsPerTopicAndExportThem() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        state.bindTo(registry);

        state.onMalformed(Topics.METRICS.name());
        state.onMalformed(Topics.METRICS.name());
        state.onMalformed(Topics.PREVIEW.name());

        assertEquals(3, state.malformedCount());
        assertEquals(2.0, registry.get("smt.web.records.malformed").tag("topic", Topics.METRICS.name())
                .functionCounter().count());
    }

    @Test
    void shouldExportStreamMetersRegisteredBeforeBinding() {
        state.onMetrics(Samples.metrics(Samples.STREAM, 3, 12.5));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        state.bindTo(registry);
        state.onMetrics(Samples.metrics(Samples.STREAM, 4, 13.5));

        assertEquals(2.0, registry.get("smt.web.frames.seen").tag("stream", Samples.STREAM).functionCounter().count());
        assertEquals(13.5, registry.get("smt.web.snr.alpha.db").tag("stream", Samples.STREAM).gauge().value());
        assertEquals(1, registry.get("smt.web.latency").tag("stream", Samples.STREAM).timer().count(),
                "the timer records from binding on");
    }

    @Test
    void shouldRejectTinyHistory() {
        assertThrows(IllegalArgumentException.class, () -> new LiveState(1));
    }
}
