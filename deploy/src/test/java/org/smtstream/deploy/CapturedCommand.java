package org.smtstream.deploy;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The {@code smt} command line run in-process, with what it prints on stdout and stderr kept. */
final class CapturedCommand {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs {@code smt args}; returns the exit code. */
    int run(String... args) {
        CommandLine cmd = SmtCommand.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        return cmd.execute(args);
    }

    /** Everything printed on stdout so far. */
    String out() {
        return out.toString();
    }

    /** Everything printed on stderr so far. */
    String err() {
        return err.toString();
    }

    /** Forgets what was printed on stderr, so the next run's message stands alone. */
    void clearErr() {
        err.getBuffer().setLength(0);
    }
}
