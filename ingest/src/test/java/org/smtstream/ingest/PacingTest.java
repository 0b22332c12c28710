package org.smtstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.smtstream.ingest.preprocess.PreprocessingOptions;
import org.smtstream.ingest.source.SourceSpec;

class PacingTest {

    @Test
    void shouldParseNamesAndMultipliers() {
        assertEquals(Pacing.NATIVE, Pacing.parse("native"));
        assertTrue(Pacing.parse("MAX").unlimited(), "max");
        assertTrue(Pacing.parse("unlimited").unlimited(), "unlimited");
        assertEquals(2.0, Pacing.parse("2x").speed(), 0.0, "2x");
        assertEquals(0.5, Pacing.parse(" 0.5 ").speed(), 0.0, "0.5");
    }

    @Test
    void shouldRejectUnknownOrNonPositivePacing() {
        assertEquals("Invalid pacing: 'fast' (expected native, max or a positive speed multiplier such as 2x)",
                assertThrows(IllegalArgumentException.class, () -> Pacing.parse("fast")).getMessage());
        assertEquals("Invalid pacing: '0x' (expected native, max or a positive speed multiplier such as 2x)",
                assertThrows(IllegalArgumentException.class, () -> Pacing.parse("0x")).getMessage());
        assertEquals("Invalid pacing speed: NaN (must be > 0)",
                assertThrows(IllegalArgumentException.class, () -> Pacing.times(Double.NaN)).getMessage());
    }

    @Test
    void shouldRejectInvalidSettings() {
        Path clip = Path.of("clip.mp4");
        assertEquals("Invalid stream id: ' ' (must not be blank)",
                assertThrows(IllegalArgumentException.class, () -> IngestSettings.of(clip, " ")).getMessage());
        assertEquals("Invalid max frames: -1 (0 = no limit)", assertThrows(IllegalArgumentException.class,
                () -> IngestSettings.of(clip, "cam").withMaxFrames(-1)).getMessage());
        assertEquals("Invalid preview interval: -5 ms (0 = every frame)", assertThrows(IllegalArgumentException.class,
                () -> IngestSettings.of(clip, "cam").withPreviewIntervalMs(-5)).getMessage());
        assertEquals("Invalid live buffer: 0 frames (must be >= 1)", assertThrows(IllegalArgumentException.class,
                () -> IngestSettings.of(clip, "cam").withLiveBufferFrames(0)).getMessage());
        assertEquals("Invalid whitening: 'pca' (expected fourier or zca)", assertThrows(IllegalArgumentException.class,
                () -> PreprocessingOptions.Whitening.parse("pca")).getMessage());
    }

    @Test
    void shouldKeepFileAccessorForFileInputsOnly() {
        assertEquals(Path.of("clip.mp4"), IngestSettings.of(Path.of("clip.mp4"), "cam").source());
        IngestSettings camera = IngestSettings.of(SourceSpec.camera("/dev/video0"), "cam");
        assertEquals("The input is not a video file: camera /dev/video0",
                assertThrows(IllegalStateException.class, camera::source).getMessage());
    }
}
