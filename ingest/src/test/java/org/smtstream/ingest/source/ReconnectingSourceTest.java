package org.smtstream.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.smtstream.ingest.IngestException;

/**
 * Reconnecting on a fake clock: the backoff waits advance the clock instead of sleeping, so the
 * outage lengths and lost-frame estimates are exact and the tests take milliseconds.
 */
class ReconnectingSourceTest {

    private static final double FPS = 10;
    private static final Backoff QUICK = Backoff.DEFAULT.withInitial(Duration.ofMillis(100))
            .withMax(Duration.ofMillis(400)).withJitter(0);

    private long nowNanos;
    private final List<Duration> waits = new ArrayList<>();
    /** What each call of the opener does, in order: a source, or the failure it throws. */
    private final Deque<Object> openings = new ArrayDeque<>();
    private int opened;
    private final Frame frame = new Frame(8, 8, Frame.DEPTH_UBYTE, 3);

    @AfterEach
    void release() {
        frame.close();
    }

    /**
     * A live input that delivers {@code frames} frames, a frame period apart on the fake clock, then
     * ends ({@code failure} null) or fails.
     */
    private final class FakeInput implements FrameSource {
        private final int frames;
        private final IngestException failure;
        private int delivered;
        private boolean closed;

        FakeInput(int frames, IngestException failure) {
            this.frames = frames;
            this.failure = failure;
        }

        @Override
        public Frame grab() {
            if (delivered == frames) {
                if (failure != null) {
                    throw failure;
                }
                return null;
            }
            if (delivered++ > 0) {
                nowNanos += (long) (1e9 / FPS);
            }
            return frame;
        }

        @Override
        public double frameRate() {
            return FPS;
        }

        @Override
        public long frameCount() {
            return -1;
        }

        @Override
        public long skippedFrames() {
            return 1;
        }

        @Override
        public String name() {
            return "http://cam/live";
        }

        @Override
        public boolean live() {
            return true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private FrameSource open() {
        opened++;
        Object next = openings.removeFirst();
        if (next instanceof IngestException e) {
            throw e;
        }
        return (FrameSource) next;
    }

    private ReconnectingSource reconnecting(FrameSource first, Backoff backoff, boolean endIsDrop) {
        Supplier<FrameSource> opener = this::open;
        return new ReconnectingSource(first, opener, backoff, endIsDrop, () -> nowNanos, delay -> {
            waits.add(delay);
            nowNanos += delay.toNanos();
            return true;
        }, new SplittableRandom(5));
    }

    private static IngestException refused() {
        return new IngestException("Cannot open stream 'http://cam/live': Connection refused");
    }

    private static int grabAll(FrameSource source) {
        int frames = 0;
        while (source.grab() != null) {
            frames++;
        }
        return frames;
    }

    @Test
    void shouldReconnectWithGrowingDelaysAndCountTheOutages() {
        FakeInput first = new FakeInput(5, null);
        FakeInput second = new FakeInput(3, new IngestException("Reading 'http://cam/live' failed: reset"));
        openings.add(refused());
        openings.add(refused());
        openings.add(second);
        openings.add(new FakeInput(1, null));
        ReconnectingSource source = reconnecting(first, QUICK, true);

        for (int i = 0; i < 9; i++) {
            assertNotNull(source.grab(), "frame " + i);
        }

        assertTrue(first.closed && second.closed, "the dropped inputs are closed");
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(100)), waits, "waits: doubling, capped, and from the start again after frames came");
        assertEquals(2, source.outages(), "the end, then the failed read");
        // 100 + 200 + 400 ms from the last frame to the first of the new connection, then 100 ms.
        assertEquals(800, source.outageMillis(), "time without frames");
        assertEquals(6 + 1, source.lostFrames(), "7 frame periods less the frame that ends the gap, then at least 1");
        assertEquals(3, source.skippedFrames(), "skipped frames of the closed inputs add up");
        assertEquals(4, opened, "openings");
    }

