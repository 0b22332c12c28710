package org.smtstream.ingest.source;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.ingest.Pacing;
import org.smtstream.ingest.TestClips;

class ImageSequenceSourceTest {

    /** Odd width: rows of 483 bytes catch stride mix-ups between OpenCV and JavaCV. */
    private static final int WIDTH = 161;
    private static final int HEIGHT = 120;

    @TempDir
    Path dir;

    /** Writes pattern frame {@code index} as a lossless PNG. */
    private static void writePng(Path file, int index) {
        try (Frame frame = TestClips.pattern(index, WIDTH, HEIGHT);
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
            assertTrue(imwrite(file.toString(), converter.convert(frame)), "wrote " + file);
        }
    }

    /** The pattern index of each frame the source returns, checking every pixel against it. */
    private static List<Integer> readAll(FrameSource source, List<Long> timestamps) {
        List<Integer> order = new ArrayList<>();
        for (Frame frame; (frame = source.grab()) != null; ) {
            int index = order.size();
            int found = -1;
            for (int candidate = 0; candidate < 16 && found < 0; candidate++) {
                if (samePixels(candidate, frame)) {
                    found = candidate;
                }
            }
            assertTrue(found >= 0, "frame " + index + " is no written image, pixel for pixel");
            order.add(found);
            timestamps.add(frame.timestamp);
        }
        return order;
    }

    private static boolean samePixels(int index, Frame decoded) {
        assertEquals(WIDTH, decoded.imageWidth, "width");
        assertEquals(HEIGHT, decoded.imageHeight, "height");
        try (Frame written = TestClips.pattern(index, WIDTH, HEIGHT);
             UByteIndexer expected = written.createIndexer();
             UByteIndexer actual = decoded.createIndexer()) {
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    for (int c = 0; c < 3; c++) {
                        if (expected.get(y, x, c) != actual.get(y, x, c)) {
                            return false;
                        }
                    }
                }
            }
        }
        return true;
    }

    @Test
    void shouldPlayDirectoryInNaturalOrderSkippingBrokenImages() throws Exception {
        // img_1 .. img_12: in plain string order img_10 would come before img_2.
        for (int i = 0; i < 12; i++) {
            writePng(dir.resolve("img_" + (i + 1) + ".png"), i);
        }
        Files.writeString(dir.resolve("notes.txt"), "not an image, not listed");
        Files.write(dir.resolve("broken.png"), new byte[] {1, 2, 3, 4}); // listed first, fails to decode

        List<Long> timestamps = new ArrayList<>();
        List<Integer> order;
        try (FrameSource source = SourceSpec.parse(dir.toString()).withFrameRate(4).open(Pacing.NATIVE)) {
            assertEquals(13, source.frameCount(), "listed images");
            assertEquals(4.0, source.frameRate(), 0.0, "frame rate");
            order = readAll(source, timestamps);
            assertEquals(1, source.skippedFrames(), "broken images skipped");
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), order, "pattern index of each frame");
        for (int i = 0; i < timestamps.size(); i++) {
            // The broken image keeps its slot: img_1 is the listing's second entry.
            assertEquals((i + 1) * 250_000L, timestamps.get(i), "timestamp of frame " + i);
        }
    }

    @Test
    void shouldPlayNumberedPatternInNumericOrder() throws Exception {
        for (int i : new int[] {3, 0, 10, 1, 2}) {
            writePng(dir.resolve(String.format("seq_%03d.png", i)), i);
        }
        writePng(dir.resolve("seq_last.png"), 7);
        writePng(dir.resolve("other_004.png"), 8);

        List<Integer> order;
        try (FrameSource source = SourceSpec.parse(dir.resolve("seq_%03d.png").toString()).open(Pacing.NATIVE)) {
            assertEquals(5, source.frameCount(), "files matching the pattern");
            assertEquals(SourceSpec.DEFAULT_IMAGE_RATE, source.frameRate(), 0.0, "default rate");
            order = readAll(source, new ArrayList<>());
        }
        assertEquals(List.of(0, 1, 2, 3, 10), order, "numeric order");
    }

    @Test
    void shouldCompareDigitRunsAsNumbers() {
        assertTrue(ImageSequenceSource.compareNatural("a2.png", "a10.png") < 0, "a2 < a10");
        assertTrue(ImageSequenceSource.compareNatural("a10.png", "b1.png") < 0, "a10 < b1");
        assertTrue(ImageSequenceSource.compareNatural("f007.png", "f7.png") != 0, "distinct names stay distinct");
        assertEquals(0, ImageSequenceSource.compareNatural("x1", "x1"));
    }
}
