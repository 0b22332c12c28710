package org.smtstream.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.ingest.preprocess.PreprocessingOptions;
import org.smtstream.ingest.preprocess.Preprocessor;
import org.smtstream.model.Topics;
import org.smtstream.model.wire.FrameImage;
import org.smtstream.model.wire.IngestFaults;
import org.smtstream.model.wire.PatchFrame;
import org.smtstream.model.wire.PatchHeaders;

/**
 * Sends the records of one stream: a {@link PatchFrame} per frame to {@code smt.patches} and preview
 * {@link FrameImage}s to {@code smt.preview}, both keyed by stream id and serialized with the
 * serdes of {@link Topics}. Patch records carry the headers of {@link PatchHeaders}: frame index,
 * capture time, preprocessing ({@link Preprocessor#VERSION} and {@link PreprocessingOptions#label()},
 * so a consumer can tell streams whitened differently apart), the stream's freshness bound when it has
 * one, and ingest's losses so far ({@link IngestFaults}).
 *
 * <p>Sends are asynchronous; a failed send is remembered and rethrown as an {@link IngestException}
 * by the next call, so a broken producer ends the run instead of losing frames silently.
 */
public final class PatchPublisher {

    /**
     * Ingest's default {@code compression.type}. Whitened float32 values are close to random in their
     * low mantissa bits, so compression saves little and does not pay (ingest/README.md has the
     * figures per codec); a caller may still set another type (zstd saves a little bandwidth at
     * little CPU).
     */
    public static final String DEFAULT_COMPRESSION = "none";

    private static final Logger LOG = LoggerFactory.getLogger(PatchPublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final byte[] key;
    private final byte[] preprocessing;
    private final long maxAgeMs;
    private final Serializer<PatchFrame> patchSerializer = Topics.PATCHES.valueSerde().serializer();
    private final Serializer<FrameImage> previewSerializer = Topics.PREVIEW.valueSerde().serializer();
    private final AtomicLong patchesAcked = new AtomicLong();
    private final AtomicLong previewsAcked = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /** A publisher for frames preprocessed with {@link PreprocessingOptions#DEFAULT}, without a freshness bound. */
    public PatchPublisher(Producer<byte[], byte[]> producer, String streamId) {
        this(producer, streamId, PreprocessingOptions.DEFAULT, 0);
    }

    /**
     * @param producer      sends raw bytes; this publisher serializes keys and values itself
     * @param preprocessing how the frames were preprocessed, for the {@value PatchHeaders#PREPROCESSING} header
     * @param maxAgeMs      the stream's freshness bound for the {@value PatchHeaders#MAX_AGE_MS} header;
     *                      0 = none (the header is left out)
     */
    public PatchPublisher(Producer<byte[], byte[]> producer, String streamId, PreprocessingOptions preprocessing,
                          long maxAgeMs) {
        if (maxAgeMs < 0) {
            throw new IllegalArgumentException("Invalid max frame age: " + maxAgeMs + " ms (0 = none)");
        }
        this.producer = producer;
        this.key = Topics.PATCHES.keySerde().serializer().serialize(Topics.PATCHES.name(), streamId);
        this.preprocessing = preprocessing.label().getBytes(StandardCharsets.UTF_8);
        this.maxAgeMs = maxAgeMs;
    }

    /**
     * Producer configuration for ingest: {@code user} (bootstrap.servers and whatever else) with
     * byte-array serializers and an idempotent producer ({@code enable.idempotence=true},
     * {@code acks=all}) enforced, so retries neither duplicate nor reorder frames, and
     * {@code compression.type} {@value #DEFAULT_COMPRESSION} unless {@code user} sets one.
     *
     * @throws IngestException when bootstrap.servers is missing
     */
    public static Properties producerConfig(Properties user, String streamId) {
        if (user.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) == null) {
            throw new IngestException("Producer configuration needs " + ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        }
        Properties config = new Properties();
        config.setProperty(ProducerConfig.CLIENT_ID_CONFIG, "smt-ingest-" + streamId);
        config.setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, DEFAULT_COMPRESSION);
        config.putAll(user);
        enforce(config, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        enforce(config, ProducerConfig.ACKS_CONFIG, "all");
        config.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return config;
    }

    private static void enforce(Properties config, String key, String value) {
        Object previous = config.setProperty(key, value);
        if (previous != null && !value.equals(String.valueOf(previous))) {
            LOG.warn("Ignoring producer setting {}={}: ingest needs {}={} (idempotent producer)",
                    key, previous, key, value);
        }
    }

    /** Sends all patches of one frame of a source that has lost nothing. */
    public void publishPatches(PatchFrame frame) {
        publishPatches(frame, IngestFaults.NONE);
    }

    /** Sends all patches of one frame, with its headers ({@link PatchHeaders}) and ingest's losses so far. */
    public void publishPatches(PatchFrame frame, IngestFaults faults) {
        Headers headers = new RecordHeaders();
        PatchHeaders.putDecimal(headers, PatchHeaders.FRAME_INDEX, frame.frameIndex());
        PatchHeaders.putDecimal(headers, PatchHeaders.CAPTURE_TIME_MS, frame.captureTimeMs());
        PatchHeaders.putDecimal(headers, PatchHeaders.PREPROCESSING_VERSION, Preprocessor.VERSION);
        headers.add(PatchHeaders.PREPROCESSING, preprocessing);
        if (maxAgeMs > 0) {
            PatchHeaders.putDecimal(headers, PatchHeaders.MAX_AGE_MS, maxAgeMs);
        }
        faults.addTo(headers);
        String topic = Topics.PATCHES.name();
        send(new ProducerRecord<>(topic, null, key, patchSerializer.serialize(topic, frame), headers), patchesAcked);
    }

    /** Sends one preview image. */
    public void publishPreview(FrameImage image) {
        String topic = Topics.PREVIEW.name();
        send(new ProducerRecord<>(topic, key, previewSerializer.serialize(topic, image)), previewsAcked);
    }

    /** Waits until every record sent so far is acknowledged or failed; throws if any failed. */
    public void flush() {
        try {
            producer.flush();
        } catch (KafkaException e) {
            throw failed(e);
        }
        throwIfFailed();
    }

    /** Patch records acknowledged so far. */
    public long patchesAcked() {
        return patchesAcked.get();
    }

    /** Preview records acknowledged so far. */
    public long previewsAcked() {
        return previewsAcked.get();
    }

    private void send(ProducerRecord<byte[], byte[]> record, AtomicLong acked) {
        throwIfFailed();
        Callback callback = (metadata, exception) -> {
            if (exception == null) {
                acked.incrementAndGet();
            } else if (failure.compareAndSet(null, exception)) {
                LOG.error("Kafka did not accept a record for {}: {}", record.topic(), exception.toString());
            }
        };
        try {
            producer.send(record, callback);
        } catch (KafkaException e) {
            throw failed(e);
        }
    }

    private void throwIfFailed() {
        Exception e = failure.get();
        if (e != null) {
            throw failed(e);
        }
    }

    private static IngestException failed(Exception e) {
        return new IngestException("Publishing to Kafka failed: " + e, e);
    }
}
