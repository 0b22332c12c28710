package org.smtstream.deploy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.smtstream.model.Topics;
import org.smtstream.model.store.ModelChunks;

/** Creates the pipeline's topics when they do not exist yet. */
public final class TopicSetup {

    /**
     * {@code smt.model}: compacted, so it keeps the newest chunk of each index. The active segment is
     * never compacted and rolls only after {@code segment.ms} (7 days by default), so without short
     * rolls and a compaction deadline every old version would be replayed to each new follower.
     * max.message.bytes is about twice a chunk, so one chunk with its batch overhead always fits.
     */
    static final Map<String, String> MODEL_TOPIC_CONFIG = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.SEGMENT_MS_CONFIG, "60000",
            TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, "120000",
            TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1",
            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(2 * ModelChunks.MAX_CHUNK_BYTES + 64 * 1024));

    private TopicSetup() {
    }

    /**
     * Creates every topic of {@link Topics#ALL} that is missing.
     *
     * @param replication replication factor, or -1 for the broker's default
     * @return names of the topics this call created
     */
    public static Set<String> ensureTopics(String bootstrapServers, int partitions, short replication) {
        // The API timeout also bounds close(), which otherwise waits 60 s for a call already given up on.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000"))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Topics.ALL.stream()
                    .filter(name -> !existing.contains(name))
                    .map(name -> newTopic(name, partitions, replication))
                    .toList();
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            return Set.copyOf(missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot create topics on Kafka at " + bootstrapServers + ": "
                    + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Cannot create topics on Kafka at " + bootstrapServers
                    + ": no answer within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        }
    }

    /**
     * One topic as created; {@code smt.model} always has one partition, so versions stay in order, and
     * so has {@code smt.learning}, so exactly one task learns.
     */
    static NewTopic newTopic(String name, int partitions, short replication) {
        Optional<Short> replicationFactor = replication < 0 ? Optional.empty() : Optional.of(replication);
        if (name.equals(Topics.MODEL.name())) {
            return new NewTopic(name, Optional.of(1), replicationFactor).configs(MODEL_TOPIC_CONFIG);
        }
        if (name.equals(Topics.LEARNING.name())) {   // one partition: one learner task in the whole group
            return new NewTopic(name, Optional.of(1), replicationFactor);
        }
        return new NewTopic(name, Optional.of(partitions), replicationFactor);
    }
}
