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
import org.smtstream.ingest.IngestSummary.Ending;
import org.smtstream.ingest.preprocess.Patcher;
import org.smtstream.ingest.preprocess.PreprocessedFrame;
import org.smtstream.ingest.preprocess.Preprocessor;
import org.smtstream.ingest.source.FrameSource;
import org.smtstream.ingest.source.LoopingSource;
import org.smtstream.ingest.source.VideoFileSource;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.wire.FrameImage;
import org.smtstream.model.wire.PatchFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests one video stream: decodes the file, preprocesses every frame ({@link Preprocessor}),
 * cuts it into patches ({@link Patcher}) and publishes one {@link PatchFrame} per frame to
 * {@code smt.patches}, plus a rate-limited preview image (INPUT: the S x S grayscale frame before
 * whitening) to {@code smt.preview}; see {@link PatchPublisher} for keys and headers. The whitened
 * picture comes from the processor, aligned with its reconstruction of the same frame.
 *
 * <p>Frame indices count from 0 and keep increasing across loops. {@code captureTimeMs} is the
 * wall clock when a frame is released, after pacing, as a camera would have stamped it.
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

    /**
     * A job with a Kafka producer of its own, created when the run starts and closed when it ends.
     *
     * @param producerConfig at least {@code bootstrap.servers}; see {@link PatchPublisher#producerConfig}
     *                       for what is added and enforced
     * @throws IngestException when the producer configuration lacks bootstrap.servers
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

    private IngestJob(SmtConfig config, IngestSettings settings, Supplier<Producer<byte[], byte[]>> producerFactory,
                      boolean ownsProducer) {
        this.config = config;
        this.settings = settings;
        this.producerFactory = producerFactory;
        this.ownsProducer = ownsProducer;
    }

    private static Supplier<Producer<byte[], byte[]>> kafkaProducer(Properties producerConfig) {
        return () -> {
            try {
                return new KafkaProducer<>(producerConfig);
            } catch (KafkaException e) {
                throw new IngestException("Cannot create the Kafka producer: " + e.getMessage(), e);
            }
        };
    }

    /** Ends the run after the current frame; safe to call from any thread, at any time, repeatedly. */
    public void stop() {
        stopSignal.countDown();
    }

    /**
     * Runs until the source ends, {@code maxFrames} are published, or {@link #stop()}.
     *
     * @return what was published and skipped, and why the run ended
     * @throws IngestException when the source cannot be opened or Kafka rejects a record
     */
    @Override
    public IngestSummary call() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("An IngestJob runs once; create a new one");
        }
        long startNanos = System.nanoTime();
        try (FrameSource source = openSource()) {
            Producer<byte[], byte[]> producer = producerFactory.get();
            try {
                return publishAll(source, new PatchPublisher(producer, settings.streamId()), startNanos);
            } finally {
                if (ownsProducer) {
                    producer.close(PRODUCER_CLOSE_TIMEOUT);
                }
            }
        }
    }

    private FrameSource openSource() {
        Supplier<FrameSource> opener = () -> VideoFileSource.open(settings.source());
        return settings.loop() ? new LoopingSource(opener) : opener.get();
    }

    private IngestSummary publishAll(FrameSource source, PatchPublisher publisher, long startNanos) {
        String task = "ingest " + settings.streamId();
        LOG.info("{}: reading '{}' at {} fps, pacing {}{}", task, source.name(),
                String.format("%.3g", source.frameRate()),
                settings.pacing(), settings.maxFrames() > 0 ? ", at most " + settings.maxFrames() + " frames" : "");
        Ending ending;
        try (ProgressReporter progress = ProgressReporter.create(task, expectedFrames(source))) {
            ending = publishFrames(source, new FramePipeline(publisher), progress);
        }
        publisher.flush();
        IngestSummary summary = new IngestSummary(publisher.patchesAcked(), source.skippedFrames(),
                publisher.previewsAcked(), Duration.ofNanos(System.nanoTime() - startNanos), ending);
        LOG.info("{}: {}", task, summary);
        return summary;
    }

    private Ending publishFrames(FrameSource source, FramePipeline pipeline, ProgressReporter progress) {
        Pacer pacer = new Pacer(settings.pacing(), source.frameRate());
        while (true) {
            if (stopRequested()) {
                return Ending.STOPPED;
            }
            if (settings.maxFrames() > 0 && pipeline.frameIndex >= settings.maxFrames()) {
                return Ending.MAX_FRAMES;
            }
            Frame frame = source.grab();
            if (frame == null) {
                return Ending.END_OF_SOURCE;
            }
            if (awaitStop(pacer.delayNanos(frame.timestamp, System.nanoTime()))) {
                return Ending.STOPPED;
            }
            pipeline.publish(frame);
            progress.update(pipeline.frameIndex, source.skippedFrames());
        }
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
        if (nanos <= 0) {
            return stopRequested();
        }
        try {
            return stopSignal.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Preprocesses and publishes frames; the per-run state, confined to the thread of {@link #call()}. */
    private final class FramePipeline {

        private final PatchPublisher publisher;
        private final Preprocessor preprocessor = new Preprocessor(config);
        private final Patcher patcher = new Patcher(config);
        private final PreviewThrottle previews = new PreviewThrottle(settings.previewIntervalMs());
        private long frameIndex;

        FramePipeline(PatchPublisher publisher) {
            this.publisher = publisher;
        }

        void publish(Frame frame) {
            long captureTimeMs = System.currentTimeMillis();
            PreprocessedFrame p = preprocessor.process(frame);
            int size = p.size();
            String streamId = settings.streamId();
            publisher.publishPatches(new PatchFrame(streamId, frameIndex, captureTimeMs, size, config.patchSize(),
                    config.stride(), patcher.cut(p.whitened())));
            if (previews.tryAcquire(captureTimeMs)) {
                publisher.publishPreview(new FrameImage(streamId, frameIndex, FrameImage.Kind.INPUT, size, size, p.gray()));
            }
            frameIndex++;
        }
    }
}
