package org.smtstream.processor.streams;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.smtstream.model.Topics.DeadLetterHeaders;

/**
 * Dead-letter headers in the layout Kafka Streams uses for its own DLQ records
 * ({@link DeadLetterHeaders}): the original headers, then the exception class, its message, and the
 * source topic, partition and offset. One layout for both kinds of dead letter on {@code smt.dlq}
 * (undecodable bytes, written by Streams, and incompatible frames, written by the processor), so one
 * reader handles both.
 */
public final class DeadLetters {

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
        add(headers, DeadLetterHeaders.EXCEPTION, reason.getClass().getName());
        add(headers, DeadLetterHeaders.MESSAGE, reason.getMessage());
        if (source != null) {
            add(headers, DeadLetterHeaders.TOPIC, source.topic());
            add(headers, DeadLetterHeaders.PARTITION, Integer.toString(source.partition()));
            add(headers, DeadLetterHeaders.OFFSET, Long.toString(source.offset()));
        }
        return headers;
    }

    private static void add(Headers headers, String key, String value) {
        headers.add(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }
}
