package org.smtstream.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.smtstream.ingest.TestClips;

/**
 * Clips in the codecs users record in, written with JavaCV by the test and read back: every frame
 * arrives, at the written size and rate, with the written picture (within each codec's loss).
 */
class EncodedClipsTest {

    private static final int WIDTH = 176;
    private static final int HEIGHT = 144;
    private static final int FRAMES = 30;
    private static final double FPS = 15;

    @TempDir
    Path dir;

    /**
     * Codec, file name, and the largest mean absolute difference per frame allowed, in grey levels:
     * 0 for lossless FFV1; the lossy codecs at the test's quality stay well under 16 on this busy
     * pattern, while a wrong frame, stride or channel order costs 40 and more.
     */
    static Stream<Arguments> codecs() {
        return Stream.of(
                Arguments.of("H.264 (libopenh264) in MP4", TestClips.H264, "clip.mp4", 16.0),
                Arguments.of("MPEG-4 part 2 in MP4", TestClips.MPEG4, "clip.mp4", 16.0),
                Arguments.of("FFV1 in Matroska", TestClips.FFV1, "clip.mkv", 0.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void shouldReadEveryFrameAtWrittenSizeRateAndPicture(String codec, TestClips.Encoding encoding, String file,
                                                          double maxMeanAbsDiff) throws Exception {
        Path clip = TestClips.write(dir.resolve(file), encoding, WIDTH, HEIGHT, FRAMES, FPS, 10);

        int frames = 0;
        double worst = 0;
        try (VideoFileSource source = VideoFileSource.open(clip)) {
            assertEquals(WIDTH, source.width(), codec + " width");
            assertEquals(HEIGHT, source.height(), codec + " height");
            assertEquals(FPS, source.frameRate(), 1e-6, codec + " frame rate");
            for (Frame frame; (frame = source.grab()) != null; frames++) {
                worst = Math.max(worst, meanAbsDiff(frames, frame));
            }
            assertEquals(0, source.skippedFrames(), codec + " skipped frames");
        }
        assertEquals(FRAMES, frames, codec + " frames read back");
        assertTrue(worst <= maxMeanAbsDiff, codec + ": largest mean absolute difference " + worst
                + " grey levels, allowed " + maxMeanAbsDiff);
    }

    private static double meanAbsDiff(int index, Frame decoded) {
        assertEquals(WIDTH, decoded.imageWidth, "width of frame " + index);
        assertEquals(HEIGHT, decoded.imageHeight, "height of frame " + index);
        long sum = 0;
        try (Frame written = TestClips.pattern(index, WIDTH, HEIGHT);
             UByteIndexer expected = written.createIndexer();
             UByteIndexer actual = decoded.createIndexer()) {
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    for (int c = 0; c < 3; c++) {
                        sum += Math.abs(expected.get(y, x, c) - actual.get(y, x, c));
                    }
                }
            }
        }
        return sum / (WIDTH * HEIGHT * 3.0);
    }
}
