package org.smtstream.deploy;

import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/** Client properties the deploy module hands to ingest, web view and collectors. */
final class KafkaClients {

    private KafkaClients() {
    }

    static Properties producerProps(String bootstrapServers) {
        Properties p = new Properties();
        p.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // Patch records are float32 frames; lz4 trades little CPU for a smaller log.
        p.setProperty("compression.type", "lz4");
        p.setProperty("linger.ms", "5");
        return p;
    }

    static Properties consumerProps(String bootstrapServers) {
        Properties p = new Properties();
        p.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }
}
