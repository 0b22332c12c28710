package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.smtstream.ingest.source.SourceSpec;

class SmtCommandTest {

    private final CapturedCommand smt = new CapturedCommand();

    private int run(String... args) {
        return smt.run(args);
    }

    @Test
    void shouldListEverySubcommandInHelp() {
        assertEquals(0, run("--help"));
        for (String sub : new String[] {"demo", "ingest", "process", "view"}) {
            assertTrue(smt.out().contains(sub), "help lacks " + sub + ":\n" + smt.out());
        }
    }

    @Test
    void shouldPrintUsageWhenRunBare() {
        assertEquals(0, run());
        assertTrue(smt.out().startsWith("Usage: smt"), smt.out());
    }

    @Test
    void shouldExplainDemoOptions() {
        assertEquals(0, run("demo", "--help"));
        for (String option : new String[] {"--input", "--preset", "--set", "--port", "--bind", "--token", "--speed"}) {
            assertTrue(smt.out().contains(option), "demo help lacks " + option + ":\n" + smt.out());
        }
    }

    @Test
    void shouldRejectAnUnknownPresetWithOneLine() {
        assertEquals(1, run("demo", "--preset", "slow"));
        assertEquals("smt demo: Unknown preset: 'slow' (expected fast or seed)", smt.err().trim());
    }

    @Test
    void shouldRejectAnUnknownConfigurationKey() {
        assertEquals(1, run("demo", "--set", "lamda=0.1"));
        assertTrue(smt.err().startsWith("smt demo: Unknown configuration key: 'smt.lamda'"), smt.err());
    }

    @Test
    void shouldRejectAMissingVideoBeforeStartingAnything() {
        long start = System.nanoTime();
        assertEquals(1, run("demo", "--input", "/no/such/clip.mp4"));
        assertEquals("smt demo: Cannot open video '/no/such/clip.mp4': no such file", smt.err().trim());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "took more than 10 s");
    }

    @Test
    void shouldRejectAMismatchOfInputsAndStreamIdsBeforeStartingAnything() {
        assertEquals(1, run("demo", "--input", "bundled", "--input", "bundled", "--stream-id", "door"));
        assertEquals("smt demo: Got 1 --stream-id for 2 --input: give one per input, or none", smt.err().trim());
    }

    @Test
    void shouldRejectTwoStreamsUnderOneIdBeforeStartingAnything() {
        assertEquals(1, run("demo", "--input", "bundled", "--input", "bundled", "--stream-id", "a",
                "--stream-id", "a"));
        assertEquals("smt demo: Duplicate stream id 'a' (each stream needs its own)", smt.err().trim());
    }

    @Test
    void shouldNameSeveralDemoStreamsInInputOrder() {
        List<AllInOne.Stream> streams = DemoCommand.streams(List.of("bundled", "lavfi:testsrc2"), List.of());
        assertEquals(List.of("demo-1", "demo-2"), streams.stream().map(AllInOne.Stream::streamId).toList());
        assertNull(streams.get(0).input(), "the bundled clip");
        assertEquals(SourceSpec.lavfi("testsrc2"), streams.get(1).input());
        assertEquals(List.of(new AllInOne.Stream(null, "demo")), DemoCommand.streams(List.of(), List.of()));
    }

    @Test
    void shouldRejectANonLoopbackBindWithoutToken() {
        assertEquals(1, run("demo", "--bind", "0.0.0.0"));
        assertTrue(smt.err().contains("without a token"), smt.err());
    }

    @Test
    void shouldRejectUnknownFlagsWithUsage() {
        assertEquals(2, run("demo", "--frobnicate"));
        assertTrue(smt.err().contains("Unknown option: '--frobnicate'"), smt.err());
    }

    @Test
    void shouldRequireBootstrapServersForSplitMode() {
        assertEquals(2, run("process"));
        assertTrue(smt.err().contains("--bootstrap-servers"), smt.err());
    }
}
