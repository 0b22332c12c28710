package org.smtstream.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka cluster on this machine whose nodes are separate JVMs ({@code kafka.Kafka}, each a KRaft
 * broker and controller), started from the Kafka jars on this JVM's class path, on loopback ports:
 * <pre>
 *   DIR/cluster.properties          cluster id, node count and ports, chosen once
 *   DIR/node-N/server.properties    the node's configuration
 *   DIR/node-N/data/                its log (formatted once)
 *   DIR/node-N/broker.log, pid      its output and process id
 * </pre>
 * Replication defaults to min(3, nodes) with min.insync.replicas one less (at least 1), as a
 * production cluster would have, so topics created with the broker's defaults survive the loss
 * of one node. Also the {@code main} of {@code bin/cluster-start.sh} and {@code cluster-stop.sh}.
 */
public final class LocalCluster {

    /** Heap and JIT of a node: the load is a few MB/s, and three nodes share two cores with the processors. */
    private static final List<String> NODE_JVM_OPTIONS = List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true");
    private static final String KAFKA_MAIN = "kafka.Kafka";

    private final Path dir;
    private final int nodes;
    private final int[] brokerPorts;
    private final int[] controllerPorts;

    private LocalCluster(Path dir, int nodes, int[] brokerPorts, int[] controllerPorts) {
        this.dir = dir;
        this.nodes = nodes;
        this.brokerPorts = brokerPorts;
        this.controllerPorts = controllerPorts;
    }

    /**
     * The cluster in {@code dir}: the one prepared there before, or a new one of {@code nodes} nodes
     * on free ports, formatted.
     */
    public static LocalCluster prepare(Path dir, int nodes) {
        Path layout = dir.resolve("cluster.properties");
        if (Files.exists(layout)) {
            return load(dir);
        }
        if (nodes < 1) {
            throw new IllegalArgumentException("Invalid node count: " + nodes + " (must be >= 1)");
        }
        int[] brokers = IntStream.range(0, nodes).map(i -> EmbeddedBroker.freePort()).toArray();
        int[] controllers = IntStream.range(0, nodes).map(i -> EmbeddedBroker.freePort()).toArray();
        LocalCluster cluster = new LocalCluster(dir, nodes, brokers, controllers);
        String clusterId = Uuid.randomUuid().toString();
        for (int node = 1; node <= nodes; node++) {
            cluster.format(node, clusterId);
        }
        Properties p = new Properties();
        p.setProperty("cluster.id", clusterId);
        p.setProperty("nodes", Integer.toString(nodes));
        p.setProperty("broker.ports", join(brokers));
        p.setProperty("controller.ports", join(controllers));
        store(p, layout, "smt-stream local Kafka cluster");
        return cluster;
    }

