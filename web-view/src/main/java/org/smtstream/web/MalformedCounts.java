package org.smtstream.web;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;

/**
 * Records skipped because their value could not be decoded, per topic. The topics the feed decodes
 * show a zero from the start, so a dashboard sees the series before the first failure.
 */
final class MalformedCounts {

    private final MeterRegistry meters;
    private final Map<String, Long> counts = new TreeMap<>();

    MalformedCounts(MeterRegistry meters, Iterable<String> topics) {
        this.meters = meters;
        for (String topic : topics) {
            counts.put(topic, 0L);
            register(topic);
        }
    }

    /** Counts one; the caller logs why. */
    void onMalformed(String topic) {
        boolean isNew;
        synchronized (this) {
            isNew = !counts.containsKey(topic);
            counts.merge(topic, 1L, Long::sum);
        }
        // Outside the lock: a scrape reads the counter under it.
        if (isNew) {
            register(topic);
        }
    }

    synchronized long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    synchronized Map<String, Long> byTopic() {
        return Map.copyOf(counts);
    }

    private void register(String topic) {
        FunctionCounter.builder("smt.web.records.malformed", this, m -> m.count(topic))
                .description("Records skipped because they could not be decoded").tags("topic", topic)
                .register(meters);
    }

    private synchronized double count(String topic) {
        return counts.getOrDefault(topic, 0L);
    }
}
