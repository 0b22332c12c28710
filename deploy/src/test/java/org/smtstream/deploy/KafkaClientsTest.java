package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {

    private static final String TOPIC = "smt.metrics";

    private static List<PartitionInfo> partitions(int n) {
        Node node = new Node(1, "127.0.0.1", 9092);
        return IntStream.range(0, n)
                .mapToObj(p -> new PartitionInfo(TOPIC, p, node, new Node[] {node}, new Node[] {node})).toList();
    }

    private static MockConsumer<String, String> consumerAtOffsets() {
        MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
        consumer.updateBeginningOffsets(Map.of(new TopicPartition(TOPIC, 0), 3L, new TopicPartition(TOPIC, 1), 5L));
        return consumer;
    }

    @Test
    void assignsEveryPartitionAtItsBeginning() {
        MockConsumer<String, String> consumer = consumerAtOffsets();
        consumer.updatePartitions(TOPIC, partitions(2));
        KafkaClients.assignFromBeginning(consumer, TOPIC, Duration.ofSeconds(5));
        assertEquals(Set.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1)), consumer.assignment());
        assertEquals(3L, consumer.position(new TopicPartition(TOPIC, 0)));
        assertEquals(5L, consumer.position(new TopicPartition(TOPIC, 1)));
    }

    @Test
    void waitsForATopicThatTheClusterDoesNotKnowYet() throws Exception {
        MockConsumer<String, String> consumer = consumerAtOffsets();
        // Set before the partitions appear: the future itself completes only after they are visible,
        // so asking it whether it is done would race with a wait that ends as soon as they are.
        AtomicBoolean appeared = new AtomicBoolean();
        CompletableFuture.runAsync(() -> {
            appeared.set(true);
            consumer.updatePartitions(TOPIC, partitions(2));
        }, CompletableFuture.delayedExecutor(600, TimeUnit.MILLISECONDS));
        List<TopicPartition> assigned = KafkaClients.assignFromBeginning(consumer, TOPIC, Duration.ofSeconds(10));
        assertTrue(appeared.get(), "returned before the topic appeared");
        assertEquals(2, assigned.size());
    }

    @Test
    void namesTheTopicWhenItNeverAppears() {
        MockConsumer<String, String> consumer = consumerAtOffsets();
        TimeoutException e = assertThrows(TimeoutException.class,
                () -> KafkaClients.assignFromBeginning(consumer, TOPIC, Duration.ofMillis(500)));
        assertEquals("Topic smt.metrics has no partitions after 500 ms", e.getMessage());
    }
}