    /** The cluster prepared in {@code dir} before. */
    public static LocalCluster load(Path dir) {
        Path layout = dir.resolve("cluster.properties");
        if (!Files.exists(layout)) {
            throw new IllegalArgumentException("No local cluster in " + dir + " (no cluster.properties; "
                    + "cluster-start.sh " + dir + " prepares one)");
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(layout)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + layout, e);
        }
        int nodes = Integer.parseInt(p.getProperty("nodes"));
        return new LocalCluster(dir, nodes, split(p.getProperty("broker.ports")),
                split(p.getProperty("controller.ports")));
    }

    public int nodes() {
        return nodes;
    }

    /** Every node's client listener, comma-separated. */
    public String bootstrapServers() {
        return IntStream.of(brokerPorts).mapToObj(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    /** The client listener of node {@code node} (1-based) alone. */
    public String bootstrapServer(int node) {
        return "127.0.0.1:" + brokerPorts[node - 1];
    }

    /**
     * Starts node {@code node} (1-based) as a child process unless it is running.
     *
     * @param detach start it in its own session (setsid), so that it outlives this JVM's terminal
     */
    public void start(int node, boolean detach) {
        if (running(node).isPresent()) {
            return;
        }
        Path home = nodeDir(node);
        List<String> command = new ArrayList<>();
        if (detach && Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");   // execs in place (a child is no group leader): the pid stays java's
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(NODE_JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KAFKA_MAIN,
                home.resolve("server.properties").toString()));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("broker.log").toFile()))
                    .start();
            Files.writeString(home.resolve("pid"), Long.toString(process.pid()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Kafka node " + node, e);
        }
    }

    /** Starts every node that is not running. */
    public void startAll(boolean detach) {
        for (int node = 1; node <= nodes; node++) {
            start(node, detach);
        }
    }

    /**
     * Stops node {@code node}: SIGTERM, which makes it shut down in a controlled way (leadership
     * handed over first), then SIGKILL if it has not exited within {@code timeout}.
     *
     * @return whether it was running
     */
    public boolean stop(int node, Duration timeout) {
        Optional<ProcessHandle> process = running(node);
        process.ifPresent(handle -> {
            handle.destroy();
            try {
                handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
                handle.onExit().join();
            }
        });
        return process.isPresent();
    }

    /** Stops every node, the last one first. */
    public void stopAll(Duration timeout) {
        for (int node = nodes; node >= 1; node--) {
            stop(node, timeout);
        }
    }

    /** Waits until {@code count} brokers are registered, or throws after {@code timeout}. */
    public void awaitBrokers(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000"))) {
            int registered = 0;
            while (System.nanoTime() < deadline) {
                try {
                    registered = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
                    if (registered >= count) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not up yet
                }
                Thread.sleep(500);
            }
            throw new IllegalStateException("Only " + registered + " of " + count + " Kafka brokers came up within "
                    + timeout.toSeconds() + " s; see " + dir + "/node-*/broker.log");
        }
    }

    /**
     * The live process of node {@code node}, if its pid file names one. The pid may since have been
     * reused, so it must be a java process that started before the pid file was written; its
     * arguments cannot be checked, since Linux reports only the first 4 KiB of a command line and
     * the class path is longer.
     */
    Optional<ProcessHandle> running(int node) {
        Path pidFile = nodeDir(node).resolve("pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        long pid;
        Instant written;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
            written = Files.getLastModifiedTime(pidFile).toInstant().plusSeconds(2);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> h.info().command().map(c -> c.endsWith("java")).orElse(true))
                .filter(h -> h.info().startInstant().map(started -> !started.isAfter(written)).orElse(true));
    }

    private Path nodeDir(int node) {
        return dir.resolve("node-" + node);
    }

    private void format(int node, String clusterId) {
        Path home = nodeDir(node);
        Path config = home.resolve("server.properties");
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + home, e);
        }
        store(serverProperties(node), config, "smt-stream local Kafka node " + node);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status = StorageTool.execute(
                new String[] {"format", "--cluster-id", clusterId, "--config", config.toString()},
                new PrintStream(output, true, StandardCharsets.UTF_8));
        if (status != 0) {
            throw new IllegalStateException("Formatting Kafka node " + node + " in " + home + " failed: "
                    + output.toString(StandardCharsets.UTF_8).trim());
        }
    }

    Properties serverProperties(int node) {
        String voters = IntStream.rangeClosed(1, nodes)
                .mapToObj(i -> i + "@127.0.0.1:" + controllerPorts[i - 1]).collect(Collectors.joining(","));
        return KraftNodeProperties.of(node, voters, brokerPorts[node - 1], controllerPorts[node - 1],
                nodeDir(node).resolve("data"), Math.min(3, nodes), 6);
    }

    private static void store(Properties p, Path file, String comment) {
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, comment);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private static String join(int[] ports) {
        return IntStream.of(ports).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    private static int[] split(String ports) {
        return Arrays.stream(ports.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    /** {@code start DIR [NODES]} or {@code stop DIR}; one line of explanation and exit 1 on failure. */
    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (Exception e) {
            System.err.println("local cluster: " + SmtCommand.describe(e));
            System.exit(1);
        }
    }

    static int run(String[] args) throws InterruptedException {
        if (args.length < 2 || !(args[0].equals("start") || args[0].equals("stop"))) {
            System.err.println("usage: LocalCluster start DIR [NODES] | stop DIR");
            return 2;
        }
        Path dir = Path.of(args[1]).toAbsolutePath();
        if (args[0].equals("stop")) {
            LocalCluster cluster = load(dir);
            cluster.stopAll(Duration.ofSeconds(60));
            System.out.println("Kafka cluster in " + dir + " stopped (data kept)");
            return 0;
        }
        LocalCluster cluster = prepare(dir, args.length > 2 ? Integer.parseInt(args[2]) : 3);
        cluster.startAll(true);
        // Until the nodes listen, every connection attempt of the readiness check would log a warning.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient"))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
        cluster.awaitBrokers(cluster.nodes(), Duration.ofMinutes(2));
        System.out.println("Kafka cluster of " + cluster.nodes() + " nodes running, data in " + dir);
        System.out.println("bootstrap servers: " + cluster.bootstrapServers());
        return 0;
    }
}
