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
import org.smtstream.model.Topics;

/** Creates the pipeline's topics when they do not exist yet. */
public final class TopicSetup {

    private TopicSetup() {
    }

    /**
     * Creates every topic of {@link Topics#ALL} that is missing.
     *
     * @param replication replication factor, or -1 for the broker's default
     * @return names of the topics this call created
     */
    public static Set<String> ensureTopics(String bootstrapServers, int partitions, short replication) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Topics.ALL.stream()
                    .filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, Optional.of(partitions),
                            replication < 0 ? Optional.empty() : Optional.of(replication)))
                    .toList();
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            return Set.copyOf(missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create topics on Kafka at " + bootstrapServers + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        }
    }
}
