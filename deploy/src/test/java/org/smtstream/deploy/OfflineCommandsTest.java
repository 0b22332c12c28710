package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad arguments of {@code smt train|evaluate|bench} give one clear line and exit code 1 or 2, before any work. */
class OfflineCommandsTest {

    @TempDir
    Path dir;

    private final CapturedCommand smt = new CapturedCommand();

    private int run(String... args) {
        return smt.run(args);
    }

    @Test
    void shouldRejectATrainFractionOutsideTheUnitInterval() {
        assertEquals(1, run("evaluate", "--input", "clip.mp4", "--out", dir.toString(), "--train-fraction", "1.5"));
        assertTrue(smt.err().contains("Invalid --train-fraction: 1.5"), smt.err());
    }

    @Test
    void shouldRejectAThirdLayer() {
        assertEquals(1, run("evaluate", "--input", "clip.mp4", "--out", dir.toString(), "--layers", "3"));
        assertTrue(smt.err().contains("Invalid --layers: 3"), smt.err());
    }

    @Test
    void shouldRequireAnInputAndAnOutputDirectory() {
        assertEquals(2, run("evaluate", "--out", dir.toString()));
        assertTrue(smt.err().contains("--input"), smt.err());
        assertEquals(2, run("train"));
    }

    @Test
    void shouldRejectTooFewBenchFrames() {
        assertEquals(1, run("bench", "--frames", "0", "--out", dir.toString()));
        assertTrue(smt.err().contains("--frames >= 1"), smt.err());
    }

    @Test
    void shouldRejectTooFewTrainingFramesForAnEmbeddingBeforeReadingTheClip() {
        assertEquals(1, run("bench", "--preset", "fast", "--train-frames", "20", "--out", dir.toString()));
        assertTrue(smt.err().contains("--train-frames 20 leaves the fast model without an embedding"), smt.err());
    }

    @Test
    void shouldListTheOfflineCommands() {
        assertEquals(0, run("--help"));
        for (String command : new String[] {"train", "evaluate", "bench"}) {
            assertTrue(smt.out().contains(command), command + " in\n" + smt.out());
        }
    }
}
