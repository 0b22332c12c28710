package org.smtstream.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.smtstream.model.PatchGeometry;
import org.smtstream.model.wire.PatchFrame;
import org.smtstream.web.TrajectoryStore.Representation;

class TrajectoryStoreTest {

    private static final int WINDOW = 8;

    private final TrajectoryStore store = new TrajectoryStore(WINDOW, 2);

    private void feed(String streamId, long from, long to) {
        for (long t = from; t < to; t++) {
            store.onPatches(Samples.patches(streamId, t));
            store.onCodes(Samples.codes(streamId, t));
            store.onEmbeddings(Samples.embeddings(streamId, t));
        }
    }

    @Test
    void shouldKeepOnlyTheLastWindowOfFrames() {
        feed(Samples.STREAM, 0, 30);

        for (Representation r : Representation.values()) {
            FrameWindow.Path path = store.path(Samples.STREAM, r, 1);
            assertArrayEquals(LongStream.range(30 - WINDOW, 30).toArray(), path.frames(), r + " frames");
        }
        long bytesAtWindow = store.retainedBytes();
        feed(Samples.STREAM, 30, 100);
        assertEquals(bytesAtWindow, store.retainedBytes(), "memory stays at one window");
    }

    @Test
    void shouldReadOneLocationsValuesInEachRepresentation() {
        feed(Samples.STREAM, 0, 5);

        FrameWindow.Path pixels = store.path(Samples.STREAM, Representation.PIXELS, 2);
        FrameWindow.Path alpha = store.path(Samples.STREAM, Representation.ALPHA, 2);
        FrameWindow.Path beta = store.path(Samples.STREAM, Representation.BETA, 2);

        for (int t = 0; t < 5; t++) {
            assertEquals(Samples.PATCH_DIM, pixels.points()[t].length);
            for (int k = 0; k < Samples.PATCH_DIM; k++) {
                assertEquals(Samples.pixel(2, t, k), pixels.points()[t][k], "pixel " + k + " of frame " + t);
            }
            float[] denseAlpha = new float[Samples.ATOMS];
            denseAlpha[2] = t + 1;
            assertArrayEquals(denseAlpha, alpha.points()[t], "codes made dense, frame " + t);
            assertArrayEquals(new float[] {2, t, -t}, beta.points()[t], "beta of frame " + t);
        }
    }

    /** A blank frame cuts the paths: they start after it, and its own (late) codes and embeddings are dropped. */
    @Test
    void shouldStartThePathsAfterABlankFrame() {
        feed(Samples.STREAM, 0, 5);
        PatchFrame frame = Samples.patches(Samples.STREAM, 5);
        store.onPatches(new PatchFrame(frame.streamId(), 5, frame.captureTimeMs(), frame.frameSize(),
                frame.patchSize(), frame.stride(), new float[frame.patches().length]));
        store.onCodes(Samples.codes(Samples.STREAM, 5));
        store.onEmbeddings(Samples.embeddings(Samples.STREAM, 5));
        feed(Samples.STREAM, 6, 9);

        for (Representation r : Representation.values()) {
            assertArrayEquals(new long[] {6, 7, 8}, store.path(Samples.STREAM, r, 1).frames(), r + " frames");
        }
    }

    @Test
    void shouldNeverMixStreams() {
        feed("left", 0, 20);
        feed("right", 100, 103);

        assertArrayEquals(new long[] {100, 101, 102}, store.path("right", Representation.PIXELS, 0).frames());
        assertEquals(WINDOW, store.path("left", Representation.PIXELS, 0).frames().length);
        assertEquals(Samples.pixel(0, 19, 0), store.path("left", Representation.PIXELS, 0).points()[WINDOW - 1][0]);
        assertEquals(0, store.path("nosuch", Representation.BETA, 0).frames().length);
    }

    @Test
    void shouldStartOverWhenTheStreamRestarts() {
        feed(Samples.STREAM, 50, 60);
        feed(Samples.STREAM, 0, 3);

        assertArrayEquals(new long[] {0, 1, 2}, store.path(Samples.STREAM, Representation.ALPHA, 0).frames(),
                "a path never spans a restart");
    }

    @Test
    void shouldIgnoreARepeatedFrame() {
        feed(Samples.STREAM, 0, 3);
        store.onPatches(Samples.patches(Samples.STREAM, 2));

        assertArrayEquals(new long[] {0, 1, 2}, store.path(Samples.STREAM, Representation.PIXELS, 0).frames());
    }

    @Test
    void shouldForgetTheLeastRecentlyUsedStreamBeyondTheBound() {
        feed("a", 0, 3);
        feed("b", 0, 3);
        feed("c", 0, 3);

        assertEquals(2, store.streamCount());
        assertEquals(0, store.path("a", Representation.PIXELS, 0).frames().length, "the oldest stream went");
        assertEquals(3, store.path("c", Representation.PIXELS, 0).frames().length);
    }

    @Test
    void shouldAnswerEmptyOutsideTheGridAndReportGeometry() {
        feed(Samples.STREAM, 0, 3);

        assertEquals(0, store.path(Samples.STREAM, Representation.PIXELS, Samples.LOCATIONS).frames().length);
        assertEquals(0, store.path(Samples.STREAM, Representation.PIXELS, -1).frames().length);
        PatchGeometry grid = store.geometry(Samples.STREAM).orElseThrow();
        assertEquals(2, grid.side());
        assertEquals(Samples.FRAME_SIZE, grid.frameSize());
        assertTrue(store.geometry("nosuch").isEmpty());
    }

    @Test
    void shouldRejectWindowsTooShortForACurve() {
        assertThrows(IllegalArgumentException.class, () -> new TrajectoryStore(2, 1));
        assertThrows(IllegalArgumentException.class, () -> new TrajectoryStore(64, 0));
    }
}
