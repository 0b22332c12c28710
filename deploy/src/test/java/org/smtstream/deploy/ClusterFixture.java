package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.smtstream.model.Topics;
import org.smtstream.model.wire.FrameMetrics;

/** What the cluster fault tests share: topic resets, group inspection, exactly-once checks. */
final class ClusterFixture {

    private ClusterFixture() {
    }

    static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000"));
    }

    /**
     * Deletes every non-internal topic (the pipeline's and earlier tests' changelogs), then creates
     * the pipeline's with {@code smt topics create}, so each test starts from empty topics.
     */
    static void recreateTopics(String bootstrap, int partitions, int replication) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            Set<String> existing = admin.listTopics().names().get(20, TimeUnit.SECONDS);
            admin.deleteTopics(existing).all().get(30, TimeUnit.SECONDS);
            awaitTrue(() -> listQuietly(admin).stream().noneMatch(existing::contains), Duration.ofSeconds(60),
                    "topics deleted");
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int status;
        do {   // a name is briefly still taken after its deletion completed
            out.getBuffer().setLength(0);
            err.getBuffer().setLength(0);
            var cmd = SmtCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
            status = cmd.execute("topics", "create", "-b", bootstrap, "--partitions", Integer.toString(partitions),
                    "--replication-factor", Integer.toString(replication));
        } while (status != 0 && System.nanoTime() < deadline && sleep(1000));
        assertEquals(0, status, "smt topics create: " + err);
        for (String topic : Topics.ALL) {
            assertTrue(out.toString().contains(topic + ": created"), out.toString());
        }
        // Producing while a recreated partition still elects its leader once left an idempotent
        // producer retrying OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout.
        try (Admin admin = admin(bootstrap)) {
            awaitTrue(() -> settled(admin, replication), Duration.ofSeconds(60),
                    "every partition has a leader and all its replicas in sync");
        }
    }

    /** Whether every partition of the project's topics has a leader and {@code replication} in-sync replicas. */
    private static boolean settled(Admin admin, int replication) {
        try {
            return admin.describeTopics(Topics.ALL).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                    .flatMap(d -> d.partitions().stream())
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty() && p.isr().size() >= replication);
        } catch (Exception e) {
            return false;
        }
    }

    private static Set<String> listQuietly(Admin admin) {
        try {
            return admin.listTopics().names().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return Set.of("?");
        }
    }

    /**
     * The partitions each instance of a Streams application owns, by instance: members' client ids
     * are {@code <client.id>-StreamThread-<n>-consumer}, and each test processor has its own client.id.
     */
    static Map<String, Set<TopicPartition>> assignments(Admin admin, String applicationId)
            throws InterruptedException, ExecutionException, TimeoutException {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId))
                .describedGroups().get(applicationId).get(10, TimeUnit.SECONDS);
        Map<String, Set<TopicPartition>> out = new TreeMap<>();
        for (MemberDescription member : group.members()) {
            int thread = member.clientId().indexOf("-StreamThread-");
            String instance = thread < 0 ? member.clientId() : member.clientId().substring(0, thread);
            out.computeIfAbsent(instance, k -> new HashSet<>()).addAll(member.assignment().topicPartitions());
        }
        return out;
    }

    /** The instances that own a partition of smt.patches. */
    static Set<String> coding(Map<String, Set<TopicPartition>> assignments) {
        Set<String> out = new HashSet<>();
        assignments.forEach((instance, partitions) -> {
            if (partitions.stream().anyMatch(p -> p.topic().equals(Topics.PATCHES.name()))) {
                out.add(instance);
            }
        });
        return out;
    }

    /** Stream ids that the default partitioner puts on partitions 0 .. n-1 of an n-partition topic. */
    static String[] streamsOnDistinctPartitions(String prefix, int n) {
        String[] byPartition = new String[n];
        int found = 0;
        for (int i = 0; found < n; i++) {
            String id = prefix + i;
            int partition = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % n;
            if (byPartition[partition] == null) {
                byPartition[partition] = id;
                found++;
            }
        }
        return byPartition;
    }

    /** Output records per stream. */
    static Map<String, Integer> countByStream(List<FrameMetrics> received) {
        Map<String, Integer> out = new HashMap<>();
        received.forEach(m -> out.merge(m.streamId(), 1, Integer::sum));
        return out;
    }

    /** Every frame of every stream exactly once, and nothing else. */
    static void assertExactlyOnce(List<FrameMetrics> received, Map<String, Integer> framesPerStream) {
        Set<String> seen = new HashSet<>();
        for (FrameMetrics m : received) {
            assertTrue(seen.add(m.streamId() + "#" + m.frameIndex()), "duplicate output for " + m.streamId() + "#"
                    + m.frameIndex());
        }
        framesPerStream.forEach((stream, count) -> {
            for (int t = 0; t < count; t++) {
                assertTrue(seen.contains(stream + "#" + t), "lost frame " + stream + "#" + t);
            }
        });
        assertEquals(framesPerStream.values().stream().mapToInt(Integer::intValue).sum(), received.size(),
                "output records");
    }

    /** Polls {@code condition} until it holds; fails with {@code what} after {@code timeout}. */
    static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        awaitTrue(condition, timeout, () -> what);
    }

    /** As above, with a description made when it fails (a log tail, a state read then). */
    static void awaitTrue(BooleanSupplier condition, Duration timeout, Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within " + timeout.toSeconds() + " s: " + what.get());
            }
            Thread.sleep(250);
        }
    }

    /** Polls {@code condition}; returns whether it held within {@code timeout}. */
    static boolean within(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        try {
            awaitTrue(condition, timeout, "");
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    private static boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Every committed value of {@code topic} up to its current end, in partition order. */
    static <V> List<V> readAll(String bootstrap, String topic, Deserializer<V> values) {
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), values)) {
            List<TopicPartition> partitions = KafkaClients.assignFromBeginning(consumer, topic, Duration.ofSeconds(60));
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(500))) {
                    out.add(record.value());
                }
            }
        }
        return out;
    }
}
