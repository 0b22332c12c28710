package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.ingest.BundledClip;
import org.smtstream.ingest.IngestJob;
import org.smtstream.ingest.IngestSettings;
import org.smtstream.ingest.IngestSummary;
import org.smtstream.ingest.Pacing;
import org.smtstream.model.Json;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.Topics;
import org.smtstream.model.wire.FrameMetrics;

/**
 * Soak run: several looping streams of the bundled clip through one or more {@code smt process}
 * JVMs on a Kafka node of its own, for a given time. Every {@value #SAMPLE_SECONDS} s it records
 * throughput, p99 latency, consumer lag, and each processor's RSS and heap after its last GC, and
 * writes CSV, JSON and an SVG chart to {@code soak.out}. In {@code mvn verify} it runs short (the
 * defaults: {@value #DEFAULT_SECONDS} s, one processor, two streams at a quarter of their pace, below
 * what two cores code); a long or loaded soak is a matter of properties:
 * <pre>
 *   mvn -o -pl deploy test-compile failsafe:integration-test failsafe:verify -Dit.test=SoakIT \
 *       -Dsoak.seconds=1800 -Dsoak.instances=2 -Dsoak.streams=4 -Dsoak.pacing=0.5x
 * </pre>
 * It asserts what a soak exists for: memory levels off (RSS of the last third within 15 % + 64 MB of
 * the middle third's peak), and nothing is lost or doubled (once ingest stops, every frame it
 * published comes out once).
 */
class SoakIT {

    /** Long enough for the processor's RSS to settle (100-150 s in the runs of deploy/README.md) and to be watched. */
    private static final int DEFAULT_SECONDS = 180;
    /** Thirds of at least this many samples each, for the level-off assertion. */
    private static final int MIN_SAMPLES = 6;

    private static final int SAMPLE_SECONDS = 5;
    /** Left out of the steady-state figures: JIT, first model versions, the first rebalance. */
    private static final int WARMUP_SECONDS = 30;
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    @TempDir
    Path dir;

    /**
     * @param cpuPercent per processor, CPU time over the last interval in percent of one core
     * @param machineBusyPercent busy share of all cores over the last interval
     */
    private record Sample(double seconds, long lag, Map<String, Double> rssMb, Map<String, Double> heapMb,
                          Map<String, Double> cpuPercent, double machineBusyPercent) {
    }

    /** CPU ticks (1/100 s) at the previous sample: per process id, and busy/total of the machine. */
    private final Map<Long, Long> lastTicks = new HashMap<>();
    private long[] lastMachine = {0, 0};

