package org.smtstream.processor.math.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrequencyFilterTest {

    /** An even gain on the S x S grid: random, the same at (ky, kx) and (-ky, -kx). */
    private static double[] evenGain(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] gain = new double[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int mirror = ((size - y) % size) * size + (size - x) % size;
                gain[y * size + x] = mirror < y * size + x ? gain[mirror] : random.nextDouble(0.1, 3);
            }
        }
        return gain;
    }

    /** The filter by its definition: a direct 2-D DFT, G times it, the inverse DFT, in double. */
    private static double[] directFilter(float[] frame, double[] gain, int size) {
        double[] re = new double[size * size];
        double[] im = new double[size * size];
        for (int ky = 0; ky < size; ky++) {
            for (int kx = 0; kx < size; kx++) {
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        double angle = -2 * Math.PI * ((double) ky * y + (double) kx * x) / size;
                        re[ky * size + kx] += frame[y * size + x] * Math.cos(angle);
                        im[ky * size + kx] += frame[y * size + x] * Math.sin(angle);
                    }
                }
            }
        }
        double[] out = new double[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double sum = 0;
                for (int ky = 0; ky < size; ky++) {
                    for (int kx = 0; kx < size; kx++) {
                        double angle = 2 * Math.PI * ((double) ky * y + (double) kx * x) / size;
                        double g = gain[ky * size + kx];
                        sum += g * (re[ky * size + kx] * Math.cos(angle) - im[ky * size + kx] * Math.sin(angle));
                    }
                }
                out[y * size + x] = sum / (size * size);
            }
        }
        return out;
    }

    @Test
    void shouldMatchTheDirectDftOfARandomFrameOnANonPowerOfTwoGrid() {
        int size = 12;
        SplittableRandom random = new SplittableRandom(7);
        float[] frame = new float[size * size];
        for (int k = 0; k < frame.length; k++) {
            frame[k] = (float) random.nextGaussian();
        }
        double[] gain = evenGain(size, 11);
        double[] expected = directFilter(frame, gain, size);
        float[] actual = new FrequencyFilter(size, gain).apply(frame);
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], 1e-4, "pixel " + k);
        }
    }

    @Test
    void shouldScaleAPlaneWaveByTheGainAtItsFrequency() {
        int size = 32;
        double[] gain = evenGain(size, 5);
        int ky = 3;
        int kx = 29;                       // -3: the wave's conjugate lies at (29, 3)
        float[] wave = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                wave[y * size + x] = (float) Math.cos(2 * Math.PI * (ky * y + kx * x) / size + 0.4);
            }
        }
        float[] filtered = new FrequencyFilter(size, gain).apply(wave);
        double g = gain[ky * size + kx];
        assertEquals(g, gain[(size - ky) * size + (size - kx)], 0.0, "the test gain is even");
        for (int k = 0; k < wave.length; k++) {
            assertEquals(g * wave[k], filtered[k], 1e-4, "pixel " + k);
        }
    }

    @Test
    void shouldGiveTheFrameBackUnderAUnitGain() {
        int size = 16;
        double[] ones = new double[size * size];
        java.util.Arrays.fill(ones, 1);
        float[] frame = new float[size * size];
        for (int k = 0; k < frame.length; k++) {
            frame[k] = (float) Math.sin(k * 0.37) + k % 5;
        }
        FrequencyFilter filter = new FrequencyFilter(size, ones);
        float[] out = filter.apply(frame);
        float[] again = filter.apply(frame);
        for (int k = 0; k < frame.length; k++) {
            assertEquals(frame[k], out[k], 1e-4, "pixel " + k);
            assertEquals(out[k], again[k], 0.0, "the reused buffers give the same result twice");
        }
    }

    @Test
    void shouldNameTheSizesItExpected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new FrequencyFilter(8, new double[10]));
        assertTrue(e.getMessage().contains("64 gains"), e.getMessage());
        FrequencyFilter filter = new FrequencyFilter(4, new double[16]);
        var f = assertThrows(IllegalArgumentException.class, () -> filter.apply(new float[15]));
        assertTrue(f.getMessage().contains("4x4"), f.getMessage());
    }
}
