package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.ingest.IngestSettings;
import org.smtstream.ingest.preprocess.PreprocessingOptions;
import org.smtstream.ingest.source.Backoff;
import org.smtstream.ingest.source.SourceSpec;
import picocli.CommandLine;

class IngestCommandTest {

    /** "A few seconds" for a bad input to be reported; a refused loopback port fails in milliseconds. */
    private static final long FEW_SECONDS_NANOS = 5_000_000_000L;
    /** Nothing listens here; a bad input must be reported before Kafka would be asked anything. */
    private static final String NO_KAFKA = "127.0.0.1:1";

    @TempDir
    Path dir;

    private final CapturedCommand smt = new CapturedCommand();

    private int run(String... args) {
        return smt.run(args);
    }

    /** Runs {@code smt ingest -b NO_KAFKA args}, expects exit 1 within a few seconds; returns the error. */
    private String failure(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "ingest";
        all[1] = "-b";
        all[2] = NO_KAFKA;
        System.arraycopy(args, 0, all, 3, args.length);
        long start = System.nanoTime();
        int exit = run(all);
        long took = System.nanoTime() - start;
        String message = smt.err().trim();
        assertEquals(1, exit, "exit code; stderr: " + message);
        assertTrue(took < FEW_SECONDS_NANOS, "took " + took / 1e6 + " ms: " + message);
        assertFalse(message.contains("\n"), "one line, not a stack trace: " + message);
        smt.clearErr();
        return message;
    }

    private static List<IngestSettings> parse(String... args) {
        IngestCommand command = new IngestCommand();
        new CommandLine(command).parseArgs(args);
        return command.streamSettings();
    }

    @Test
    void shouldExplainEveryKindOfInputInHelp() {
        assertEquals(0, run("ingest", "--help"));
        for (String option : new String[] {"--input", "--camera", "--url", "--images", "--lavfi", "--stream-id",
            "--width", "--height", "--fps", "--pacing", "--loop", "--whitening", "--local-contrast", "--live-buffer",
            "--compression", "--reconnect-delay", "--reconnect-max-delay", "--max-reconnects", "--reconnect-give-up",
            "frames/img_%04d.png"}) {
            assertTrue(smt.out().contains(option), "ingest help lacks " + option + ":\n" + smt.out());
        }
    }

    @Test
    void shouldPairEachInputWithTheStreamIdAndCaptureOptionsAfterIt() {
        List<IngestSettings> streams = parse("-b", NO_KAFKA,
                "--camera", "/dev/video0", "--width", "640", "--height", "480", "--fps", "30", "--stream-id", "door",
                "--lavfi", "testsrc2=size=320x240:rate=10", "--stream-id", "synthetic",
                "--input", "rtsp://cam.local/live",
                "--images", "frames/img_%04d.png", "--fps", "25", "--stream-id", "stills",
                "--whitening", "zca", "--local-contrast");

        assertEquals(List.of("door", "synthetic", "stream-2", "stills"),
                streams.stream().map(IngestSettings::streamId).toList(), "stream ids");
        assertEquals(SourceSpec.camera("/dev/video0").withCaptureSize(640, 480).withFrameRate(30),
                streams.get(0).input());
        assertEquals(SourceSpec.lavfi("testsrc2=size=320x240:rate=10"), streams.get(1).input());
        assertEquals(SourceSpec.url("rtsp://cam.local/live"), streams.get(2).input());
        assertEquals(SourceSpec.images(Path.of("frames/img_%04d.png")).withFrameRate(25), streams.get(3).input());
        for (IngestSettings s : streams) {
            assertEquals(PreprocessingOptions.Whitening.ZCA, s.preprocessing().whitening(), "whitening");
            assertTrue(s.preprocessing().localContrast(), "local contrast");
        }
    }

    @Test
    void shouldReplayBundledClipWithoutInput() {
        List<IngestSettings> streams = parse("-b", NO_KAFKA);
        assertEquals(1, streams.size(), "streams");
        assertEquals(SourceSpec.Kind.FILE, streams.get(0).input().kind(), "input kind");
        assertEquals("stream-0", streams.get(0).streamId(), "default stream id");
    }

