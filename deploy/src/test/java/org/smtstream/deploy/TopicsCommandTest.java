package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Argument checks of {@code smt topics create}; creation itself is exercised by ClusterFaultsIT. */
class TopicsCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = SmtCommand.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        return cmd.execute(args);
    }

    @Test
    void shouldRejectAZeroReplicationFactorBeforeContactingKafka() {
        assertEquals(1, run("topics", "create", "-b", "127.0.0.1:1", "--replication-factor", "0"));
        assertEquals("smt topics create: Invalid --replication-factor: 0 (must be >= 1, or -1 for the broker's default)",
                err.toString().trim());
    }

    @Test
    void shouldRejectZeroPartitions() {
        assertEquals(1, run("topics", "create", "-b", "127.0.0.1:1", "--partitions", "0"));
        assertEquals("smt topics create: Invalid --partitions: 0 (must be >= 1)", err.toString().trim());
    }

    @Test
    void shouldListTopicsAndConfigInTheRootHelp() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("topics") && out.toString().contains("config"), out.toString());
    }
}
