package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad arguments of {@code smt train|evaluate|bench} give one clear line and exit code 1 or 2, before any work. */
class OfflineCommandsTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = SmtCommand.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        return cmd.execute(args);
    }

    @Test
    void shouldRejectATrainFractionOutsideTheUnitInterval() {
        assertEquals(1, run("evaluate", "--input", "clip.mp4", "--out", dir.toString(), "--train-fraction", "1.5"));
        assertTrue(err.toString().contains("Invalid --train-fraction: 1.5"), err.toString());
    }

    @Test
    void shouldRejectAThirdLayer() {
        assertEquals(1, run("evaluate", "--input", "clip.mp4", "--out", dir.toString(), "--layers", "3"));
        assertTrue(err.toString().contains("Invalid --layers: 3"), err.toString());
    }

    @Test
    void shouldRequireAnInputAndAnOutputDirectory() {
        assertEquals(2, run("evaluate", "--out", dir.toString()));
        assertTrue(err.toString().contains("--input"), err.toString());
        assertEquals(2, run("train"));
    }

    @Test
    void shouldRejectTooFewBenchFrames() {
        assertEquals(1, run("bench", "--frames", "0", "--out", dir.toString()));
        assertTrue(err.toString().contains("--frames >= 1"), err.toString());
    }

    @Test
    void shouldListTheOfflineCommands() {
        assertEquals(0, run("--help"));
        for (String command : new String[] {"train", "evaluate", "bench"}) {
            assertTrue(out.toString().contains(command), command + " in\n" + out);
        }
    }
}
