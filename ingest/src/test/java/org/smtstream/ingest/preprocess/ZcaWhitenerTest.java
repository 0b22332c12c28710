package org.smtstream.ingest.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.smtstream.ingest.ArrayStats.mean;
import static org.smtstream.ingest.ArrayStats.std;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.smtstream.ingest.BundledClip;
import org.smtstream.ingest.source.VideoFileSource;
import org.smtstream.model.PatchGeometry;
import org.smtstream.model.SmtConfig;

class ZcaWhitenerTest {

    private static final SmtConfig CONFIG = SmtConfig.fast();
    /** Largest deviation of the whitened fit patches' covariance from the identity, in any entry. */
    private static final double TOLERANCE = 0.05;
    private static final int S = CONFIG.frameSize();
    private static final int P = CONFIG.patchSize();
    /** The first frames of the bundled walk, gray S x S: real image statistics. */
    private static final List<float[]> FRAMES = new ArrayList<>();

    @BeforeAll
    static void readFirstFrames() {
        Preprocessor preprocessor = new Preprocessor(CONFIG);
        try (VideoFileSource clip = VideoFileSource.open(BundledClip.path())) {
            for (int i = 0; i < PreprocessingOptions.DEFAULT_ZCA_FIT_FRAMES; i++) {
                Frame frame = clip.grab();
                FRAMES.add(preprocessor.grayscale(frame));
            }
        }
    }

    /** Covariance of the rows of a rows x n CV_32F matrix, in double. */
    private static double[][] covariance(Mat rows) {
        float[] x = MatArrays.toFloats(rows);
        int m = rows.rows();
        int n = rows.cols();
        double[] mean = new double[n];
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < n; j++) {
                mean[j] += x[r * n + j];
            }
        }
        for (int j = 0; j < n; j++) {
            mean[j] /= m;
        }
        double[][] c = new double[n][n];
        double[] d = new double[n];
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < n; j++) {
                d[j] = x[r * n + j] - mean[j];
            }
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    c[i][j] += d[i] * d[j];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                c[i][j] /= m;
                c[j][i] = c[i][j];
            }
        }
        return c;
    }

    @Test
    void shouldWhitenFitPatchesToIdentityCovariance() {
        ZcaWhitener zca = ZcaWhitener.fit(FRAMES, S, P, CONFIG.stride());
        Mat fitPatches = ZcaWhitener.samplePatches(FRAMES, S, P);
        assertEquals(10 * 29 * 29, fitPatches.rows(), "fit patches: 29 x 29 per frame at stride 4");
        double[][] c = covariance(zca.apply(fitPatches));

        // Measured 0.017 (diagonal) and 0.011 (off the diagonal); eps alone accounts for that much.
        double worst = 0;
        for (int i = 0; i < P * P; i++) {
            for (int j = 0; j < P * P; j++) {
                worst = Math.max(worst, Math.abs(c[i][j] - (i == j ? 1 : 0)));
            }
        }
        assertTrue(worst < TOLERANCE, "largest deviation of the whitened covariance from the identity: " + worst
                + ", allowed " + TOLERANCE);
        double[][] raw = covariance(fitPatches);
        assertTrue(raw[0][1] / Math.sqrt(raw[0][0] * raw[1][1]) > 0.9,
                "neighbouring pixels of the raw patches are strongly correlated, so the test means something");
    }

    @Test
    void shouldWhitenEachGridPatchOfFrameExactlyAsItsOwnPatch() {
        ZcaWhitener zca = ZcaWhitener.fit(FRAMES, S, P, CONFIG.stride());
        PatchGeometry grid = CONFIG.geometry();
        float[] gray = FRAMES.get(3);
        float[] viaFrame = grid.cut(zca.whiten(gray));
        float[] viaPatches = MatArrays.toFloats(
                zca.apply(MatArrays.fromFloats(grid.cut(gray), P * P, grid.patchCount())));
        for (int i = 0; i < viaFrame.length; i++) {
            assertEquals(viaPatches[i], viaFrame[i], 1e-6, "value " + i);
        }
    }

    @Test
    void shouldStandardizeZcaFramesAfterFitAndRefuseBefore() {
        Preprocessor preprocessor = new Preprocessor(CONFIG,
                PreprocessingOptions.DEFAULT.withWhitening(PreprocessingOptions.Whitening.ZCA));
        assertTrue(preprocessor.needsFit(), "needs its fit frames");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> preprocessor.whiten(FRAMES.get(0)));
        assertEquals("ZCA whitening is not fitted yet: call fit() with the first frames", e.getMessage());

        preprocessor.fit(FRAMES);
        float[] whitened = preprocessor.whiten(FRAMES.get(5)).whitened();
        assertEquals(0.0, mean(whitened), 1e-5, "mean");
        assertEquals(1.0, std(whitened), 1e-4, "standard deviation");
    }

    @Test
    void shouldRejectZcaWithOverlappingPatches() {
        SmtConfig overlapping = CONFIG.with(Map.of("stride", "8"));
        PreprocessingOptions zca = PreprocessingOptions.DEFAULT.withWhitening(PreprocessingOptions.Whitening.ZCA);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Preprocessor(overlapping, zca));
        assertEquals("ZCA whitening needs non-overlapping patches, but the stride 8 is smaller than the patch size 16 "
                + "(use Fourier whitening, or stride >= patch size)", e.getMessage());
    }
}
