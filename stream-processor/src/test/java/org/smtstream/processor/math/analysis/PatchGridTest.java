package org.smtstream.processor.math.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.smtstream.model.SmtConfig;

class PatchGridTest {

    private static float[] randomFrame(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] frame = new float[size * size];
        for (int k = 0; k < frame.length; k++) {
            frame[k] = (float) random.nextDouble();
        }
        return frame;
    }

    @Test
    void shouldGiveTheFrameBackForNonOverlappingPatches() {
        PatchGrid grid = PatchGrid.of(SmtConfig.fast());
        assertEquals(64, grid.patchCount());
        float[] frame = randomFrame(128, 1);
        assertArrayEquals(frame, grid.assemble(grid.cut(frame)), 0f);
    }

    @Test
    void shouldAverageOverlappingPatchesBackToTheFrame() {
        PatchGrid grid = new PatchGrid(20, 8, 3);      // 5 x 5 patches cover 20 x 20, up to 9 deep
        float[] frame = randomFrame(20, 2);
        float[] patches = grid.cut(frame);
        assertEquals(25 * 64, patches.length);
        assertArrayEquals(frame, grid.assemble(patches), 1e-6f, "the mean of equal copies is the pixel");
    }

    @Test
    void shouldPutPatchesInRasterOrderAndLeaveTheUncoveredMarginZero() {
        PatchGrid grid = new PatchGrid(10, 4, 4);      // 2 x 2 patches cover 8 x 8; margin of 2
        float[] patches = new float[4 * 16];
        for (int i = 0; i < 4; i++) {
            java.util.Arrays.fill(patches, i * 16, (i + 1) * 16, i + 1);
        }
        float[] frame = grid.assemble(patches);
        assertEquals(1f, frame[0]);                    // patch 0: top left
        assertEquals(2f, frame[4]);                    // patch 1: top right
        assertEquals(3f, frame[4 * 10]);               // patch 2: bottom left
        assertEquals(4f, frame[7 * 10 + 7]);           // patch 3: bottom right
        assertEquals(0f, frame[9 * 10 + 9], "outside every patch");
        assertEquals(0f, frame[8]);
    }

    @Test
    void shouldRejectWrongLengths() {
        PatchGrid grid = new PatchGrid(16, 8, 8);
        assertThrows(IllegalArgumentException.class, () -> grid.assemble(new float[10]));
        assertThrows(IllegalArgumentException.class, () -> grid.cut(new float[10]));
        assertThrows(IllegalArgumentException.class, () -> new PatchGrid(4, 8, 8));
    }
}
