package org.smtstream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.smtstream.model.FloatMatrix;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.model.Topics;
import org.smtstream.model.store.ModelChunks;
import org.smtstream.model.wire.FrameImage.Kind;
import org.smtstream.model.wire.ModelChunk;

class PipelineFeedTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final TopicPartition METRICS_0 = new TopicPartition(Topics.METRICS.name(), 0);
    private static final TopicPartition PREVIEW_0 = new TopicPartition(Topics.PREVIEW.name(), 0);
    private static final TopicPartition PATCHES_0 = new TopicPartition(Topics.PATCHES.name(), 0);
    private static final TopicPartition CODES_0 = new TopicPartition(Topics.CODES.name(), 0);
    private static final TopicPartition EMBEDDINGS_0 = new TopicPartition(Topics.EMBEDDINGS.name(), 0);
    private static final TopicPartition DLQ_0 = new TopicPartition(Topics.DLQ.name(), 0);
    private static final TopicPartition MODEL_0 = new TopicPartition(Topics.MODEL.name(), 0);

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("latest");
    private final LiveState state = new LiveState();
    private final PipelineFeed feed = new PipelineFeed(consumer, state, "mock:9092");

    @AfterEach
    void closeFeed() {
        feed.close();
    }

    private void createTopic(TopicPartition tp, long endOffset) {
        consumer.updatePartitions(tp.topic(), List.of(new PartitionInfo(tp.topic(), tp.partition(), null, null, null)));
        consumer.updateBeginningOffsets(Map.of(tp, 0L));
        consumer.updateEndOffsets(Map.of(tp, endOffset));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void shouldDecodeRecordsAndSkipMalformedOnes() throws InterruptedException {
        createTopic(METRICS_0, 0);
        createTopic(PREVIEW_0, 0);
        feed.start();
        await("assignment", () -> feed.status().running());

        byte[] garbage = "not a record".getBytes(StandardCharsets.UTF_8);
        consumer.addRecord(new ConsumerRecord<>(METRICS_0.topic(), 0, 0, Samples.STREAM, garbage));
        consumer.addRecord(new ConsumerRecord<>(METRICS_0.topic(), 0, 1, Samples.STREAM,
                Samples.metrics(Samples.STREAM, 5, 11.0).toBytes()));
        consumer.addRecord(new ConsumerRecord<>(METRICS_0.topic(), 0, 2, Samples.STREAM, null));
        consumer.addRecord(new ConsumerRecord<>(PREVIEW_0.topic(), 0, 0, Samples.STREAM,
                Samples.horizontalGradient(Kind.WHITENED, 4, 4, -1, 1).toBytes()));
        consumer.addRecord(new ConsumerRecord<>(PREVIEW_0.topic(), 0, 1, Samples.STREAM,
                Samples.metrics(Samples.STREAM, 6, 11.0).toBytes()));

        await("all records", () -> state.malformedCount() == 2
                && state.latestImage(Samples.STREAM, Kind.WHITENED).isPresent());
        var view = state.view(Map.of()).streams().get(0);
        assertEquals(1, view.frames(), "the valid metrics record, not the tombstone");
        Map<String, Long> malformed = state.view(Map.of()).malformed();
        assertEquals(1L, malformed.get(Topics.METRICS.name()));
        assertEquals(1L, malformed.get(Topics.PREVIEW.name()));
        assertEquals(0L, malformed.get(Topics.PATCHES.name()), "every decoded topic shows its count from the start");
        assertTrue(feed.status().running(), "a malformed record does not stop the feed");
    }

    @Test
    void shouldStartNearTheEndOfEachPartition() throws InterruptedException {
        createTopic(METRICS_0, 10_000);
        createTopic(PREVIEW_0, 100);
        feed.start();
        await("assignment", () -> feed.status().running());

        // MockConsumer's methods lock the consumer itself, so this reads while the feed thread waits.
        synchronized (consumer) {
            assertEquals(10_000 - state.historyLimit(), consumer.position(METRICS_0), "a full chart history back");
            long preview = consumer.position(PREVIEW_0);
            assertTrue(preview > 0 && preview < 100, "a few preview records back: " + preview);
        }
    }

    /** A small model: 4 x 4 patches, 6 atoms, f = 3, with the sample arrays. */
    private static SmtModel smallModel(long version) {
        SmtConfig config = SmtConfig.fast().with(Map.of("frameSize", "8", "patchSize", "4", "stride", "4",
                "dictionarySize", "6", "embeddingDim", "3"));
        ModelSnapshot sample = Samples.model(version);
        return new SmtModel(version, config, sample.phi(), sample.p(), null,
                new FloatMatrix(6, 1, sample.meanActivity()),
                new ModelInfo(version - 1, 1_700_000_000_000L, 100 * version, 1, "test",
                        Map.of(ModelInfo.SNR_DB, 9.5)));
    }

    @Test
    void shouldRouteEveryTopicToItsPart() throws InterruptedException {
        for (TopicPartition tp : List.of(METRICS_0, PREVIEW_0, PATCHES_0, CODES_0, EMBEDDINGS_0, DLQ_0, MODEL_0)) {
            createTopic(tp, 0);
        }
        feed.start();
        await("assignment", () -> feed.status().running());

        for (int t = 0; t < 3; t++) {
            consumer.addRecord(new ConsumerRecord<>(PATCHES_0.topic(), 0, t, Samples.STREAM,
                    Samples.patches(Samples.STREAM, t).toBytes()));
            consumer.addRecord(new ConsumerRecord<>(CODES_0.topic(), 0, t, Samples.STREAM,
                    Samples.codes(Samples.STREAM, t).toBytes()));
            consumer.addRecord(new ConsumerRecord<>(EMBEDDINGS_0.topic(), 0, t, Samples.STREAM,
                    Samples.embeddings(Samples.STREAM, t).toBytes()));
        }
        ConsumerRecord<String, byte[]> deadLetter = new ConsumerRecord<>(DLQ_0.topic(), 0, 0, Samples.STREAM,
                "unreadable".getBytes(StandardCharsets.UTF_8));
        DeadLetterCountsTest.deadLetter("org.example.BadFrame", "why").forEach(h -> deadLetter.headers().add(h));
        consumer.addRecord(deadLetter);
        List<ModelChunk> chunks = ModelChunks.split(smallModel(4));
        for (int i = 0; i < chunks.size(); i++) {
            consumer.addRecord(new ConsumerRecord<>(MODEL_0.topic(), 0, i, ModelChunks.key(i),
                    chunks.get(i).toBytes()));
        }

        await("model and dead letter", () -> state.model().latest().isPresent()
                && state.view(Map.of()).deadLetters().total() == 1);
        await("trajectories", () -> state.trajectories()
                .path(Samples.STREAM, TrajectoryStore.Representation.BETA, 0).frames().length == 3);
        assertEquals(3, state.trajectories().path(Samples.STREAM, TrajectoryStore.Representation.PIXELS, 0)
                .frames().length);
        assertEquals(3, state.trajectories().path(Samples.STREAM, TrajectoryStore.Representation.ALPHA, 0)
                .frames().length);
        assertEquals(Map.of("BadFrame", 1L), state.view(Map.of()).deadLetters().byReason());
        ModelSnapshot model = state.model().latest().orElseThrow();
        assertEquals(4, model.version());
        assertEquals(4, model.patchSize());
        assertEquals(1, model.rejectedUpdates());
        assertEquals(9.5, model.stat(ModelSnapshot.SNR_DB));
        assertEquals(0, state.malformedCount());
    }

    @Test
    void shouldReadAllOfTheDeadLettersAndModelChunks() throws InterruptedException {
        createTopic(METRICS_0, 0);
        createTopic(PREVIEW_0, 0);
        createTopic(DLQ_0, 5_000);
        createTopic(MODEL_0, 7);
        createTopic(PATCHES_0, 10_000);
        feed.start();
        await("assignment", () -> feed.status().running());

        synchronized (consumer) {
            assertEquals(0, consumer.position(DLQ_0), "every dead letter counts");
            assertEquals(0, consumer.position(MODEL_0), "every chunk of the compacted topic");
            assertEquals(10_000 - 2 * TrajectoryStore.DEFAULT_WINDOW, consumer.position(PATCHES_0),
                    "two trajectory windows back");
        }
    }

    @Test
    void shouldNotWaitForTopicsThePageCanDoWithout() throws InterruptedException {
        createTopic(METRICS_0, 0);
        createTopic(PREVIEW_0, 0);
        feed.start();
        await("assignment", () -> feed.status().running());

        Feed.Status status = feed.status();
        assertFalse(status.detail().contains("waiting"),
                "embeddings, model and DLQ may come later: " + status.detail());
    }

    @Test
    void shouldWaitForMissingTopics() throws InterruptedException {
        feed.start();
        await("first metadata check", () -> feed.status().detail().contains("waiting"));

        Feed.Status none = feed.status();
        assertFalse(none.running());
        assertTrue(none.detail().contains(Topics.METRICS.name()) && none.detail().contains(Topics.PREVIEW.name()),
                none.detail());
    }

    @Test
    void shouldReportStoppedAfterClose() throws InterruptedException {
        createTopic(METRICS_0, 0);
        createTopic(PREVIEW_0, 0);
        feed.start();
        await("assignment", () -> feed.status().running());

        feed.close();

        assertFalse(feed.status().running());
        assertTrue(feed.status().detail().startsWith("stopped"), feed.status().detail());
    }

    @Test
    void shouldForceSettingsTheFeedReliesOn() {
        Properties given = new Properties();
        given.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092");
        given.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");

        Properties props = PipelineFeed.consumerConfig(given);

        assertEquals("read_committed", props.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        assertEquals("false", props.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
        assertEquals("false", props.get(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG));
        assertEquals("broker:9092", props.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
    }

    @Test
    void shouldRequireBootstrapServers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PipelineFeed.consumerConfig(new Properties()));

        assertTrue(e.getMessage().contains("bootstrap.servers"), e.getMessage());
    }
}
