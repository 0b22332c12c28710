package org.smtstream.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.smtstream.model.Topics;
import org.smtstream.model.Topics.DeadLetterHeaders;

/** A record of smt.dlq as a test sees it: the original bytes and the reason headers. */
record DeadLetter(byte[] value, String exception, String message, String sourceTopic) {

    /** Reads committed dead letters from the beginning until {@code expected} arrived or the timeout passed. */
    static List<DeadLetter> readAll(String bootstrap, int expected, Duration timeout) {
        List<DeadLetter> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            KafkaClients.assignFromBeginning(consumer, Topics.DLQ.name(), timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                poll(consumer, out);
            }
            while (poll(consumer, out) > 0) {
                // drain whatever came beyond the expected count: a duplicate must be seen to be counted
            }
        }
        return out;
    }

    private static int poll(KafkaConsumer<byte[], byte[]> consumer, List<DeadLetter> out) {
        int n = 0;
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(1000))) {
            out.add(new DeadLetter(r.value(), DeadLetterHeaders.read(r.headers(), DeadLetterHeaders.EXCEPTION),
                    DeadLetterHeaders.read(r.headers(), DeadLetterHeaders.MESSAGE),
                    DeadLetterHeaders.read(r.headers(), DeadLetterHeaders.TOPIC)));
            n++;
        }
        return n;
    }

    @Override
    public String toString() {
        return "DeadLetter[" + (value == null ? "null" : value.length + " bytes") + ", " + exception + ": " + message
                + ", from " + sourceTopic + "]";
    }
}
