package org.smtstream.processor.offline.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.Json;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.model.store.ModelRepository;
import org.smtstream.processor.layer.LayerModel;
import org.smtstream.processor.math.analysis.Curvature;
import org.smtstream.processor.math.analysis.NeedleComparison;
import org.smtstream.processor.offline.Clip;
import org.smtstream.processor.offline.OfflineTrainer;
import org.smtstream.processor.offline.SyntheticClips;
import org.smtstream.processor.offline.evaluation.ClipEvaluation;
import org.smtstream.processor.offline.evaluation.ClipEvaluationRun;
import org.smtstream.processor.offline.evaluation.UnitDiscDemo;

/** The report of a small synthetic clip: its numbers agree with each other and every figure is a readable PNG. */
class EvaluationReportTest {

    private static final SmtConfig CONFIG = SyntheticClips.CONFIG;

    @TempDir
    static Path dir;

    private static Clip clip;
    private static ClipEvaluation.Result result;
    private static List<EvaluationReport.Figure> figures;

    @BeforeAll
    static void evaluate() throws Exception {
        SmtModel model = OfflineTrainer.train(List.of(SyntheticClips.clip("train", 120, 5)), CONFIG, null,
                new ModelRepository(dir.resolve("models")), OfflineTrainer.Options.defaults(), done -> { }).model();
        clip = SyntheticClips.clip("test", 40, 6);
        result = ClipEvaluation.run(clip, LayerModel.of(model), CONFIG, ClipEvaluation.Options.defaults(), done -> { });
        figures = EvaluationReport.write(new ClipEvaluationRun.Result(CONFIG, "trained on a synthetic clip", result,
                UnitDiscDemo.run(), null, null, null, 0.02), dir.resolve("report"));
    }

    @Test
    void shouldWriteEveryFigureAsAPngOfTheStatedSize() throws Exception {
        assertEquals(5, figures.size());
        JsonNode listed = Json.readTree(Files.readString(dir.resolve("report").resolve(EvaluationReport.JSON)))
                .get("figures");
        assertEquals(figures.size(), listed.size());
        for (int i = 0; i < figures.size(); i++) {
            EvaluationReport.Figure figure = figures.get(i);
            Path file = dir.resolve("report").resolve(figure.file());
            BufferedImage image = ImageIO.read(file.toFile());
            assertNotNull(image, figure.file() + " should decode as an image");
            assertEquals(figure.width(), image.getWidth(), figure.file());
            assertEquals(figure.height(), image.getHeight(), figure.file());
            assertEquals(figure, Json.read(listed.get(i).toString(), EvaluationReport.Figure.class),
                    "report.json lists " + figure);
        }
        String md = Files.readString(dir.resolve("report").resolve(EvaluationReport.MARKDOWN));
        for (EvaluationReport.Figure figure : figures) {
            assertTrue(md.contains("](" + figure.file() + ")"), "report.md shows " + figure.file());
        }
        assertTrue(md.contains("| beta | 4 |"), md);
        assertTrue(md.contains("the training frames pick 0.02"), md);
        assertTrue(md.contains("| 0.3 (fixed, units of beta) |"), md);
    }

    /** report.json reads back with the evaluation's own numbers; free text with quotes stays one string. */
    @Test
    void shouldWriteJsonThatReadsBackAsTheEvaluation() throws Exception {
        String training = "trained on \"synthetic\" frames\n\tand\\or noise";
        JsonNode json = Json.readTree(EvaluationReport.json(new ClipEvaluationRun.Result(CONFIG, training, result,
                UnitDiscDemo.run(), null, null, null, Double.NaN), figures));
        assertEquals(training, json.get("training").asText());
        assertEquals(result.clip(), json.get("clip").asText());
        assertEquals(result.snrAlphaDb(), json.get("snrAlphaDb").asDouble());
        assertEquals(result.activeFraction(), json.get("activeFraction").asDouble());
        assertEquals(result.inverseGrid().size(), json.get("inverseGrid").size());
        for (int i = 0; i < result.inverseGrid().size(); i++) {
            assertEquals(result.inverseGrid().get(i).snrAllDb(), json.get("inverseGrid").get(i).get("snrAllDb")
                    .asDouble(), "grid point " + i);
        }
        assertTrue(json.get("trainingLambdaFraction").isNull(), "a given model: none chosen");
        assertEquals(result.needles(), Json.read(json.get("needles").toString(), NeedleComparison.class));
        assertTrue(json.get("protocolNeedles").isNull() && json.get("protocol").isNull(), "not run: null");
        assertNull(json.get("hierarchy"), "not run: absent");
        for (JsonNode row : json.get("curvature")) {
            ClipEvaluation.Curves curve = result.curves(row.get("representation").asText());
            for (int i = 0; i < curve.steps().length; i++) {
                JsonNode step = row.get("steps").get(i);
                assertEquals(curve.steps()[i], step.get("k").asInt());
                assertEquals(curve.all()[i].meanDegrees(), step.get("all").asDouble(), curve.name());
                assertArrayEquals(curve.histogramMoving()[i], Json.read(step.get("histogramMoving").toString(),
                        long[].class), curve.name());
            }
        }
    }

    @Test
    void shouldCountEveryAngleOnceInTheHistograms() {
        for (ClipEvaluation.Curves curve : result.curves()) {
            for (int i = 0; i < curve.steps().length; i++) {
                assertEquals(curve.all()[i].pairs(), Arrays.stream(curve.histogramAll()[i]).sum(),
                        curve.name() + " k=" + curve.steps()[i] + " all");
                assertEquals(curve.moving()[i].pairs(), Arrays.stream(curve.histogramMoving()[i]).sum(),
                        curve.name() + " k=" + curve.steps()[i] + " moving");
                assertTrue(curve.moving()[i].pairs() < curve.all()[i].pairs());
            }
        }
    }

    @Test
    void shouldAgreeWithTheCurvatureOfTheWholeFrames() {
        List<INDArray> frames = clip.frames().stream()
                .map(f -> Nd4j.create(f, new long[] {CONFIG.patchDim(), CONFIG.patchesPerFrame()}, 'f')).toList();
        for (int k : new int[] {1, 2, 4}) {
            assertEquals(Curvature.ofFrames(frames, k).meanDegrees(), result.curves("pixels").at(k, false), 1e-6,
                    "pixels, k = " + k);
        }
    }

    @Test
    void shouldReconstructWorseFromBetaThanFromAlpha() {
        assertTrue(result.snrInverseDb() < result.snrAlphaDb(),
                "Phi g(beta) " + result.snrInverseDb() + " dB vs Phi alpha " + result.snrAlphaDb() + " dB");
        assertTrue(result.snrAlphaDb() > 5, "a trained dictionary reconstructs the synthetic patches: "
                + result.snrAlphaDb());
        assertTrue(result.activeFraction() > 0 && result.activeFraction() < 0.5, "sparse: " + result.activeFraction());
        assertEquals(40, result.figure34().input().length, "figure 3.4 shows every frame up to 80");
    }
}
