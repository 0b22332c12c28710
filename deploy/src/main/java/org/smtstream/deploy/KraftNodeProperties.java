package org.smtstream.deploy;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The server properties of one Kafka node on loopback in KRaft combined mode (broker and controller in
 * one process), shared by the embedded single broker and the local multi-node cluster.
 */
final class KraftNodeProperties {

    private KraftNodeProperties() {
    }

    /**
     * @param nodeId                this node's id
     * @param voters                controller.quorum.voters, e.g. {@code 1@127.0.0.1:9093}
     * @param brokerPort            its PLAINTEXT port on 127.0.0.1
     * @param controllerPort        its CONTROLLER port on 127.0.0.1
     * @param dataDir               its log directory
     * @param replication           replication of topics and of the offsets, transaction and share-state
     *                              topics; min.insync.replicas is one less (at least 1) (ARCHITECTURE.md, trap T16)
     * @param coordinatorPartitions partitions of the offsets and transaction-state topics (default 50:
     *                              each one is a log and a leader per node)
     */
    static Properties of(int nodeId, String voters, int brokerPort, int controllerPort, Path dataDir, int replication,
                         int coordinatorPartitions) {
        String factor = Integer.toString(replication);
        String minIsr = Integer.toString(Math.max(1, replication - 1));
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(nodeId));
        p.setProperty("controller.quorum.voters", voters);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dataDir.toAbsolutePath().toString());
        p.setProperty("default.replication.factor", factor);
        p.setProperty("min.insync.replicas", minIsr);
        p.setProperty("offsets.topic.replication.factor", factor);
        p.setProperty("offsets.topic.num.partitions", Integer.toString(coordinatorPartitions));
        p.setProperty("transaction.state.log.replication.factor", factor);
        p.setProperty("transaction.state.log.min.isr", minIsr);
        p.setProperty("transaction.state.log.num.partitions", Integer.toString(coordinatorPartitions));
        p.setProperty("share.coordinator.state.topic.replication.factor", factor);
        p.setProperty("share.coordinator.state.topic.min.isr", minIsr);
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "false");
        // The default 128 MiB dedupe buffer is allocated up front; these nodes need little compaction.
        p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        return p;
    }
}
