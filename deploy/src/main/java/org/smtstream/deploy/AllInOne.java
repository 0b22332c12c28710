package org.smtstream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.ingest.BundledClip;
import org.smtstream.ingest.IngestSettings;
import org.smtstream.ingest.IngestSummary;
import org.smtstream.ingest.MultiStreamIngest;
import org.smtstream.ingest.Pacing;
import org.smtstream.ingest.source.FrameSource;
import org.smtstream.ingest.source.SourceSpec;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.store.FileTrees;
import org.smtstream.processor.streams.ProcessorOptions;
import org.smtstream.processor.streams.SmtProcessor;
import org.smtstream.processor.streams.SmtTopology;
import org.smtstream.web.WebOptions;
import org.smtstream.web.WebServer;

/**
 * The whole pipeline in one JVM: embedded broker, topics, processor, web view and the ingest of one or
 * more streams, started in that order and closed in reverse. Used by {@code smt demo} and the end-to-end tests.
 */
public final class AllInOne implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AllInOne.class);
    static final String APPLICATION_ID = "smt-processor";

    /**
     * One input and the stream id it is published under.
     *
     * @param input    video source (file, image sequence, camera, URL, lavfi graph), or null for the bundled clip
     * @param streamId its stream id in Kafka and in the web view
     */
    public record Stream(SourceSpec input, String streamId) {
    }

    /**
     * What to run.
     *
     * @param streams one or more inputs, each under its own stream id
     * @param speed   replay speed as a multiple of the native frame rate, 0 = as fast as possible
     * @param dataDir where the broker log and processor state live, or null for a temporary directory
     * @param webPort 0 picks a free port
     * @param processing how the processor learns (and from which model it starts)
     * @param maxFrameAgeMs each stream's freshness bound ({@link IngestSettings#maxFrameAgeMs()}; AUTO: live
     *                   sources 1 s, recordings none)
     */
    public record Settings(SmtConfig config, List<Stream> streams, double speed, boolean loop,
                           long maxFrames, Path dataDir, String webHost, int webPort, String webToken,
                           ProcessorOptions processing, long maxFrameAgeMs) {

        public Settings {
            streams = List.copyOf(streams);
            if (streams.isEmpty()) {
                throw new IllegalArgumentException("No input to run");
            }
            Set<String> ids = new HashSet<>();
            for (Stream stream : streams) {
                if (!ids.add(stream.streamId())) {
                    throw new IllegalArgumentException("Duplicate stream id '" + stream.streamId()
                            + "' (each stream needs its own)");
                }
            }
        }

        /** One input ({@code input} null: the bundled clip) under {@code streamId}. */
        public Settings(SmtConfig config, SourceSpec input, String streamId, double speed, boolean loop,
                        long maxFrames, Path dataDir, String webHost, int webPort, String webToken,
                        ProcessorOptions processing) {
            this(config, List.of(new Stream(input, streamId)), speed, loop, maxFrames, dataDir, webHost, webPort,
                    webToken, processing, IngestSettings.AUTO_MAX_FRAME_AGE);
        }
    }

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final ExecutorService ingestThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "smt-ingest"));
    private final List<String> streamIds = new ArrayList<>();
    private String bootstrapServers;
    private WebServer web;
    private MetricsCollector metrics;
    private MultiStreamIngest ingest;
    private Future<Map<String, IngestSummary>> ingestRun;

    private AllInOne() {
    }

    /** Starts every component; if one fails, those already started are closed and the failure rethrown. */
    public static AllInOne start(Settings s) {
        AllInOne pipeline = new AllInOne();
        try {
            pipeline.startAll(s);
            return pipeline;
        } catch (Exception e) {
            pipeline.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
        }
    }

    private void startAll(Settings s) throws Exception {
        Pacing pacing = s.speed() == 0 ? Pacing.UNLIMITED : Pacing.times(s.speed());
        List<IngestSettings> inputs = new ArrayList<>();
        for (Stream stream : s.streams()) {
            IngestSettings settings = IngestSettings.of(
                            stream.input() != null ? stream.input() : SourceSpec.file(BundledClip.path()),
                            stream.streamId())
                    .withPacing(pacing).withLoop(s.loop()).withMaxFrames(s.maxFrames())
                    .withMaxFrameAgeMs(s.maxFrameAgeMs());
            // A source that cannot be opened fails here, before a broker has been started for nothing.
            try (FrameSource probe = settings.input().open(pacing)) {
                LOG.debug("Input {} opens", settings.input().display());
            }
            inputs.add(settings);
            streamIds.add(stream.streamId());
        }
        WebOptions webOptions = new WebOptions(s.webHost(), s.webPort(), s.webToken());
        Path dataDir = s.dataDir() != null ? s.dataDir() : temporaryDirectory();
        boolean temporary = s.dataDir() == null;
        if (temporary) {
            started.push(() -> FileTrees.deleteRecursively(dataDir));
        }

        EmbeddedBroker broker = EmbeddedBroker.start(dataDir.resolve("kafka"), false);
        started.push(broker);
        bootstrapServers = broker.bootstrapServers();
        TopicSetup.ensureTopics(bootstrapServers, 1, (short) 1);

        Properties streamsProps = SmtTopology.streamsConfig(APPLICATION_ID, bootstrapServers,
                dataDir.resolve("streams"), 1);
        SmtProcessor processor = new SmtProcessor(s.config(), s.processing(), streamsProps);
        started.push(processor);
        processor.start();

        web = new WebServer(webOptions, KafkaClients.consumerProps(bootstrapServers));
        started.push(web);
        web.start();

        metrics = MetricsCollector.start(bootstrapServers);
        started.push(metrics);

        ingest = new MultiStreamIngest(s.config(), inputs, KafkaClients.producerProps(bootstrapServers), () -> { });
        started.push(ingestThread::shutdownNow);
        started.push(ingest::stop);
        ingestRun = ingestThread.submit(ingest);
        LOG.info("Pipeline running: {} -> Kafka {} -> processor ({} preset) -> {}",
                inputs.stream().map(i -> i.streamId() + "=" + i.input().display()).toList(), bootstrapServers,
                s.config().name(), web.url());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String webUrl() {
        return web.url();
    }

    public MetricsCollector metrics() {
        return metrics;
    }

    /**
     * Waits for every stream's ingest to end (end of video, frame limit or {@link #stopIngest()}).
     *
     * @return each stream's summary by stream id, in the order the streams were given
     */
    public Map<String, IngestSummary> awaitStreams() throws InterruptedException {
        try {
            return ingestRun.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** {@link #awaitStreams()} of a pipeline with one input: that input's summary. */
    public IngestSummary awaitIngest() throws InterruptedException {
        if (streamIds.size() != 1) {
            throw new IllegalStateException("This pipeline has " + streamIds.size() + " streams: use awaitStreams()");
        }
        return awaitStreams().get(streamIds.get(0));
    }

    /** Asks the ingest job to end after the frame it is publishing. Safe from any thread. */
    public void stopIngest() {
        if (ingest != null) {
            ingest.stop();
        }
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable component = started.pop();
            try {
                component.close();
            } catch (Exception e) {
                LOG.warn("Error while shutting down {}: {}", component, e.getMessage());
            }
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("smt-demo-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary data directory", e);
        }
    }
}
