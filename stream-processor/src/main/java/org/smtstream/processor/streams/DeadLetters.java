package org.smtstream.processor.streams;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Dead-letter headers in the layout Kafka Streams uses for its own DLQ records (KIP-1034,
 * {@code org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils}): the original headers, then
 * the exception class, its message, and the source topic, partition and offset, all as UTF-8
 * strings. One layout for both kinds of dead letter on {@code smt.dlq} (undecodable bytes, written
 * by Streams, and incompatible frames, written by the processor), so one reader handles both.
 */
public final class DeadLetters {

    public static final String HEADER_EXCEPTION = "__streams.errors.exception";
    public static final String HEADER_MESSAGE = "__streams.errors.message";
    public static final String HEADER_TOPIC = "__streams.errors.topic";
    public static final String HEADER_PARTITION = "__streams.errors.partition";
    public static final String HEADER_OFFSET = "__streams.errors.offset";

    private DeadLetters() {
    }

    /**
     * Headers for a dead letter.
     *
     * @param original the record's own headers (copied, not modified)
     * @param reason   why the record was rejected
     * @param source   where it was read from, if known
     */
    static Headers headers(Headers original, Exception reason, RecordMetadata source) {
        Headers headers = new RecordHeaders(original.toArray());
        add(headers, HEADER_EXCEPTION, reason.getClass().getName());
        add(headers, HEADER_MESSAGE, reason.getMessage());
        if (source != null) {
            add(headers, HEADER_TOPIC, source.topic());
            add(headers, HEADER_PARTITION, Integer.toString(source.partition()));
            add(headers, HEADER_OFFSET, Long.toString(source.offset()));
        }
        return headers;
    }

    /** The UTF-8 value of the last header {@code key}, or null. */
    public static String header(Headers headers, String key) {
        var header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void add(Headers headers, String key, String value) {
        headers.add(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }
}
