package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.smtstream.deploy.ClusterFixture.assertExactlyOnce;
import static org.smtstream.deploy.ClusterFixture.assignments;
import static org.smtstream.deploy.ClusterFixture.awaitTrue;
import static org.smtstream.deploy.ClusterFixture.coding;
import static org.smtstream.deploy.ClusterFixture.countByStream;
import static org.smtstream.deploy.ClusterFixture.within;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.smtstream.ingest.BundledClip;
import org.smtstream.ingest.IngestJob;
import org.smtstream.ingest.IngestSettings;
import org.smtstream.ingest.IngestSummary;
import org.smtstream.ingest.Pacing;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.Topics;
import org.smtstream.model.store.FileTrees;

/**
 * Faults on a real cluster: three Kafka nodes, each its own JVM ({@link LocalCluster}), topics with
 * replication 3 and min.insync.replicas 2, processors as separate JVMs ({@code smt process}), the
 * bundled clip as input. Output is read committed, so exactly-once shows as "every frame once".
 */
class ClusterFaultsIT {

    private static final SmtConfig CONFIG = SmtConfig.fast();
    private static final int PARTITIONS = 2;
    private static final int REPLICATION = 3;
    /** Frames coded between two kills of the SIGKILL test. */
    private static final int FRAMES_BETWEEN_KILLS = 20;

