package org.smtstream.deploy;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.smtstream.web.WebOptions;
import org.smtstream.web.WebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code smt view}: the web view of an external cluster's pipeline. */
@Command(name = "view", mixinStandardHelpOptions = true,
        description = "Serves the web view of the pipeline running on an external Kafka cluster until Ctrl-C.")
public final class ViewCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    WebOptionsMixin web;

    @Override
    public Integer call() throws Exception {
        WebOptions options = new WebOptions(web.bind, web.port, web.token);
        CountDownLatch stop = new CountDownLatch(1);
        try (WebServer server = new WebServer(options, KafkaClients.consumerProps(kafka.bootstrapServers))) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("smt-stream web view: open " + server.start() + "   (Ctrl-C to stop)");
            out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "smt-view-stop"));
            stop.await();
        }
        return 0;
    }
}
