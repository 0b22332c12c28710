package org.smtstream.ingest.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.wire.PatchFrame;

class PatcherTest {

    /** An S x S frame whose pixel at (row, col) holds row * S + col, so values name their position. */
    private static float[] indexFrame(int size) {
        float[] frame = new float[size * size];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = i;
        }
        return frame;
    }

    private static SmtConfig geometry(int frameSize, int patchSize, int stride) {
        return SmtConfig.fast().with(Map.of("frameSize", Integer.toString(frameSize),
                "patchSize", Integer.toString(patchSize), "stride", Integer.toString(stride)));
    }

    @Test
    void shouldCutOverlappingPatchesInRasterOrder() {
        // S = 8, p = 4, s = 2: origins at 0, 2, 4 per side, so a 3 x 3 grid of 16-value patches.
        Patcher patcher = new Patcher(geometry(8, 4, 2));
        float[] patches = patcher.cut(indexFrame(8));

        assertEquals(9, patcher.patchCount(), "patches per frame");
        assertEquals(9 * 16, patches.length, "values");
        // Patch 0, origin (0, 0): rows 0..3, columns 0..3.
        assertArrayEquals(new float[] {0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27},
                java.util.Arrays.copyOfRange(patches, 0, 16), "patch 0");
        // Patch 5 = grid row 1, column 2, origin (2, 4): first value 2 * 8 + 4, last (5, 7).
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
        Patcher patcher = new Patcher(geometry(10, 3, 4));
        float[] patches = patcher.cut(indexFrame(10));

        assertEquals(4, patcher.patchCount(), "patches per frame");
        assertArrayEquals(new float[] {44, 45, 46, 54, 55, 56, 64, 65, 66},
                java.util.Arrays.copyOfRange(patches, 27, 36), "patch 3, origin (4, 4)");
    }

    @Test
    void shouldFillPatchFrameOfFastPreset() {
        SmtConfig fast = SmtConfig.fast();
        float[] patches = new Patcher(fast).cut(indexFrame(fast.frameSize()));

        PatchFrame frame = new PatchFrame("cam", 0, 0, fast.frameSize(), fast.patchSize(), fast.stride(), patches);
        assertEquals(fast.patchesPerFrame(), frame.patchCount(), "patches of the fast preset");
        // Tiling 16 x 16 patches: patch 9 is grid (1, 1), origin (16, 16).
        assertEquals(16 * 128 + 16, patches[9 * 256], "patch 9, value (0, 0)");
    }

    @Test
    void shouldRejectFrameOfWrongSize() {
        Patcher patcher = new Patcher(geometry(8, 4, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> patcher.cut(new float[63]));
        assertEquals("Expected a 8x8 frame (64 values), got 63", e.getMessage());
    }
}
