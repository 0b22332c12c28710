package org.smtstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.ingest.IngestSummary.Ending;
import org.smtstream.ingest.source.SourceSpec;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.Topics;
import org.smtstream.model.wire.PatchFrame;

class MultiStreamIngestTest {

    private static final SmtConfig CONFIG = SmtConfig.fast();

    @TempDir
    Path dir;

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

    private static IngestSettings stream(SourceSpec input, String id) {
        return IngestSettings.of(input, id).withPacing(Pacing.UNLIMITED);
    }

    @Test
    void shouldKeepEachStreamsIdAndFrameIndices() throws Exception {
        Path clip = TestClips.write(dir.resolve("walk.mp4"), TestClips.MPEG4, 96, 64, 10, 10, 5);
        List<IngestSettings> streams = List.of(
                stream(SourceSpec.file(clip), "door"),
                stream(SourceSpec.lavfi("testsrc2=size=80x60:rate=25:duration=1"), "synth"),
                stream(SourceSpec.file(BundledClip.path()), "walk").withMaxFrames(15));

        Map<String, IngestSummary> summaries = new MultiStreamIngest(CONFIG, streams, producer).call();

        assertEquals(List.of("door", "synth", "walk"), new ArrayList<>(summaries.keySet()), "summaries in order");
        assertEquals(10, summaries.get("door").framesPublished(), "door frames");
        assertEquals(15, summaries.get("walk").framesPublished(), "walk frames");
        IngestSummary synth = summaries.get("synth");
        assertEquals(25, synth.framesPublished() + synth.framesDropped(), "synth: published + dropped");
        assertEquals(Ending.MAX_FRAMES, summaries.get("walk").ending(), "walk ending");
        for (String id : summaries.keySet()) {
            List<PatchFrame> frames = patchFrames(id);
            assertEquals(summaries.get(id).framesPublished(), frames.size(), "records of " + id);
            for (int i = 0; i < frames.size(); i++) {
                assertEquals(id, frames.get(i).streamId(), "stream id in record " + i + " of " + id);
            }
        }
        for (String recording : List.of("door", "walk")) {
            List<PatchFrame> frames = patchFrames(recording);
            for (int i = 0; i < frames.size(); i++) {
                assertEquals(i, frames.get(i).frameIndex(), "frame index of record " + i + " of " + recording);
            }
        }
        // The live stream's indices skip the frames it dropped; its last frame is never dropped.
        List<PatchFrame> live = patchFrames("synth");
        assertEquals(24, live.get(live.size() - 1).frameIndex(), "index of the last of 25 synth frames");
        for (int i = 1; i < live.size(); i++) {
            assertTrue(live.get(i).frameIndex() > live.get(i - 1).frameIndex(), "synth indices increase");
        }
        assertFalse(producer.closed(), "a producer passed in stays open");
    }

    private List<PatchFrame> patchFrames(String streamId) {
        String topic = Topics.PATCHES.name();
        return producer.history().stream()
                .filter(r -> r.topic().equals(topic))
                .filter(r -> streamId.equals(Topics.PATCHES.keySerde().deserializer().deserialize(topic, r.key())))
                .map(ProducerRecord::value)
                .map(v -> Topics.PATCHES.valueSerde().deserializer().deserialize(topic, v))
                .toList();
    }

    @Test
    void shouldFailOnBadInputBeforeContactingKafkaOrPublishing() {
        List<IngestSettings> streams = List.of(
                stream(SourceSpec.file(BundledClip.path()), "walk"),
                stream(SourceSpec.camera("/dev/video9"), "cam"));
        AtomicInteger topicSetups = new AtomicInteger();
        Properties unreachable = new Properties();
        unreachable.setProperty("bootstrap.servers", "127.0.0.1:1");

        IngestException e = assertThrows(IngestException.class,
                () -> new MultiStreamIngest(CONFIG, streams, unreachable, topicSetups::incrementAndGet).call());

        assertEquals("Cannot open camera '/dev/video9': no such device", e.getMessage());
        assertEquals(0, topicSetups.get(), "topics are not set up for a run that cannot start");
    }

    @Test
    void shouldSetUpTopicsOnceAfterSourcesOpenAndBeforeTheProducerExists() throws Exception {
        List<String> events = new ArrayList<>();
        List<IngestSettings> streams = List.of(
                stream(SourceSpec.file(BundledClip.path()), "a").withMaxFrames(2),
                stream(SourceSpec.file(BundledClip.path()), "b").withMaxFrames(2));
        MultiStreamIngest ingest = new MultiStreamIngest(CONFIG, streams, () -> {
            events.add("producer");
            return producer;
        }, true, () -> events.add("topics"));

        ingest.call();

        assertEquals(List.of("topics", "producer"), events, "order of set-up");
        assertEquals(2, patchFrames("a").size(), "records of a");
        assertTrue(producer.closed(), "a producer the runner made is closed at the end");
        assertThrows(IllegalStateException.class, ingest::call, "runs once");
    }

    @Test
    void shouldStopEveryStreamWhenOneFails() {
        // "cam" runs until stopped (a live source without end); Kafka rejects every record of "door".
        MockProducer<byte[], byte[]> rejectingDoor = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                if ("door".equals(Topics.PATCHES.keySerde().deserializer().deserialize(record.topic(), record.key()))) {
                    throw new KafkaException("not authorized for door");
                }
                return super.send(record, callback);
            }
        };
        List<IngestSettings> streams = List.of(
                IngestSettings.of(SourceSpec.lavfi("testsrc2=size=64x48:rate=10"), "cam"),
                stream(SourceSpec.file(BundledClip.path()), "door"));

        long start = System.nanoTime();
        IngestException e = assertThrows(IngestException.class,
                () -> new MultiStreamIngest(CONFIG, streams, rejectingDoor).call());

        assertTrue(e.getMessage().contains("not authorized for door"), e.getMessage());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "the endless stream was stopped");
    }

    @Test
    void shouldRejectDuplicateStreamIds() {
        List<IngestSettings> streams = List.of(
                stream(SourceSpec.file(BundledClip.path()), "cam"),
                stream(SourceSpec.lavfi("testsrc2"), "cam"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MultiStreamIngest(CONFIG, streams, producer));
        assertEquals("Duplicate stream id 'cam' (each stream needs its own)", e.getMessage());
        assertTrue(producer.history().isEmpty(), "nothing sent");
    }
}
