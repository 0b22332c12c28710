package org.smtstream.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the pipeline's topics ({@link RecordRouter#TOPICS}) into a {@link LiveState} on its own thread.
 *
 * <p>The consumer is assigned every partition (no group: each viewer sees everything and commits
 * nothing) and starts near the end of each, as far back as {@link RecordRouter#backlog} says: enough
 * to fill the charts and trajectory windows and to find the latest picture of each kind, all of the
 * DLQ and model topics. Topics that do not exist yet, or that gain partitions, are picked up by
 * re-reading the metadata every few seconds. A record that does not decode is counted in the state
 * and skipped; the first of each kind of failure is logged with its reason.
 */
public final class PipelineFeed implements Feed {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineFeed.class);

    private static final List<String> TOPICS = RecordRouter.TOPICS;
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(5);
    private static final long METADATA_REFRESH_MS = 5_000;
    private static final long RETRY_MS = 1_000;

    private final Consumer<String, byte[]> consumer;
    private final LiveState state;
    private final String bootstrapServers;
    private final RecordRouter router;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Set<String> loggedFailures = ConcurrentHashMap.newKeySet();
    private Thread thread;
    private volatile int assignedPartitions;
    private volatile String problem;

    /**
     * @param kafkaConsumerProps at least {@code bootstrap.servers}; deserializers, isolation level,
     *                           auto-commit and topic auto-creation are set here
     */
    public PipelineFeed(Properties kafkaConsumerProps, LiveState state) {
        this(new KafkaConsumer<>(consumerConfig(kafkaConsumerProps)), state,
                kafkaConsumerProps.getProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
    }

    /** For tests with a {@code MockConsumer}. */
    PipelineFeed(Consumer<String, byte[]> consumer, LiveState state, String bootstrapServers) {
        this.consumer = consumer;
        this.state = state;
        this.bootstrapServers = bootstrapServers;
        this.router = new RecordRouter(state, (record, e) ->
                skipMalformed(record.topic(), record.partition(), record.offset(), e));
    }

    /** The given properties plus what this feed relies on. */
    static Properties consumerConfig(Properties given) {
        if (given.getProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) == null) {
            throw new IllegalArgumentException("The web view's Kafka settings lack bootstrap.servers");
        }
        Properties props = new Properties();
        props.putAll(given);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "smt-web-view");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        // Bytes, decoded here, so one bad record is counted and skipped instead of failing poll().
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // Only what the processor's transactions committed; aborted frames would be shown twice.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A viewer started before the pipeline must not create its topics with broker defaults.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return props;
    }

    @Override
    public synchronized void start() {
        if (thread != null || stopping.getCount() == 0) {
            throw new IllegalStateException("Pipeline feed already started or closed");
        }
        thread = new Thread(this::run, "smt-web-feed");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public Status status() {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        String p = problem;
        if (t == null) {
            return new Status(false, "not started");
        }
        if (!t.isAlive()) {
            return new Status(false, "stopped" + (p == null ? "" : ": " + p));
        }
        int partitions = assignedPartitions;
        if (partitions == 0) {
            return new Status(false, p == null ? "connecting to Kafka at " + bootstrapServers : p);
        }
        return new Status(true, "reading " + partitions + " partitions of " + TOPICS + " from " + bootstrapServers
                + (p == null ? "" : "; " + p));
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            t = thread;
            if (stopping.getCount() == 0) {
                return;
            }
            stopping.countDown();
        }
        if (t == null) {
            consumer.close();
            return;
        }
        consumer.wakeup();
        try {
            t.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long nextRefresh = 0;
        try {
            while (stopping.getCount() > 0) {
                if (System.currentTimeMillis() >= nextRefresh) {
                    refreshAssignment();
                    nextRefresh = System.currentTimeMillis() + METADATA_REFRESH_MS;
                }
                if (consumer.assignment().isEmpty()) {
                    stopping.await(RETRY_MS, TimeUnit.MILLISECONDS);
                } else {
                    pollOnce();
                }
            }
        } catch (WakeupException e) {
            // close() woke the consumer up: the normal way out of a blocking call.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            problem = e.toString();
            LOG.error("Pipeline feed stopped", e);
        } finally {
            assignedPartitions = 0;
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    private void pollOnce() throws InterruptedException {
        ConsumerRecords<String, byte[]> records;
        try {
            records = consumer.poll(POLL_TIMEOUT);
        } catch (RecordDeserializationException e) {
            // The client could not even hand the record over (a corrupt batch): count it and step past.
            skipMalformed(e.topicPartition().topic(), e.topicPartition().partition(), e.offset(), e);
            consumer.seek(e.topicPartition(), e.offset() + 1);
            return;
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            reportProblem("polling Kafka at " + bootstrapServers + " failed: " + e.getMessage());
            stopping.await(RETRY_MS, TimeUnit.MILLISECONDS);
            return;
        }
        for (ConsumerRecord<String, byte[]> record : records) {
            router.route(record);
        }
    }

    private void skipMalformed(String topic, int partition, long offset, RuntimeException e) {
        state.onMalformed(topic);
        String where = topic + "-" + partition + " offset " + offset;
        if (loggedFailures.add(topic + " " + e.getClass().getName())) {
            LOG.warn("Skipping malformed record at {}: {} (further {} failures on {} are counted in "
                    + "smt_web_records_malformed_total and logged at debug)", where, e.getMessage(),
                    e.getClass().getSimpleName(), topic);
        } else {
            LOG.debug("Skipping malformed record at {}: {}", where, e.getMessage());
        }
    }

    /** Assigns every partition of the topics that exist; new partitions start near their end. */
    private void refreshAssignment() {
        List<TopicPartition> wanted = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        try {
            for (String topic : TOPICS) {
                List<PartitionInfo> partitions = consumer.partitionsFor(topic, METADATA_TIMEOUT);
                if (partitions == null || partitions.isEmpty()) {
                    if (RecordRouter.REQUIRED_TOPICS.contains(topic)) {
                        missing.add(topic);
                    }
                } else {
                    partitions.forEach(p -> wanted.add(new TopicPartition(p.topic(), p.partition())));
                }
            }
            Set<TopicPartition> added = new HashSet<>(wanted);
            added.removeAll(consumer.assignment());
            if (!added.isEmpty() || wanted.size() != consumer.assignment().size()) {
                consumer.assign(wanted);
                seekToRecentTail(added);
                assignedPartitions = wanted.size();
                LOG.info("Web view reading {} partitions of {} from {}", wanted.size(), TOPICS, bootstrapServers);
            }
            if (missing.isEmpty()) {
                clearProblem();
            } else {
                reportProblem("waiting for topic(s) " + missing + " on " + bootstrapServers);
            }
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            reportProblem("Kafka at " + bootstrapServers + " did not answer: " + e.getMessage());
        }
    }

    private void seekToRecentTail(Set<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, METADATA_TIMEOUT);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, METADATA_TIMEOUT);
        for (TopicPartition tp : partitions) {
            long first = begin.getOrDefault(tp, 0L);
            long back = router.backlog(tp.topic());
            consumer.seek(tp, back == RecordRouter.FROM_BEGINNING ? first
                    : Math.max(first, end.getOrDefault(tp, 0L) - back));
        }
    }

    private void reportProblem(String description) {
        if (!description.equals(problem)) {
            LOG.warn("Web view feed: {}", description);
            problem = description;
        }
    }

    private void clearProblem() {
        if (problem != null) {
            LOG.info("Web view feed: recovered from \"{}\"", problem);
            problem = null;
        }
    }
}
