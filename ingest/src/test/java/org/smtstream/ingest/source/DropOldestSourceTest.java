package org.smtstream.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.smtstream.ingest.IngestException;

class DropOldestSourceTest {

    /**
     * A live source that hands out {@code total} frames as fast as asked (timestamp = index), like a
     * camera whose reader is slower than it, reusing one frame as FFmpeg does.
     */
    private static class FastLiveSource implements FrameSource {
        private final int total;
        private final Frame frame = new Frame(8, 8, Frame.DEPTH_UBYTE, 3);
        private final CountDownLatch closed = new CountDownLatch(1);
        private volatile Thread grabbingThread;
        private volatile Thread closingThread;
        private int next;
        private RuntimeException failAtEnd;

        FastLiveSource(int total) {
            this.total = total;
        }

        @Override
        public Frame grab() {
            grabbingThread = Thread.currentThread();
            if (next == total) {
                if (failAtEnd != null) {
                    throw failAtEnd;
                }
                return null;
            }
            frame.timestamp = next++;
            return frame;
        }

        @Override
        public double frameRate() {
            return 30;
        }

        @Override
        public long frameCount() {
            return -1;
        }

        @Override
        public long skippedFrames() {
            return 0;
        }

        @Override
        public String name() {
            return "fast";
        }

        @Override
        public boolean live() {
            return true;
        }

        @Override
        public void close() {
            closingThread = Thread.currentThread();
            frame.close();
            closed.countDown();
        }
    }

    @Test
    void shouldDropOldestFramesForSlowReaderAndCountEveryOne() throws Exception {
        int total = 200;
        FastLiveSource live = new FastLiveSource(total);
        List<Long> returned = new ArrayList<>();
        DropOldestSource source = new DropOldestSource(live, 2);
        try {
            for (Frame frame; (frame = source.grab()) != null; ) {
                // Timestamp = position in the source: every frame before it was returned or dropped.
                assertEquals(frame.timestamp, returned.size() + source.missedFrames(),
                        "returned + missed before frame " + frame.timestamp);
                returned.add(frame.timestamp);
                assertTrue(source.lastCaptureTimeMs() > 0, "capture time of a live frame");
                Thread.sleep(2); // the slow reader: the source produces far faster
            }
        } finally {
            source.close();
        }

        String counts = "grabbed " + source.grabbedFrames() + ", returned " + returned.size()
                + ", dropped " + source.droppedFrames();
        assertEquals(total, source.grabbedFrames(), counts);
        assertEquals(total, returned.size() + source.droppedFrames(), "grabbed = returned + dropped: " + counts);
        assertTrue(source.droppedFrames() > 0, "a slow reader loses frames: " + counts);
        for (int i = 1; i < returned.size(); i++) {
            assertTrue(returned.get(i) > returned.get(i - 1), "frames stay in order: " + returned);
        }
        assertEquals(total - 1, returned.get(returned.size() - 1), "the newest frame is never dropped");
        assertTrue(live.closed.await(5, TimeUnit.SECONDS), "live source closed");
        assertSame(live.grabbingThread, live.closingThread, "closed on the thread that grabbed it");
    }

    @Test
    void shouldCountFramesStillBufferedAtCloseAsDropped() throws Exception {
        FastLiveSource live = new FastLiveSource(5);
        DropOldestSource source = new DropOldestSource(live, 3);
        assertTrue(source.grab() != null, "one frame read");
        // The grab thread reads all five; whichever was returned, the other four were evicted or still wait.
        assertTrue(live.closed.await(5, TimeUnit.SECONDS), "the source ended and was closed");
        source.close();
        assertEquals(5, source.grabbedFrames(), "grabbed");
        assertEquals(4, source.droppedFrames(), "evicted + left in the buffer at close");
    }

    @Test
    void shouldWakeWaitingReaderOnCancel() throws Exception {
        CountDownLatch neverReleased = new CountDownLatch(1);
        FrameSource stalled = new FastLiveSource(0) {
            @Override
            public Frame grab() {
                try {
                    neverReleased.await(10, TimeUnit.SECONDS); // a camera that stopped sending
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }
        };
        DropOldestSource source = new DropOldestSource(stalled, 1);
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            AtomicBoolean started = new AtomicBoolean();
            Future<Frame> grab = reader.submit(() -> {
                started.set(true);
                return source.grab();
            });
            while (!started.get()) {
                Thread.sleep(1);
            }
            Thread.sleep(50);
            source.cancel();
            assertNull(grab.get(1, TimeUnit.SECONDS), "a cancelled grab returns null at once");
            neverReleased.countDown(); // the camera's read returns, so close need not wait for its timeout
            reader.submit(source::close).get(5, TimeUnit.SECONDS);
        } finally {
            reader.shutdownNow();
        }
    }

    @Test
    void shouldRethrowFailureOfLiveSourceToReader() {
        FastLiveSource live = new FastLiveSource(1);
        live.failAtEnd = new IngestException("Reading 'fast' failed: boom");
        DropOldestSource source = new DropOldestSource(live, 2);
        try {
            assertEquals(0L, source.grab().timestamp, "the frame before the failure");
            IngestException e = assertThrows(IngestException.class, source::grab);
            assertEquals("Reading 'fast' failed: boom", e.getMessage());
        } finally {
            source.close();
        }
    }

    @Test
    void shouldRejectEmptyBuffer() {
        assertEquals("Invalid live buffer: 0 frames (must be >= 1)", assertThrows(IllegalArgumentException.class,
                () -> new DropOldestSource(new FastLiveSource(1), 0)).getMessage());
    }
}
