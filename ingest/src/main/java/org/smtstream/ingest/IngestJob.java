package org.smtstream.ingest;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.ingest.IngestSummary.Ending;
import org.smtstream.ingest.preprocess.Preprocessor;
import org.smtstream.ingest.source.DropOldestSource;
import org.smtstream.ingest.source.FrameSource;
import org.smtstream.ingest.source.LoopingSource;
import org.smtstream.ingest.source.ReconnectingSource;
import org.smtstream.model.PatchGeometry;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.wire.IngestFaults;
import org.smtstream.model.wire.PatchFrame;

/**
 * Ingests one video stream: reads its input ({@link IngestSettings#input()}: a file, images, a
 * camera, a URL or a lavfi graph), preprocesses every frame ({@link Preprocessor}), cuts it into
 * patches ({@link PatchGeometry}) and publishes one {@link PatchFrame} per frame to {@code smt.patches},
 * plus a rate-limited preview image (INPUT: the S x S grayscale frame before whitening) to
 * {@code smt.preview}; see {@link PatchPublisher} for keys and headers. The whitened picture comes
 * from the processor, aligned with its reconstruction of the same frame.
 *
 * <p>Frame indices count from 0 and keep increasing across loops. A recording is replayed at its
 * pacing, and {@code captureTimeMs} is the wall clock when a frame is released, as a camera would
 * have stamped it. A live source (camera, stream, lavfi) is read on a grab thread of its own that
 * keeps only the newest frames ({@link DropOldestSource}); frames the publisher is too slow for are
 * dropped, counted and logged, and {@code captureTimeMs} is when the frame was grabbed. A camera
 * or network stream that drops after delivering frames is opened again with backoff
 * ({@link ReconnectingSource}, {@link IngestSettings#reconnect()}) under the same stream id; the
 * first opening still fails at once. The frame index advances by the frames dropped and the frames
 * lost in an outage, so a gap in the indices shows the processor where a trajectory must restart
 * ({@link FramePipeline}).
 *
 * <p>Run it on a thread of its own; {@link #stop()} from any thread ends the run after the
 * current frame, and interrupting the thread does the same:
 * <pre>{@code
 * IngestJob job = new IngestJob(config, IngestSettings.of(path, "cam0"), producerProps);
 * Future<IngestSummary> run = executor.submit(job);
 * ... job.stop();
 * IngestSummary summary = run.get();
 * }</pre>
 * A job runs once. A source that cannot be opened throws {@link IngestException} from
 * {@link #call()} before Kafka is contacted; a record Kafka rejects ends the run with one as well.
 * {@link MultiStreamIngest} runs several jobs at once.
 */
public final class IngestJob implements Callable<IngestSummary> {

