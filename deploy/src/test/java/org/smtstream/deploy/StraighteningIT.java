package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.ingest.BundledClip;
import org.smtstream.ingest.preprocess.Preprocessor;
import org.smtstream.ingest.source.VideoFileSource;
import org.smtstream.model.PatchGeometry;
import org.smtstream.model.SmtConfig;
import org.smtstream.processor.offline.evaluation.StraighteningProtocol;
import org.smtstream.processor.offline.evaluation.StraighteningProtocol.Options;
import org.smtstream.processor.offline.evaluation.StraighteningProtocol.Representation;
import org.smtstream.processor.offline.evaluation.StraighteningProtocol.Result;

/**
 * The held-out straightening measure (ARCHITECTURE.md, "Measuring straightening") on frames of a real
 * video: the bundled clip (795 frames of OpenCV's {@code vtest.avi} at 320 x 240) through ingest's own
 * decoding, preprocessing and patching with the fast preset (16 x 16 patches, stride 16: 64
 * locations), then {@link StraighteningProtocol} with its defaults (Phi and P trained on the first
 * 70 % with one dictionary pass; curvature on the last 30 %). The table is printed and written to
 * {@code target/straightening/} as JSON and Markdown. About two minutes on two idle cores.
 *
 * <p>What is asserted is what this clip supports, at k = 4 on the moving quarter of the locations
 * (the measure of ARCHITECTURE.md). At k = 1 beta is no straighter than pixels (and PCA is straighter
 * than both), and at k = 2 it does not beat PCA: nothing is asserted there. Each margin is about half
 * of the smallest gap measured over five runs of the bundled clip (Phi seeds 42, 1, 2, 3; see
 * stream-processor/STRAIGHTENING.md). This test's own run (Phi seed 42, control seed 7) measured beta
 * 99.2 deg against pixels 109.0, alpha 107.6, random 108.1, shuffled 107.6 and PCA 103.2, and an SNR of
 * Phi g(beta) of 4.4 dB.
 */
class StraighteningIT {

    private static final int STEP = 4;
    /** beta must be below pixels, alpha, the random and the shuffled control by this much (least gap seen: 7.8). */
    private static final double MARGIN_DEG = 4.0;
    /** ... and below the PCA control by this much (smallest gap seen: 3.9). */
    private static final double MARGIN_PCA_DEG = 2.0;
    /** Phi g(beta) must keep this much of the held-out patches (4.35 to 6.1 dB seen): not mere smoothing. */
    private static final double MIN_INVERSE_SNR_DB = 2.0;
    private static final Path OUT = Path.of("target", "straightening");

    @Test
    void shouldStraightenTheMovingQuarterBeyondPixelsAlphaAndTheControlsAtStepFour() throws IOException {
        SmtConfig config = SmtConfig.fast();
        long start = System.nanoTime();
        List<INDArray> frames = patches(BundledClip.path(), config);
        assertEquals(BundledClip.FRAME_COUNT, frames.size(), "frames decoded from the bundled clip");

        Result result = StraighteningProtocol.run(frames, config, Options.defaults());
        double seconds = (System.nanoTime() - start) / 1e9;
        String table = result.toMarkdown();
        System.out.println("StraighteningIT (bundled clip, " + String.format("%.0f", seconds) + " s):\n" + table);
        Files.createDirectories(OUT);
        Files.writeString(OUT.resolve("bundled-clip.md"), "# Straightening, bundled clip\n\n" + table);
        Files.writeString(OUT.resolve("bundled-clip.json"), result.toJson());

        double beta = result.curvature(Representation.BETA, STEP, true);
        assertBelow(beta, result, Representation.PIXELS, MARGIN_DEG);
        assertBelow(beta, result, Representation.ALPHA, MARGIN_DEG);
        assertBelow(beta, result, Representation.RANDOM, MARGIN_DEG);
        assertBelow(beta, result, Representation.SHUFFLED, MARGIN_DEG);
        assertBelow(beta, result, Representation.PCA, MARGIN_PCA_DEG);
        assertTrue(result.snrInverseDb() > MIN_INVERSE_SNR_DB, String.format(
                "SNR of Phi g(beta) %.2f dB should exceed %.1f dB%n%s", result.snrInverseDb(), MIN_INVERSE_SNR_DB,
                table));
    }

    private static void assertBelow(double beta, Result result, Representation other, double margin) {
        double value = result.curvature(other, STEP, true);
        assertTrue(beta < value - margin, String.format(
                "k = %d, moving quarter: beta %.1f deg should be below %s %.1f deg by more than %.1f deg%n%s",
                STEP, beta, other.label(), value, margin, result.toMarkdown()));
    }

    /**
     * Every frame of a video file as ingest prepares it for the processor: decoded, gray, centre
     * crop, downsampled to S x S, Fourier-whitened and standardized, cut into patches.
     *
     * @return frame t as an n x L FLOAT matrix, column b the patch at location b
     */
    static List<INDArray> patches(Path clip, SmtConfig config) {
        Preprocessor preprocessor = new Preprocessor(config);
        PatchGeometry patcher = config.geometry();
        List<INDArray> frames = new ArrayList<>();
        try (VideoFileSource source = VideoFileSource.open(clip)) {
            Frame frame;
            while ((frame = source.grab()) != null) {
                float[] cut = patcher.cut(preprocessor.process(frame).whitened());
                frames.add(Nd4j.create(cut, new long[] {config.patchDim(), patcher.patchCount()}, 'f'));
            }
        }
        return frames;
    }
}
