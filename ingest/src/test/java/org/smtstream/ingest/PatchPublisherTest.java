package org.smtstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.smtstream.ingest.preprocess.PreprocessingOptions;
import org.smtstream.model.wire.IngestFaults;
import org.smtstream.model.wire.PatchFrame;
import org.smtstream.model.wire.PatchHeaders;

class PatchPublisherTest {

    private static PatchFrame frame(long index) {
        return new PatchFrame("cam", index, 1000 + index, 8, 4, 4, new float[4 * 16]);
    }

    @Test
    void shouldEnforceIdempotentByteArrayProducer() {
        Properties user = new Properties();
        user.setProperty("bootstrap.servers", "localhost:9092");
        user.setProperty("acks", "1");
        user.setProperty("enable.idempotence", "false");
        user.setProperty("linger.ms", "20");

        Properties config = PatchPublisher.producerConfig(user, "cam");

        assertEquals("all", config.getProperty("acks"), "acks");
        assertEquals("true", config.getProperty("enable.idempotence"), "enable.idempotence");
        assertEquals(ByteArraySerializer.class.getName(), config.getProperty("key.serializer"), "key.serializer");
        assertEquals(ByteArraySerializer.class.getName(), config.getProperty("value.serializer"), "value.serializer");
        assertEquals("20", config.getProperty("linger.ms"), "a user setting that is kept");
        assertEquals("smt-ingest-cam", config.getProperty("client.id"), "default client.id");
    }

    @Test
    void shouldLeaveCompressionOffUnlessAsked() {
        Properties user = new Properties();
        user.setProperty("bootstrap.servers", "localhost:9092");
        assertEquals("none", PatchPublisher.producerConfig(user, "cam").getProperty("compression.type"),
                "default: float32 patches do not compress");
        user.setProperty("compression.type", "zstd");
        assertEquals("zstd", PatchPublisher.producerConfig(user, "cam").getProperty("compression.type"),
                "a user's choice is kept");
    }

    @Test
    void shouldNamePreprocessingInHeader() {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        PreprocessingOptions zcaWithContrast = PreprocessingOptions.DEFAULT
                .withWhitening(PreprocessingOptions.Whitening.ZCA).withLocalContrast(true);
        new PatchPublisher(producer, "cam", zcaWithContrast, 0).publishPatches(frame(0));
        new PatchPublisher(producer, "cam").publishPatches(frame(1));

        assertEquals(List.of("zca+lcn", "fourier"), producer.history().stream()
                .map(r -> new String(r.headers().lastHeader(PatchHeaders.PREPROCESSING).value(),
                        StandardCharsets.UTF_8))
                .toList());
    }

    @Test
    void shouldCarryFreshnessBoundAndLossesInHeaders() {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        IngestFaults faults = new IngestFaults(3, 1, 2, 4500, 45);
        new PatchPublisher(producer, "cam", PreprocessingOptions.DEFAULT, 800).publishPatches(frame(0), faults);
        new PatchPublisher(producer, "cam").publishPatches(frame(1));

        var bounded = producer.history().get(0).headers();
        assertEquals(800, PatchHeaders.maxAgeMs(bounded));
        assertEquals(faults, IngestFaults.of(bounded), "losses read back as sent");
        var unbounded = producer.history().get(1).headers();
        assertNull(unbounded.lastHeader(PatchHeaders.MAX_AGE_MS), "no bound, no header");
        assertEquals(0, PatchHeaders.maxAgeMs(unbounded));
        assertEquals(IngestFaults.NONE, IngestFaults.of(unbounded));
    }

    @Test
    void shouldRefuseNegativeFreshnessBound() {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        var e = assertThrows(IllegalArgumentException.class,
                () -> new PatchPublisher(producer, "cam", PreprocessingOptions.DEFAULT, -1));
        assertEquals("Invalid max frame age: -1 ms (0 = none)", e.getMessage());
    }

    @Test
    void shouldRequireBootstrapServers() {
        IngestException e = assertThrows(IngestException.class,
                () -> PatchPublisher.producerConfig(new Properties(), "cam"));
        assertEquals("Producer configuration needs bootstrap.servers", e.getMessage());
    }

    @Test
    void shouldFailOnNextCallAfterKafkaRejectedRecord() {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        PatchPublisher publisher = new PatchPublisher(producer, "cam");
        publisher.publishPatches(frame(0));
        producer.errorNext(new RecordTooLargeException("record of 2000000 bytes"));

        IngestException e = assertThrows(IngestException.class, () -> publisher.publishPatches(frame(1)));
        assertTrue(e.getMessage().contains("record of 2000000 bytes"),
                "message names Kafka's reason: " + e.getMessage());
        assertEquals(0, publisher.patchesAcked(), "acknowledged patch records");
        assertEquals(1, producer.history().size(), "records handed to the producer");
    }
}
