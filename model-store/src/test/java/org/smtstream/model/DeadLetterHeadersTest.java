package org.smtstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.smtstream.model.Topics.DeadLetterHeaders;

class DeadLetterHeadersTest {

    @Test
    void shouldReadTheLastValueOfAHeaderAsUtf8() {
        Headers headers = new RecordHeaders();
        headers.add(DeadLetterHeaders.MESSAGE, "first".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.MESSAGE, "patch größe 8".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.TOPIC, null);

        assertEquals("patch größe 8", DeadLetterHeaders.read(headers, DeadLetterHeaders.MESSAGE), "the newest wins");
        assertNull(DeadLetterHeaders.read(headers, DeadLetterHeaders.TOPIC), "a header without a value");
        assertNull(DeadLetterHeaders.read(headers, DeadLetterHeaders.EXCEPTION), "no such header");
    }
}