    @Test
    void shouldGiveUpAfterMaxAttemptsSayingSinceWhen() {
        openings.add(refused());
        openings.add(refused());
        openings.add(refused());
        ReconnectingSource source = reconnecting(new FakeInput(2, null), QUICK.withMaxAttempts(3), true);
        long before = System.currentTimeMillis() / 1000 * 1000;

        assertNotNull(source.grab());
        assertNotNull(source.grab());
        IngestException e = assertThrows(IngestException.class, source::grab);

        assertTrue(e.getMessage().matches("Gave up reconnecting to 'http://cam/live' after 3 attempts: no frame since "
                + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(0\\.7 s\\); last failure: Cannot open stream "
                + "'http://cam/live': Connection refused"), e.getMessage());
        String since = e.getMessage().replaceAll(".*no frame since (\\S+) .*", "$1");
        long sinceMs = Instant.parse(since).toEpochMilli();
        assertTrue(sinceMs >= before && sinceMs <= System.currentTimeMillis(), "since " + since);
        assertEquals(3, opened, "attempts");
        assertEquals(1, source.outages(), "outages");
        assertEquals(0, source.outageMillis(), "the outage is under way");
        source.close();
        assertEquals(700, source.outageMillis(), "an outage that ends the run counts up to the close");
        assertEquals(6, source.lostFrames(), "frames lost in it");
    }

    @Test
    void shouldGiveUpOnceTheGiveUpTimeWouldPass() {
        openings.add(refused());
        openings.add(refused());
        Backoff steady = new Backoff(Duration.ofMillis(400), Duration.ofMillis(400), 1, 0, Backoff.NO_LIMIT,
                Duration.ofSeconds(1));
        ReconnectingSource source = reconnecting(new FakeInput(1, null), steady, true);

        assertNotNull(source.grab());
        IngestException e = assertThrows(IngestException.class, source::grab);

        assertTrue(e.getMessage().contains(" after 2 attempts: no frame since "), e.getMessage());
        assertEquals(List.of(Duration.ofMillis(400), Duration.ofMillis(400)), waits,
                "a third attempt would start 1.2 s after the last frame");
    }

    @Test
    void shouldFailLikeThePlainInputBeforeTheFirstFrame() {
        ReconnectingSource ends = reconnecting(new FakeInput(0, null), QUICK, true);
        assertNull(ends.grab(), "an input that gives nothing ends");
        IngestException failure = refused();
        ReconnectingSource fails = reconnecting(new FakeInput(0, failure), QUICK, true);
        assertSame(failure, assertThrows(IngestException.class, fails::grab), "a failure before any frame");
        assertEquals(0, opened, "never reopened");
        assertEquals(0, ends.outages() + fails.outages(), "outages");
    }

    @Test
    void shouldTreatEndOfLavfiGraphAsItsEndButReconnectAfterFailure() {
        ReconnectingSource graph = reconnecting(new FakeInput(3, null), QUICK, false);
        assertEquals(3, grabAll(graph), "frames of the graph");
        assertEquals(0, opened, "a graph that ended is not rendered again");

        openings.add(new FakeInput(2, null));
        ReconnectingSource failing = reconnecting(new FakeInput(3, refused()), QUICK, false);
        assertEquals(5, grabAll(failing), "frames before and after the failure");
        assertEquals(1, failing.outages(), "outages");
    }

    @Test
    void shouldEndAtDropWhenNoReconnectIsAllowed() {
        ReconnectingSource source = reconnecting(new FakeInput(3, null), QUICK.withMaxAttempts(0), true);
        assertEquals(3, grabAll(source), "frames");
        assertEquals(0, opened, "openings");
        assertEquals(0, source.outages(), "outages");
    }

    @Test
    void shouldStopWaitingToReconnectWhenCancelled() throws Exception {
        FakeInput first = new FakeInput(1, null);
        Supplier<FrameSource> neverCalled = () -> {
            throw new AssertionError("opened during a cancelled wait");
        };
        ReconnectingSource live = new ReconnectingSource(first, neverCalled,
                QUICK.withMax(Duration.ofSeconds(30)).withInitial(Duration.ofSeconds(30)), true);
        DropOldestSource source = new DropOldestSource(live, 2);
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            assertNotNull(reader.submit(source::grab).get(5, TimeUnit.SECONDS), "the frame before the drop");
            Future<Frame> waiting = reader.submit(source::grab);
            Thread.sleep(100); // the grab thread is now in its 30 s backoff wait
            long start = System.nanoTime();
            source.cancel();
            assertNull(waiting.get(1, TimeUnit.SECONDS), "a cancelled grab returns null");
            reader.submit(source::close).get(5, TimeUnit.SECONDS);
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMs < DropOldestSource.CLOSE_WAIT_MS / 2, "cancel and close took " + tookMs + " ms");
            assertEquals(1, source.outages(), "the outage under way");
        } finally {
            reader.shutdownNow();
        }
    }
}
