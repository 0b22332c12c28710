package org.smtstream.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.model.store.FileTrees;

/**
 * A single-node Kafka broker (KRaft combined mode: broker and controller in one) running inside this
 * JVM, for the all-in-one demo and for integration tests. This is the only class that touches
 * Kafka's internal server API.
 *
 * <p>Ports are picked free before start because the server has no accessor for a bound port 0.
 * Internal topics use replication factor 1 and min.isr 1, without which groups and transactions
 * hang on a single node. Kafka's fatal-error path calls {@code Exit.halt}, which would kill the
 * host JVM; it is redirected to an exception while the broker runs.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private final boolean deleteOnClose;

    private EmbeddedBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir, boolean deleteOnClose) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
    }

    /** Starts a broker whose log lives in a fresh temporary directory, deleted on close. */
    public static EmbeddedBroker startTemporary() {
        try {
            return start(Files.createTempDirectory("smt-kafka-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory for the embedded broker", e);
        }
    }

    /**
     * Formats {@code dataDir} (unless already formatted) and starts the broker on free loopback ports.
     *
     * @param deleteOnClose delete {@code dataDir} when the broker is closed
     */
    public static EmbeddedBroker start(Path dataDir, boolean deleteOnClose) {
        long started = System.nanoTime();
        int brokerPort = freePort();
        int controllerPort = freePort();
        Properties props = serverProperties(dataDir, brokerPort, controllerPort);
        format(dataDir, props);
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("Embedded Kafka broker failed fatally (status " + status + "): " + message);
        });
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("Embedded Kafka broker asked to exit (status " + status + "): " + message);
        });
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        String bootstrap = "127.0.0.1:" + brokerPort;
        LOG.info("Embedded Kafka broker ready at {} in {} ms (data in {})", bootstrap,
                (System.nanoTime() - started) / 1_000_000, dataDir);
        return new EmbeddedBroker(server, bootstrap, dataDir, deleteOnClose);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        Exit.resetHaltProcedure();
        Exit.resetExitProcedure();
        if (deleteOnClose) {
            deleteDataDir();
        }
        LOG.info("Embedded Kafka broker at {} stopped", bootstrapServers);
    }

    static Properties serverProperties(Path dataDir, int brokerPort, int controllerPort) {
        return KraftNodeProperties.of(1, "1@127.0.0.1:" + controllerPort, brokerPort, controllerPort, dataDir, 1, 4);
    }

    private static void format(Path dataDir, Properties props) {
        Path config = dataDir.resolve("server.properties");
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(dataDir.resolve("meta.properties"))) {
                return;
            }
            try (OutputStream out = Files.newOutputStream(config)) {
                props.store(out, "smt-stream embedded broker");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Kafka data directory " + dataDir, e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status = StorageTool.execute(new String[] {
            "format", "--cluster-id", Uuid.randomUuid().toString(), "--config", config.toString()},
                new PrintStream(output, true, StandardCharsets.UTF_8));
        if (status != 0) {
            throw new IllegalStateException("Formatting the Kafka data directory " + dataDir + " failed: "
                    + output.toString(StandardCharsets.UTF_8).trim());
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port", e);
        }
    }

    private void deleteDataDir() {
        try {
            FileTrees.deleteRecursively(dataDir);
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", dataDir, e.getMessage());
        }
    }
}
