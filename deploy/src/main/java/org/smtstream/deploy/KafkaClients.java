package org.smtstream.deploy;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.smtstream.ingest.PatchPublisher;

/** Client properties the deploy module hands to ingest, web view and collectors. */
final class KafkaClients {

    private KafkaClients() {
    }

    static Properties producerProps(String bootstrapServers) {
        Properties p = new Properties();
        p.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // No compression: whitened float32 patches do not compress (lz4 saves 0.1 %, see ingest/README.md).
        p.setProperty("compression.type", PatchPublisher.DEFAULT_COMPRESSION);
        p.setProperty("linger.ms", "5");
        return p;
    }

    static Properties consumerProps(String bootstrapServers) {
        Properties p = new Properties();
        p.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    /**
     * Assigns every partition of {@code topic} to {@code consumer}, positioned at the beginning.
     * Right after a topic is created, the broker that answers may not know it yet and reports no
     * partitions; assigning that empty list would read nothing, forever. So this asks again until
     * the topic shows partitions, and fails with the topic's name after {@code timeout}.
     */
    static List<TopicPartition> assignFromBeginning(Consumer<?, ?> consumer, String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<PartitionInfo> partitions = List.of();
        while (partitions.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("Topic " + topic + " has no partitions after " + timeout.toMillis() + " ms");
            }
            partitions = consumer.partitionsFor(topic, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (partitions == null || partitions.isEmpty()) {
                partitions = List.of();
                sleepQuietly(200);
            }
        }
        List<TopicPartition> assigned = partitions.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        return assigned;
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }
}