    @Test
    void shouldReportEachBadInputInOneLineBeforeContactingKafka() throws Exception {
        assertEquals("smt ingest: Cannot open video '/no/such/clip.mp4': no such file",
                failure("--input", "/no/such/clip.mp4"));
        Path text = Files.writeString(dir.resolve("notes.mp4"), "not a video\n".repeat(100));
        assertEquals("smt ingest: Cannot open video '" + text + "': not a video FFmpeg can read",
                failure("--input", text.toString()));
        assertEquals("smt ingest: Cannot open camera '/dev/video9': no such device",
                failure("--camera", "/dev/video9"));
        assertEquals("smt ingest: Cannot open stream 'rtsp://127.0.0.1:1/none': Connection refused",
                failure("--url", "rtsp://127.0.0.1:1/none"));
        // A good input before a bad one: nothing runs.
        assertEquals("smt ingest: Cannot open camera '/dev/video9': no such device",
                failure("--lavfi", "testsrc2", "--stream-id", "ok", "--input", "/dev/video9"));
    }

    @Test
    void shouldRejectBadOptionsInOneLine() {
        assertEquals("smt ingest: A capture size applies to cameras only, not to file 'walk.mp4'",
                failure("--input", "walk.mp4", "--width", "640", "--height", "480"));
        assertEquals("smt ingest: Duplicate stream id 'cam' (each stream needs its own)",
                failure("--lavfi", "testsrc2", "--stream-id", "cam", "--lavfi", "mandelbrot", "--stream-id", "cam"));
        assertEquals("smt ingest: Invalid whitening: 'pca' (expected fourier or zca)", failure("--whitening", "pca"));
        assertEquals("smt ingest: ZCA whitening needs non-overlapping patches, but the stride 8 is smaller than the "
                        + "patch size 16 (use Fourier whitening, or stride >= patch size)",
                failure("--whitening", "zca", "--set", "stride=8"));
    }

    @Test
    void shouldReconnectForeverByDefault() {
        assertEquals(Backoff.DEFAULT, parse("-b", NO_KAFKA, "--url", "rtsp://cam.local/live").get(0).reconnect());
    }

    @Test
    void shouldApplyReconnectOptionsToEveryStream() {
        List<IngestSettings> streams = parse("-b", NO_KAFKA, "--url", "rtsp://cam.local/live", "--camera", "0",
                "--reconnect-delay", "250ms", "--reconnect-max-delay", "1.5m", "--max-reconnects", "7",
                "--reconnect-give-up", "2h");
        Backoff expected = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(90), Backoff.DEFAULT.multiplier(),
                Backoff.DEFAULT.jitter(), 7, Duration.ofHours(2));
        assertEquals(List.of(expected, expected), streams.stream().map(IngestSettings::reconnect).toList());
        assertEquals(Duration.ofMinutes(1), parse("-b", NO_KAFKA, "--reconnect-delay", "1m").get(0).reconnect().max(),
                "a first wait above the default cap raises the cap");
        assertEquals(0, parse("-b", NO_KAFKA, "--max-reconnects", "0").get(0).reconnect().maxAttempts(), "0 attempts");
    }

    @Test
    void shouldRejectBadReconnectTimes() {
        assertEquals(2, run("ingest", "-b", NO_KAFKA, "--reconnect-give-up", "5 minutes"));
        assertTrue(smt.err().contains("'5 minutes' is not a time (e.g. 500ms, 30s, 5m, 1h)"), smt.err());
        smt.clearErr();
        assertEquals("smt ingest: Invalid maximum reconnects: -1 (must be >= 0)", failure("--max-reconnects", "-1"));
    }

    @Test
    void shouldLetSourcesChooseTheirFreshnessBoundUnlessGiven() {
        IngestSettings auto = parse("-b", NO_KAFKA, "--url", "rtsp://cam.local/live").get(0);
        assertEquals(IngestSettings.DEFAULT_LIVE_MAX_FRAME_AGE_MS, auto.maxFrameAgeMs(true), "live: 1 s");
        assertEquals(0, auto.maxFrameAgeMs(false), "a recording: every frame");
        List<IngestSettings> given = parse("-b", NO_KAFKA, "--url", "rtsp://a/live", "--input", "walk.mp4",
                "--max-frame-age", "400");
        assertEquals(List.of(400L, 400L), given.stream().map(s -> s.maxFrameAgeMs(true)).toList());
        assertEquals(0, parse("-b", NO_KAFKA, "--max-frame-age", "0").get(0).maxFrameAgeMs(true), "0: never skip");
        assertEquals("smt ingest: Invalid --max-frame-age: -5 ms (0 = code every frame)",
                failure("--max-frame-age", "-5"));
    }

    @Test
    void shouldRequireAnInputForStreamOptions() {
        assertEquals(2, run("ingest", "-b", NO_KAFKA, "--stream-id", "lonely"));
        assertTrue(smt.err().contains("Missing required argument"), smt.err());
    }
}
