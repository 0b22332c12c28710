package org.smtstream.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.smtstream.model.wire.FrameMetrics;

class BlankFrameTest {

    @Test
    void shouldCallAFrameOfZerosBlankAndAFrameWithOneVisibleValueNot() {
        float[] frame = new float[4096];
        assertTrue(BlankFrame.isBlank(frame));
        frame[4000] = 0.1f;           // mean square 2.4e-6: above the bound
        assertFalse(BlankFrame.isBlank(frame));
        frame[4000] = 0.05f;          // 6.1e-7: below
        assertTrue(BlankFrame.isBlank(frame));
    }

    @Test
    void shouldNotCallAUnitVarianceFrameOrNaNValuesBlank() {
        float[] frame = new float[1024];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = i % 2 == 0 ? 1 : -1;
        }
        assertFalse(BlankFrame.isBlank(frame));
        float[] nan = new float[16];
        Arrays.fill(nan, Float.NaN);
        assertFalse(BlankFrame.isBlank(nan));
    }

    @Test
    void shouldCallAGrayFrameUniformBelowHalfAnEightBitLevel() {
        assertTrue(BlankFrame.isUniform(0));
        assertTrue(BlankFrame.isUniform(0.4 / 255));
        assertTrue(BlankFrame.isUniform(Double.NaN));
        assertFalse(BlankFrame.isUniform(0.6 / 255));
    }

    @Test
    void shouldRecogniseABlankFrameOnTheMetricsTopicByItsUndefinedSnr() {
        assertTrue(BlankFrame.isBlank(metrics(Double.NaN)));
        assertFalse(BlankFrame.isBlank(metrics(12.5)));
        assertFalse(BlankFrame.isBlank(metrics(Double.POSITIVE_INFINITY)));
    }

    private static FrameMetrics metrics(double snrAlphaDb) {
        return new FrameMetrics("cam", 3, 0, 1, 1, snrAlphaDb, Double.NaN, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN,
                0);
    }
}
