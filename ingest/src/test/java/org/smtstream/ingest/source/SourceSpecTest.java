package org.smtstream.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.ingest.IngestException;
import org.smtstream.ingest.Pacing;
import org.smtstream.ingest.source.SourceSpec.Kind;

class SourceSpecTest {

    @TempDir
    Path dir;

    private static void assertParsed(Kind kind, String target, String text) {
        SourceSpec spec = SourceSpec.parse(text);
        assertEquals(kind, spec.kind(), "kind of '" + text + "'");
        assertEquals(target, spec.target(), "target of '" + text + "'");
    }

    @Test
    void shouldTellEveryKindOfInputApart() throws Exception {
        Path frames = Files.createDirectory(dir.resolve("frames"));
        assertParsed(Kind.FILE, "/data/walk.mp4", "/data/walk.mp4");
        assertParsed(Kind.FILE, "/data/walk.mp4", "file:///data/walk.mp4");
        assertParsed(Kind.IMAGES, frames.toString(), frames.toString());
        assertParsed(Kind.IMAGES, "frames/img_%04d.png", "frames/img_%04d.png");
        assertParsed(Kind.IMAGES, "shot%d.jpg", "shot%d.jpg");
        assertParsed(Kind.CAMERA, "/dev/video0", "/dev/video0");
        assertParsed(Kind.CAMERA, "/dev/v4l/by-id/usb-cam-video-index0", "/dev/v4l/by-id/usb-cam-video-index0");
        assertParsed(Kind.URL, "rtsp://cam.local:8554/live", "rtsp://cam.local:8554/live");
        assertParsed(Kind.URL, "https://example.org/walk.m3u8", " https://example.org/walk.m3u8 ");
        assertParsed(Kind.LAVFI, "testsrc2=size=320x240:rate=10", "lavfi:testsrc2=size=320x240:rate=10");
        assertParsed(Kind.LAVFI, "mandelbrot", "LAVFI:mandelbrot");
    }

    @Test
    void shouldTurnCameraIndexIntoDevicePathAndKeepCaptureOptions() {
        SourceSpec spec = SourceSpec.camera("2").withCaptureSize(640, 480).withFrameRate(30);
        assertEquals("/dev/video2", spec.target());
        assertEquals("camera /dev/video2 640x480 at 30.0 fps", spec.toString());
        assertEquals(12.5, SourceSpec.images(dir).withFrameRate(12.5).frameRate(), 0.0, "image sequence rate");
    }

    @Test
    void shouldRejectOptionsThatDoNotApplyToTheInput() {
        assertEquals("A capture size applies to cameras only, not to file 'walk.mp4'",
                assertThrows(IllegalArgumentException.class,
                        () -> SourceSpec.parse("walk.mp4").withCaptureSize(640, 480)).getMessage());
        assertEquals("A frame rate applies to cameras and image sequences only, not to lavfi 'testsrc2' "
                        + "(set rate= in the graph)",
                assertThrows(IllegalArgumentException.class,
                        () -> SourceSpec.lavfi("testsrc2").withFrameRate(5)).getMessage());
        assertEquals("Invalid capture size: 640x0 (give both width and height, or neither)",
                assertThrows(IllegalArgumentException.class,
                        () -> SourceSpec.camera("/dev/video0").withCaptureSize(640, 0)).getMessage());
        assertEquals("Invalid lavfi graph: empty (expected e.g. lavfi:testsrc2=size=320x240:rate=10)",
                assertThrows(IllegalArgumentException.class, () -> SourceSpec.parse("lavfi:")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SourceSpec.parse(" ")).getMessage()
                .startsWith("Invalid input: ' ' (expected a video file"), "blank input");
    }

    @Test
    void shouldNeverShowUrlPassword() {
        SourceSpec spec = SourceSpec.parse("rtsp://admin:s3cret@127.0.0.1:1/stream");
        assertEquals("rtsp://admin:***@127.0.0.1:1/stream", spec.display());
        assertEquals("url rtsp://admin:***@127.0.0.1:1/stream", spec.toString());
        IngestException e = assertThrows(IngestException.class, () -> spec.open(Pacing.NATIVE));
        assertTrue(!e.getMessage().contains("s3cret"), "password in the error: " + e.getMessage());
        assertEquals("rtsp://user@host/x", SourceSpec.redact("rtsp://user@host/x"), "no password to hide");
    }
}
