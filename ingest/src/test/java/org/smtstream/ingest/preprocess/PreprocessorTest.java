package org.smtstream.ingest.preprocess;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.smtstream.ingest.ArrayStats.max;
import static org.smtstream.ingest.ArrayStats.maxAbs;
import static org.smtstream.ingest.ArrayStats.mean;
import static org.smtstream.ingest.ArrayStats.min;
import static org.smtstream.ingest.ArrayStats.rmsAround;
import static org.smtstream.ingest.ArrayStats.std;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;
import org.smtstream.ingest.IngestException;
import org.smtstream.ingest.TestClips;
import org.smtstream.model.FourierMask;
import org.smtstream.model.SmtConfig;

class PreprocessorTest {

    private static final int S = 128;
    private final Preprocessor preprocessor = new Preprocessor(SmtConfig.fast());

    @Test
    void shouldLabelTheDefaultAsTheFourierMaskAloneWhichTheProcessorCanUndo() {
        assertEquals(FourierMask.PREPROCESSING_LABEL, PreprocessingOptions.DEFAULT.label());
        String withContrast = PreprocessingOptions.DEFAULT.withLocalContrast(true).label();
        assertFalse(FourierMask.PREPROCESSING_LABEL.equals(withContrast),
                "local contrast normalization is not undone by the mask's inverse");
    }

    @Test
    void shouldKeepConstantImageAndWhitenItToZeros() {
        for (int[] size : new int[][] {{300, 200}, {64, 48}}) {
            PreprocessedFrame out = preprocessor.process(filled(size[0] * size[1], 0.37f), size[0], size[1]);

            String what = size[0] + "x" + size[1] + " input";
            assertEquals(S, out.size(), "output size of " + what);
            assertEquals(0.37, min(out.gray()), 1e-6, "darkest pixel of " + what);
            assertEquals(0.37, max(out.gray()), 1e-6, "brightest pixel of " + what);
            assertEquals(0.0, maxAbs(out.whitened()), 0.0, "whitened flat " + what);
        }
    }

    @Test
    void shouldWhitenANearlyBlackFrameToZerosAndCallItBlankButKeepADimPattern() {
        int side = 256;
        Random random = new Random(7);
        float[] black = new float[side * side];
        float[] dim = new float[side * side];
        for (int i = 0; i < black.length; i++) {
            // a black frame with compression noise: one pixel in ten a level brighter
            black[i] = (16 + (random.nextInt(10) == 0 ? 1 : 0)) / 255f;
            // a dim pattern: stripes two levels apart
            dim[i] = (16 + ((i % side) / 8 % 2) * 2) / 255f;
        }
        PreprocessedFrame blank = preprocessor.process(black, side, side);
        assertTrue(std(blank.gray()) > 0, "the gray frame is not exactly uniform");
        assertEquals(0.0, maxAbs(blank.whitened()), 0.0, "whitened near-uniform frame");
        assertTrue(blank.blank(), "blank");

        PreprocessedFrame stripes = preprocessor.process(dim, side, side);
        assertEquals(1.0, std(stripes.whitened()), 1e-3, "a dim pattern is standardized like any other");
        assertFalse(stripes.blank(), "not blank");
    }

