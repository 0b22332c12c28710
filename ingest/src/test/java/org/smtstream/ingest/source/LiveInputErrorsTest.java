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

/**
 * Inputs that cannot be read each fail with one message naming the input and the reason, within a
 * few seconds. Only loopback addresses are used: port 1 on 127.0.0.1 refuses at once.
 */
class LiveInputErrorsTest {

    /** "A few seconds", with room for a loaded machine; the cases below take milliseconds. */
    private static final long FEW_SECONDS_NANOS = 5_000_000_000L;

    @TempDir
    Path dir;

    private static String failureOf(String input) {
        long start = System.nanoTime();
        IngestException e = assertThrows(IngestException.class, () -> SourceSpec.parse(input).open(Pacing.NATIVE));
        long took = System.nanoTime() - start;
        assertTrue(took < FEW_SECONDS_NANOS, "'" + input + "' took " + took / 1e6 + " ms to fail");
        return e.getMessage();
    }

    @Test
    void shouldRejectAbsentCameraWithoutAskingFfmpeg() {
        assertEquals("Cannot open camera '/dev/video9': no such device", failureOf("/dev/video9"));
    }

    @Test
    void shouldNameUnreachableStreamAndTheReason() {
        assertEquals("Cannot open stream 'rtsp://127.0.0.1:1/none': Connection refused",
                failureOf("rtsp://127.0.0.1:1/none"));
        assertEquals("Cannot open stream 'http://127.0.0.1:1/walk.mp4': Connection refused",
                failureOf("http://127.0.0.1:1/walk.mp4"));
    }

    @Test
    void shouldNameMissingAndNonVideoFiles() throws Exception {
        Path missing = dir.resolve("missing.avi");
        assertEquals("Cannot open video '" + missing + "': no such file", failureOf(missing.toString()));
        Path text = Files.writeString(dir.resolve("notes.mp4"), "not a video\n".repeat(100));
        assertEquals("Cannot open video '" + text + "': not a video FFmpeg can read", failureOf(text.toString()));
    }

    @Test
    void shouldExplainInvalidLavfiGraph() {
        assertEquals("Cannot open lavfi source 'nosuchsource=1': Invalid argument (expected a filter graph such as "
                + "testsrc2=size=320x240:rate=10)", failureOf("lavfi:nosuchsource=1"));
    }

    @Test
    void shouldNameMissingOrEmptyImageDirectory() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Files.writeString(empty.resolve("readme.txt"), "no images here");
        assertTrue(failureOf(empty.toString()).startsWith("Cannot open images '" + empty + "': no image files in it"),
                "empty directory");
        assertEquals("Cannot open images '" + dir.resolve("img_%03d.png") + "': no file matches the pattern",
                failureOf(dir.resolve("img_%03d.png").toString()));
    }
}
