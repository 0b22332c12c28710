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
import org.smtstream.model.wire.PatchFrame;

/**
 * Sends the records of one stream: a {@link PatchFrame} per frame to {@code smt.patches} and preview
 * {@link FrameImage}s to {@code smt.preview}, both keyed by stream id and serialized with the
 * serdes of {@link Topics}. Patch records carry four UTF-8 headers (readable with
 * {@code kafka-console-consumer --property print.headers=true}): the decimal numbers
 * {@value #HEADER_FRAME_INDEX}, {@value #HEADER_CAPTURE_TIME_MS} and
 * {@value #HEADER_PREPROCESSING_VERSION} ({@link Preprocessor#VERSION}), and
 * {@value #HEADER_PREPROCESSING} ({@link PreprocessingOptions#label()}, e.g. {@code fourier} or
 * {@code zca+lcn}), so a consumer can tell streams whitened differently apart.
 *
 * <p>Sends are asynchronous; a failed send is remembered and rethrown as an {@link IngestException}
 * by the next call, so a broken producer ends the run instead of losing frames silently.
 */
public final class PatchPublisher {

    public static final String HEADER_FRAME_INDEX = "frameIndex";
    public static final String HEADER_CAPTURE_TIME_MS = "captureTimeMs";
    public static final String HEADER_PREPROCESSING_VERSION = "preprocessingVersion";
    public static final String HEADER_PREPROCESSING = "preprocessing";
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
    private final Serializer<PatchFrame> patchSerializer = Topics.PATCHES.valueSerde().serializer();
    private final Serializer<FrameImage> previewSerializer = Topics.PREVIEW.valueSerde().serializer();
    private final AtomicLong patchesAcked = new AtomicLong();
    private final AtomicLong previewsAcked = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /** A publisher for frames preprocessed with {@link PreprocessingOptions#DEFAULT}. */
    public PatchPublisher(Producer<byte[], byte[]> producer, String streamId) {
        this(producer, streamId, PreprocessingOptions.DEFAULT);
    }

    /**
     * @param producer      sends raw bytes; this publisher serializes keys and values itself
     * @param preprocessing how the frames were preprocessed, for the {@value #HEADER_PREPROCESSING} header
     */
    public PatchPublisher(Producer<byte[], byte[]> producer, String streamId, PreprocessingOptions preprocessing) {
        this.producer = producer;
        this.key = Topics.PATCHES.keySerde().serializer().serialize(Topics.PATCHES.name(), streamId);
        this.preprocessing = preprocessing.label().getBytes(StandardCharsets.UTF_8);
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

    /** Sends all patches of one frame, with frame index, capture time and preprocessing as headers. */
    public void publishPatches(PatchFrame frame) {
        Headers headers = new RecordHeaders()
                .add(HEADER_FRAME_INDEX, decimal(frame.frameIndex()))
                .add(HEADER_CAPTURE_TIME_MS, decimal(frame.captureTimeMs()))
                .add(HEADER_PREPROCESSING_VERSION, decimal(Preprocessor.VERSION))
                .add(HEADER_PREPROCESSING, preprocessing);
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

    private static byte[] decimal(long value) {
        return Long.toString(value).getBytes(StandardCharsets.UTF_8);
    }
}
