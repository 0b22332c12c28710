package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KraftNodePropertiesTest {

    @Test
    void aSingleNodeNeedsOneInSyncReplicaAndAClusterOfThreeTwo() {
        Properties solo = EmbeddedBroker.serverProperties(Path.of("/tmp/solo"), 9092, 9093);
        assertEquals("1", solo.getProperty("transaction.state.log.replication.factor"));
        assertEquals("1", solo.getProperty("transaction.state.log.min.isr"), "else transactions hang on one node");
        assertEquals("1@127.0.0.1:9093", solo.getProperty("controller.quorum.voters"));

        Properties node = KraftNodeProperties.of(2, "1@127.0.0.1:1,2@127.0.0.1:2,3@127.0.0.1:3", 9094, 2,
                Path.of("/tmp/n2"), 3, 6);
        assertEquals("3", node.getProperty("default.replication.factor"));
        assertEquals("2", node.getProperty("min.insync.replicas"));
        assertEquals("2", node.getProperty("share.coordinator.state.topic.min.isr"));
        assertEquals("6", node.getProperty("offsets.topic.num.partitions"));
        assertEquals("PLAINTEXT://127.0.0.1:9094,CONTROLLER://127.0.0.1:2", node.getProperty("listeners"));
        assertEquals("PLAINTEXT://127.0.0.1:9094", node.getProperty("advertised.listeners"));
    }
}