    @Test
    void shouldCropToCentreSquare() {
        // The centre square is 0.25; the margins a crop must drop are 1.0.
        int w = 300;
        int h = 200;
        float[] landscape = new float[w * h];
        float[] portrait = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean centre = x >= 50 && x < 250;
                landscape[y * w + x] = centre ? 0.25f : 1f;
                portrait[x * h + y] = centre ? 0.25f : 1f;
            }
        }
        assertEquals(0.25, max(preprocessor.process(landscape, w, h).gray()), 1e-6, "brightest pixel, landscape");
        assertEquals(0.25, max(preprocessor.process(portrait, h, w).gray()), 1e-6, "brightest pixel, portrait");
    }

    @Test
    void shouldPreserveLowFrequencySinusoid() {
        // 768 x 576 like vtest.avi: crop to 576, pyramid to 144, area resize to 128.
        int w = 768;
        int h = 576;
        int cycles = 4;
        double amplitude = 0.3;
        float[] image = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image[y * w + x] = (float) (0.5 + amplitude * Math.cos(2 * Math.PI * cycles * (x - 96 + 0.5) / h));
            }
        }
        float[] gray = preprocessor.process(image, w, h).gray();

        double[] fit = fitCosine(gray, cycles);
        double fitted = Math.hypot(fit[1], fit[2]);
        assertEquals(amplitude, fitted, 0.01 * amplitude, "amplitude of a " + cycles + "-cycle grating");
        double residual = residualStd(gray, cycles, fit);
        assertTrue(residual < 0.002, "what the fitted grating does not explain: std " + residual);
    }

    @Test
    void shouldAttenuateCheckerboardsAboveTargetNyquistInsteadOfAliasing() {
        // 512 px downsampled to 128: the output can hold up to 64 cycles per frame. The 5-tap
        // pyramid kernel and the final 2x2 area average let about 7 % of the 85-cycle board through
        // (rms 0.037); plain decimation keeps all of it, folded to wrong frequencies.
        int n = 512;
        for (int square : new int[] {1, 3}) {
            float[] board = checkerboard(n, square);
            // Its true local mean is 0.5 everywhere; aliasing shows as any departure from that.
            double naive = rmsAround(nearestNeighbourDownsample(board, n), 0.5);
            double ours = rmsAround(preprocessor.process(board, n, n).gray(), 0.5);

            String what = "checkerboard of " + square + " px squares (" + n / (2 * square) + " cycles per frame)";
            assertTrue(naive > 0.3, "sanity: plain decimation aliases the " + what + ", rms error " + naive);
            assertTrue(ours < 0.05, "the " + what + " is attenuated to an rms error of " + ours + " (input 0.5)");
        }
    }

    @Test
    void shouldWhitenToZeroMeanAndUnitStd() {
        Random random = new Random(3);
        float[] image = new float[200 * 150];
        for (int i = 0; i < image.length; i++) {
            image[i] = random.nextFloat();
        }
        float[] whitened = preprocessor.process(image, 200, 150).whitened();

        assertEquals(0.0, mean(whitened), 1e-5, "mean of the whitened frame");
        assertEquals(1.0, std(whitened), 1e-4, "standard deviation of the whitened frame");
    }

    @Test
    void shouldFlattenRadialPowerSpectrumOfNaturalLikeImage() {
        // 1/f noise (power ~ r^-2, like natural images). Below r0 = 48 the mask r exp(-(r/r0)^4)
        // should leave power ~ r^0; over r = 2..24 the roll-off costs at most 0.12 in log power.
        float[] image = Spectra.pinkNoise(256, 11);
        PreprocessedFrame out = preprocessor.process(image, 256, 256);

        double before = Spectra.spectralSlope(out.gray(), S, 2, 24);
        double after = Spectra.spectralSlope(out.whitened(), S, 2, 24);
        assertEquals(-2.0, before, 0.3, "log-log power slope of the downsampled input");
        assertEquals(0.0, after, 0.3, "log-log power slope after whitening (before: " + before + ")");
    }

    @Test
    void shouldConvertBgrFrameOfOddWidthLikeItsGrayscale() {
        // 161 BGR pixels = 483 bytes a row, padded to 488 in the frame: a stride bug shears the image.
        int w = 161;
        int h = 121;
        try (Frame frame = TestClips.pattern(5, w, h)) {
            float[] gray = new float[w * h];
            try (UByteIndexer bgr = frame.createIndexer()) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double luma = 0.114 * bgr.get(y, x, 0) + 0.587 * bgr.get(y, x, 1) + 0.299 * bgr.get(y, x, 2);
                        gray[y * w + x] = (float) (luma / 255);
                    }
                }
            }
            float[] fromFrame = preprocessor.process(frame).gray();
            float[] fromFloats = preprocessor.process(gray, w, h).gray();

            double worst = 0;
            for (int i = 0; i < fromFrame.length; i++) {
                worst = Math.max(worst, Math.abs(fromFrame[i] - fromFloats[i]));
            }
            // cvtColor rounds to 8 bits before the float conversion (half a grey level) and uses
            // fixed-point weights (a few hundredths of a level); a stride bug costs tens of levels.
            assertTrue(worst <= 0.6 / 255, "largest difference to the reference grayscale: " + worst * 255
                    + " grey levels");
        }
    }

    @Test
    void shouldScaleWhiteningCutoffWithFrameSize() {
        // The same pink noise at S = 64 and S = 128: r0 scales with S, so both spectra stay flat.
        SmtConfig small = SmtConfig.fast().with(Map.of("frameSize", "64", "patchSize", "8", "stride", "8"));
        float[] whitened = new Preprocessor(small).process(Spectra.pinkNoise(256, 5), 256, 256).whitened();
        double slope = Spectra.spectralSlope(whitened, 64, 2, 12);
        assertEquals(0.0, slope, 0.3, "log-log power slope after whitening at S = 64");
    }

    @Test
    void shouldEqualizeContrastAcrossFrameWithLocalContrastOption() {
        // Left half: faint texture (a person in shade); right half: ten times the contrast (in sun).
        int n = 256;
        Random random = new Random(3);
        float[] image = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double amplitude = x < n / 2 ? 0.02 : 0.2;
                image[y * n + x] = (float) (0.5 + amplitude * random.nextGaussian());
            }
        }
        Preprocessor normalizing = new Preprocessor(SmtConfig.fast(),
                PreprocessingOptions.DEFAULT.withLocalContrast(true));
        double plain = halvesContrastRatio(preprocessor.process(image, n, n).whitened());
        float[] equalized = normalizing.process(image, n, n).whitened();
        double normalized = halvesContrastRatio(equalized);

        assertEquals(10.0, plain, 2.0, "right/left contrast after whitening alone");
        assertEquals(1.0, normalized, 0.25, "right/left contrast with local contrast normalization");
        assertEquals(0.0, mean(equalized), 1e-5, "mean stays 0");
        assertEquals(1.0, std(equalized), 1e-4, "standard deviation stays 1");
    }

    /** RMS of the right half over that of the left half, leaving out a band around the seam. */
    private static double halvesContrastRatio(float[] frame) {
        double left = 0;
        double right = 0;
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                double v = frame[y * S + x] * frame[y * S + x];
                if (x < S / 2 - 16) {
                    left += v;
                } else if (x >= S / 2 + 16) {
                    right += v;
                }
            }
        }
        return Math.sqrt(right / left);
    }

    @Test
    void shouldRejectFramesThatAreNotEightBit() {
        try (Frame frame = new Frame(32, 32, Frame.DEPTH_FLOAT, 1)) {
            IngestException e = assertThrows(IngestException.class, () -> preprocessor.process(frame));
            assertEquals("Unsupported frame depth 32 (expected 8-bit unsigned)", e.getMessage());
        }
    }

    private static float[] checkerboard(int n, int square) {
        float[] board = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                board[y * n + x] = ((x / square + y / square) % 2 == 0) ? 0f : 1f;
            }
        }
        return board;
    }

    private static float[] nearestNeighbourDownsample(float[] image, int n) {
        Mat small = new Mat();
        resize(MatArrays.fromFloats(image, n, n), small, new Size(S, S), 0, 0, INTER_NEAREST);
        return MatArrays.toFloats(small);
    }

    /** Least squares fit of mean + c cos + s sin at {@code cycles} per frame along x: {mean, c, s}. */
    private static double[] fitCosine(float[] gray, int cycles) {
        double m = mean(gray);
        double c = 0;
        double s = 0;
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                double phase = 2 * Math.PI * cycles * (x + 0.5) / S;
                c += (gray[y * S + x] - m) * Math.cos(phase);
                s += (gray[y * S + x] - m) * Math.sin(phase);
            }
        }
        return new double[] {m, 2 * c / (S * S), 2 * s / (S * S)};
    }

    private static double residualStd(float[] gray, int cycles, double[] fit) {
        double sum = 0;
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                double phase = 2 * Math.PI * cycles * (x + 0.5) / S;
                double r = gray[y * S + x] - fit[0] - fit[1] * Math.cos(phase) - fit[2] * Math.sin(phase);
                sum += r * r;
            }
        }
        return Math.sqrt(sum / (S * S));
    }

    private static float[] filled(int n, float value) {
        float[] a = new float[n];
        Arrays.fill(a, value);
        return a;
    }
}
