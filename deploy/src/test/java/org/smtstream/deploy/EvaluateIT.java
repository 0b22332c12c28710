package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.smtstream.ingest.BundledClip;
import org.smtstream.model.Json;
import org.smtstream.model.store.FileTrees;
import org.w3c.dom.Element;
import picocli.CommandLine;

/**
 * {@code smt evaluate} on the bundled clip, fast preset, no --model: it trains on the first 70 % (one
 * online pass), evaluates that model on the last 30 %, runs the held-out protocol (ARCHITECTURE.md,
 * "Measuring straightening"), and writes the report into {@code target/evaluate/} (kept for the
 * docs). About five minutes on two idle cores. The checks are on report.json, i.e. on what a reader of the report sees.
 *
 * <p>What is asserted is what this clip supports (stream-processor/STRAIGHTENING.md and EVALUATION.md):
 * straightening at k = 4 on the moving quarter, by the protocol's beta against pixels, alpha and the
 * three controls, and by the online-learned model's against pixels, alpha and the same three controls
 * fitted to its training moments; not at k = 1. This is
 * the one run of the protocol in {@code mvn verify}.
 */
class EvaluateIT {

    private static final Path OUT = Path.of("target", "evaluate");
    /** beta must be below pixels, alpha, the random and the shuffled control by this much (least gap seen: 7.8). */
    private static final double MARGIN_DEG = 4.0;
    /** ... and below the PCA control by this much (smallest gap seen: 3.9). */
    private static final double MARGIN_PCA_DEG = 2.0;
    /** The online model's beta must be below the PCA control fitted to its moments by this much (gap seen: 2.1). */
    private static final double MODEL_MARGIN_PCA_DEG = 1.0;
    private static JsonNode report;
    private static String console;

    @BeforeAll
    static void evaluate() throws Exception {
        FileTrees.deleteRecursively(OUT);              // a model directory keeps every version: start from none
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = SmtCommand.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        long start = System.nanoTime();
        int code = cmd.execute("evaluate", "--input", BundledClip.path().toString(), "--out", OUT.toString());
        console = out.toString();
        assertEquals(0, code, console + "\n" + err);
        System.out.printf(Locale.ROOT, "EvaluateIT (%.0f s):%n%s%n", (System.nanoTime() - start) / 1e9, console);
        report = Json.readTree(Files.readString(OUT.resolve("report.json")));
    }

    /** Mean curvature of one representation at step k from a list of rows whose steps are under {@code steps}. */
    static double curvature(JsonNode rows, String name, String steps, int k, String where) {
        for (JsonNode row : rows) {
            if (row.get("representation").asText().equals(name)) {
                for (JsonNode step : row.get(steps)) {
                    if (step.get("k").asInt() == k) {
                        return step.get(where).asDouble();
                    }
                }
            }
        }
        throw new AssertionError("no curvature of " + name + " at k = " + k + " in " + rows);
    }

    /**
     * The held-out protocol on the bundled clip (Phi seed 42, control seed 7), against pixels, alpha
     * and the three controls (a PCA of alpha, a random P, a P fitted on time-shuffled frames). At
     * k = 1 beta is no straighter than pixels (and PCA is straighter than both), and at k = 2 it does
     * not beat PCA: nothing is asserted there. Each margin is about half of the smallest gap measured
     * over five runs (Phi seeds 42, 1, 2, 3; stream-processor/STRAIGHTENING.md). The last full run
     * measured beta 99.1 deg against pixels 109.0, alpha 107.5, random 108.0, shuffled 107.5 and
     * PCA 103.0.
     */
    @Test
    void shouldStraightenTheMovingQuarterAtStepFourBeyondPixelsAlphaAndEveryControl() {
        JsonNode rows = report.get("protocol").get("rows");
        double beta = curvature(rows, "beta", "curvature", 4, "moving");
        for (String other : List.of("pixels", "alpha", "random", "shuffled", "pca")) {
            double value = curvature(rows, other, "curvature", 4, "moving");
            double margin = other.equals("pca") ? MARGIN_PCA_DEG : MARGIN_DEG;
            assertTrue(beta < value - margin, String.format(Locale.ROOT, "protocol, k = 4, moving: beta %.1f "
                    + "should be below %s %.1f by more than %.1f degrees", beta, other, value, margin));
        }
    }

    /**
     * The model trained online (A.1 steps with the learner's exact refits of eq. 3.3 every 50 frames)
     * on the first 70 %, on held-out frames coded from zero, against pixels, alpha and the three
     * controls fitted to the model's own training moments. Measured: beta 102.7 degrees against pixels
     * 109.0, alpha 107.9, random 108.0, shuffled 109.8 and PCA 104.8 (EVALUATION.md); with A.1 steps
     * alone beta was 108.8. The margins are about half of those gaps; the one to PCA is the smallest.
     */
    @Test
    void shouldStraightenTheMovingQuarterAtStepFourWithTheOnlineLearnedModelBeyondEveryControl() {
        JsonNode rows = report.get("curvature");
        double beta = curvature(rows, "beta", "steps", 4, "moving");
        Map<String, Double> margins = Map.of("pixels", 4.0, "alpha", 3.0, "random", 2.5, "shuffled", 2.5,
                "pca", MODEL_MARGIN_PCA_DEG);
        margins.forEach((other, margin) -> {
            double value = curvature(rows, other, "steps", 4, "moving");
            assertTrue(beta < value - margin, String.format(Locale.ROOT, "model, k = 4, moving: beta %.1f should be "
                    + "below %s %.1f by more than %.1f degrees", beta, other, value, margin));
        });
    }