    @Test
    void soak() throws Exception {
        int seconds = Integer.getInteger("soak.seconds", DEFAULT_SECONDS);
        assertTrue(seconds >= MIN_SAMPLES * SAMPLE_SECONDS, "soak.seconds=" + seconds + ": at least "
                + MIN_SAMPLES * SAMPLE_SECONDS + " s, so that memory can be seen levelling off");
        int instances = Integer.getInteger("soak.instances", 1);
        int streamCount = Integer.getInteger("soak.streams", 2);
        Pacing pacing = Pacing.parse(System.getProperty("soak.pacing", "0.25x"));
        Path out = Path.of(System.getProperty("soak.out", "target/soak"));
        String label = "soak-" + instances + "x" + streamCount;

        LocalCluster cluster = LocalCluster.prepare(dir.resolve("kafka"), 1);
        cluster.startAll(false);
        List<ProcessorProcess> processors = new ArrayList<>();
        ExecutorService ingest = Executors.newFixedThreadPool(streamCount);
        List<IngestJob> jobs = new ArrayList<>();
        Map<String, Future<IngestSummary>> runs = new LinkedHashMap<>();
        try {
            cluster.awaitBrokers(1, Duration.ofMinutes(2));
            String bootstrap = cluster.bootstrapServers();
            String[] streams = ClusterFixture.streamsOnDistinctPartitions("soak-", streamCount);
            TopicSetup.ensureTopics(bootstrap, streamCount, (short) 1);
            for (int i = 0; i < instances; i++) {
                String name = "p" + (i + 1);
                Path home = dir.resolve(name);
                Files.createDirectories(home);
                processors.add(new ProcessorProcess(name, home, List.of("-Xlog:gc:file=" + home.resolve("gc.log")),
                        List.of("-b", bootstrap, "--application-id", "smt-soak",
                                "--state-dir", home.resolve("state").toString(),
                                "--replication-factor", "1", "--streams-config", "client.id=" + name)).start());
            }
            for (ProcessorProcess p : processors) {
                p.awaitRunning(Duration.ofMinutes(2));
            }
            List<Sample> samples = new ArrayList<>();
            long start;
            try (MetricsCollector metrics = MetricsCollector.start(bootstrap);
                 Admin admin = ClusterFixture.admin(bootstrap)) {
                start = System.currentTimeMillis();
                for (String stream : streams) {
                    IngestJob job = new IngestJob(SmtConfig.fast(), IngestSettings.of(BundledClip.path(), stream)
                            .withPacing(pacing).withLoop(true), KafkaClients.producerProps(bootstrap));
                    jobs.add(job);
                    runs.put(stream, ingest.submit(job));
                }
                for (int t = SAMPLE_SECONDS; t <= seconds; t += SAMPLE_SECONDS) {
                    Thread.sleep(Math.max(0, start + t * 1000L - System.currentTimeMillis()));
                    samples.add(sample(t, admin, cluster, processors));
                }
                jobs.forEach(IngestJob::stop);
                Map<String, Integer> published = new LinkedHashMap<>();
                for (var run : runs.entrySet()) {
                    published.put(run.getKey(), (int) run.getValue().get(1, TimeUnit.MINUTES).framesPublished());
                }
                int total = published.values().stream().mapToInt(Integer::intValue).sum();
                metrics.awaitCount(total, Duration.ofMinutes(5));
                Thread.sleep(2000);   // room for a duplicate to show up
                write(out, label, instances, streamCount, pacing, start, samples, metrics.received());
                ClusterFixture.assertExactlyOnce(metrics.received(), published);
            }
            assertMemoryLevelsOff(samples);
        } finally {
            jobs.forEach(IngestJob::stop);
            ingest.shutdownNow();
            for (ProcessorProcess p : processors) {
                p.close();
            }
            cluster.stopAll(Duration.ofSeconds(30));
        }
    }

    private Sample sample(double t, Admin admin, LocalCluster cluster, List<ProcessorProcess> processors)
            throws IOException {
        Map<String, Double> rss = new LinkedHashMap<>();
        Map<String, Double> heap = new LinkedHashMap<>();
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (ProcessorProcess p : processors) {
            rss.put(p.name(), rssMb(p.pid()));
            heap.put(p.name(), heapAfterLastGcMb(dir.resolve(p.name()).resolve("gc.log")));
            long ticks = processTicks(p.pid());
            Long before = lastTicks.put(p.pid(), ticks);
            cpu.put(p.name(), before == null ? Double.NaN : (ticks - before) / (double) SAMPLE_SECONDS);
        }
        long self = ProcessHandle.current().pid();   // ingest (decoding, whitening, producing) runs in this JVM
        long selfTicks = processTicks(self);
        Long selfBefore = lastTicks.put(self, selfTicks);
        cpu.put("ingest", selfBefore == null ? Double.NaN : (selfTicks - selfBefore) / (double) SAMPLE_SECONDS);
        for (ProcessHandle node : cluster.running(1).stream().toList()) {
            long nodeTicks = processTicks(node.pid());
            Long nodeBefore = lastTicks.put(node.pid(), nodeTicks);
            cpu.put("kafka", nodeBefore == null ? Double.NaN : (nodeTicks - nodeBefore) / (double) SAMPLE_SECONDS);
        }
        long[] machine = machineTicks();
        double busy = lastMachine[1] == 0 ? Double.NaN
                : 100.0 * (machine[0] - lastMachine[0]) / Math.max(1, machine[1] - lastMachine[1]);
        lastMachine = machine;
        // Whatever else ran on the machine meanwhile: the figures are only comparable when this is near 0.
        double ours = cpu.values().stream().mapToDouble(Double::doubleValue).sum();
        cpu.put("other processes", busy * Runtime.getRuntime().availableProcessors() - ours);
        return new Sample(t, lag(admin), rss, heap, cpu, busy);
    }

