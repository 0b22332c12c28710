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
    void shouldUndoTheRampExactlyAndTheRollOffWhereItPassesTheImage() {
        FourierMask mask = new FourierMask(128, 48);
        double[] w = mask.gains();
        double[] c = mask.inverseGains();
        assertEquals(0.0, w[0], 0.0, "w(0)");
        assertEquals(0.0, c[0], 0.0, "the inverse at DC: the mean is not recoverable");
        double kappa = FourierMask.INVERSE_NOISE;
        for (int k = 1; k < w.length; k++) {
            double r = Math.hypot(FourierMask.signedFrequency(k / 128, 128),
                    FourierMask.signedFrequency(k % 128, 128));
            double e = Math.exp(-Math.pow(r / 48, 4));
            assertEquals(e * e / (e * e + kappa), c[k] * w[k], 1e-12, "c w at bin " + k);
            assertTrue(c[k] <= 1 / (2 * r * Math.sqrt(kappa)) + 1e-12, "c is bounded at bin " + k);
        }
        int low = 2;                                               // (0, 2): r = 2
        assertEquals(1.0, c[low] * w[low], 0.011, "c undoes w at low frequencies, within kappa");
        int removed = 64 * 128 + 64;                               // (64, 64): r = 90, removed by the mask
        double restored = c[removed] * w[removed];
        assertTrue(restored < 1e-6, "c does not restore what the mask removed: " + restored);
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
