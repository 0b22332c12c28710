package org.smtstream.deploy;

import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;
import org.smtstream.model.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code smt topics}: the pipeline's topics on an external cluster. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Manages the pipeline's topics on an external Kafka cluster.",
        subcommands = TopicsCommand.Create.class)
public final class TopicsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code smt topics create}: creates what is missing, leaves existing topics as they are. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Creates the pipeline's topics that do not exist yet: smt.patches and the output topics "
                    + "with --partitions partitions (the most processor instances that can share the work), "
                    + "smt.learning and smt.model with one (one learner; model versions in order), smt.model "
                    + "compacted. Existing topics are not changed.",
                "smt ingest and smt process do the same on start; run this first to choose the layout."})
    static final class Create implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        KafkaOptions kafka;

        @Override
        public Integer call() {
            Set<String> created = kafka.ensureTopics();
            PrintWriter out = spec.commandLine().getOut();
            for (String topic : Topics.ALL) {
                out.println(topic + (created.contains(topic) ? ": created" : ": exists, left as it is"));
            }
            out.flush();
            return 0;
        }
    }
}
