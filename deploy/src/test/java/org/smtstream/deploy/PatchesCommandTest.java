package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.ingest.BundledClip;
import org.smtstream.ingest.source.SourceSpec;
import org.smtstream.model.SmtConfig;
import org.smtstream.processor.offline.Clip;

/** {@code smt patches}: the NPY file holds, frame by frame, the whitened patches the processor is given. */
class PatchesCommandTest {

    @TempDir
    Path dir;

    private final CapturedCommand smt = new CapturedCommand();

    @Test
    void shouldWriteEachFramesWhitenedPatchesInTheProcessorsLayout() throws IOException {
        Path file = dir.resolve("walk.npy");
        assertEquals(0, smt.run("patches", "--max-frames", "3", "--preset", "fast", "--out", file.toString()),
                smt.err());
        SmtConfig fast = SmtConfig.fast();
        int b = fast.patchesPerFrame();
        int n = fast.patchDim();
        assertTrue(smt.out().contains("3 frames x " + b + " patches x " + n + " pixels"), smt.out());

        byte[] bytes = Files.readAllBytes(file);
        int values = 3 * b * n;
        String header = new String(bytes, 10, bytes.length - 4 * values - 10, StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("'shape': (3, " + b + ", " + n + ")"), header);
        Clip clip = ClipReader.read(SourceSpec.file(BundledClip.path()), fast, 3);
        ByteBuffer data = ByteBuffer.wrap(bytes, bytes.length - 4 * values, 4 * values).order(ByteOrder.LITTLE_ENDIAN);
        double energy = 0;
        for (int t = 0; t < 3; t++) {
            float[] expected = clip.frames().get(t);
            for (int k = 0; k < expected.length; k++) {
                float value = data.getFloat();
                assertEquals(expected[k], value, 0f, "frame " + t + ", value " + k);
                energy += value * value;
            }
        }
        assertTrue(energy / values > 0.1, "whitened patches, not zeros: mean square " + energy / values);
    }

    @Test
    void shouldNameAMissingOutputDirectoryAndAMissingInput() {
        assertEquals(1, smt.run("patches", "--out", dir.resolve("no/x.npy").toString()));
        assertTrue(smt.err().contains("No directory " + dir.resolve("no")), smt.err());

        Path out = dir.resolve("x.npy");
        assertEquals(1, smt.run("patches", "--input", dir.resolve("missing.mp4").toString(), "--out", out.toString()));
        assertTrue(smt.err().contains("missing.mp4"), smt.err());
        assertFalse(Files.exists(out), "nothing written");
    }
}
