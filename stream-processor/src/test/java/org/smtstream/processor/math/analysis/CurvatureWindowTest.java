package org.smtstream.processor.math.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CurvatureWindowTest {

    /** Two locations of a 2-pixel patch, 3 atoms, 1-dimensional beta. */
    private static float[] pixels(float x0, float y0, float x1, float y1) {
        return new float[] {x0, y0, x1, y1};
    }

    @Test
    void aStraightPathHasZeroCurvatureAndARightAngleTurnNinety() {
        CurvatureWindow window = new CurvatureWindow(1, 2, 3);
        float[] alpha = new float[6];
        assertTrue(Double.isNaN(window.push(0, pixels(0, 0, 0, 0), alpha, null).pixels()));
        assertTrue(Double.isNaN(window.push(1, pixels(1, 0, 0, 1), alpha, null).pixels()));
        // location 0 goes on straight (0°), location 1 turns by a right angle (90°): mean 45°
        CurvatureWindow.Angles angles = window.push(2, pixels(2, 0, 1, 1), alpha, null);
        assertEquals(45.0, angles.pixels(), 1e-9);
        assertTrue(Double.isNaN(angles.alpha()), "alpha stood still: no angle");
        assertTrue(Double.isNaN(angles.beta()), "no beta");
    }

    @Test
    void aGapInFrameIndicesStartsAfreshAndStepKLooksKFramesBack() {
        CurvatureWindow window = new CurvatureWindow(2, 2, 3);
        float[] alpha = new float[6];
        for (int t = 0; t < 4; t++) {
            assertTrue(Double.isNaN(window.push(t, pixels(t, 0, 0, t), alpha, null).pixels()), "frame " + t);
        }
        assertEquals(0.0, window.push(4, pixels(4, 0, 0, 4), alpha, null).pixels(), 1e-9, "straight at step 2");
        assertTrue(Double.isNaN(window.push(9, pixels(9, 0, 0, 9), alpha, null).pixels()), "after a gap");
    }

    @Test
    void betaIsMeasuredWithItsOwnDimension() {
        CurvatureWindow window = new CurvatureWindow(1, 2, 3);
        float[] alpha = new float[6];
        // beta: 2 locations x f = 1; location 0 reverses (180°), location 1 keeps going (0°)
        window.push(0, pixels(0, 0, 0, 0), alpha, new float[] {0, 0});
        window.push(1, pixels(0, 0, 0, 0), alpha, new float[] {1, 1});
        assertEquals(90.0, window.push(2, pixels(0, 0, 0, 0), alpha, new float[] {0, 2}).beta(), 1e-9);
    }
}
