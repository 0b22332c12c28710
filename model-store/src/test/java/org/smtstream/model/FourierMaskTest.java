package org.smtstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FourierMaskTest {

    @Test
    void shouldScaleR0FromTheReferenceSize() {
        SmtConfig config = SmtConfig.fast().with(Map.of("frameSize", "64", "patchSize", "8", "stride", "8"));
        FourierMask mask = FourierMask.of(config);
        assertEquals(64, mask.size());
        assertEquals(config.whitenR0() / 2, mask.r0(), 1e-12);
    }

    @Test
    void shouldPeakWhereTheDerivativeOfTheMaskVanishes() {
        FourierMask mask = new FourierMask(128, 48);
        double h = 1e-4;
        double atPeak = mask.peak();
        double r = 48 / Math.pow(4, 0.25);
        assertTrue(FourierMask.gain(r - h, 48) < atPeak && FourierMask.gain(r + h, 48) < atPeak,
                "the peak is a maximum of w");
        assertEquals(r * Math.exp(-0.25), atPeak, 1e-12);
    }

    @Test
    void shouldUndoTheMaskInItsPassbandAndNothingAtDc() {
        FourierMask mask = new FourierMask(128, 48);
        double[] w = mask.gains();
        double[] c = mask.inverseGains();
        assertEquals(0.0, w[0], 0.0, "w(0)");
        assertEquals(0.0, c[0], 0.0, "the inverse at DC: the mean is not recoverable");
        double eps = FourierMask.INVERSE_FLOOR * mask.peak();
        for (int k = 0; k < w.length; k++) {
            double expected = w[k] * w[k] / (w[k] * w[k] + eps * eps);
            assertEquals(expected, c[k] * w[k], 1e-12, "c w at bin " + k);
            assertTrue(c[k] <= 1 / (2 * eps) + 1e-12, "the inverse's gain is bounded at bin " + k);
        }
        int bin = 5 * 128 + 12;                                   // r = 13: the middle of the passband
        assertEquals(1.0, c[bin] * w[bin], 1e-3, "c undoes w where w passes");
    }

    @Test
    void shouldBeSymmetricSoARealFrameStaysReal() {
        FourierMask mask = new FourierMask(10, 4);
        double[] w = mask.gains();
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 10; x++) {
                assertEquals(w[y * 10 + x], w[((10 - y) % 10) * 10 + (10 - x) % 10], 0.0, "bin " + y + ", " + x);
            }
        }
    }

    @Test
    void shouldRejectABadMaskWithItsValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> new FourierMask(128, 0));
        assertTrue(e.getMessage().contains("r0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FourierMask(1, 48));
    }
}
