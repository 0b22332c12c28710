package org.smtstream.web;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.header.Headers;
import org.smtstream.model.Topics.DeadLetterHeaders;

/**
 * Records on {@code smt.dlq} counted by reason. The reason is the exception class in the
 * {@link DeadLetterHeaders#EXCEPTION} header, the layout Kafka Streams writes for its own dead letters
 * and the processor copies for incompatible frames; the latest message of each reason is kept for the
 * page's tooltip.
 */
final class DeadLetterCounts {

    /** A dead letter without the header (written by something else). */
    static final String UNKNOWN_REASON = "unknown";
    /** Reasons become metric labels: past this many, further ones are counted together. */
    static final int MAX_REASONS = 32;
    static final String OTHER_REASON = "other";
    private static final int MAX_MESSAGE = 300;

    /** Counts and latest message per reason. */
    record Snapshot(long total, Map<String, Long> byReason, Map<String, String> lastMessage) {
    }

    private final MeterRegistry meters;
    private final Map<String, Long> counts = new TreeMap<>();
    private final Map<String, String> messages = new TreeMap<>();
    private long total;

    DeadLetterCounts(MeterRegistry meters) {
        this.meters = meters;
    }

    void onDeadLetter(Headers headers) {
        String reason = reason(headers);
        String message = DeadLetterHeaders.read(headers, DeadLetterHeaders.MESSAGE);
        String topic = DeadLetterHeaders.read(headers, DeadLetterHeaders.TOPIC);
        boolean isNew;
        synchronized (this) {
            if (!counts.containsKey(reason) && counts.size() >= MAX_REASONS) {
                reason = OTHER_REASON;
            }
            isNew = !counts.containsKey(reason);
            counts.merge(reason, 1L, Long::sum);
            total++;
            if (message != null) {
                String full = (topic == null ? "" : topic + ": ") + message;
                messages.put(reason, full.length() > MAX_MESSAGE ? full.substring(0, MAX_MESSAGE) + "…" : full);
            }
        }
        if (isNew) {
            String tag = reason;
            FunctionCounter.builder("smt.dlq.records", this, d -> d.count(tag))
                    .description("Records on smt.dlq, by the exception that sent them there").tags("reason", tag)
                    .register(meters);
        }
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(total, Map.copyOf(counts), Map.copyOf(messages));
    }

    private synchronized double count(String reason) {
        return counts.getOrDefault(reason, 0L);
    }

    /** The exception's simple class name: short enough for the status bar, specific enough to act on. */
    private static String reason(Headers headers) {
        String exception = DeadLetterHeaders.read(headers, DeadLetterHeaders.EXCEPTION);
        if (exception == null || exception.isBlank()) {
            return UNKNOWN_REASON;
        }
        String name = exception.strip();
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
