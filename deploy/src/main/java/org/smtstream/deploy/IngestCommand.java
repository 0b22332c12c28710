package org.smtstream.deploy;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.smtstream.ingest.BundledClip;
import org.smtstream.ingest.IngestSettings;
import org.smtstream.ingest.IngestSummary;
import org.smtstream.ingest.MultiStreamIngest;
import org.smtstream.ingest.Pacing;
import org.smtstream.ingest.PatchPublisher;
import org.smtstream.ingest.preprocess.PreprocessingOptions;
import org.smtstream.ingest.source.Backoff;
import org.smtstream.ingest.source.SourceSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code smt ingest}: publish the patches of one or more video sources (files, image sequences,
 * cameras, network streams, lavfi test sources) to an external Kafka cluster.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Reads video, whitens and patches its frames and publishes them to smt.patches on an external Kafka "
                    + "cluster, each stream under its own stream id.",
            "Recordings end at their end unless --loop is given; cameras and streams run until Ctrl-C and "
                    + "reconnect when they drop (not when they fail to open at the start). Live sources keep only the "
                    + "newest frames when publishing falls behind, and count what they drop."},
        footer = {"", "Examples:",
            "  smt ingest -b kafka:9092 --input walk.mp4 --pacing 2x",
            "  smt ingest -b kafka:9092 --camera /dev/video0 --width 640 --height 480 \\",
            "      --fps 30 --stream-id door --url rtsp://cam.local/live --stream-id street",
            "  smt ingest -b kafka:9092 --images 'frames/img_%%04d.png' --fps 25 \\",
            "      --whitening zca",
            "  smt ingest -b kafka:9092 --lavfi testsrc2=size=320x240:rate=10"})
public final class IngestCommand implements Callable<Integer> {

    /** The help of --max-frame-age, shared with smt demo. */
    static final String MAX_FRAME_AGE_HELP = "Freshness bound of each stream: the processor skips frames older than "
            + "this (capture to coding) until it has caught up with the present, and counts them; 0 = code every frame "
            + "however late. Default: " + IngestSettings.DEFAULT_LIVE_MAX_FRAME_AGE_MS + " for cameras, streams and "
            + "lavfi graphs, none for recordings.";

    /** How long Ctrl-C waits for the streams to finish their frame and flush to Kafka. */
    private static final long SHUTDOWN_WAIT_SECONDS = 20;

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    ConfigOptions configOptions;

    @ArgGroup(exclusive = false, multiplicity = "0..*",
            heading = "%nStreams (repeat an input option, with its own options after it, for several streams):%n")
    List<StreamOptions> streams = new ArrayList<>();

    @Option(names = "--pacing", defaultValue = "native", paramLabel = "native|max|Nx",
            description = "Replay recordings at their frame rate, as fast as possible, or at a multiple of it "
                    + "(e.g. 2x); lavfi graphs render at this pace; cameras and streams run at their own. "
                    + "Default: ${DEFAULT-VALUE}.")
    String pacing;

    @Option(names = "--loop", description = "Start each input again at its end: a recording replays, a lavfi graph "
            + "renders again (cameras and streams reconnect without it).")
    boolean loop;

    @Option(names = "--max-frames", defaultValue = "0", paramLabel = "N",
            description = "Stop each stream after N frames (0 = no limit).")
    long maxFrames;

    @Option(names = "--whitening", defaultValue = "fourier", paramLabel = "fourier|zca",
            description = "Fourier mask w(r) = r exp(-(r/r0)^4) (thesis A.2) or ZCA fitted on the patches of each "
                    + "stream's first frames (needs stride >= patch size). Default: ${DEFAULT-VALUE}.")
    String whitening;

    @Option(names = "--zca-fit-frames", defaultValue = "" + PreprocessingOptions.DEFAULT_ZCA_FIT_FRAMES,
            paramLabel = "N", description = "Frames ZCA is fitted on; they are published once it is. "
                    + "Default: ${DEFAULT-VALUE}.")
    int zcaFitFrames;