    @Test
    void shouldReconstructLessFromBetaThanFromAlphaButStillSomething() {
        for (JsonNode r : new JsonNode[] {report, report.get("protocol")}) {
            double alpha = r.get("snrAlphaDb").asDouble();
            double inverse = r.get("snrInverseDb").asDouble();
            assertTrue(inverse < alpha, "SNR of Phi g(beta) " + inverse + " should be below Phi alpha " + alpha);
            assertTrue(inverse > 1.0, "Phi g(beta) should keep something of the image: " + inverse + " dB");
        }
    }

    /**
     * Figure 3.6B with the protocol's Phi and analytic P (eq. 3.3), asserting what this clip supports.
     * Measured: embedding neighbours differ by 29.1 degrees in angle against 33.2 by chance, so the
     * embedding groups orientations; but pixel neighbours are closer still (27.9), so the thesis's
     * "closer than in pixel space" holds here for length (1.56 against 1.79 px), not for angle. The
     * model's online P is reported only: 32.3 degrees, barely below chance (33.1).
     */
    @Test
    void shouldFindEmbeddingNeighboursCloserInAngleThanChanceAndInLengthThanPixelNeighbours() {
        JsonNode needles = report.get("protocolNeedles");
        double angle = needles.get("embeddingAngle").asDouble();
        double chance = needles.get("chanceAngle").asDouble();
        assertTrue(angle < chance - 2.0, "Delta angle of embedding neighbours " + angle
                + " should be more than 2 degrees below chance " + chance + ": " + needles);
        double length = needles.get("embeddingLength").asDouble();
        double pixels = needles.get("pixelLength").asDouble();
        assertTrue(length < pixels - 0.1, "Delta length of embedding neighbours " + length
                + " should be more than 0.1 px below that of pixel neighbours " + pixels + ": " + needles);
    }

    @Test
    void shouldReconstructFromTheSecondLayerWithLessDetailThanFromTheFirst() {
        JsonNode h = report.get("hierarchy");
        double alpha1 = h.get("snrAlpha1Db").asDouble();
        double alpha2 = h.get("snrAlpha2Db").asDouble();
        assertTrue(alpha2 < alpha1, "layer 2 " + alpha2 + " dB should be below layer 1 " + alpha1 + " dB: " + h);
        assertTrue(alpha2 > 0.5, "layer 2 should keep something of the image: " + h);
    }

    @Test
    void shouldCountEveryAngleOnceAndMatchTheMeansOfTheHistograms() {
        double bin = report.get("histogramBinDegrees").asDouble();
        for (JsonNode row : report.get("curvature")) {
            for (JsonNode step : row.get("steps")) {
                long sum = 0;
                double centre = 0;
                int i = 0;
                for (JsonNode count : step.get("histogramMoving")) {
                    sum += count.asLong();
                    centre += count.asLong() * (i++ + 0.5) * bin;
                }
                assertEquals(step.get("movingPairs").asLong(), sum, row + " k=" + step.get("k"));
                assertEquals(step.get("moving").asDouble(), centre / sum, bin / 2,
                        "the histogram's mean is within half a bin of the mean: " + row.get("representation"));
            }
        }
    }

    /** Seven PNG figures (six of the thesis's and one in image space) and the two SVG needle plots. */
    @Test
    void shouldWriteEveryFigureAsAPngOrSvgOfTheStatedSize() throws Exception {
        assertEquals(9, report.get("figures").size());
        String md = Files.readString(OUT.resolve("report.md"));
        for (JsonNode figure : report.get("figures")) {
            Path file = OUT.resolve(figure.get("file").asText());
            int width;
            int height;
            if (file.toString().endsWith(".svg")) {
                Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile())
                        .getDocumentElement();
                width = (int) Math.ceil(Double.parseDouble(root.getAttribute("width")));
                height = (int) Math.ceil(Double.parseDouble(root.getAttribute("height")));
            } else {
                BufferedImage image = ImageIO.read(file.toFile());
                assertNotNull(image, file + " decodes as an image");
                width = image.getWidth();
                height = image.getHeight();
            }
            assertEquals(figure.get("width").asInt(), width, file.toString());
            assertEquals(figure.get("height").asInt(), height, file.toString());
            assertTrue(md.contains("](" + figure.get("file").asText() + ")"), "report.md shows " + file);
        }
    }
}
