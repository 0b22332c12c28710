package org.smtstream.model;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.smtstream.model.wire.Embeddings;
import org.smtstream.model.wire.FrameImage;
import org.smtstream.model.wire.FrameMetrics;
import org.smtstream.model.wire.LearningSample;
import org.smtstream.model.wire.ModelChunk;
import org.smtstream.model.wire.PatchFrame;
import org.smtstream.model.wire.SparseCodes;
import org.smtstream.model.wire.WireSerdes;

/** Every topic of the pipeline with its serdes. Keys are stream ids, except on {@link #MODEL}. */
public final class Topics {

    /** A topic name with the serdes of its keys and values. */
    public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
    }

    public static final Topic<String, PatchFrame> PATCHES =
            new Topic<>("smt.patches", Serdes.String(), WireSerdes.patchFrame());
    public static final Topic<String, SparseCodes> CODES =
            new Topic<>("smt.codes", Serdes.String(), WireSerdes.sparseCodes());
    public static final Topic<String, Embeddings> EMBEDDINGS =
            new Topic<>("smt.embeddings", Serdes.String(), WireSerdes.embeddings());
    public static final Topic<String, FrameMetrics> METRICS =
            new Topic<>("smt.metrics", Serdes.String(), WireSerdes.frameMetrics());
    public static final Topic<String, FrameImage> PREVIEW =
            new Topic<>("smt.preview", Serdes.String(), WireSerdes.frameImage());
    /** Coded frames for the single learner: one partition, so exactly one task learns. */
    public static final Topic<String, LearningSample> LEARNING =
            new Topic<>("smt.learning", Serdes.String(), WireSerdes.learningSample());
    /**
     * Model versions in chunks, compacted. Keys are chunk indices ({@code ModelChunks.key}), so the
     * topic keeps the newest chunk of each index; the version is in the value.
     */
    public static final Topic<String, ModelChunk> MODEL =
            new Topic<>("smt.model", Serdes.String(), WireSerdes.modelChunk());
    /** Records the processor could not read, with the reason in headers; raw bytes kept. */
    public static final Topic<byte[], byte[]> DLQ =
            new Topic<>("smt.dlq", Serdes.ByteArray(), Serdes.ByteArray());

    /**
     * Headers of a record on {@link #DLQ}, UTF-8 strings in the layout Kafka Streams writes for its
     * own dead letters (KIP-1034, Streams' {@code ExceptionHandlerUtils}): the processor writes its own
     * rejections the same way, so one reader handles both.
     */
    public static final class DeadLetterHeaders {
        /** Class name of the exception that sent the record to the DLQ. */
        public static final String EXCEPTION = "__streams.errors.exception";
        public static final String MESSAGE = "__streams.errors.message";
        /** Where the record was read from. */
        public static final String TOPIC = "__streams.errors.topic";
        public static final String PARTITION = "__streams.errors.partition";
        public static final String OFFSET = "__streams.errors.offset";

        private DeadLetterHeaders() {
        }

        /** The UTF-8 value of the last header {@code key}, or null when there is none. */
        public static String read(Headers headers, String key) {
            Header header = headers.lastHeader(key);
            if (header == null || header.value() == null) {
                return null;
            }
            return new String(header.value(), StandardCharsets.UTF_8);
        }
    }

    /** Names of every topic the pipeline creates. */
    public static final List<String> ALL = List.of(
            PATCHES.name(), CODES.name(), EMBEDDINGS.name(), METRICS.name(), PREVIEW.name(), LEARNING.name(),
            MODEL.name(), DLQ.name());

    private Topics() {
    }
}
