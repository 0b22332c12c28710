package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SmtCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = SmtCommand.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        return cmd.execute(args);
    }

    @Test
    void shouldListEverySubcommandInHelp() {
        assertEquals(0, run("--help"));
        for (String sub : new String[] {"demo", "ingest", "process", "view"}) {
            assertTrue(out.toString().contains(sub), "help lacks " + sub + ":\n" + out);
        }
    }

    @Test
    void shouldPrintUsageWhenRunBare() {
        assertEquals(0, run());
        assertTrue(out.toString().startsWith("Usage: smt"), out.toString());
    }

    @Test
    void shouldExplainDemoOptions() {
        assertEquals(0, run("demo", "--help"));
        for (String option : new String[] {"--input", "--preset", "--set", "--port", "--bind", "--token", "--speed"}) {
            assertTrue(out.toString().contains(option), "demo help lacks " + option + ":\n" + out);
        }
    }

    @Test
    void shouldRejectAnUnknownPresetWithOneLine() {
        assertEquals(1, run("demo", "--preset", "slow"));
        assertEquals("smt demo: Unknown preset: 'slow' (expected fast or seed)", err.toString().trim());
    }

    @Test
    void shouldRejectAnUnknownConfigurationKey() {
        assertEquals(1, run("demo", "--set", "lamda=0.1"));
        assertTrue(err.toString().startsWith("smt demo: Unknown configuration key: 'smt.lamda'"), err.toString());
    }

    @Test
    void shouldRejectAMissingVideoBeforeStartingAnything() {
        long start = System.nanoTime();
        assertEquals(1, run("demo", "--input", "/no/such/clip.mp4"));
        assertEquals("smt demo: Cannot open video '/no/such/clip.mp4': no such file", err.toString().trim());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "took more than 10 s");
    }

    @Test
    void shouldRejectANonLoopbackBindWithoutToken() {
        assertEquals(1, run("demo", "--bind", "0.0.0.0"));
        assertTrue(err.toString().contains("without a token"), err.toString());
    }

    @Test
    void shouldRejectUnknownFlagsWithUsage() {
        assertEquals(2, run("demo", "--frobnicate"));
        assertTrue(err.toString().contains("Unknown option: '--frobnicate'"), err.toString());
    }

    @Test
    void shouldRequireBootstrapServersForSplitMode() {
        assertEquals(2, run("process"));
        assertTrue(err.toString().contains("--bootstrap-servers"), err.toString());
    }
}
