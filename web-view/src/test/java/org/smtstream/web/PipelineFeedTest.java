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
import org.smtstream.model.Topics;
import org.smtstream.model.wire.FrameImage.Kind;

class PipelineFeedTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final TopicPartition METRICS_0 = new TopicPartition(Topics.METRICS.name(), 0);
    private static final TopicPartition PREVIEW_0 = new TopicPartition(Topics.PREVIEW.name(), 0);

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
        assertEquals(Map.of(Topics.METRICS.name(), 1L, Topics.PREVIEW.name(), 1L), state.view(Map.of()).malformed());
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
