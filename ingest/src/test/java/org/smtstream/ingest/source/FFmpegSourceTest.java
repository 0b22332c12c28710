package org.smtstream.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.ingest.Pacing;
import org.smtstream.ingest.TestClips;

class FFmpegSourceTest {

    @TempDir
    Path dir;

    @Test
    void shouldDeliverLavfiFramesOfRequestedSizeAndRate() {
        List<Long> timestamps = new ArrayList<>();
        try (FrameSource source = SourceSpec.parse("lavfi:testsrc2=size=176x144:rate=25:duration=1")
                .open(Pacing.UNLIMITED)) {
            assertTrue(source.live(), "a lavfi source stands in for a camera");
            assertEquals(25.0, source.frameRate(), 1e-9, "frame rate");
            assertEquals(-1, source.frameCount(), "a live source declares no length");
            for (Frame frame; (frame = source.grab()) != null; ) {
                assertEquals(176, frame.imageWidth, "width");
                assertEquals(144, frame.imageHeight, "height");
                assertEquals(3, frame.imageChannels, "BGR channels");
                timestamps.add(frame.timestamp);
            }
            assertEquals(0, source.skippedFrames(), "skipped frames");
        }
        assertEquals(25, timestamps.size(), "one second at 25 fps");
        for (int i = 0; i < timestamps.size(); i++) {
            assertEquals(i * 40_000L, timestamps.get(i), "timestamp of frame " + i + " in microseconds");
        }
    }

    @Test
    void shouldRenderLavfiInRealTimeAtNativePacing() {
        // Six frames at 20 fps are due over 250 ms; rendered unpaced they take about 1 ms each.
        long start = System.nanoTime();
        int frames = 0;
        try (FrameSource source = SourceSpec.lavfi("testsrc2=size=64x48:rate=20:duration=0.3").open(Pacing.NATIVE)) {
            while (source.grab() != null) {
                frames++;
            }
        }
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(6, frames, "frames");
        assertTrue(tookMs >= 240, "six frames at 20 fps took only " + tookMs + " ms");
    }

    @Test
    void shouldReplayFileServedOverHttpAsRecording() throws Exception {
        // Matroska states its duration in the header, so FFmpeg knows this is a finite file.
        Path clip = TestClips.write(dir.resolve("walk.mkv"), TestClips.FFV1, 96, 64, 20, 10, 5);
        assertEquals(List.of(false, 20), readOverHttp(clip, "/walk.mkv"), "live, frames");
    }

    @Test
    void shouldTreatHttpStreamWithoutDurationAsLive() throws Exception {
        // A transport stream announces no duration: over HTTP it looks like a live feed.
        Path clip = TestClips.write(dir.resolve("walk.ts"), TestClips.MPEG4_TS, 96, 64, 20, 10, 5);
        assertEquals(List.of(true, 20), readOverHttp(clip, "/walk.ts"), "live, frames");
    }

    /** Serves {@code file} on loopback and reads it through FFmpeg's HTTP client: [live, frames]. */
    private static List<Object> readOverHttp(Path file, String path) throws Exception {
        byte[] body = Files.readAllBytes(file);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + path;
            int frames = 0;
            boolean live;
            try (FrameSource source = SourceSpec.parse(url).open(Pacing.NATIVE)) {
                live = source.live();
                assertEquals(url, source.name(), "name");
                for (Frame frame; (frame = source.grab()) != null; frames++) {
                    assertEquals(96, frame.imageWidth, "width");
                    assertEquals(64, frame.imageHeight, "height");
                }
                assertNull(source.grab(), "grab after the end");
            }
            return List.of(live, frames);
        } finally {
            server.stop(0);
        }
    }
}
