package org.smtstream.processor.streams;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.model.SmtConfig;
import org.smtstream.processor.layer.FrameInference;
import org.smtstream.processor.math.linalg.Nd4jRuntime;

/**
 * Runs the SMT topology: owns the {@link KafkaStreams} client, warms up ND4J before starting it
 * (the first native call takes seconds, which inside an open transaction risks a fenced producer,
 * ARCHITECTURE.md, trap T12), shuts the client down on an uncaught exception and reports ERROR loudly.
 *
 * <pre>
 *   SmtProcessor processor = new SmtProcessor(config, ProcessorOptions.defaults(),
 *           SmtTopology.streamsConfig("smt-processor", "localhost:9092", stateDir, 1));
 *   processor.start();
 *   Runtime.getRuntime().addShutdownHook(new Thread(processor::close));
 *   processor.termination().join();     // ERROR or NOT_RUNNING
 * </pre>
 */
public final class SmtProcessor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SmtProcessor.class);
    /** Long enough for a clean EOS close (commit, flush) so the next start resumes without a restore. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final SmtConfig config;
    private final KafkaStreams streams;
    private final ModelRegistry registry = new ModelRegistry();
    private final CompletableFuture<KafkaStreams.State> termination = new CompletableFuture<>();

    /**
     * @param config           the model configuration
     * @param options          how the processor runs
     * @param streamsProperties Streams settings, normally from {@link SmtTopology#streamsConfig}
     */
    public SmtProcessor(SmtConfig config, ProcessorOptions options, Properties streamsProperties) {
        this.config = config;
        this.streams = new KafkaStreams(SmtTopology.build(config, options, registry), streamsProperties);
        streams.setStateListener((newState, oldState) -> {
            if (newState == KafkaStreams.State.ERROR) {
                LOG.error("SMT processor stopped with an error (state {} -> ERROR); see the exception logged above",
                        oldState);
                termination.complete(newState);
            } else {
                LOG.info("SMT processor state {} -> {}", oldState, newState);
                if (newState == KafkaStreams.State.NOT_RUNNING) {
                    termination.complete(newState);
                }
            }
        });
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("Uncaught exception in a stream thread; shutting the SMT processor down", exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    /** Warms up ND4J at the configured size, then starts the Streams client. */
    public void start() {
        Nd4jRuntime.shareCores(SmtTopology.STREAM_THREADS);
        FrameInference.warmUp(config.patchDim(), config.dictionarySize(), config.patchesPerFrame());
        streams.start();
    }

    /** Completes with ERROR or NOT_RUNNING once the client has stopped. */
    public CompletableFuture<KafkaStreams.State> termination() {
        return termination;
    }

    /** The newest model version this instance follows. */
    public ModelRegistry models() {
        return registry;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The client, for metrics binding and queries; do not start or close it directly. */
    public KafkaStreams kafkaStreams() {
        return streams;
    }

    /**
     * Closes the client, waiting up to {@code timeout} for a clean shutdown.
     *
     * @return true when it shut down within the timeout
     */
    public boolean close(Duration timeout) {
        boolean clean = streams.close(CloseOptions.timeout(timeout));
        if (!clean) {
            LOG.warn("SMT processor did not close within {}; the next start may restore state from the changelog",
                    timeout);
        }
        return clean;
    }

    /** {@link #close(Duration)} with {@link #DEFAULT_CLOSE_TIMEOUT}. */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT);
    }
}
