package org.smtstream.deploy;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.smtstream.processor.streams.SmtProcessor;
import org.smtstream.processor.streams.SmtTopology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code smt process}: run the Kafka Streams processor against an external cluster. */
@Command(name = "process", mixinStandardHelpOptions = true,
        description = "Runs the SMT processor (manifold-regularized sparse coding, embeddings, and the online "
                + "learner that publishes model versions) on smt.patches of an external Kafka cluster until "
                + "Ctrl-C. Start several with the same --application-id to share the partitions.")
public final class ProcessCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    LearningOptions learning;

    @Option(names = "--application-id", defaultValue = AllInOne.APPLICATION_ID, paramLabel = "ID",
            description = "Kafka Streams application id (the consumer group). Default: ${DEFAULT-VALUE}.")
    String applicationId;

    @Option(names = "--state-dir", defaultValue = "smt-data/streams", paramLabel = "DIR",
            description = "Local state of the processor. Default: ${DEFAULT-VALUE}.")
    Path stateDir;

    @Option(names = "--streams-config", paramLabel = "KEY=VALUE",
            description = "A Kafka Streams or client setting on top of the processor's own (repeatable), e.g. "
                    + "main.consumer.session.timeout.ms=10000 to hand a crashed instance's partitions over sooner.")
    Map<String, String> streamsOverrides = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        var config = configOptions.config();
        Properties streamsConfig = SmtTopology.streamsConfig(applicationId, kafka.bootstrapServers, stateDir,
                kafka.replicationFactor);
        streamsConfig.putAll(streamsOverrides);
        kafka.ensureTopics();
        try (SmtProcessor processor = new SmtProcessor(config, learning.processorOptions(config), streamsConfig)) {
            Runtime.getRuntime().addShutdownHook(new Thread(processor::close, "smt-process-stop"));
            processor.start();
            PrintWriter out = spec.commandLine().getOut();
            out.println("smt-stream processor running against " + kafka.bootstrapServers + " (Ctrl-C to stop)");
            out.flush();
            out.println("Processor stopped in state " + processor.termination().get());
            out.flush();
        }
        return 0;
    }
}
