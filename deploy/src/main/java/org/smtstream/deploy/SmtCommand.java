package org.smtstream.deploy;

import java.io.PrintWriter;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code smt} command: the entry point of every way to run smt-stream. */
@Command(name = "smt", mixinStandardHelpOptions = true, versionProvider = SmtCommand.Version.class,
        description = "smt-stream: learns the Sparse Manifold Transform online from live or recorded video, "
                + "streamed through Kafka.",
        subcommands = {DemoCommand.class, IngestCommand.class, ProcessCommand.class, ViewCommand.class,
            ModelCommand.class, TopicsCommand.class, ConfigCommand.class, TrainCommand.class, EvaluateCommand.class,
            BenchCommand.class, PatchesCommand.class, CommandLine.HelpCommand.class})
public final class SmtCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call it with their own writers. */
    public static CommandLine commandLine() {
        return new CommandLine(new SmtCommand())
                .setExecutionExceptionHandler(SmtCommand::reportFailure);
    }

    /** A failure is one clear line, not a stack trace; the trace goes to the log at debug level. */
    private static int reportFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        err.println(cmd.getColorScheme().errorText(cmd.getCommandSpec().qualifiedName() + ": " + describe(e)));
        org.slf4j.LoggerFactory.getLogger(SmtCommand.class).debug("Command failed", e);
        return 1;
    }

    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof ExecutionException)) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    /** Reads the version Maven wrote into the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SmtCommand.class.getPackage().getImplementationVersion();
            return new String[] {"smt-stream " + (v != null ? v : "(development build)")};
        }
    }
}