    @Option(names = "--local-contrast",
            description = "Divide each whitened frame by its local contrast, so shade and sunlight reach the "
                    + "processor alike (frames still end at zero mean, unit std).")
    boolean localContrast;

    @Option(names = "--live-buffer", defaultValue = "" + IngestSettings.DEFAULT_LIVE_BUFFER_FRAMES,
            paramLabel = "N", description = "Newest frames a live source keeps while publishing is behind; "
                    + "older ones are dropped and counted. Default: ${DEFAULT-VALUE}.")
    int liveBuffer;

    @Option(names = "--reconnect-delay", defaultValue = "500ms", paramLabel = "TIME",
            converter = DurationConverter.class,
            description = "Wait before a camera or stream that dropped is opened again; each further attempt in a row "
                    + "waits twice as long (+-20 %% jitter), up to --reconnect-max-delay. Default: ${DEFAULT-VALUE}.")
    Duration reconnectDelay;

    @Option(names = "--reconnect-max-delay", defaultValue = "30s", paramLabel = "TIME",
            converter = DurationConverter.class,
            description = "Longest wait between two reconnect attempts (at least --reconnect-delay). "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration reconnectMaxDelay;

    @Option(names = "--max-reconnects", paramLabel = "N",
            description = "End the run with an error when a dropped camera or stream fails to reconnect N times in a "
                    + "row (0 = a drop ends the stream, as the end of a file does). Default: no limit.")
    Integer maxReconnects;

    @Option(names = "--reconnect-give-up", defaultValue = "0", paramLabel = "TIME",
            converter = DurationConverter.class,
            description = "End the run with an error when a dropped camera or stream has been without frames this "
                    + "long, e.g. 5m (0 = never). Default: never.")
    Duration reconnectGiveUp;

    @Option(names = "--max-frame-age", paramLabel = "MS", description = MAX_FRAME_AGE_HELP)
    Long maxFrameAgeMs;

    @Option(names = "--preview-interval", defaultValue = "" + IngestSettings.DEFAULT_PREVIEW_INTERVAL_MS,
            paramLabel = "MS", description = "Minimum time between preview images per stream (0 = every frame). "
                    + "Default: ${DEFAULT-VALUE}.")
    long previewIntervalMs;

    @Option(names = "--compression", defaultValue = PatchPublisher.DEFAULT_COMPRESSION,
            paramLabel = "none|lz4|zstd|snappy|gzip",
            description = "Kafka compression of the records. Whitened float32 patches barely compress "
                    + "(lz4 0.1 %%, zstd 6.5 %%), so the default is ${DEFAULT-VALUE}.")
    String compression;

    /** One stream: an input and its options. */
    static final class StreamOptions {

        // No defaultValue on options in here: picocli would try to apply it to a group that was not given.
        @ArgGroup(exclusive = true, multiplicity = "1")
        Input input;

        @Option(names = "--stream-id", paramLabel = "ID",
                description = "Stream id (the Kafka key) of the input it is given with. Default: stream-<n>, "
                        + "n counting inputs from 0.")
        String streamId;

        @Option(names = "--width", paramLabel = "PX",
                description = "Camera capture width (with --height; default: the camera's).")
        int width;

        @Option(names = "--height", paramLabel = "PX",
                description = "Camera capture height (with --width).")
        int height;

        @Option(names = "--fps", paramLabel = "RATE",
                description = "Camera capture rate, or the rate an image sequence is played at (default: the "
                        + "camera's; " + SourceSpec.DEFAULT_IMAGE_RATE + " for images).")
        double fps;

        SourceSpec spec() {
            SourceSpec base = input.spec();
            if (width != 0 || height != 0) {
                base = base.withCaptureSize(width, height);
            }
            return fps != 0 ? base.withFrameRate(fps) : base;
        }
    }

    /** The ways to name an input; {@code --input} tells them apart by itself. */
    static final class Input {

        @Option(names = "--input", paramLabel = "SOURCE",
                description = "Any input: a video file, an image directory or pattern (frames/img_%%04d.png), a "
                        + "camera (/dev/video0), a URL (rtsp://, http://, ...) or lavfi:GRAPH. "
                        + "Without any input: the bundled clip.")
        String any;

        @Option(names = "--camera", paramLabel = "DEVICE", description = "A V4L2 camera: /dev/videoN or N.")
        String camera;

        @Option(names = "--url", paramLabel = "URL",
                description = "A network stream or remote file (RTSP over TCP, 5 s timeouts).")
        String url;

        @Option(names = "--images", paramLabel = "DIR|PATTERN",
                description = "A directory of images (natural name order) or a numbered pattern.")
        Path images;

        @Option(names = "--lavfi", paramLabel = "GRAPH",
                description = "An FFmpeg test source graph, e.g. testsrc2=size=320x240:rate=10 (a camera stand-in).")
        String lavfi;

        SourceSpec spec() {
            if (camera != null) {
                return SourceSpec.camera(camera);
            }
            if (url != null) {
                return SourceSpec.url(url);
            }
            if (images != null) {
                return SourceSpec.images(images);
            }
            if (lavfi != null) {
                return SourceSpec.lavfi(lavfi);
            }
            return SourceSpec.parse(any);
        }
    }

    /**
     * The settings of every stream the options describe, the bundled clip when none is given.
     *
     * @throws IllegalArgumentException for a bad value, naming it
     */
    List<IngestSettings> streamSettings() {
        PreprocessingOptions preprocessing = new PreprocessingOptions(PreprocessingOptions.Whitening.parse(whitening),
                zcaFitFrames, localContrast);
        List<SourceSpec> inputs = streams.isEmpty() ? List.of(SourceSpec.file(BundledClip.path()))
                : streams.stream().map(StreamOptions::spec).toList();
        // A first wait longer than the cap raises the cap: waiting the time asked for is what was meant.
        Duration cap = reconnectMaxDelay.compareTo(reconnectDelay) < 0 ? reconnectDelay : reconnectMaxDelay;
        Backoff reconnect = new Backoff(reconnectDelay, cap, Backoff.DEFAULT.multiplier(), Backoff.DEFAULT.jitter(),
                maxReconnects == null ? Backoff.NO_LIMIT : maxReconnects, reconnectGiveUp);
        List<IngestSettings> settings = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String id = streams.isEmpty() || streams.get(i).streamId == null ? "stream-" + i : streams.get(i).streamId;
            settings.add(new IngestSettings(inputs.get(i), id, Pacing.parse(pacing), loop, maxFrames,
                    previewIntervalMs, preprocessing, liveBuffer, reconnect,
                    maxFrameAge(maxFrameAgeMs)));
        }
        return settings;
    }

