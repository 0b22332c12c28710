package org.smtstream.deploy;

import java.util.Set;
import picocli.CommandLine.Option;

/** Flags that point a subcommand at an external Kafka cluster. */
public final class KafkaOptions {

    @Option(names = {"-b", "--bootstrap-servers"}, required = true, paramLabel = "HOST:PORT[,...]",
            description = "Kafka cluster to use.")
    String bootstrapServers;

    @Option(names = "--partitions", defaultValue = "1", paramLabel = "N",
            description = "Partitions of topics this command creates when they are missing. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "-1", paramLabel = "N",
            description = "Replication of created topics and of the processor's internal topics; "
                    + "-1 = the broker's default. Default: ${DEFAULT-VALUE}.")
    short replicationFactor;

    /** Creates the pipeline's missing topics; returns the names of those it created. */
    Set<String> ensureTopics() {
        if (partitions < 1) {
            throw new IllegalArgumentException("Invalid --partitions: " + partitions + " (must be >= 1)");
        }
        if (replicationFactor == 0 || replicationFactor < -1) {
            throw new IllegalArgumentException("Invalid --replication-factor: " + replicationFactor
                    + " (must be >= 1, or -1 for the broker's default)");
        }
        return TopicSetup.ensureTopics(bootstrapServers, partitions, replicationFactor);
    }
}
