package org.smtstream.deploy;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.smtstream.ingest.IngestSummary;
import org.smtstream.ingest.source.SourceSpec;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.wire.FrameMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code smt demo}: the whole pipeline in one JVM on an embedded broker. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "Runs everything in this JVM: an embedded Kafka broker, ingest of a video, the SMT processor "
                    + "(online sparse coding and dictionary learning) and the web view.",
            "Without --input it replays the bundled clip (a recorded walk) in a loop at its native frame rate.",
            "Ctrl-C stops everything cleanly."})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    WebOptionsMixin web;

    @Mixin
    LearningOptions learning;

    /** The {@code --input} word for the clip bundled with the project. */
    static final String BUNDLED = "bundled";
    /**
     * Once a live stream's frames were skipped as stale, the drain also ends after this long without
     * output: frames skipped after the last one coded are never reported.
     */
    private static final Duration DRAIN_QUIET = Duration.ofSeconds(5);

    @Option(names = "--input", paramLabel = "SOURCE",
            description = "What to watch: a video file (anything FFmpeg decodes), an image directory or numbered "
                    + "pattern (img_%%04d.png), a camera (/dev/video0), a stream URL (rtsp://, http://), an "
                    + "FFmpeg test source (lavfi:testsrc2=size=320x240:rate=10) or '" + BUNDLED + "' (the bundled "
                    + "clip). Repeat it to watch several streams at once. Default: the bundled clip.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--stream-id", paramLabel = "ID",
            description = "Stream id of each --input in Kafka and in the web view, in the same order. "
                    + "Default: demo, or demo-1, demo-2, ... for several inputs.")
    List<String> streamIds = new ArrayList<>();

    @Option(names = "--speed", defaultValue = "1.0", paramLabel = "FACTOR",
            description = "Replay speed as a multiple of the video's frame rate; 0 = as fast as possible. "
                    + "Default: ${DEFAULT-VALUE}.")
    double speed;

    @Option(names = "--no-loop", description = "Stop at the end of the video instead of replaying it again.")
    boolean noLoop;

    @Option(names = "--max-frames", defaultValue = "0", paramLabel = "N",
            description = "Stop after N frames (0 = no limit).")
    long maxFrames;

    @Option(names = "--max-frame-age", paramLabel = "MS", description = IngestCommand.MAX_FRAME_AGE_HELP)
    Long maxFrameAgeMs;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the broker's log and the processor's state here (default: a temporary "
                    + "directory deleted on exit).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        SmtConfig config = configOptions.config();
        if (speed < 0 || !Double.isFinite(speed)) {
            throw new IllegalArgumentException("Invalid --speed: " + speed + " (must be >= 0)");
        }
        AllInOne.Settings settings = new AllInOne.Settings(config, streams(inputs, streamIds), speed, !noLoop,
                maxFrames, dataDir, web.bind, web.port, web.token, learning.processorOptions(config),
                IngestCommand.maxFrameAge(maxFrameAgeMs));
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        try (AllInOne pipeline = AllInOne.start(settings)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                interrupted.set(true);
                pipeline.stopIngest();
                awaitQuietly(stopped);
            }, "smt-shutdown"));
            PrintWriter out = spec.commandLine().getOut();
            out.println("smt-stream demo running: open " + pipeline.webUrl() + "   (Ctrl-C to stop)");
            out.flush();
            Map<String, IngestSummary> ingest = pipeline.awaitStreams();
            ingest.forEach((id, summary) -> out.println("Ingest " + id + ": " + summary));
            out.flush();
            long published = ingest.values().stream().mapToLong(IngestSummary::framesPublished).sum();
            // At the end of a video, let the processor finish its backlog; on Ctrl-C, do not linger.
            Duration drain = interrupted.get() ? Duration.ofSeconds(3) : Duration.ofMinutes(2);
            pipeline.metrics().awaitAccountedFor(published, drain, DRAIN_QUIET);
            List<FrameMetrics> processed = pipeline.metrics().received();
            out.println("Processor: " + MetricsCollector.snrSummary(processed, 50) + "; "
                    + MetricsCollector.rateSummary(processed));
            out.flush();
        } finally {
            stopped.countDown();
        }
        return 0;
    }

    /**
     * Pairs each input with its stream id: the bundled clip as "demo" without inputs; ids given for
     * every input or for none (then demo, or demo-1, demo-2, ... for several inputs).
     */
    static List<AllInOne.Stream> streams(List<String> inputs, List<String> ids) {
        List<String> sources = inputs.isEmpty() ? List.of(BUNDLED) : inputs;
        if (!ids.isEmpty() && ids.size() != sources.size()) {
            throw new IllegalArgumentException("Got " + ids.size() + " --stream-id for " + sources.size()
                    + " --input: give one per input, or none");
        }
        List<AllInOne.Stream> streams = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            String id = !ids.isEmpty() ? ids.get(i) : sources.size() == 1 ? "demo" : "demo-" + (i + 1);
            String source = sources.get(i);
            streams.add(new AllInOne.Stream(BUNDLED.equals(source) ? null : SourceSpec.parse(source), id));
        }
        return streams;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
