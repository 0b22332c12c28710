package org.smtstream.processor.offline.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.model.store.ModelRepository;
import org.smtstream.processor.layer.LayerModel;
import org.smtstream.processor.math.embedding.AnalyticEmbedding;
import org.smtstream.processor.math.embedding.Embedding;
import org.smtstream.processor.offline.Clip;
import org.smtstream.processor.offline.OfflineTrainer;
import org.smtstream.processor.offline.SyntheticClips;

/** Blank frames in {@code smt evaluate}'s measurements of one clip, curvature, SNRs and prediction alike. */
class ClipEvaluationTest {

    private static final SmtConfig CONFIG = SyntheticClips.CONFIG;
    private static final Clip CONTENT = SyntheticClips.clip("synthetic", 24, 9);

    @TempDir
    static Path dir;

    private static SmtModel trained;
    private static LayerModel model;

    @BeforeAll
    static void train() throws Exception {
        trained = OfflineTrainer.train(List.of(SyntheticClips.clip("train", 30, 8)), CONFIG, null,
                new ModelRepository(dir), OfflineTrainer.Options.defaults(), done -> { }).model();
        model = LayerModel.of(trained);
    }

    private static ClipEvaluation.Result evaluate(Clip clip) {
        return ClipEvaluation.run(clip, model, null, CONFIG, ClipEvaluation.Options.defaults(), done -> { });
    }

    /**
     * The controls beside the model's beta, fitted to its training moments: each is feasible
     * (P V_reg P^T = I) and zero on atoms the training codes never used, and the time-shuffled one,
     * fitted to S = 6 C, is the feasible P of least tr(P C P^T), so neither PCA nor the random P goes
     * below it. With them, the evaluation measures curvature for all six representations.
     */
    @Test
    void shouldFitFeasibleControlsToTheTrainingMomentsAndMeasureThemBesideBeta() {
        ClipEvaluation.TrainingMoments moments = ClipEvaluation.TrainingMoments.of(trained);
        StraighteningProtocol.Options options = ClipEvaluation.Options.defaults().protocol();
        Map<String, Embedding> controls = ClipEvaluation.controls(moments, CONFIG.embeddingDim(), options);
        assertEquals(List.of("pca", "random", "shuffled"), List.copyOf(controls.keySet()));
        int[] active = StraighteningProtocol.activeAtoms(moments.secondMoment());
        INDArray vReg = AnalyticEmbedding.regularize(StraighteningProtocol.restrict(moments.secondMoment(), active),
                options.ridge());
        INDArray covariance = StraighteningProtocol.restrict(moments.covariance(), active);
        Map<String, Double> spread = new LinkedHashMap<>();
        controls.forEach((name, p) -> {
            INDArray onActive = p.p().castTo(DataType.DOUBLE).getColumns(active);
            assertEquals(0.0, p.p().castTo(DataType.DOUBLE).norm2Number().doubleValue()
                    - onActive.norm2Number().doubleValue(), 1e-6, name + " is zero off the active atoms");
            assertTrue(AnalyticEmbedding.constraintResidual(onActive, vReg) < 1e-3, name + " is feasible");
            spread.put(name, AnalyticEmbedding.objective(onActive, covariance));
        });
        assertTrue(spread.get("shuffled") <= spread.get("random") && spread.get("shuffled") <= spread.get("pca"),
                "tr(P C P^T) of the controls: " + spread);

        ClipEvaluation.Result result = ClipEvaluation.run(CONTENT, model, moments, CONFIG,
                ClipEvaluation.Options.defaults(), done -> { });
        assertEquals(List.of("pixels", "alpha", "beta", "pca", "random", "shuffled"),
                result.curves().stream().map(ClipEvaluation.Curves::name).toList());
        assertEquals(List.of("pixels", "alpha", "beta"),
                evaluate(CONTENT).curves().stream().map(ClipEvaluation.Curves::name).toList(),
                "no moments, no controls");
    }

    /** Black frames before and after the content change no number: they are counted and left out. */
    @Test
    void shouldMeasureAClipThatStartsAndEndsBlackAsItsContent() {
        float[] blank = new float[CONTENT.frames().get(0).length];
        List<float[]> frames = new ArrayList<>(CONTENT.frames());
        frames.add(0, blank);
        frames.add(0, blank);
        frames.add(blank);
        ClipEvaluation.Result withBlank = evaluate(new Clip("black ends", frames));
        ClipEvaluation.Result content = evaluate(CONTENT);

        assertEquals(27, withBlank.frames());
        assertEquals(3, withBlank.blankFrames());
        assertEquals(0, content.blankFrames());
        assertEquals(content.snrAlphaDb(), withBlank.snrAlphaDb(), 1e-9);
        assertEquals(content.snrInverseDb(), withBlank.snrInverseDb(), 1e-9);
        assertEquals(content.activeFraction(), withBlank.activeFraction(), 1e-12);
        assertArrayEquals(content.movingLocations(), withBlank.movingLocations());
        for (String name : List.of("pixels", "alpha", "beta")) {
            for (int k : content.curves(name).steps()) {
                double expected = content.curves(name).at(k, false);
                assertTrue(Double.isFinite(expected), name + " at k = " + k);
                assertEquals(expected, withBlank.curves(name).at(k, false), 1e-9, name + " at k = " + k);
                assertEquals(content.curves(name).at(k, true), withBlank.curves(name).at(k, true), 1e-9);
            }
        }
        assertEquals(2, withBlank.figure34().firstFrame(), "figure 3.4 starts at the first frame with content");
        assertEquals(content.prediction().predictedFrames(), withBlank.prediction().predictedFrames());
        for (Prediction.Row row : content.prediction().rows()) {
            assertTrue(Double.isFinite(row.movingDb()), row.toString());
            Prediction.Row other = withBlank.prediction().row(row.representation(), row.predictor());
            assertEquals(row.allDb(), other.allDb(), 1e-9, row.toString());
            assertEquals(row.movingDb(), other.movingDb(), 1e-9, row.toString());
        }
    }

    /** A blank frame inside a clip cuts it: no curvature pair spans it. */
    @Test
    void shouldMeasureCurvatureWithinTheRunsABlankFrameCuts() {
        List<float[]> frames = new ArrayList<>(CONTENT.frames());
        frames.set(12, new float[frames.get(0).length]);
        ClipEvaluation.Result cut = evaluate(new Clip("cut", frames));

        assertEquals(1, cut.blankFrames());
        ClipEvaluation.Curves pixels = cut.curves("pixels");
        for (int i = 0; i < pixels.steps().length; i++) {
            int k = pixels.steps()[i];
            long expected = (long) ((12 - 2 * k) + (11 - 2 * k)) * CONFIG.patchesPerFrame();
            assertEquals(expected, pixels.all()[i].pairs() + pixels.all()[i].skipped(), "pairs at k = " + k);
        }
        assertEquals((12 - 2) + (11 - 2), cut.prediction().predictedFrames(), "no prediction spans the blank frame");
    }

    @Test
    void shouldRefuseAClipWithNothingButBlankFrames() {
        Clip black = new Clip("black", List.of(new float[CONTENT.frames().get(0).length],
                new float[CONTENT.frames().get(0).length]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> evaluate(black));
        assertEquals("Every frame of black is blank: nothing to evaluate", e.getMessage());
    }
}