    private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);
    private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final SmtConfig config;
    private final IngestSettings settings;
    private final Supplier<Producer<byte[], byte[]>> producerFactory;
    private final boolean ownsProducer;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final AtomicBoolean started = new AtomicBoolean();
    /** The source being read, so {@link #stop()} can wake a grab waiting for a live frame. */
    private volatile FrameSource running;
    private volatile boolean progressBarAllowed = true;

    /**
     * A job with a Kafka producer of its own, created when the run starts and closed when it ends.
     *
     * @param producerConfig at least {@code bootstrap.servers}; see {@link PatchPublisher#producerConfig}
     *                       for what is added and enforced
     * @throws IngestException          when the producer configuration lacks bootstrap.servers
     * @throws IllegalArgumentException when the preprocessing options do not fit the configuration
     */
    public IngestJob(SmtConfig config, IngestSettings settings, Properties producerConfig) {
        this(config, settings, kafkaProducer(PatchPublisher.producerConfig(producerConfig, settings.streamId())), true);
    }

    /**
     * A job that sends through {@code producer} (for example kafka-clients' {@code MockProducer} in
     * tests, or a producer shared by several jobs). The job flushes it at the end but does not close
     * it; the caller configures it (byte-array serializers, idempotence) and owns it.
     */
    public IngestJob(SmtConfig config, IngestSettings settings, Producer<byte[], byte[]> producer) {
        this(config, settings, () -> producer, false);
    }

    /** A job that asks {@code producerFactory} for its producer when the run starts, and closes it if it owns it. */
    IngestJob(SmtConfig config, IngestSettings settings, Supplier<Producer<byte[], byte[]>> producerFactory,
              boolean ownsProducer) {
        Preprocessor.requireCompatible(config, settings.preprocessing());
        this.config = config;
        this.settings = settings;
        this.producerFactory = producerFactory;
        this.ownsProducer = ownsProducer;
    }

    static Supplier<Producer<byte[], byte[]>> kafkaProducer(Properties producerConfig) {
        return () -> {
            try {
                return new KafkaProducer<>(producerConfig);
            } catch (KafkaException e) {
                throw new IngestException("Cannot create the Kafka producer: " + e.getMessage(), e);
            }
        };
    }

    public IngestSettings settings() {
        return settings;
    }

    /** Ends the run after the current frame; safe to call from any thread, at any time, repeatedly. */
    public void stop() {
        stopSignal.countDown();
        FrameSource source = running;
        if (source != null) {
            source.cancel();
        }
    }

    /** Several streams share a terminal: their jobs log progress instead of drawing bars. */
    void disableProgressBar() {
        progressBarAllowed = false;
    }

    /**
     * Runs until the source ends, {@code maxFrames} are published, or {@link #stop()}.
     *
     * @return what was published, skipped and dropped, and why the run ended
     * @throws IngestException when the source cannot be opened or Kafka rejects a record
     */
    @Override
    public IngestSummary call() {
        return run(openSource());
    }

    /**
     * Opens this job's input: looped if asked, and if live, reconnected when it drops and read behind
     * a {@link DropOldestSource}, so reconnecting happens on the grab thread and a stop still wakes it.
     * The first step of a run; {@link MultiStreamIngest} opens every stream's source before any runs.
     *
     * @throws IllegalStateException when this job has run or is running
     * @throws IngestException       naming the input when it cannot be opened
     */
    FrameSource openSource() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("An IngestJob runs once; create a new one");
        }
        Supplier<FrameSource> input = () -> settings.input().open(settings.pacing());
        Supplier<FrameSource> opener = settings.loop() ? () -> new LoopingSource(input) : input;
        FrameSource source = opener.get();
        if (!source.live()) {
            return source;
        }
        FrameSource reconnecting = new ReconnectingSource(source, opener, settings.reconnect(),
                settings.input().endMayBeDrop());
        return new DropOldestSource(reconnecting, settings.liveBufferFrames());
    }

    /** Publishes the frames of {@code source} (from {@link #openSource()}) and closes it. */
    IngestSummary run(FrameSource source) {
        long startNanos = System.nanoTime();
        running = source;
        PatchPublisher publisher;
        FramePipeline pipeline;
        Ending ending;
        try {
            Producer<byte[], byte[]> producer = producerFactory.get();
            try {
                publisher = new PatchPublisher(producer, settings.streamId(), settings.preprocessing(),
                        settings.maxFrameAgeMs(source.live()));
                pipeline = new FramePipeline(config, settings, publisher);
                ending = publishAll(source, pipeline);
                publisher.flush();
            } finally {
                if (ownsProducer) {
                    producer.close(PRODUCER_CLOSE_TIMEOUT);
                }
            }
        } finally {
            running = null;
            // Closed before the counts are read: frames a live source still buffers count as dropped.
            source.close();
        }
        IngestSummary summary = new IngestSummary(publisher.patchesAcked(), source.skippedFrames(),
                source.droppedFrames(), pipeline.blank(), publisher.previewsAcked(),
                Duration.ofNanos(System.nanoTime() - startNanos), ending, source.outages(),
                Duration.ofMillis(source.outageMillis()), source.lostFrames());
        LOG.info("ingest {}: {}", settings.streamId(), summary);
        return summary;
    }

    private Ending publishAll(FrameSource source, FramePipeline pipeline) {
        String task = "ingest " + settings.streamId();
        long maxAge = settings.maxFrameAgeMs(source.live());
        LOG.info("{}: reading '{}' {}, {} whitening{}", task, source.name(),
                (source.live() ? "live (newest " + settings.liveBufferFrames() + " frames kept)"
                        : "at " + String.format("%.3g", source.frameRate()) + " fps, pacing " + settings.pacing())
                        + (maxAge > 0 ? ", frames older than " + maxAge + " ms skipped by the processor" : ""),
                settings.preprocessing().label(),
                settings.maxFrames() > 0 ? ", at most " + settings.maxFrames() + " frames" : "");
        Ending ending;
        try (ProgressReporter progress = ProgressReporter.create(task, expectedFrames(source), progressBarAllowed)) {
            ending = publishFrames(source, pipeline, progress);
        }
        pipeline.finish();
        return ending;
    }

    private Ending publishFrames(FrameSource source, FramePipeline pipeline, ProgressReporter progress) {
        // A live source runs on its own clock; waiting here would only make it drop frames.
        Pacer pacer = new Pacer(source.live() ? Pacing.UNLIMITED : settings.pacing(), source.frameRate());
        while (true) {
            if (stopRequested()) {
                return Ending.STOPPED;
            }
            if (settings.maxFrames() > 0 && pipeline.accepted() >= settings.maxFrames()) {
                return Ending.MAX_FRAMES;
            }
            Frame frame = source.grab();
            if (frame == null) {
                return stopRequested() ? Ending.STOPPED : Ending.END_OF_SOURCE;
            }
            long delay = pacer.delayNanos(frame.timestamp, System.nanoTime());
            if (delay > 0 && awaitStop(delay)) {
                return Ending.STOPPED;
            }
            long captured = source.lastCaptureTimeMs();
            pipeline.accept(frame, captured >= 0 ? captured : System.currentTimeMillis(), source.missedFrames(),
                    faults(source));
            progress.update(pipeline.published(), source.skippedFrames(), source.droppedFrames(), source.outages());
        }
    }

    /** What {@code source} has lost so far, as the patch headers carry it. */
    static IngestFaults faults(FrameSource source) {
        return new IngestFaults(source.droppedFrames(), source.skippedFrames(), source.outages(),
                source.outageMillis(), source.lostFrames());
    }

    /** Frames this run will publish if it is not stopped, or -1 when unknown (a loop without a limit). */
    private long expectedFrames(FrameSource source) {
        long declared = source.frameCount();
        long max = settings.maxFrames();
        if (max == 0) {
            return declared;
        }
        return declared > 0 ? Math.min(max, declared) : max;
    }

    private boolean stopRequested() {
        return stopSignal.getCount() == 0 || Thread.currentThread().isInterrupted();
    }

    /** Waits {@code nanos} unless stopped first; true when the run should stop. */
    private boolean awaitStop(long nanos) {
        try {
            return stopSignal.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
