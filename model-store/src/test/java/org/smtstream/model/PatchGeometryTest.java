package org.smtstream.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.smtstream.model.wire.PatchFrame;

class PatchGeometryTest {

    /** An S x S frame whose pixel at (row, col) holds row * S + col, so values name their position. */
    private static float[] indexFrame(int size) {
        float[] frame = new float[size * size];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = i;
        }
        return frame;
    }

    private static float[] randomFrame(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] frame = new float[size * size];
        for (int k = 0; k < frame.length; k++) {
            frame[k] = (float) random.nextGaussian();
        }
        return frame;
    }

    private static SmtConfig config(int frameSize, int patchSize, int stride) {
        return SmtConfig.fast().with(Map.of("frameSize", Integer.toString(frameSize),
                "patchSize", Integer.toString(patchSize), "stride", Integer.toString(stride)));
    }

    @Test
    void shouldCutOverlappingPatchesInRasterOrder() {
        // S = 8, p = 4, s = 2: origins at 0, 2, 4 per side, so a 3 x 3 grid of 16-value patches.
        PatchGeometry geometry = config(8, 4, 2).geometry();
        float[] patches = geometry.cut(indexFrame(8));

        assertEquals(9, geometry.patchCount(), "patches per frame");
        assertEquals(9 * 16, patches.length, "values");
        // Patch 0, origin (0, 0): rows 0..3, columns 0..3.
        assertArrayEquals(new float[] {0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27},
                Arrays.copyOfRange(patches, 0, 16), "patch 0");
        // Patch 5 = grid row 1, column 2, origin (2, 4): first value 2 * 8 + 4, last (5, 7).
        assertEquals(2, geometry.originRow(5));
        assertEquals(4, geometry.originColumn(5));
        assertEquals(20, patches[5 * 16], "patch 5, value (0, 0)");
        assertEquals(21, patches[5 * 16 + 1], "patch 5, value (0, 1)");
        assertEquals(28, patches[5 * 16 + 4], "patch 5, value (1, 0)");
        assertEquals(47, patches[5 * 16 + 15], "patch 5, value (3, 3)");
        // Patch 8, origin (4, 4): ends at the frame's last pixel.
        assertEquals(36, patches[8 * 16], "patch 8, value (0, 0)");
        assertEquals(63, patches[8 * 16 + 15], "patch 8, value (3, 3)");
    }

    @Test
    void shouldLeaveUncoveredMarginWhenStrideDoesNotDivide() {
        // S = 10, p = 3, s = 4: origins 0 and 4 per side (8 would overrun), columns 7..9 unused.
        PatchGeometry geometry = config(10, 3, 4).geometry();
        float[] patches = geometry.cut(indexFrame(10));

        assertEquals(4, geometry.patchCount(), "patches per frame");
        assertArrayEquals(new float[] {44, 45, 46, 54, 55, 56, 64, 65, 66},
                Arrays.copyOfRange(patches, 27, 36), "patch 3, origin (4, 4)");
    }

    @Test
    void shouldFillPatchFrameOfFastPreset() {
        SmtConfig fast = SmtConfig.fast();
        PatchGeometry geometry = fast.geometry();
        float[] patches = geometry.cut(indexFrame(fast.frameSize()));

        PatchFrame frame = new PatchFrame("cam", 0, 0, fast.frameSize(), fast.patchSize(), fast.stride(), patches);
        assertEquals(fast.patchesPerFrame(), frame.patchCount(), "patches of the fast preset");
        assertEquals(8, geometry.side());
        assertEquals(geometry, frame.geometry(), "the wire record carries the same geometry");
        // Tiling 16 x 16 patches: patch 9 is grid (1, 1), origin (16, 16).
        assertEquals(16 * 128 + 16, patches[9 * 256], "patch 9, value (0, 0)");
    }

    @Test
    void shouldGiveTheFrameBackForNonOverlappingPatches() {
        PatchGeometry geometry = SmtConfig.fast().geometry();
        assertEquals(64, geometry.patchCount());
        assertFalse(geometry.overlapping());
        float[] frame = randomFrame(128, 1);
        assertArrayEquals(frame, geometry.assemble(geometry.cut(frame)), 0f);
    }

    @Test
    void shouldAverageOverlappingPatchesBackToTheFrameBitForBit() {
        PatchGeometry geometry = new PatchGeometry(20, 8, 3);      // 5 x 5 patches cover 20 x 20, up to 9 deep
        assertTrue(geometry.overlapping());
        float[] frame = randomFrame(20, 2);
        frame[0] = -0f;                                             // covered once: its sign survives
        frame[10 * 20 + 10] = -0f;                                  // covered 9 times
        float[] patches = geometry.cut(frame);
        assertEquals(25 * 64, patches.length);
        assertArrayEquals(frame, geometry.assemble(patches), 0f, "the mean of equal copies is the pixel");
    }

    @Test
    void shouldAverageWhatOverlappingPatchesSayOfAPixel() {
        PatchGeometry geometry = new PatchGeometry(6, 4, 2);       // origins 0 and 2 per side
        float[] patches = new float[4 * 16];
        for (int i = 0; i < 4; i++) {
            Arrays.fill(patches, i * 16, (i + 1) * 16, i + 1);
        }
        float[] frame = geometry.assemble(patches);
        assertEquals(1f, frame[0], "patch 0 alone");
        assertEquals(1.5f, frame[2], "patches 0 and 1");
        assertEquals(2.5f, frame[2 * 6 + 2], "all four: (1 + 2 + 3 + 4) / 4");
        assertEquals(4f, frame[5 * 6 + 5], "patch 3 alone");
    }

    @Test
    void shouldPutPatchesInRasterOrderAndLeaveTheUncoveredMarginZero() {
        PatchGeometry geometry = new PatchGeometry(10, 4, 4);      // 2 x 2 patches cover 8 x 8; margin of 2
        float[] patches = new float[4 * 16];
        for (int i = 0; i < 4; i++) {
            Arrays.fill(patches, i * 16, (i + 1) * 16, i + 1);
        }
        float[] frame = geometry.assemble(patches);
        assertEquals(1f, frame[0]);                    // patch 0: top left
        assertEquals(2f, frame[4]);                    // patch 1: top right
        assertEquals(3f, frame[4 * 10]);               // patch 2: bottom left
        assertEquals(4f, frame[7 * 10 + 7]);           // patch 3: bottom right
        assertEquals(0f, frame[9 * 10 + 9], "outside every patch");
        assertEquals(0f, frame[8]);
    }

    @Test
    void shouldAgreeWithTheConfigurationsCounts() {
        SmtConfig seed = SmtConfig.seed();
        assertEquals(6, seed.geometry().side(), "(128 - 20) / 20 + 1");
        assertEquals(seed.patchesPerSide(), seed.geometry().side());
        assertEquals(seed.patchesPerFrame(), seed.geometry().patchCount());
        assertEquals(seed.patchDim(), seed.geometry().patchDim());
    }

    @Test
    void shouldRejectWrongLengthsAndImpossibleGeometries() {
        PatchGeometry geometry = config(8, 4, 2).geometry();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> geometry.cut(new float[63]));
        assertEquals("Expected a 8x8 frame (64 values), got 63", e.getMessage());
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> geometry.assemble(new float[10]));
        assertEquals("Expected 144 patch values (9 patches of 4x4), got 10", a.getMessage());
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class, () -> new PatchGeometry(4, 8, 8));
        assertEquals("Invalid patch geometry: frame 4, patch 8, stride 8 (need 1 <= patch <= frame and stride >= 1)",
                g.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PatchGeometry(16, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> new PatchGeometry(16, 0, 8));
    }
}
