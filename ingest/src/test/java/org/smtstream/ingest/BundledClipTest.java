package org.smtstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.smtstream.ingest.source.VideoFileSource;

class BundledClipTest {

    @Test
    void shouldShipClipWithDocumentedFrameCountRateAndSize() {
        int frames = 0;
        try (VideoFileSource source = VideoFileSource.open(BundledClip.path())) {
            assertEquals(BundledClip.WIDTH, source.width(), "width");
            assertEquals(BundledClip.HEIGHT, source.height(), "height");
            assertEquals(BundledClip.FRAME_RATE, source.frameRate(), 1e-9, "frame rate");
            assertEquals(BundledClip.FRAME_COUNT, source.frameCount(), "declared frames");
            while (source.grab() != null) {
                frames++;
            }
            assertEquals(0, source.skippedFrames(), "skipped frames");
        }
        assertEquals(BundledClip.FRAME_COUNT, frames, "decoded frames");
    }

    @Test
    void shouldExtractOncePerJvmWithItsLicence() throws Exception {
        Path first = BundledClip.path();
        assertSame(first, BundledClip.path(), "second call");
        try (InputStream resource = BundledClip.class.getResourceAsStream(BundledClip.RESOURCE);
             InputStream licence = BundledClip.class.getResourceAsStream("clips/LICENSE-walk.txt")) {
            assertNotNull(licence, "licence note next to the clip");
            assertEquals(resource.readAllBytes().length, Files.size(first), "extracted bytes");
        }
    }
}
