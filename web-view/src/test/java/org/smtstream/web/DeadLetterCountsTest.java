package org.smtstream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.smtstream.model.Topics.DeadLetterHeaders;

class DeadLetterCountsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DeadLetterCounts counts = new DeadLetterCounts(registry);

    static Headers deadLetter(String exception, String message) {
        Headers headers = new RecordHeaders();
        headers.add("frameIndex", "12".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.EXCEPTION, exception.getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.MESSAGE, message.getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.TOPIC, "smt.patches".getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    @Test
    void shouldCountByExceptionClass() {
        counts.onDeadLetter(deadLetter("org.apache.kafka.common.errors.SerializationException", "bad magic"));
        counts.onDeadLetter(deadLetter("org.smtstream.processor.streams.IncompatibleFrameException", "patch 8x8"));
        counts.onDeadLetter(deadLetter("org.smtstream.processor.streams.IncompatibleFrameException", "patch 20x20"));
        counts.onDeadLetter(new RecordHeaders());

        DeadLetterCounts.Snapshot s = counts.snapshot();

        assertEquals(4, s.total());
        assertEquals(Map.of("SerializationException", 1L, "IncompatibleFrameException", 2L,
                DeadLetterCounts.UNKNOWN_REASON, 1L), s.byReason());
        assertEquals("smt.patches: patch 20x20", s.lastMessage().get("IncompatibleFrameException"), "the latest");
        assertEquals(2.0, registry.get("smt.dlq.records").tag("reason", "IncompatibleFrameException")
                .functionCounter().count());
    }

    @Test
    void shouldBoundTheNumberOfReasons() {
        for (int i = 0; i < DeadLetterCounts.MAX_REASONS + 5; i++) {
            counts.onDeadLetter(deadLetter("x.Reason" + i, "m"));
        }

        DeadLetterCounts.Snapshot s = counts.snapshot();

        assertEquals(DeadLetterCounts.MAX_REASONS + 5, s.total(), "every record counted");
        assertTrue(s.byReason().size() <= DeadLetterCounts.MAX_REASONS + 1, s.byReason().toString());
        assertEquals(5L, s.byReason().get(DeadLetterCounts.OTHER_REASON));
    }
}