    /** utime + stime of a process, in ticks of 1/100 s (fields 14 and 15 of /proc/PID/stat). */
    private static long processTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** Busy and total ticks of all cores (first line of /proc/stat; idle and iowait count as not busy). */
    private static long[] machineTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total - idle, total};
    }

    /** Records of smt.patches not yet committed by the processors' group. */
    private static long lag(Admin admin) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("smt-soak")
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            admin.describeTopics(List.of(Topics.PATCHES.name())).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(Topics.PATCHES.name()).partitions()
                    .forEach(p -> latest.put(new TopicPartition(Topics.PATCHES.name(), p.partition()),
                            OffsetSpec.latest()));
            long lag = 0;
            for (var e : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
                OffsetAndMetadata done = committed.get(e.getKey());
                lag += e.getValue().offset() - (done == null ? 0 : done.offset());
            }
            return lag;
        } catch (Exception e) {
            return -1;
        }
    }

    private static double rssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    private static double heapAfterLastGcMb(Path gcLog) throws IOException {
        if (!Files.exists(gcLog)) {
            return Double.NaN;
        }
        double last = Double.NaN;
        Matcher m = GC_LINE.matcher(Files.readString(gcLog));
        while (m.find()) {
            last = Double.parseDouble(m.group(2));
        }
        return last;
    }

    private static void write(Path out, String label, int instances, int streams, Pacing pacing, long start,
                              List<Sample> samples, List<FrameMetrics> frames) throws IOException {
        Files.createDirectories(out);
        int n = samples.size();
        double[] x = new double[n];
        double[] fps = new double[n];
        double[] p99 = new double[n];
        double[] lag = new double[n];
        StringBuilder csv = new StringBuilder("seconds,frames_per_s,p99_latency_ms,lag_records,machine_busy_pct");
        samples.get(0).rssMb().keySet().forEach(p -> csv.append(",rss_mb_").append(p).append(",heap_after_gc_mb_")
                .append(p).append(",cpu_pct_of_core_").append(p));
        csv.append('\n');
        List<Long> steadyLatency = new ArrayList<>();
        long steadyFrames = 0;
        for (int i = 0; i < n; i++) {
            Sample s = samples.get(i);
            long from = start + (long) ((s.seconds() - SAMPLE_SECONDS) * 1000);
            long to = start + (long) (s.seconds() * 1000);
            long[] latencies = frames.stream().filter(f -> f.processedTimeMs() > from && f.processedTimeMs() <= to)
                    .mapToLong(FrameMetrics::latencyMs).sorted().toArray();
            x[i] = s.seconds();
            fps[i] = latencies.length / (double) SAMPLE_SECONDS;
            p99[i] = latencies.length == 0 ? Double.NaN : MetricsCollector.percentile(latencies, 0.99);
            lag[i] = s.lag();
            if (s.seconds() > WARMUP_SECONDS) {
                steadyFrames += latencies.length;
                for (long l : latencies) {
                    steadyLatency.add(l);
                }
            }
            csv.append(String.format(Locale.ROOT, "%.0f,%.2f,%.0f,%d,%.0f", x[i], fps[i], p99[i], s.lag(),
                    s.machineBusyPercent()));
            for (String p : s.rssMb().keySet()) {
                csv.append(String.format(Locale.ROOT, ",%.0f,%.0f,%.0f", s.rssMb().get(p), s.heapMb().get(p),
                        s.cpuPercent().get(p)));
            }
            csv.append('\n');
        }
        Files.writeString(out.resolve(label + ".csv"), csv);

        long[] sorted = steadyLatency.stream().mapToLong(Long::longValue).sorted().toArray();
        double steadySeconds = x[n - 1] - WARMUP_SECONDS;
        Sample first = samples.get(Math.min(n - 1, WARMUP_SECONDS / SAMPLE_SECONDS));
        Sample last = samples.get(n - 1);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("instances", instances);
        summary.put("streams", streams);
        summary.put("pacing", String.valueOf(pacing));
        summary.put("offeredFramesPerSecond", rounded(streams * 10.0 * pacing.speed(), 1));
        summary.put("seconds", rounded(x[n - 1], 0));
        summary.put("cpu", cpuModel());
        summary.put("cores", Runtime.getRuntime().availableProcessors());
        summary.put("framesOutput", frames.size());
        summary.put("steadyFramesPerSecond", rounded(steadyFrames / Math.max(1, steadySeconds), 2));
        summary.put("steadyLatencyP50Ms", sorted.length == 0 ? -1 : MetricsCollector.percentile(sorted, 0.5));
        summary.put("steadyLatencyP99Ms", sorted.length == 0 ? -1 : MetricsCollector.percentile(sorted, 0.99));
        summary.put("lagAfterWarmup", first.lag());
        summary.put("lagAtEnd", last.lag());
        summary.put("rssMbAfterWarmup", rounded(first.rssMb()));
        summary.put("rssMbAtEnd", rounded(last.rssMb()));
        summary.put("heapAfterGcMbAtEnd", rounded(last.heapMb()));
        summary.put("steadyCpuPercentOfOneCore", rounded(steadyCpu(samples)));
        summary.put("steadyMachineBusyPercent", rounded(samples.stream().filter(s -> s.seconds() > WARMUP_SECONDS)
                .mapToDouble(Sample::machineBusyPercent).filter(Double::isFinite).average().orElse(Double.NaN), 0));
        String json = Json.writePretty(summary);
        Files.writeString(out.resolve(label + ".json"), json);

        Map<String, double[]> memory = new LinkedHashMap<>();
        for (String p : last.rssMb().keySet()) {
            memory.put("RSS " + p, samples.stream().mapToDouble(s -> s.rssMb().get(p)).toArray());
            memory.put("heap after GC " + p, samples.stream().mapToDouble(s -> s.heapMb().get(p)).toArray());
        }
        String title = String.format(Locale.ROOT, "smt soak: %d processor JVM(s), %d streams at %s, fast preset",
                instances, streams, pacing);
        String svg = new SvgChart(title)
                .panel("frames/s (5 s windows)", x, Map.of("throughput", fps))
                .panel("p99 latency, ms", x, Map.of("p99", p99))
                .panel("consumer lag, records of smt.patches", x, Map.of("lag", lag))
                .panel("memory, MB", x, memory)
                .panel("CPU, % of one core (machine: 2 cores = 200)", x, cpuSeries(samples))
                .svg();
        Files.writeString(out.resolve(label + ".svg"), svg);
        System.out.println("SoakIT " + label + ":\n" + json + csv);
    }

    private static Map<String, double[]> cpuSeries(List<Sample> samples) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String p : samples.get(0).cpuPercent().keySet()) {
            out.put(p.equals("ingest") || p.equals("kafka") || p.equals("other processes") ? p : "processor " + p,
                    samples.stream().mapToDouble(s -> s.cpuPercent().get(p)).toArray());
        }
        out.put("whole machine", samples.stream().mapToDouble(s -> s.machineBusyPercent()
                * Runtime.getRuntime().availableProcessors()).toArray());
        return out;
    }

    private static Map<String, Double> steadyCpu(List<Sample> samples) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String p : samples.get(0).cpuPercent().keySet()) {
            out.put(p, samples.stream().filter(s -> s.seconds() > WARMUP_SECONDS)
                    .mapToDouble(s -> s.cpuPercent().get(p)).filter(Double::isFinite).average().orElse(Double.NaN));
        }
        return out;
    }

    /** {@code v} to {@code decimals} places, as the summary shows it; NaN stays NaN (null in the JSON). */
    private static double rounded(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Double.isFinite(v) ? Math.round(v * scale) / scale : v;
    }

    private static Map<String, Double> rounded(Map<String, Double> values) {
        Map<String, Double> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, rounded(v, 0)));
        return out;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** RSS must level off: the last third's peak within 15 % + 64 MB of the middle third's. */
    private static void assertMemoryLevelsOff(List<Sample> samples) {
        int n = samples.size();
        for (String p : samples.get(0).rssMb().keySet()) {
            double middle = samples.subList(n / 3, 2 * n / 3).stream()
                    .mapToDouble(s -> s.rssMb().get(p)).max().orElseThrow();
            double end = samples.subList(2 * n / 3, n).stream().mapToDouble(s -> s.rssMb().get(p)).max().orElseThrow();
            assertTrue(end <= middle * 1.15 + 64, String.format(Locale.ROOT,
                    "RSS of %s still growing: peak %.0f MB in the middle third, %.0f MB in the last", p, middle, end));
        }
    }
}
