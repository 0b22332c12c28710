package org.smtstream.processor.streams;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.state.Stores;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.Topics;

/**
 * The processor's Kafka Streams topology and its configuration:
 * <pre>
 *   smt.patches --&gt; inference --+--&gt; smt.codes       sparse alpha per patch
 *        (state: alpha_{t-1},    +--&gt; smt.embeddings  beta = P alpha per patch
 *         alpha_{t-2} per        +--&gt; smt.metrics     SNRs, curvature, iterations, objective, latency
 *         stream, changelogged)  +--&gt; smt.preview     whitened frame, Phi alpha, Phi g(beta) (rate-limited)
 *                                +--&gt; smt.learning    coded frames for the learner
 *                                +--&gt; smt.dlq         incompatible frames (undecodable ones: Streams)
 *   smt.learning (1 partition) --&gt; learner --&gt; smt.model   versions in chunks
 *   smt.model --&gt; global store --&gt; ModelRegistry --&gt; every inference task (hot swap)
 * </pre>
 * Inference scales with the partitions of {@code smt.patches}; {@code smt.learning} has one
 * partition, so one task of the whole group learns. The topics must exist; Streams creates only
 * its internal topics (the trajectory store's changelog).
 */
public final class SmtTopology {

    public static final String SOURCE = "patches-source";
    public static final String INFERENCE = "inference";
    public static final String CODES_SINK = "codes-sink";
    public static final String EMBEDDINGS_SINK = "embeddings-sink";
    public static final String METRICS_SINK = "metrics-sink";
    public static final String PREVIEW_SINK = "preview-sink";
    public static final String LEARNING_SINK = "learning-sink";
    public static final String DLQ_SINK = "dlq-sink";
    public static final String LEARNING_SOURCE = "learning-source";
    public static final String LEARNER = "learner";
    public static final String MODEL_SINK = "model-sink";
    public static final String MODEL_SOURCE = "model-source";
    public static final String MODEL_FOLLOWER = "model-follower";
    /** Per stream: the codes of its last two frames (changelogged). */
    public static final String TRAJECTORY_STORE = "smt-trajectories";
    /** Chunks of smt.model (global: every instance holds all of them). */
    public static final String MODEL_STORE = "smt-model-chunks";

    /**
     * Stream threads per instance: two, so that inference and the learner (separate tasks) run in
     * parallel on a two-core machine instead of taking turns.
     */
    public static final int STREAM_THREADS = 2;

    /** Broker default replication factor for internal topics (Streams' own default). */
    public static final int BROKER_DEFAULT_REPLICATION = -1;

    private SmtTopology() {
    }

    /**
     * The topology for one model configuration.
     *
     * @param registry where this instance's global thread puts the newest model for its tasks
     */
    public static Topology build(SmtConfig config, ProcessorOptions options, ModelRegistry registry) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, Topics.PATCHES.keySerde().deserializer(), Topics.PATCHES.valueSerde().deserializer(),
                Topics.PATCHES.name());
        topology.addProcessor(INFERENCE, () -> new InferenceProcessor(config, options, registry, TRAJECTORY_STORE),
                SOURCE);
        // Cached: the state of a stream is rewritten at every frame (and every skipped frame), and the
        // changelog needs only the last value per commit, not tens of kilobytes of codes per frame.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TRAJECTORY_STORE),
                Serdes.String(), TrajectoryState.serde()).withCachingEnabled(), INFERENCE);
        sink(topology, CODES_SINK, Topics.CODES, INFERENCE);
        sink(topology, EMBEDDINGS_SINK, Topics.EMBEDDINGS, INFERENCE);
        sink(topology, METRICS_SINK, Topics.METRICS, INFERENCE);
        sink(topology, PREVIEW_SINK, Topics.PREVIEW, INFERENCE);
        sink(topology, LEARNING_SINK, Topics.LEARNING, INFERENCE);
        topology.addSink(DLQ_SINK, Topics.DLQ.name(), new ByteArraySerializer(), new ByteArraySerializer(), INFERENCE);

        topology.addSource(LEARNING_SOURCE, Topics.LEARNING.keySerde().deserializer(),
                Topics.LEARNING.valueSerde().deserializer(), Topics.LEARNING.name());
        topology.addProcessor(LEARNER, () -> new LearnerProcessor(config, options, registry), LEARNING_SOURCE);
        sink(topology, MODEL_SINK, Topics.MODEL, LEARNER);

        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MODEL_STORE),
                        Serdes.String(), Topics.MODEL.valueSerde()).withLoggingDisabled(),
                MODEL_SOURCE, Topics.MODEL.keySerde().deserializer(), Topics.MODEL.valueSerde().deserializer(),
                Topics.MODEL.name(), MODEL_FOLLOWER, () -> new ModelFollower(MODEL_STORE, config, registry));
        return topology;
    }

    private static <K, V> void sink(Topology topology, String name, Topics.Topic<K, V> topic, String parent) {
        topology.addSink(name, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(), parent);
    }

    /** {@link #streamsConfig(String, String, Path, int)} with the broker's default replication factor. */
    public static Properties streamsConfig(String applicationId, String bootstrapServers, Path stateDir) {
        return streamsConfig(applicationId, bootstrapServers, stateDir, BROKER_DEFAULT_REPLICATION);
    }

    /**
     * Streams settings for the processor (ARCHITECTURE.md, traps T12, T15, T16, T18):
     * <ul>
     *   <li>exactly-once v2, committing about once a second, so the per-transaction cost is paid per
     *       second and not per 100 ms (the default under EOS);</li>
     *   <li>a producer transaction timeout of 60 s instead of 10 s, because a frame of model work
     *       (or a slow first native call) runs inside the open transaction;</li>
     *   <li>{@link #STREAM_THREADS} stream threads, so inference and learning overlap;</li>
     *   <li>small polls (8 records) so the poll loop stays responsive;</li>
     *   <li>an explicit state directory (the default lives under the temp dir);</li>
     *   <li>undecodable records and exceptions from processing are logged, sent to {@code smt.dlq}
     *       (KIP-1034) and skipped instead of stopping the application.</li>
     * </ul>
     *
     * @param replicationFactor replication of internal topics; 1 for a single-node broker, -1 for the
     *                          broker's default
     */
    public static Properties streamsConfig(String applicationId, String bootstrapServers, Path stateDir,
                                           int replicationFactor) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, STREAM_THREADS);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 60_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 8);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueProcessingExceptionHandler.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DLQ.name());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        return props;
    }
}
