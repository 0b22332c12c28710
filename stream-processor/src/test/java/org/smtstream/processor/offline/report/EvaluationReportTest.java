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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.Json;
import org.smtstream.model.NeedlePlot;
import org.smtstream.model.Needles;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.model.store.ModelRepository;
import org.smtstream.processor.layer.LayerModel;
import org.smtstream.processor.math.analysis.Curvature;
import org.smtstream.processor.math.analysis.NeedleComparison;
import org.smtstream.processor.math.analysis.Unwhitening;
import org.smtstream.processor.offline.Clip;
import org.smtstream.processor.offline.OfflineTrainer;
import org.smtstream.processor.offline.SyntheticClips;
import org.smtstream.processor.offline.evaluation.ClipEvaluation;
import org.smtstream.processor.offline.evaluation.ClipEvaluationRun;
import org.smtstream.processor.offline.evaluation.ImageSpace;
import org.smtstream.processor.offline.evaluation.Prediction;
import org.smtstream.processor.offline.evaluation.UnitDiscDemo;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The report of a small synthetic clip: its numbers agree with each other and every figure is a readable picture. */
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
        result = ClipEvaluation.run(clip, LayerModel.of(model), ClipEvaluation.TrainingMoments.of(model), CONFIG,
                ClipEvaluation.Options.defaults(), done -> { });
        figures = EvaluationReport.write(new ClipEvaluationRun.Result(CONFIG, "trained on a synthetic clip", result,
                UnitDiscDemo.run(), null, null, null, 0.02), dir.resolve("report"));
    }

    @Test
    void shouldWriteEveryFigureAsAPngOrSvgOfTheStatedSize() throws Exception {
        assertEquals(8, figures.size());
        JsonNode listed = Json.readTree(Files.readString(dir.resolve("report").resolve(EvaluationReport.JSON)))
                .get("figures");
        assertEquals(figures.size(), listed.size());
        for (int i = 0; i < figures.size(); i++) {
            EvaluationReport.Figure figure = figures.get(i);
            Path file = dir.resolve("report").resolve(figure.file());
            if (figure.file().endsWith(".svg")) {
                Element root = svg(figure.file()).getDocumentElement();
                assertEquals(figure.width(), (int) Math.ceil(Double.parseDouble(root.getAttribute("width"))));
                assertEquals(figure.height(), (int) Math.ceil(Double.parseDouble(root.getAttribute("height"))));
            } else {
                BufferedImage image = ImageIO.read(file.toFile());
                assertNotNull(image, figure.file() + " should decode as an image");
                assertEquals(figure.width(), image.getWidth(), figure.file());
                assertEquals(figure.height(), image.getHeight(), figure.file());
            }
            assertEquals(figure, Json.read(listed.get(i).toString(), EvaluationReport.Figure.class),
                    "report.json lists " + figure);
        }
        String md = Files.readString(dir.resolve("report").resolve(EvaluationReport.MARKDOWN));
        for (EvaluationReport.Figure figure : figures) {
            assertTrue(md.contains("](" + figure.file() + ")"), "report.md shows " + figure.file());
        }
        assertTrue(md.contains("| beta | 4 |"), md);
        assertTrue(md.contains("| beta | extrapolation | Phi g(2 beta_t - beta_{t-1}) |"), md);
        assertTrue(md.contains("On the moving locations, extrapolating beta predicts the next frame"), md);
        assertTrue(md.contains("the training frames pick 0.02"), md);
        assertTrue(md.contains("| 0.3 (fixed, units of beta) |"), md);
    }

    private static Document svg(String file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        return factory.newDocumentBuilder().parse(dir.resolve("report").resolve(file).toFile());
    }

    private static List<String> atomsOf(NodeList elements) {
        List<String> atoms = new ArrayList<>();
        for (int i = 0; i < elements.getLength(); i++) {
            String atom = ((Element) elements.item(i)).getAttribute("data-atom");
            if (!atom.isEmpty()) {
                atoms.add(atom);
            }
        }
        return atoms;
    }

    @Test
    void shouldDrawTheNeedleOfEveryAtomInItsOwnBox() throws Exception {
        Document doc = svg("fig3_5_needles.svg");
        Needles needles = result.needlePlots().needles();
        List<String> every = IntStream.range(0, CONFIG.dictionarySize()).mapToObj(Integer::toString).toList();
        assertEquals(every, atomsOf(doc.getElementsByTagName("svg")), "one box per atom, in atom order");
        List<String> defined = IntStream.range(0, CONFIG.dictionarySize()).filter(needles::defined)
                .mapToObj(Integer::toString).toList();
        assertTrue(defined.size() > CONFIG.dictionarySize() / 2, "a trained dictionary has needles: " + defined);
        assertEquals(defined, atomsOf(doc.getElementsByTagName("line")));
    }

    @Test
    void shouldDrawEachAffinityGroupAsItsNeighboursThenItsAtom() throws Exception {
        List<NeedlePlot.Group> groups = result.needlePlots().groups();
        assertEquals(Math.min(12, Math.min(500, CONFIG.dictionarySize() / 2)), groups.size());
        Needles needles = result.needlePlots().needles();
        List<String> expected = new ArrayList<>();
        for (NeedlePlot.Group g : groups) {
            assertTrue(needles.defined(g.atom()), "groups are drawn around well-fit atoms");
            for (int i = g.neighbours().length - 1; i >= 0; i--) {
                if (needles.defined(g.neighbours()[i])) {
                    expected.add(Integer.toString(g.neighbours()[i]));
                }
            }
            expected.add(Integer.toString(g.atom()));
            assertEquals(Math.min(40, CONFIG.dictionarySize() - 1), g.neighbours().length);
        }
        Document doc = svg("fig3_6a_affinity_needles.svg");
        assertEquals(expected, atomsOf(doc.getElementsByTagName("line")));
        JsonNode listed = Json.readTree(Files.readString(dir.resolve("report").resolve(EvaluationReport.JSON)))
                .get("affinityGroups");
        assertEquals(groups.get(0).atom(), listed.get(0).get("atom").asInt());
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
        assertEquals(result.snrAlphaImageDb(), json.get("snrAlphaImageDb").asDouble());
        assertEquals(result.snrInverseImageDb(), json.get("snrInverseImageDb").asDouble());
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
        JsonNode prediction = json.get("prediction");
        assertEquals(40 - 2, prediction.get("predictedFrames").asInt(), "every frame after the first two");
        assertEquals(5, prediction.get("rows").size(), "pixels and beta: copy-last, extrapolation; beta's ceiling");
        for (int i = 0; i < 5; i++) {
            JsonNode row = prediction.get("rows").get(i);
            Prediction.Row expected = result.prediction().rows().get(i);
            assertEquals(expected.representation(), row.get("representation").asText());
            assertEquals(expected.prediction(), row.get("prediction").asText());
            assertEquals(expected.movingDb(), row.get("movingDb").asDouble());
        }
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

    /** The image-space pictures are C of the whitened ones, and their SNR is the pooled one's kind of number. */
    @Test
    void shouldShowAndMeasureTheReconstructionsInImageSpace() {
        ImageSpace pictures = result.imageSpace();
        assertEquals(3, pictures.frames().length);
        Unwhitening unwhitening = Unwhitening.of(CONFIG);
        for (int i = 0; i < pictures.frames().length; i++) {
            float[] x = pictures.whitened()[i];
            assertArrayEquals(unwhitening.frame(CONFIG.geometry().cut(x)), pictures.unwhitened()[i], 1e-5f,
                    "C x of frame " + pictures.frames()[i]);
            assertArrayEquals(CONFIG.geometry().assemble(clip.frames().get(pictures.frames()[i])), x, 0f,
                    "the whitened picture is the clip's frame");
        }
        assertTrue(Double.isFinite(result.snrAlphaImageDb()) && result.snrAlphaImageDb() > 0,
                "C Phi alpha resembles C x: " + result.snrAlphaImageDb() + " dB");
        assertTrue(result.snrInverseImageDb() < result.snrAlphaImageDb(), "from beta loses more in image space too: "
                + result.snrInverseImageDb() + " vs " + result.snrAlphaImageDb() + " dB");
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
