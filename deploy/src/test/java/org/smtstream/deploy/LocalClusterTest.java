package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layout {@link LocalCluster} prepares; starting nodes is exercised by ClusterFaultsIT. */
class LocalClusterTest {

    @TempDir
    Path dir;

    @Test
    void shouldFormatEveryNodeWithOneClusterIdAndAStaticQuorumOfAll() throws Exception {
        LocalCluster cluster = LocalCluster.prepare(dir, 3);
        String clusterId = read(dir.resolve("cluster.properties")).getProperty("cluster.id");
        for (int node = 1; node <= 3; node++) {
            Properties server = read(dir.resolve("node-" + node).resolve("server.properties"));
            assertEquals(Integer.toString(node), server.getProperty("node.id"));
            assertEquals(3, server.getProperty("controller.quorum.voters").split(",").length);
            assertEquals("3", server.getProperty("default.replication.factor"));
            assertEquals("2", server.getProperty("min.insync.replicas"));
            assertEquals("2", server.getProperty("transaction.state.log.min.isr"));
            Properties meta = read(dir.resolve("node-" + node).resolve("data").resolve("meta.properties"));
            assertEquals(clusterId, meta.getProperty("cluster.id"), "node " + node + " formatted for the cluster");
            assertEquals(Integer.toString(node), meta.getProperty("node.id"));
        }
        assertEquals(3, cluster.bootstrapServers().split(",").length);
        assertTrue(cluster.bootstrapServers().startsWith("127.0.0.1:"), cluster.bootstrapServers());
    }

    @Test
    void shouldReuseThePreparedLayout() {
        String first = LocalCluster.prepare(dir, 3).bootstrapServers();
        assertEquals(first, LocalCluster.prepare(dir, 3).bootstrapServers(), "same ports, not formatted again");
        assertEquals(first, LocalCluster.load(dir).bootstrapServers());
    }

    @Test
    void shouldUseReplicationOneForASingleNode() throws Exception {
        LocalCluster.prepare(dir, 1);
        Properties server = read(dir.resolve("node-1").resolve("server.properties"));
        assertEquals("1", server.getProperty("default.replication.factor"));
        assertEquals("1", server.getProperty("min.insync.replicas"));
    }

    @Test
    void shouldExplainAMissingCluster() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LocalCluster.load(dir));
        assertEquals("No local cluster in " + dir + " (no cluster.properties; cluster-start.sh " + dir
                + " prepares one)", e.getMessage());
    }

    @Test
    void shouldReportNoRunningNodeWhenNoneWasStarted() {
        LocalCluster cluster = LocalCluster.prepare(dir, 3);
        assertTrue(cluster.running(1).isEmpty());
        assertEquals(false, cluster.stop(2, Duration.ofSeconds(1)));
    }

    private static Properties read(Path file) throws Exception {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }
}
