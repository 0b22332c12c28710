package org.smtstream.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.ingest.source.FrameSource;
import org.smtstream.model.SmtConfig;

/**
 * Ingests several streams at once, each with its own stream id, frame indices and source, on a
 * thread of its own: one {@link IngestJob} per stream, all sending through one idempotent Kafka
 * producer (records are keyed by stream id, so each stream keeps its order).
 *
 * <p>{@link #call()} first opens every source, in order, on the calling thread: an input that
 * cannot be opened fails the whole run with its {@link IngestException} before Kafka is contacted
 * and before any stream publishes (those already opened are closed). Then {@code beforePublishing}
 * runs (for example, creating the topics), then the streams run until each ends. When one stream
 * fails, the others are stopped and the failure is rethrown; {@link #stop()} stops them all.
 */
public final class MultiStreamIngest implements Callable<Map<String, IngestSummary>> {

    private static final Logger LOG = LoggerFactory.getLogger(MultiStreamIngest.class);
    private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** How long stopped streams get to finish their frame and flush (a live read may block up to its timeout). */
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final List<IngestJob> jobs = new ArrayList<>();
    private final Supplier<Producer<byte[], byte[]>> producerFactory;
    private final boolean ownsProducer;
    private final Runnable beforePublishing;
    private final AtomicBoolean started = new AtomicBoolean();
    /**
     * The producer of all streams, created only once every source is open, so a bad input never
     * leaves a Kafka connection behind; set before the jobs' threads start, which publishes it to them.
     */
    private Producer<byte[], byte[]> producer;

    /**
     * Streams sending through a Kafka producer this runner creates after the sources are open and
     * closes at the end.
     *
     * @param producerConfig   at least {@code bootstrap.servers}; see {@link PatchPublisher#producerConfig}
     * @param beforePublishing runs once every source is open, before the producer is created
     * @throws IllegalArgumentException when there are no streams or two share a stream id
     * @throws IngestException          when the producer configuration lacks bootstrap.servers
     */
    public MultiStreamIngest(SmtConfig config, List<IngestSettings> streams, Properties producerConfig,
                             Runnable beforePublishing) {
        this(config, streams, IngestJob.kafkaProducer(PatchPublisher.producerConfig(producerConfig,
                streams.size() == 1 ? streams.get(0).streamId() : streams.size() + "-streams")),
                true, beforePublishing);
    }

    /** Streams sending through {@code producer}, which the caller owns (flushed, not closed, here). */
    public MultiStreamIngest(SmtConfig config, List<IngestSettings> streams, Producer<byte[], byte[]> producer) {
        this(config, streams, () -> producer, false, () -> { });
    }

    /** Streams sending through the producer {@code producerFactory} makes once every source is open. */
    MultiStreamIngest(SmtConfig config, List<IngestSettings> streams,
                      Supplier<Producer<byte[], byte[]>> producerFactory, boolean ownsProducer,
                      Runnable beforePublishing) {
        requireDistinctIds(streams);
        this.producerFactory = producerFactory;
        this.ownsProducer = ownsProducer;
        this.beforePublishing = beforePublishing;
        for (IngestSettings settings : streams) {
            IngestJob job = new IngestJob(config, settings, () -> producer, false);
            if (streams.size() > 1) {
                job.disableProgressBar();
            }
            jobs.add(job);
        }
    }

    private static void requireDistinctIds(List<IngestSettings> streams) {
        if (streams.isEmpty()) {
            throw new IllegalArgumentException("No stream to ingest");
        }
        Set<String> ids = new HashSet<>();
        for (IngestSettings s : streams) {
            if (!ids.add(s.streamId())) {
                throw new IllegalArgumentException("Duplicate stream id '" + s.streamId()
                        + "' (each stream needs its own)");
            }
        }
    }

    /** Stops every stream after its current frame; safe from any thread, at any time. */
    public void stop() {
        jobs.forEach(IngestJob::stop);
    }

    /**
     * Opens every source, runs {@code beforePublishing}, then ingests all streams until they end.
     *
     * @return each stream's summary by stream id, in the order the streams were given
     * @throws IngestException the first failure: a source that cannot be opened, or a stream that failed
     */
    @Override
    public Map<String, IngestSummary> call() throws InterruptedException {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("A MultiStreamIngest runs once; create a new one");
        }
        List<FrameSource> sources = openAll();
        ExecutorService threads = Executors.newFixedThreadPool(jobs.size(), r -> new Thread(r, "smt-ingest"));
        try {
            beforePublishing.run();
            producer = producerFactory.get();
            CompletionService<IngestSummary> runs = new ExecutorCompletionService<>(threads);
            Map<Future<IngestSummary>, String> streamOfRun = new HashMap<>();
            for (int i = 0; i < jobs.size(); i++) {
                IngestJob job = jobs.get(i);
                FrameSource source = sources.get(i);
                String streamId = job.settings().streamId();
                streamOfRun.put(runs.submit(() -> {
                    Thread.currentThread().setName("smt-ingest-" + streamId);
                    return job.run(source);
                }), streamId);
                sources.set(i, null); // the run closes it now
            }
            return awaitAll(runs, streamOfRun);
        } finally {
            sources.stream().filter(Objects::nonNull).forEach(FrameSource::close); // those no run took over
            finishThreads(threads);
            if (ownsProducer && producer != null) {
                producer.close(PRODUCER_CLOSE_TIMEOUT);
            }
        }
    }

    /**
     * Normally every run has ended here. After an interrupt the streams were told to stop; give them
     * time to flush before the producer closes, without waiting forever on a stuck one.
     */
    private static void finishThreads(ExecutorService threads) {
        threads.shutdown();
        boolean interrupted = Thread.interrupted();
        try {
            if (!threads.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Some streams did not stop within {} s", STOP_GRACE.toSeconds());
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private List<FrameSource> openAll() {
        List<FrameSource> sources = new ArrayList<>();
        try {
            for (IngestJob job : jobs) {
                sources.add(job.openSource());
            }
            return sources;
        } catch (RuntimeException e) {
            sources.forEach(FrameSource::close);
            throw e;
        }
    }

    /** Waits for every run, in the order they end, so the first failure stops the others at once. */
    private Map<String, IngestSummary> awaitAll(CompletionService<IngestSummary> runs,
                                                Map<Future<IngestSummary>, String> streamOfRun)
            throws InterruptedException {
        Map<String, IngestSummary> summaries = new LinkedHashMap<>();
        jobs.forEach(job -> summaries.put(job.settings().streamId(), null)); // keeps the given order
        RuntimeException failure = null;
        try {
            for (int done = 0; done < jobs.size(); done++) {
                Future<IngestSummary> run = runs.take();
                String streamId = streamOfRun.get(run);
                try {
                    summaries.put(streamId, run.get());
                } catch (ExecutionException e) {
                    if (failure == null) {
                        Throwable cause = e.getCause();
                        LOG.error("Stream '{}' failed; stopping the others: {}", streamId, cause.getMessage());
                        failure = cause instanceof RuntimeException r ? r
                                : new IngestException("Stream '" + streamId + "' failed: " + cause, cause);
                        stop();
                    }
                }
            }
        } catch (InterruptedException e) {
            stop();
            throw e;
        }
        if (failure != null) {
            throw failure;
        }
        return summaries;
    }
}
