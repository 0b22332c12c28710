package org.smtstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.smtstream.ingest.IngestSummary.Ending;
import org.smtstream.ingest.source.Backoff;
import org.smtstream.ingest.source.MjpegServer;
import org.smtstream.ingest.source.SourceSpec;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.Topics;
import org.smtstream.model.wire.IngestFaults;
import org.smtstream.model.wire.PatchFrame;

/**
 * A camera on loopback (MJPEG over HTTP, read by FFmpeg as any IP camera) goes away mid-stream,
 * refuses connections for a while and comes back: the run reconnects under the same stream id,
 * measures the outage, and the frame indices jump across it. Backoffs are short so each test takes
 * a few seconds.
 */
class LiveReconnectTest {

    private static final SmtConfig CONFIG = SmtConfig.fast();
    /** FFmpeg's MJPEG demuxer assumes 25 fps; the camera sends at that rate so the lost-frame estimate holds. */
    private static final double FPS = 25;
    private static final long AWAY_MS = 1500;
    private static final Backoff QUICK = Backoff.DEFAULT.withInitial(Duration.ofMillis(100))
            .withMax(Duration.ofMillis(300));
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void shutDown() {
        executor.shutdownNow();
    }

    private List<PatchFrame> patchFrames() {
        String topic = Topics.PATCHES.name();
        return producer.history().stream().filter(r -> r.topic().equals(topic))
                .map(r -> Topics.PATCHES.valueSerde().deserializer().deserialize(topic, r.value())).toList();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    private IngestJob job(MjpegServer camera, Backoff reconnect) {
        IngestSettings settings = IngestSettings.of(SourceSpec.url(camera.url()), "door")
                .withPreviewIntervalMs(3_600_000).withReconnect(reconnect);
        return new IngestJob(CONFIG, settings, producer);
    }

    @Test
    void shouldReconnectToCameraThatWentAwayAndRestartTrajectoryAcrossTheOutage() throws Exception {
        IngestSummary summary;
        long awayMs;
        try (MjpegServer camera = new MjpegServer(96, 64, FPS)) {
            IngestJob job = job(camera, QUICK);
            Future<IngestSummary> run = executor.submit(job);
            await(() -> patchFrames().size() >= 20, "20 frames before the outage");
            long wentAway = System.nanoTime();
            camera.goAway();
            Thread.sleep(AWAY_MS);
            camera.comeBack();
            awayMs = (System.nanoTime() - wentAway) / 1_000_000;
            int before = patchFrames().size();
            await(() -> patchFrames().size() >= before + 20, "20 frames after the outage");
            job.stop();
            summary = run.get(10, TimeUnit.SECONDS);
            assertEquals(2, camera.connectionsAccepted(), "one connection before the outage, one after");
        }

        String counts = summary.toString();
        assertEquals(Ending.STOPPED, summary.ending(), counts);
        assertEquals(1, summary.outages(), "outages: " + counts);
        long outageMs = summary.outageTime().toMillis();
        // From the last frame before it to the first after it: at least the time the camera was away,
        // plus at most a backoff step, FFmpeg's probing of the new connection and a loaded machine.
        assertTrue(outageMs >= awayMs - 50 && outageMs <= awayMs + 5000,
                "outage " + outageMs + " ms, camera away " + awayMs + " ms");
        assertEquals(Math.max(1, Math.round(outageMs * FPS / 1000) - 1), summary.framesLost(), 1,
                "frames lost at 25 fps: " + counts);
        assertTrue(counts.contains(summary.framesLost() + " lost in 1 outage of "), counts);

        List<PatchFrame> frames = patchFrames();
        assertEquals(summary.framesPublished(), frames.size(), "records");
        assertTrue(frames.stream().allMatch(f -> f.streamId().equals("door")), "the same stream id throughout");
        int across = 1; // the record after the longest silence, the first after the outage
        long gaps = frames.get(0).frameIndex();
        for (int i = 1; i < frames.size(); i++) {
            long step = frames.get(i).frameIndex() - frames.get(i - 1).frameIndex();
            assertTrue(step >= 1, "indices increase: step " + step + " at record " + i);
            gaps += step - 1;
            if (silence(frames, i) > silence(frames, across)) {
                across = i;
            }
        }
        long jump = frames.get(across).frameIndex() - frames.get(across - 1).frameIndex();
        // A frame or two on either side may have been dropped rather than published.
        assertTrue(Math.abs(silence(frames, across) - outageMs) <= 300,
                "the longest silence between records, " + silence(frames, across) + " ms, is the outage " + outageMs);
        assertTrue(jump > summary.framesLost() && jump <= 1 + summary.framesLost() + summary.framesDropped(),
                "index jump across the outage " + jump + ": " + counts);
        assertTrue(gaps >= summary.framesLost() && gaps <= summary.framesLost() + summary.framesDropped(),
                "indices skipped " + gaps + " = lost + dropped before the last frame: " + counts);
        List<IngestFaults> faults = producer.history().stream().filter(r -> r.topic().equals(Topics.PATCHES.name()))
                .map(r -> IngestFaults.of(r.headers())).toList();
        assertEquals(0, faults.get(across - 1).outages(), "no outage yet before it");
        IngestFaults after = faults.get(across);
        assertEquals(1, after.outages(), "the first frame after the outage tells the web view of it");
        assertEquals(summary.framesLost(), after.lost(), "frames lost in it, as in the summary");
        assertEquals(outageMs, after.outageMs(), 300, "its length so far");
    }

    /** Capture time between record {@code i - 1} and record {@code i}. */
    private static long silence(List<PatchFrame> frames, int i) {
        return frames.get(i).captureTimeMs() - frames.get(i - 1).captureTimeMs();
    }

    @Test
    void shouldStopDuringAnOutageWithoutWaitingOutTheBackoff() throws Exception {
        Backoff slow = QUICK.withMax(Duration.ofSeconds(20)).withInitial(Duration.ofSeconds(20));
        try (MjpegServer camera = new MjpegServer(96, 64, FPS)) {
            IngestJob job = job(camera, slow);
            Future<IngestSummary> run = executor.submit(job);
            await(() -> patchFrames().size() >= 5, "5 frames");
            camera.goAway(); // for good
            Thread.sleep(500); // the grab thread is now in its 20 s backoff wait
            job.stop();
            IngestSummary summary = run.get(5, TimeUnit.SECONDS);

            assertEquals(Ending.STOPPED, summary.ending(), "ending");
            assertEquals(1, summary.outages(), "outages");
            // Counted when the reconnecting source is closed, on the grab thread: it woke from its wait.
            assertTrue(summary.outageTime().toMillis() >= 400, "outage up to the stop: " + summary);
            assertEquals(1, camera.connectionsAccepted(), "no attempt was made");
        }
    }

    @Test
    void shouldGiveUpAfterMaxReconnectsWithClearMessage() throws Exception {
        try (MjpegServer camera = new MjpegServer(96, 64, FPS)) {
            Future<IngestSummary> run = executor.submit(job(camera, QUICK.withMaxAttempts(3)));
            await(() -> patchFrames().size() >= 5, "5 frames");
            camera.goAway(); // for good

            ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(10, TimeUnit.SECONDS));

            IngestException failure = assertInstanceOf(IngestException.class, e.getCause());
            assertTrue(failure.getMessage().matches("Gave up reconnecting to '" + camera.url().replace(".", "\\.")
                    + "' after 3 attempts: no frame since \\S+Z \\(\\d+\\.\\d s\\); last failure: Cannot open stream "
                    + "'.*': Connection refused"), failure.getMessage());
            assertEquals(1, camera.connectionsAccepted(), "connections");
        }
    }
}
