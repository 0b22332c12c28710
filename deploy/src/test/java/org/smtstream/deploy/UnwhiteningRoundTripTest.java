package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.smtstream.ingest.preprocess.Preprocessor;
import org.smtstream.model.SmtConfig;
import org.smtstream.processor.math.analysis.Unwhitening;

/**
 * Ingest's whitening (OpenCV's DFT, then scaling to unit deviation) undone by the processor's C
 * (ND4J): a gray frame band-limited to the mask's passband comes back, less its mean and up to the
 * scale ingest chose, which is all C claims to recover.
 */
class UnwhiteningRoundTripTest {

    private static final SmtConfig FAST = SmtConfig.fast();

    /** A frame of gray values around 0.5, sums of plane waves at 3 to 30 cycles per frame with a 1/f spectrum. */
    private static float[] bandLimitedGray(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] gray = new double[size * size];
        Arrays.fill(gray, 0.5);
        for (int wave = 0; wave < 30; wave++) {
            int ky = random.nextInt(-30, 31);
            int kx = random.nextInt(-30, 31);
            double r = Math.hypot(ky, kx);
            if (r < 3 || r > 30) {
                continue;
            }
            double amplitude = 0.1 / r;
            double phase = random.nextDouble(2 * Math.PI);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    gray[y * size + x] += amplitude * Math.cos(2 * Math.PI * (ky * y + kx * x) / size + phase);
                }
            }
        }
        float[] out = new float[gray.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = (float) gray[k];
        }
        return out;
    }

    @Test
    void shouldGiveBackIngestsWhitenedFrameLessItsMeanAndScale() {
        int size = FAST.frameSize();
        float[] gray = bandLimitedGray(size, 17);
        float[] whitened = new Preprocessor(FAST).whiten(gray).whitened();
        float[] back = Unwhitening.of(FAST).frame(FAST.geometry().cut(whitened));

        double mean = 0;
        for (float v : gray) {
            mean += v;
        }
        mean /= gray.length;
        double dot = 0;
        double norm = 0;
        for (int k = 0; k < gray.length; k++) {
            dot += back[k] * (gray[k] - mean);
            norm += (double) back[k] * back[k];
        }
        double scale = dot / norm;                 // the unit-deviation scaling ingest applied, undone
        float[] centred = new float[gray.length];
        float[] scaled = new float[gray.length];
        for (int k = 0; k < gray.length; k++) {
            centred[k] = (float) (gray[k] - mean);
            scaled[k] = (float) (scale * back[k]);
        }
        double snr = Unwhitening.snrDb(centred, scaled);
        assertTrue(scale > 0, "C keeps the sign of the picture: " + scale);
        assertTrue(snr > 30, "the gray frame, less its mean, from ingest's whitened frame: " + snr + " dB");
    }
}
