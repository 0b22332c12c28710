package org.smtstream.processor.offline.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.store.ModelRepository;
import org.smtstream.processor.layer.LayerModel;
import org.smtstream.processor.offline.Clip;
import org.smtstream.processor.offline.OfflineTrainer;
import org.smtstream.processor.offline.SyntheticClips;

/** Blank frames in {@code smt evaluate}'s measurements of one clip, curvature, SNRs and prediction alike. */
class ClipEvaluationTest {

    private static final SmtConfig CONFIG = SyntheticClips.CONFIG;
    private static final Clip CONTENT = SyntheticClips.clip("synthetic", 24, 9);

    @TempDir
    static Path dir;

    private static LayerModel model;

    @BeforeAll
    static void train() throws Exception {
        model = LayerModel.of(OfflineTrainer.train(List.of(SyntheticClips.clip("train", 30, 8)), CONFIG, null,
                new ModelRepository(dir), OfflineTrainer.Options.defaults(), done -> { }).model());
    }

    private static ClipEvaluation.Result evaluate(Clip clip) {
        return ClipEvaluation.run(clip, model, CONFIG, ClipEvaluation.Options.defaults(), done -> { });
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
