package org.smtstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

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
    }
}
