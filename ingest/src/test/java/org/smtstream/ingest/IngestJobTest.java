package org.smtstream.ingest;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.smtstream.ingest.ArrayStats.max;
import static org.smtstream.ingest.ArrayStats.mean;
import static org.smtstream.ingest.ArrayStats.min;
import static org.smtstream.ingest.ArrayStats.std;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.ingest.IngestSummary.Ending;
import org.smtstream.ingest.preprocess.PreprocessingOptions;
import org.smtstream.ingest.preprocess.Preprocessor;
import org.smtstream.ingest.source.FrameSource;
import org.smtstream.ingest.source.SourceSpec;
import org.smtstream.ingest.source.VideoFileSource;
import org.smtstream.model.BlankFrame;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.Topics;
import org.smtstream.model.wire.FrameImage;
import org.smtstream.model.wire.IngestFaults;
import org.smtstream.model.wire.PatchFrame;
import org.smtstream.model.wire.PatchHeaders;

class IngestJobTest {

    private static final String STREAM = "walk";
    private static final long NO_PREVIEW_BUT_THE_FIRST = 3_600_000;
    private static final SmtConfig CONFIG = SmtConfig.fast();

    @TempDir
    Path dir;

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

    private IngestSummary run(IngestSettings settings) {
        return new IngestJob(CONFIG, settings, producer).call();
    }

    private static IngestSettings fast(Path source) {
        return IngestSettings.of(source, STREAM).withPacing(Pacing.UNLIMITED)
                .withPreviewIntervalMs(NO_PREVIEW_BUT_THE_FIRST);
    }

    private List<ProducerRecord<byte[], byte[]>> sent(String topic) {
        return producer.history().stream().filter(r -> r.topic().equals(topic)).toList();
    }