    /**
     * The {@code --max-frame-age} given, or AUTO when none was.
     *
     * @throws IllegalArgumentException for a negative age
     */
    static long maxFrameAge(Long ms) {
        if (ms == null) {
            return IngestSettings.AUTO_MAX_FRAME_AGE;
        }
        if (ms < 0) {
            throw new IllegalArgumentException("Invalid --max-frame-age: " + ms + " ms (0 = code every frame)");
        }
        return ms;
    }

    @Override
    public Integer call() throws Exception {
        List<IngestSettings> settings = streamSettings();
        Properties producer = KafkaClients.producerProps(kafka.bootstrapServers);
        producer.setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        // Sources are opened before Kafka is contacted: a bad input fails in seconds, not after a broker timeout.
        MultiStreamIngest ingest = new MultiStreamIngest(configOptions.config(), settings, producer,
                kafka::ensureTopics);
        CountDownLatch finished = new CountDownLatch(1);
        Thread stopOnCtrlC = new Thread(() -> {
            ingest.stop();
            awaitQuietly(finished);
        }, "smt-ingest-stop");
        Runtime.getRuntime().addShutdownHook(stopOnCtrlC);
        try {
            Map<String, IngestSummary> summaries = ingest.call();
            PrintWriter out = spec.commandLine().getOut();
            summaries.forEach((id, summary) -> out.println(id + ": " + summary));
            out.flush();
            return 0;
        } finally {
            finished.countDown();
            removeQuietly(stopOnCtrlC);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeQuietly(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down (Ctrl-C): the hook is running and must stay.
        }
    }
}
