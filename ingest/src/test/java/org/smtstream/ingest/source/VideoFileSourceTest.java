package org.smtstream.ingest.source;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.ingest.IngestException;
import org.smtstream.ingest.TestClips;

class VideoFileSourceTest {

    /**
     * FFmpegFrameRecorder rounds sizes up to even ones, so not 161 x 121: rows of 162 BGR pixels are
     * 486 bytes, a multiple of neither 4 nor 8, and the test pattern's own frames pad them to 488, so
     * stride mix-ups still show. PreprocessorTest covers odd widths with in-memory frames.
     */
    private static final int WIDTH = 162;
    private static final int HEIGHT = 122;
    private static final int FRAMES = 12;
    private static final double FPS = 25;

    @TempDir
    Path dir;

    @Test
    void shouldRoundTripLosslessClipPixelForPixel() throws Exception {
        Path clip = TestClips.write(dir.resolve("lossless.mkv"), TestClips.FFV1, WIDTH, HEIGHT, FRAMES, FPS, 1);

        int frames = 0;
        try (VideoFileSource source = VideoFileSource.open(clip)) {
            assertAll(
                    () -> assertEquals(WIDTH, source.width(), "width"),
                    () -> assertEquals(HEIGHT, source.height(), "height"),
                    () -> assertEquals(FPS, source.frameRate(), 1e-9, "frame rate"));
            for (Frame frame; (frame = source.grab()) != null; frames++) {
                assertSamePixels(frames, frame);
                assertEquals(Math.round(frames * 1e6 / FPS), frame.timestamp, 1000,
                        "timestamp of frame " + frames + " in microseconds");
            }
            assertNull(source.grab(), "grab after the end");
            assertEquals(0, source.skippedFrames(), "skipped frames of an intact clip");
        }
        assertEquals(FRAMES, frames, "frames read back");
    }

    private static void assertSamePixels(int index, Frame decoded) {
        assertEquals(WIDTH, decoded.imageWidth, "width of frame " + index);
        assertEquals(HEIGHT, decoded.imageHeight, "height of frame " + index);
        assertEquals(3, decoded.imageChannels, "channels of frame " + index);
        long sumWritten = 0;
        long sumRead = 0;
        int maxDiff = 0;
        try (Frame written = TestClips.pattern(index, WIDTH, HEIGHT);
             UByteIndexer expected = written.createIndexer();
             UByteIndexer actual = decoded.createIndexer()) {
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    for (int c = 0; c < 3; c++) {
                        int e = expected.get(y, x, c);
                        int a = actual.get(y, x, c);
                        sumWritten += e;
                        sumRead += a;
                        maxDiff = Math.max(maxDiff, Math.abs(e - a));
                    }
                }
            }
        }
        double n = WIDTH * HEIGHT * 3.0;
        assertEquals(sumWritten / n, sumRead / n, 1e-12, "mean intensity of frame " + index);
        assertEquals(0, maxDiff, "largest pixel difference of frame " + index + " (lossless codec)");
    }

    @Test
    void shouldSurviveCorruptClipAndCountLostFrames() throws Exception {
        int written = 60;
        Path clip = TestClips.write(dir.resolve("damaged.mp4"), TestClips.MPEG4, 160, 120, written, 10, 5);
        TestClips.damage(clip, 0.4, 0.5, 7);

        int decoded = 0;
        long skipped;
        try (VideoFileSource source = VideoFileSource.open(clip)) {
            while (source.grab() != null) {
                decoded++;
            }
            skipped = source.skippedFrames();
        }
        String counts = "decoded " + decoded + ", skipped " + skipped + " of " + written;
        assertTrue(decoded >= written / 2, "most frames survive: " + counts);
        assertTrue(skipped > 0, "lost frames are counted: " + counts);
        assertEquals(written, decoded + skipped, "every written frame is decoded or counted: " + counts);
    }

    @Test
    void shouldNameMissingFile() {
        Path missing = dir.resolve("nope.mp4");
        IngestException e = assertThrows(IngestException.class, () -> VideoFileSource.open(missing));
        assertEquals("Cannot open video '" + missing + "': no such file", e.getMessage());
    }

    @Test
    void shouldRejectFileThatIsNotVideo() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "these are not frames\n".repeat(50));
        IngestException e = assertThrows(IngestException.class, () -> VideoFileSource.open(text));
        assertEquals("Cannot open video '" + text + "': not a video FFmpeg can read", e.getMessage());
    }

    @Test
    void shouldRejectDirectory() {
        IngestException e = assertThrows(IngestException.class, () -> VideoFileSource.open(dir));
        assertEquals("Cannot open video '" + dir + "': it is a directory", e.getMessage());
    }
}
