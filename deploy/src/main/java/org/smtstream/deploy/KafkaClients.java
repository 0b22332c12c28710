package org.smtstream.deploy;

import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
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
}