    /** Kept after the run (broker and processor logs), emptied when the class starts. */
    private static final Path dir = Path.of("target", "cluster-faults-it").toAbsolutePath();
    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        FileTrees.deleteRecursively(dir);
        cluster = LocalCluster.prepare(dir.resolve("kafka"), 3);
        cluster.startAll(false);
        cluster.awaitBrokers(3, Duration.ofMinutes(2));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.stopAll(Duration.ofSeconds(30));
        }
    }

    /**
     * Two processor instances share two streams; one of them is SIGKILLed mid-stream three times
     * (an instance that owns a partition of smt.patches each time). The other must take over its
     * partitions while it is down, and in the end every frame has exactly one committed output.
     *
     * <p>Every step waits on what it can observe, never on a clock: the streams are the bundled clip
     * looped at half its pace and run until the last restarted instance has coded again, so each kill
     * lands mid-stream however slow the machine is; a kill waits for {@value #FRAMES_BETWEEN_KILLS}
     * new outputs, the restart for the survivor to own every partition. The frames published are
     * known only when ingest stops, and each must come out once.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void shouldLoseAndDuplicateNothingWhenProcessorsAreKilledMidStream() throws Exception {
        String app = "smt-faults-kill";
        String bootstrap = cluster.bootstrapServers();
        ClusterFixture.recreateTopics(bootstrap, PARTITIONS, REPLICATION);
        String[] streams = ClusterFixture.streamsOnDistinctPartitions("cam-", PARTITIONS);
        Map<String, ProcessorProcess> processors = Map.of("a", processor("a", app), "b", processor("b", app));
        ExecutorService pool = Executors.newFixedThreadPool(streams.length);
        Map<String, IngestJob> jobs = new LinkedHashMap<>();
        Map<String, Future<IngestSummary>> runs = new LinkedHashMap<>();
        try (MetricsCollector metrics = MetricsCollector.start(bootstrap);
             Admin admin = ClusterFixture.admin(bootstrap);
             ProcessorProcess a = processors.get("a").start(); ProcessorProcess b = processors.get("b").start()) {
            for (String stream : streams) {
                IngestJob job = new IngestJob(CONFIG, IngestSettings.of(BundledClip.path(), stream)
                        .withPacing(Pacing.parse("0.5x")).withLoop(true), KafkaClients.producerProps(bootstrap));
                jobs.put(stream, job);
                runs.put(stream, pool.submit(job));
            }
            String lastVictim = "b";
            for (int k = 1; k <= 3; k++) {
                awaitNewOutput(metrics, runs);
                // Prefer the instance not killed last time, but only once it codes a partition again.
                String preferred = lastVictim.equals("a") ? "b" : "a";
                boolean balanced = within(() -> codingQuietly(admin, app).size() == 2, Duration.ofSeconds(45));
                if (!balanced) {   // then kill whichever codes: the other one must take over all of it
                    awaitTrue(() -> !codingQuietly(admin, app).isEmpty(), Duration.ofMinutes(1), "an instance codes");
                }
                String victim = balanced ? preferred : codingQuietly(admin, app).iterator().next();
                String survivor = victim.equals("a") ? "b" : "a";
                int before = metrics.received().size();
                long killed = System.nanoTime();
                processors.get(victim).kill();
                awaitTrue(() -> codingQuietly(admin, app).equals(Set.of(survivor))
                                && patchesOf(admin, app, survivor) == PARTITIONS,
                        Duration.ofMinutes(1), "survivor " + survivor + " owns both partitions of smt.patches");
                double takeover = (System.nanoTime() - killed) / 1e9;
                processors.get(victim).start();
                System.out.printf("ClusterFaultsIT: kill %d of instance %s at %d frames output; %s owned every "
                        + "partition after %.1f s%n", k, victim, before, survivor, takeover);
                lastVictim = victim;
            }
            awaitNewOutput(metrics, runs);
            jobs.values().forEach(IngestJob::stop);
            Map<String, Integer> published = new LinkedHashMap<>();
            for (var run : runs.entrySet()) {
                published.put(run.getKey(), (int) run.getValue().get(1, TimeUnit.MINUTES).framesPublished());
            }
            int total = published.values().stream().mapToInt(Integer::intValue).sum();
            assertEquals(total, metrics.awaitCount(total, Duration.ofMinutes(4)), "every frame coded: "
                    + countByStream(metrics.received()) + " of " + published + "\n" + a.tail() + "\n" + b.tail());
            Thread.sleep(3000);   // room for a duplicate to show up
            assertExactlyOnce(metrics.received(), published);
            System.out.println("ClusterFaultsIT: three kills, " + published + " frames published, "
                    + MetricsCollector.rateSummary(metrics.received()));
        } finally {
            jobs.values().forEach(IngestJob::stop);
            pool.shutdownNow();
        }
    }

    /** Waits until {@value #FRAMES_BETWEEN_KILLS} more frames are coded, while ingest is still running. */
    private static void awaitNewOutput(MetricsCollector metrics, Map<String, Future<IngestSummary>> runs)
            throws InterruptedException {
        int target = metrics.received().size() + FRAMES_BETWEEN_KILLS;
        awaitTrue(() -> metrics.received().size() >= target || runs.values().stream().anyMatch(Future::isDone),
                Duration.ofMinutes(3), "output reaches " + target);
        for (var run : runs.entrySet()) {
            assertFalse(run.getValue().isDone(), () -> "ingest of " + run.getKey() + " ended early: " + outcome(run
                    .getValue()));
        }
    }

    private static String outcome(Future<IngestSummary> run) {
        try {
            return String.valueOf(run.get());
        } catch (Exception e) {
            return e.toString();
        }
    }

    /**
     * One Kafka node (the leader of the stream's smt.patches partition) is stopped and started
     * again while ingest and processing run; replication 3 with min.insync.replicas 2 keeps both
     * writing, and every frame comes out once.
     */
    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void shouldLoseNothingWhenABrokerRestartsMidStream() throws Exception {
        String app = "smt-faults-broker";
        int frames = 90;
        String bootstrap = cluster.bootstrapServers();
        ClusterFixture.recreateTopics(bootstrap, PARTITIONS, REPLICATION);
        String stream = ClusterFixture.streamsOnDistinctPartitions("walk-", PARTITIONS)[0];
        try (MetricsCollector metrics = MetricsCollector.start(bootstrap);
             Admin admin = ClusterFixture.admin(bootstrap);
             ProcessorProcess processor = processor("solo", app).start()) {
            processor.awaitRunning(Duration.ofMinutes(2));
            // Native pace (10 frames/s): ingest is still publishing while the broker is away.
            CompletableFuture<Void> ingest =
                    CompletableFuture.runAsync(() -> ingest(bootstrap, stream, frames, Pacing.NATIVE));
            awaitTrue(() -> metrics.received().size() >= 15 || ingest.isCompletedExceptionally(), Duration.ofMinutes(2),
                    () -> "first output; ingest " + (ingest.isDone() ? "done" : "running") + "\n"
                            + tailQuietly(processor));
            if (ingest.isCompletedExceptionally()) {
                ingest.join();   // throws the ingest's own failure
            }
            int leader = admin.describeTopics(List.of(Topics.PATCHES.name())).allTopicNames().get()
                    .get(Topics.PATCHES.name()).partitions().get(0).leader().id();
            long stopped = System.nanoTime();
            assertTrue(cluster.stop(leader, Duration.ofSeconds(60)), "node " + leader + " was running");
            double stopSeconds = (System.nanoTime() - stopped) / 1e9;
            int whileDown = metrics.received().size();
            Thread.sleep(5000);
            cluster.start(leader, false);
            cluster.awaitBrokers(3, Duration.ofMinutes(2));
            System.out.printf("ClusterFaultsIT: node %d (leader of smt.patches-0) stopped in %.1f s at %d frames, "
                    + "back after %.1f s; %d frames output meanwhile%n", leader, stopSeconds, whileDown,
                    (System.nanoTime() - stopped) / 1e9, metrics.received().size() - whileDown);
            ingest.get(2, TimeUnit.MINUTES);
            assertEquals(frames, metrics.awaitCount(frames, Duration.ofMinutes(3)),
                    "every frame coded\n" + processor.tail());
            Thread.sleep(3000);
            assertExactlyOnce(metrics.received(), Map.of(stream, frames));
        }
    }

    /**
     * 1000 malformed records (garbage, an unknown format version, a patch geometry the model does
     * not have) around a valid stream on the same key: each lands on smt.dlq once, byte for byte,
     * with its reason, and every valid frame is coded.
     */
    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void shouldDeadLetterEveryMalformedRecordAndCodeEveryValidFrame() throws Exception {
        String app = "smt-faults-dlq";
        int frames = 60;
        String bootstrap = cluster.bootstrapServers();
        ClusterFixture.recreateTopics(bootstrap, PARTITIONS, REPLICATION);
        String stream = "cam";
        MalformedRecords bad = MalformedRecords.generate(stream, 1000, 7L);
        try (MetricsCollector metrics = MetricsCollector.start(bootstrap);
             ProcessorProcess processor = processor("solo", app).start()) {
            processor.awaitRunning(Duration.ofMinutes(2));
            long sent = System.nanoTime();
            bad.send(bootstrap, 0, 500);
            ingest(bootstrap, stream, frames, Pacing.UNLIMITED);
            bad.send(bootstrap, 500, 1000);
            assertEquals(frames, metrics.awaitCount(frames, Duration.ofMinutes(3)), "every valid frame coded\n"
                    + processor.tail());
            List<DeadLetter> letters = DeadLetter.readAll(bootstrap, 1000, Duration.ofMinutes(2));
            assertExactlyOnce(metrics.received(), Map.of(stream, frames));
            bad.assertAllDeadLettered(letters);
            System.out.printf("ClusterFaultsIT: %d dead letters and %d frames coded %.1f s after the first record%n",
                    letters.size(), frames, (System.nanoTime() - sent) / 1e9);
        }
    }

    /**
     * A processor JVM of this test: its own state directory and client.id (so its group members
     * can be told apart); a killed instance's partitions are handed over after a 6 s session
     * timeout instead of 45 s.
     */
    private ProcessorProcess processor(String name, String app) {
        Path home = dir.resolve(app + "-" + name);
        List<String> args = new ArrayList<>(List.of("-b", cluster.bootstrapServers(), "--application-id", app,
                "--state-dir", home.resolve("state").toString(), "--replication-factor", Integer.toString(REPLICATION),
                "--streams-config", "client.id=" + name,
                "--streams-config", "main.consumer.session.timeout.ms=6000",
                "--streams-config", "main.consumer.heartbeat.interval.ms=1500"));
        home.toFile().mkdirs();
        return new ProcessorProcess(name, home, args);
    }

    private static void ingest(String bootstrap, String stream, int frames, Pacing pacing) {
        IngestSettings settings = IngestSettings.of(BundledClip.path(), stream).withPacing(pacing)
                .withMaxFrames(frames);
        assertEquals(frames, new IngestJob(CONFIG, settings, KafkaClients.producerProps(bootstrap)).call()
                .framesPublished(), "frames published of " + stream);
    }

    private static String tailQuietly(ProcessorProcess processor) {
        try {
            return processor.tail();
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static Set<String> codingQuietly(Admin admin, String app) {
        try {
            return coding(assignments(admin, app));
        } catch (Exception e) {
            return Set.of();
        }
    }

    private static long patchesOf(Admin admin, String app, String instance) {
        try {
            Set<TopicPartition> owned = assignments(admin, app).getOrDefault(instance, Set.of());
            return owned.stream().filter(p -> p.topic().equals(Topics.PATCHES.name())).count();
        } catch (Exception e) {
            return 0;
        }
    }
}
