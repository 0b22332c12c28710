package org.smtstream.processor.math.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.smtstream.model.FourierMask;
import org.smtstream.model.SmtConfig;
import org.smtstream.processor.math.linalg.FrequencyFilter;

class UnwhiteningTest {

    private static final SmtConfig FAST = SmtConfig.fast();

    /**
     * A zero-mean image band-limited to radial frequencies in [2, 40] cycles per frame (inside the
     * mask's passband at r0 = 48): a sum of plane waves at random bins, each with a random phase.
     */
    private static float[] bandLimited(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] image = new double[size * size];
        for (int wave = 0; wave < 40; wave++) {
            int ky;
            int kx;
            do {
                ky = random.nextInt(-40, 41);
                kx = random.nextInt(-40, 41);
            } while (Math.hypot(ky, kx) < 2 || Math.hypot(ky, kx) > 40);
            double amplitude = 1 / Math.hypot(ky, kx);           // a natural image's 1/f spectrum
            double phase = random.nextDouble(2 * Math.PI);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    image[y * size + x] += amplitude * Math.cos(2 * Math.PI * (ky * y + kx * x) / size + phase);
                }
            }
        }
        float[] out = new float[image.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = (float) image[k];
        }
        return out;
    }

    @Test
    void shouldRecoverABandLimitedImageFromItsWhitenedPatches() {
        int size = FAST.frameSize();
        float[] image = bandLimited(size, 3);
        FourierMask mask = FourierMask.of(FAST);
        float[] whitened = new FrequencyFilter(size, mask.gains()).apply(image);
        float[] back = Unwhitening.of(FAST).frame(FAST.geometry().cut(whitened));
        // The worst bin of the band, r = 40, comes back as e^2 / (e^2 + kappa) of itself, e = w / r.
        double e = FourierMask.gain(40, mask.r0()) / 40;
        double worstLoss = FourierMask.INVERSE_NOISE / (e * e + FourierMask.INVERSE_NOISE);
        double snr = Unwhitening.snrDb(image, back);
        assertTrue(snr > -10 * Math.log10(worstLoss * worstLoss) - 0.1,
                "SNR of the unwhitened image against the original: " + snr + " dB");
        assertTrue(snr > 30, "a band-limited image comes back: " + snr + " dB");
    }

    @Test
    void shouldRemoveTheMeanThatWhiteningRemoved() {
        int size = FAST.frameSize();
        float[] image = bandLimited(size, 4);
        float[] lifted = image.clone();
        for (int k = 0; k < lifted.length; k++) {
            lifted[k] += 0.5f;
        }
        Unwhitening unwhitening = Unwhitening.of(FAST);
        float[] fromImage = unwhitening.frame(FAST.geometry().cut(image));
        float[] fromLifted = unwhitening.frame(FAST.geometry().cut(lifted));
        for (int k = 0; k < image.length; k++) {
            assertEquals(fromImage[k], fromLifted[k], 1e-4, "a constant has no image-space picture, pixel " + k);
        }
    }

    @Test
    void shouldNotRecoverWhatTheMaskRemoved() {
        int size = FAST.frameSize();
        float[] corner = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                corner[y * size + x] = (y + x) % 2 == 0 ? 1 : -1;   // (64, 64): r = 90, far above r0
            }
        }
        float[] back = Unwhitening.of(FAST).frame(FAST.geometry().cut(corner));
        double energy = 0;
        for (float v : back) {
            energy += v * v;
        }
        assertTrue(energy < 1e-4 * corner.length, "the checkerboard's energy after C: " + energy);
    }

    @Test
    void shouldApplyOnlyToTheFourierMaskAlone() {
        assertTrue(Unwhitening.appliesTo("fourier"));
        assertFalse(Unwhitening.appliesTo(null), "unknown preprocessing");
        assertFalse(Unwhitening.appliesTo("zca"));
        assertFalse(Unwhitening.appliesTo("fourier+lcn"));
    }

    @Test
    void shouldComputeTheSnrOfKnownFrames() {
        float[] x = {3, 4, 0, 0};
        float[] y = {3, 4, 0.5f, 0};             // error energy 0.25, signal 25: 20 dB
        assertEquals(20.0, Unwhitening.snrDb(x, y), 1e-6);
        assertEquals(Double.POSITIVE_INFINITY, Unwhitening.snrDb(x, x));
        assertTrue(Double.isNaN(Unwhitening.snrDb(new float[4], y)), "no signal, no SNR");
        assertThrows(IllegalArgumentException.class, () -> Unwhitening.snrDb(x, new float[3]));
    }
}
