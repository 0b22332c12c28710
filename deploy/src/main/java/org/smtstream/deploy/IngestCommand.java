package org.smtstream.deploy;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.smtstream.ingest.BundledClip;
import org.smtstream.ingest.IngestJob;
import org.smtstream.ingest.IngestSettings;
import org.smtstream.ingest.IngestSummary;
import org.smtstream.ingest.Pacing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code smt ingest}: publish one video's patches to an external Kafka cluster. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Decodes a video, whitens and patches its frames and publishes them to smt.patches "
                + "on an external Kafka cluster. Ends at the end of the video unless --loop is given.")
public final class IngestCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--input", paramLabel = "VIDEO",
            description = "Video file (anything FFmpeg decodes). Default: the bundled clip.")
    Path input;

    @Option(names = "--stream-id", defaultValue = "stream-0", paramLabel = "ID",
            description = "Stream id (the Kafka key). Default: ${DEFAULT-VALUE}.")
    String streamId;

    @Option(names = "--pacing", defaultValue = "native", paramLabel = "native|max|Nx",
            description = "Replay at the video's frame rate, as fast as possible, or at a multiple of it "
                    + "(e.g. 2x). Default: ${DEFAULT-VALUE}.")
    String pacing;

    @Option(names = "--loop", description = "Replay the video again at its end.")
    boolean loop;

    @Option(names = "--max-frames", defaultValue = "0", paramLabel = "N",
            description = "Stop after N frames (0 = no limit).")
    long maxFrames;

    @Override
    public Integer call() throws Exception {
        IngestSettings settings = new IngestSettings(input != null ? input : BundledClip.path(), streamId,
                Pacing.parse(pacing), loop, maxFrames, IngestSettings.DEFAULT_PREVIEW_INTERVAL_MS);
        IngestJob job = new IngestJob(configOptions.config(), settings,
                KafkaClients.producerProps(kafka.bootstrapServers));
        kafka.ensureTopics();
        Runtime.getRuntime().addShutdownHook(new Thread(job::stop, "smt-ingest-stop"));
        IngestSummary summary = job.call();
        System.out.println(summary);
        return 0;
    }
}