    private List<PatchFrame> patchFrames() {
        return sent(Topics.PATCHES.name()).stream()
                .map(r -> Topics.PATCHES.valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void assertConsecutiveFrom0(List<PatchFrame> frames) {
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(i, frames.get(i).frameIndex(), "frame index of record " + i);
        }
    }

    @Test
    void shouldPublishAndCountTheBlackFramesAtBothEndsOfAClipAsBlank() throws Exception {
        Path clip = TestClips.writeBlackEnded(dir.resolve("black-ended.mp4"), 160, 120, 3, 6, 2);
        IngestSummary summary = run(fast(clip));

        assertEquals(11, summary.framesPublished(), "every frame is published, blank or not");
        assertEquals(5, summary.framesBlank(), "blank frames");
        assertTrue(summary.toString().contains("5 blank"), summary.toString());
        List<PatchFrame> frames = patchFrames();
        assertConsecutiveFrom0(frames);
        for (PatchFrame frame : frames) {
            boolean black = frame.frameIndex() < 3 || frame.frameIndex() >= 9;
            assertEquals(black, BlankFrame.isBlank(frame.patches()), "blank, frame " + frame.frameIndex());
            assertEquals(black ? 0.0 : 1.0, std(frame.patches()), black ? 0.0 : 0.05,
                    "whitened deviation, frame " + frame.frameIndex());
        }
    }

    @Test
    void shouldPublishOneWhitenedPatchFramePerFrameKeyedByStream() {
        int frames = 20;
        IngestSummary summary = run(fast(BundledClip.path()).withMaxFrames(frames));

        assertEquals(new IngestSummary(frames, 0, 0, 0, 1, summary.elapsed(), Ending.MAX_FRAMES), summary, "summary");
        List<ProducerRecord<byte[], byte[]>> records = sent(Topics.PATCHES.name());
        List<PatchFrame> patchFrames = patchFrames();
        assertEquals(frames, records.size(), "patch records");
        assertConsecutiveFrom0(patchFrames);
        for (int i = 0; i < frames; i++) {
            ProducerRecord<byte[], byte[]> record = records.get(i);
            PatchFrame frame = patchFrames.get(i);
            String key = Topics.PATCHES.keySerde().deserializer().deserialize(record.topic(), record.key());
            assertAll("record " + i,
                    () -> assertEquals(STREAM, key, "key"),
                    () -> assertEquals(STREAM, frame.streamId(), "stream id"),
                    () -> assertEquals(CONFIG.frameSize(), frame.frameSize(), "frame size"),
                    () -> assertEquals(CONFIG.patchSize(), frame.patchSize(), "patch size"),
                    () -> assertEquals(CONFIG.stride(), frame.stride(), "stride"),
                    () -> assertEquals(Long.toString(frame.frameIndex()),
                            header(record, PatchHeaders.FRAME_INDEX)),
                    () -> assertEquals(Long.toString(frame.captureTimeMs()),
                            header(record, PatchHeaders.CAPTURE_TIME_MS)),
                    () -> assertEquals(Integer.toString(Preprocessor.VERSION),
                            header(record, PatchHeaders.PREPROCESSING_VERSION)));
            // The fast preset tiles the whole frame, so its patches carry the whitening contract.
            assertEquals(0.0, mean(frame.patches()), 1e-4, "mean of the whitened patches of frame " + i);
            assertEquals(1.0, std(frame.patches()), 1e-3, "std of the whitened patches of frame " + i);
        }
        assertFalse(producer.closed(), "an injected producer stays open");
    }

    @Test
    void shouldPublishAnInputPreviewOfEveryFrameAtIntervalZero() {
        run(fast(BundledClip.path()).withMaxFrames(3).withPreviewIntervalMs(0));

        List<FrameImage> previews = sent(Topics.PREVIEW.name()).stream()
                .map(r -> Topics.PREVIEW.valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
        assertEquals(3, previews.size(), "preview records for 3 frames");
        for (int i = 0; i < previews.size(); i++) {
            FrameImage image = previews.get(i);
            assertEquals(i, image.frameIndex(), "frame of preview " + i);
            assertEquals(FrameImage.Kind.INPUT, image.kind(), "kind of preview " + i);
            assertEquals(CONFIG.frameSize(), image.width(), "width of preview " + i);
        }
        float[] input = previews.get(0).pixels();
        assertTrue(min(input) >= 0 && max(input) <= 1, "INPUT pixels in [0, 1]: " + min(input) + ".." + max(input));
    }

    @Test
    void shouldPublishEveryFrameOfClipThenEnd() throws Exception {
        Path clip = TestClips.write(dir.resolve("ten.mp4"), TestClips.MPEG4, 96, 64, 10, 10, 5);

        IngestSummary summary = run(fast(clip));

        assertEquals(10, summary.framesPublished(), "frames published");
        assertEquals(Ending.END_OF_SOURCE, summary.ending(), "ending");
        assertConsecutiveFrom0(patchFrames());
    }

    @Test
    void shouldLoopWithFrameIndicesStillIncreasing() throws Exception {
        Path clip = TestClips.write(dir.resolve("ten.mp4"), TestClips.MPEG4, 96, 64, 10, 10, 5);

        IngestSummary summary = run(fast(clip).withLoop(true).withMaxFrames(25));

        assertEquals(25, summary.framesPublished(), "frames published over 2.5 passes");
        assertEquals(Ending.MAX_FRAMES, summary.ending(), "ending");
        assertConsecutiveFrom0(patchFrames());
    }

    @Test
    void shouldSurviveCorruptClipAndCountSkippedFrames() throws Exception {
        int written = 60;
        Path clip = TestClips.write(dir.resolve("damaged.mp4"), TestClips.MPEG4, 160, 120, written, 10, 5);
        TestClips.damage(clip, 0.4, 0.5, 7);

        IngestSummary summary = run(fast(clip));

        String counts = summary.toString();
        assertTrue(summary.framesPublished() >= written / 2, "most frames published: " + counts);
        assertTrue(summary.framesSkipped() > 0, "skipped frames counted: " + counts);
        assertEquals(written, summary.framesPublished() + summary.framesSkipped(), "published + skipped: " + counts);
        assertEquals(Ending.END_OF_SOURCE, summary.ending(), "ending");
        assertConsecutiveFrom0(patchFrames());
    }

    @Test
    void shouldWaitForFramesAtNativePaceTimesSpeed() throws Exception {
        Path clip = TestClips.write(dir.resolve("ten.mp4"), TestClips.MPEG4, 96, 64, 10, 10, 5);

        IngestSummary summary = run(fast(clip).withPacing(Pacing.times(5)));

        // Ten frames 100 ms apart at 5x: the last is due 9 * 100 / 5 = 180 ms after the first.
        assertTrue(summary.elapsed().compareTo(Duration.ofMillis(180)) >= 0, "elapsed " + summary.elapsed());
        assertEquals(10, summary.framesPublished(), "frames published");
    }

    @Test
    void shouldStopCleanlyFromAnotherThread() throws Exception {
        IngestJob job = new IngestJob(CONFIG, IngestSettings.of(BundledClip.path(), STREAM).withLoop(true), producer);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<IngestSummary> running = executor.submit(job);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (sent(Topics.PATCHES.name()).size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            job.stop();
            IngestSummary summary = running.get(5, TimeUnit.SECONDS);

            assertEquals(Ending.STOPPED, summary.ending(), "ending");
            assertTrue(summary.framesPublished() >= 3 && summary.framesPublished() < BundledClip.FRAME_COUNT,
                    "frames published before the stop: " + summary.framesPublished());
            assertEquals(summary.framesPublished(), patchFrames().size(), "records sent");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void shouldDropOldestLiveFramesForSlowPublisherAndCountEveryDrop() {
        // 200 lavfi frames rendered unpaced (a flood), published at most one per 5 ms.
        MockProducer<byte[], byte[]> slow = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.send(record, callback);
            }
        };
        SourceSpec source = SourceSpec.lavfi("testsrc2=size=64x48:rate=100:duration=2");
        IngestSettings settings = IngestSettings.of(source, "synth")
                .withPacing(Pacing.UNLIMITED).withPreviewIntervalMs(NO_PREVIEW_BUT_THE_FIRST);

        IngestSummary summary = new IngestJob(CONFIG, settings, slow).call();

        String counts = summary.toString();
        assertEquals(200, summary.framesPublished() + summary.framesDropped(),
                "grabbed = published + dropped: " + counts);
        assertTrue(summary.framesDropped() > 0, "a slow publisher makes a live source drop: " + counts);
        assertEquals(0, summary.framesSkipped(), "skipped: " + counts);
        assertEquals(Ending.END_OF_SOURCE, summary.ending(), "ending");
        assertTrue(counts.contains(summary.framesDropped() + " dropped, "), "summary line: " + counts);
        List<PatchFrame> frames = slow.history().stream().filter(r -> r.topic().equals(Topics.PATCHES.name()))
                .map(r -> Topics.PATCHES.valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
        assertEquals(summary.framesPublished(), frames.size(), "patch records");
        long gaps = 0;
        for (int i = 1; i < frames.size(); i++) {
            long step = frames.get(i).frameIndex() - frames.get(i - 1).frameIndex();
            assertTrue(step >= 1, "frame indices increase: " + step + " at record " + i);
            gaps += step - 1;
        }
        assertEquals(summary.framesDropped(), frames.get(0).frameIndex() + gaps,
                "the indices skip every dropped frame, those before the first included");
        assertEquals(199, frames.get(frames.size() - 1).frameIndex(), "the last of 200 frames, never dropped");
        List<ProducerRecord<byte[], byte[]>> records = slow.history().stream()
                .filter(r -> r.topic().equals(Topics.PATCHES.name())).toList();
        for (int i = 0; i < records.size(); i++) {
            var headers = records.get(i).headers();
            assertEquals(IngestSettings.DEFAULT_LIVE_MAX_FRAME_AGE_MS, PatchHeaders.maxAgeMs(headers),
                    "a live source's frames carry the default freshness bound");
            assertEquals(frames.get(i).frameIndex() - i, IngestFaults.of(headers).dropped(),
                    "each record says how many frames were dropped before it: its index minus its position");
        }
    }

    @Test
    void shouldLeaveRecordingsWithoutFreshnessBoundUnlessAsked() {
        run(fast(BundledClip.path()).withMaxFrames(3));
        for (ProducerRecord<byte[], byte[]> record : sent(Topics.PATCHES.name())) {
            assertNull(record.headers().lastHeader(PatchHeaders.MAX_AGE_MS), "a replay codes every frame");
            assertEquals(IngestFaults.NONE, IngestFaults.of(record.headers()), "a clean recording loses nothing");
        }
        producer.clear();
        run(fast(BundledClip.path()).withMaxFrames(3).withMaxFrameAgeMs(250));
        assertEquals(List.of(250L, 250L, 250L), sent(Topics.PATCHES.name()).stream()
                .map(r -> PatchHeaders.maxAgeMs(r.headers())).toList(), "a replay paced as if live, when asked");
    }

    /** A live source of 96 x 64 frames that reports the frames it missed before each, as scripted. */
    private static final class ScriptedLiveSource implements FrameSource {
        private final long[] missedBefore;
        private final Frame frame = TestClips.pattern(0, 96, 64);
        private int next;

        ScriptedLiveSource(long... missedBefore) {
            this.missedBefore = missedBefore;
        }

        @Override
        public Frame grab() {
            return next < missedBefore.length ? frame : null;
        }

        @Override
        public long missedFrames() {
            return missedBefore[next++];
        }

        @Override
        public double frameRate() {
            return 10;
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
            return "scripted";
        }

        @Override
        public boolean live() {
            return true;
        }

        @Override
        public void close() {
            frame.close();
        }
    }

    @Test
    void shouldAdvanceFrameIndexByFramesMissedInBetween() {
        // 2 frames missed before the third frame, 3 more before the fifth (drops or an outage).
        long[] missed = {0, 0, 2, 2, 5, 5};
        List<Long> expected = List.of(0L, 1L, 4L, 5L, 9L, 10L);
        IngestSettings settings = fast(BundledClip.path()).withInput(SourceSpec.lavfi("testsrc2"));

        new IngestJob(CONFIG, settings, producer).run(new ScriptedLiveSource(missed));
        assertEquals(expected, patchFrames().stream().map(PatchFrame::frameIndex).toList(), "Fourier whitening");

        producer.clear();
        PreprocessingOptions zca = PreprocessingOptions.DEFAULT.withWhitening(PreprocessingOptions.Whitening.ZCA)
                .withZcaFitFrames(4);
        new IngestJob(CONFIG, settings.withPreprocessing(zca), producer).run(new ScriptedLiveSource(missed));
        assertEquals(expected, patchFrames().stream().map(PatchFrame::frameIndex).toList(),
                "ZCA: frames held for the fit keep the index they were taken with");
    }

    @Test
    void shouldStopLiveSourceWithoutWaitingForItsNextFrame() throws Exception {
        // One frame every 5 s in real time: a stop must not wait for the second.
        IngestSettings settings = IngestSettings.of(SourceSpec.lavfi("testsrc2=size=64x48:rate=0.2"), "slowcam");
        IngestJob job = new IngestJob(CONFIG, settings, producer);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<IngestSummary> running = executor.submit(job);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (sent(Topics.PATCHES.name()).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            job.stop();
            // Well under the 5 s to the next frame: the wait for it is cancelled, and closing waits 1 s at most.
            IngestSummary summary = running.get(3, TimeUnit.SECONDS);
            assertEquals(Ending.STOPPED, summary.ending(), "ending");
            assertEquals(1, summary.framesPublished(), "frames published");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void shouldIngestImageSequenceWithZcaWhiteningFittedOnFirstFrames() throws Exception {
        Path images = Files.createDirectory(dir.resolve("frames"));
        Path clip = TestClips.write(dir.resolve("walk.mkv"), TestClips.FFV1, 160, 120, 12, 10, 1);
        try (VideoFileSource source = VideoFileSource.open(clip);
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
            int i = 0;
            for (Frame frame; (frame = source.grab()) != null; i++) {
                imwrite(images.resolve("frame" + i + ".png").toString(), converter.convert(frame));
            }
        }
        PreprocessingOptions zca = PreprocessingOptions.DEFAULT.withWhitening(PreprocessingOptions.Whitening.ZCA)
                .withZcaFitFrames(5);

        IngestSummary summary = run(fast(images).withInput(SourceSpec.images(images)).withPreprocessing(zca));

        assertEquals(12, summary.framesPublished(), "every image published, the 5 fit frames included");
        List<PatchFrame> frames = patchFrames();
        assertConsecutiveFrom0(frames);
        for (PatchFrame frame : frames) {
            assertEquals(0.0, mean(frame.patches()), 1e-4, "mean of frame " + frame.frameIndex());
            assertEquals(1.0, std(frame.patches()), 1e-3, "std of frame " + frame.frameIndex());
        }
        assertEquals("zca", header(sent(Topics.PATCHES.name()).get(0), PatchHeaders.PREPROCESSING));
    }

    @Test
    void shouldNameMissingFileBeforeTouchingKafka() {
        Path missing = dir.resolve("missing.avi");
        IngestException e = assertThrows(IngestException.class, () -> run(fast(missing)));
        assertEquals("Cannot open video '" + missing + "': no such file", e.getMessage());
        assertTrue(producer.history().isEmpty(), "nothing sent");
    }

    @Test
    void shouldRunOnlyOnce() {
        IngestJob job = new IngestJob(CONFIG, fast(BundledClip.path()).withMaxFrames(1), producer);
        job.call();
        assertThrows(IllegalStateException.class, job::call);
    }
}
