package org.smtstream.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.smtstream.model.Topics;
import org.smtstream.model.wire.FrameMetrics;

/**
 * Follows {@code smt.metrics} from the beginning (committed records only) and keeps every frame's
 * metrics, so that a run can be summarised and checked: how many frames came out, whether any came
 * out twice, how reconstruction SNR moved.
 */
public final class MetricsCollector implements AutoCloseable {

    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaConsumer<String, FrameMetrics> consumer;
    private final List<FrameMetrics> received = new ArrayList<>();
    /** Guarded by {@code received}: each stream's newest count of frames skipped as stale. */
    private final Map<String, Long> staleByStream = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private MetricsCollector(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, "smt-metrics-collector"),
                new StringDeserializer(), Topics.METRICS.valueSerde().deserializer());
        KafkaClients.assignFromBeginning(consumer, Topics.METRICS.name(), METADATA_TIMEOUT);
        thread = new Thread(this::poll, "smt-metrics-collector");
        thread.setDaemon(true);
    }

    /** Starts following the metrics topic of the cluster at {@code bootstrapServers}. */
    public static MetricsCollector start(String bootstrapServers) {
        MetricsCollector collector = new MetricsCollector(bootstrapServers);
        collector.thread.start();
        return collector;
    }

    private void poll() {
        while (running.get()) {
            for (ConsumerRecord<String, FrameMetrics> record : consumer.poll(Duration.ofMillis(200))) {
                synchronized (received) {
                    received.add(record.value());
                    staleByStream.merge(record.value().streamId(), record.value().staleSkipped(), Math::max);
                    received.notifyAll();
                }
            }
        }
        consumer.close(Duration.ofSeconds(5));
    }

    /** Every metrics record received so far, in topic order. */
    public List<FrameMetrics> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Waits until at least {@code count} records have arrived or the timeout passes; returns the count. */
    public int awaitCount(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (received.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                received.wait(Math.max(1, left / 1_000_000));
            }
            return received.size();
        }
    }

    /**
     * Waits until {@code frames} are accounted for, coded or skipped as stale
     * ({@link #staleSkipped}), or the timeout passes. Once frames have been skipped, it also stops
     * after {@code quiet} without a record: frames skipped after the last one coded are never
     * reported, so the count may never be reached. Returns the frames accounted for.
     */
    public long awaitAccountedFor(long frames, Duration timeout, Duration quiet) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastChange = System.nanoTime();
        synchronized (received) {
            int seen = received.size();
            while (accountedFor() < frames) {
                long now = System.nanoTime();
                if (received.size() != seen) {
                    seen = received.size();
                    lastChange = now;
                }
                boolean quietAfterSkips = staleTotal() > 0 && now - lastChange >= quiet.toNanos();
                if (now >= deadline || quietAfterSkips) {
                    break;
                }
                received.wait(Math.max(1, Math.min(deadline - now, quiet.toNanos()) / 1_000_000));
            }
            return accountedFor();
        }
    }

    private long accountedFor() {
        return received.size() + staleTotal();
    }

    private long staleTotal() {
        return staleByStream.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Frames the processor skipped as stale, over all streams: each stream's newest count. */
    public static long staleSkipped(List<FrameMetrics> metrics) {
        Map<String, Long> byStream = new HashMap<>();
        for (FrameMetrics m : metrics) {
            byStream.merge(m.streamId(), m.staleSkipped(), Math::max);
        }
        return byStream.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Mean SNR of Phi alpha over the first and last {@code window} frames. */
    public static String snrSummary(List<FrameMetrics> metrics, int window) {
        if (metrics.isEmpty()) {
            return "no frames processed";
        }
        int w = Math.min(window, metrics.size());
        long stale = staleSkipped(metrics);
        return String.format(Locale.ROOT,
                "%d frames processed%s; reconstruction SNR %.2f dB over the first %d, %.2f dB over the last %d",
                metrics.size(), stale > 0 ? ", " + stale + " skipped as stale" : "",
                meanSnr(metrics.subList(0, w)), w,
                meanSnr(metrics.subList(metrics.size() - w, metrics.size())), w);
    }

    /**
     * Throughput and latency: frames per second between the first and the last frame's processing
     * time, and the 50th/99th percentiles of capture-to-processed latency.
     */
    public static String rateSummary(List<FrameMetrics> metrics) {
        if (metrics.size() < 2) {
            return "too few frames for a rate";
        }
        long first = metrics.stream().mapToLong(FrameMetrics::processedTimeMs).min().orElseThrow();
        long last = metrics.stream().mapToLong(FrameMetrics::processedTimeMs).max().orElseThrow();
        long[] latency = metrics.stream().mapToLong(FrameMetrics::latencyMs).sorted().toArray();
        return String.format(Locale.ROOT, "%.1f frames/s; latency p50 %d ms, p99 %d ms",
                (metrics.size() - 1) * 1000.0 / Math.max(1, last - first), percentile(latency, 0.50),
                percentile(latency, 0.99));
    }

    /** The q-quantile of sorted values (nearest rank). */
    static long percentile(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    public static double meanSnr(List<FrameMetrics> metrics) {
        return metrics.stream().mapToDouble(FrameMetrics::snrAlphaDb).average().orElse(Double.NaN);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}
