package org.smtstream.processor.offline.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.model.store.ModelRepository;
import org.smtstream.processor.offline.Clip;
import org.smtstream.processor.offline.Progress;
import org.smtstream.processor.offline.SyntheticClips;

/**
 * What {@code smt evaluate} decides: the split, the training of a model when none is given, the
 * frames of figure 3.7D, and what a given model is evaluated on. A synthetic clip of 60 frames, one
 * layer, no protocol (those run in EvaluateIT on the bundled clip).
 */
class ClipEvaluationRunTest {

    private static final SmtConfig CONFIG = SyntheticClips.CONFIG;
    private static final Clip CLIP = SyntheticClips.clip("synthetic", 60, 7);

    @TempDir
    static Path dir;

    private static ClipEvaluationRun.Result trained;
    private static final List<String> TASKS = new ArrayList<>();

    @BeforeAll
    static void evaluateWithoutAModel() throws Exception {
        Progress recording = (name, total) -> {
            TASKS.add(name + " " + total);
            return Progress.none().start(name, total);
        };
        trained = ClipEvaluationRun.run(new ClipEvaluationRun.Options(null, CONFIG, 0.7, 1, false, dir.resolve("a")),
                config -> CLIP, recording);
    }

    @Test
    void shouldSplitAtTheFloorOfTheFraction() {
        assertEquals(42, ClipEvaluationRun.trainFrames(60, 0.7));
        assertEquals(556, ClipEvaluationRun.trainFrames(795, 0.7), "the bundled clip: 795 frames");
        assertEquals(0, ClipEvaluationRun.trainFrames(1, 0.5));
    }

    @Test
    void shouldRefuseToTrainOnTooFewFrames() {
        ClipEvaluationRun.requireEnoughToTrain(60, 42, CONFIG);     // warm-up 10: 42 frames give a P
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClipEvaluationRun.requireEnoughToTrain(20, 12, CONFIG));
        assertEquals("20 frames are too few to train on 12 and evaluate on the rest", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClipEvaluationRun.requireEnoughToTrain(50, 42, CONFIG),
                "8 held-out frames are too few for curvature at k = 4");
    }

    @Test
    void shouldSpreadTheReconstructedFramesEvenlyFromTheFirstHeldOutOne() {
        assertArrayEquals(new int[] {556, 562, 568, 574}, ClipEvaluationRun.spread(556, 24, 4));
        assertArrayEquals(new int[] {42, 43, 44}, ClipEvaluationRun.spread(42, 3, 3), "fewer frames than wanted");
        assertArrayEquals(new int[] {0, 10, 20, 30}, ClipEvaluationRun.spread(0, ClipEvaluationRun.HIERARCHY_FRAMES,
                4), "the four shown of forty");
    }

    @Test
    void shouldTrainOnTheFirstFramesAndEvaluateTheRest() throws Exception {
        assertEquals(18, trained.evaluation().frames(), "60 - 42 held out");
        assertEquals("Trained by this run (one online pass, as 'smt train') on the first 42 frames; evaluated on "
                + "the other 18 (held out).", trained.training());
        assertEquals(List.of("Training 42", "Evaluating 18"), TASKS);
        SmtModel stored = new ModelRepository(dir.resolve("a/model")).latest().orElseThrow();
        assertEquals(42, stored.info().framesSeen());
        assertEquals(stored.version(), trained.evaluation().modelVersion(), "the stored model is the evaluated one");
        assertNull(trained.protocol());
        assertNull(trained.hierarchy());
        assertNull(trained.protocolNeedles());
        assertNotNull(trained.disc());
        assertTrue(trained.summary(4).startsWith("SNR Phi alpha "), trained.summary(4));
    }

    @Test
    void shouldEvaluateEveryFrameWithAGivenModelInItsOwnConfiguration() throws Exception {
        List<SmtConfig> readFor = new ArrayList<>();
        ClipEvaluationRun.Result given = ClipEvaluationRun.run(new ClipEvaluationRun.Options(dir.resolve("a/model"),
                SmtConfig.seed(), 0.7, 1, false, dir.resolve("b")), config -> {
                    readFor.add(config);
                    return CLIP;
                }, Progress.none());
        assertEquals(List.of(CONFIG), readFor, "the clip is read for the model's configuration, not the given one");
        assertEquals(60, given.evaluation().frames());
        assertTrue(given.training().startsWith("Loaded from " + dir.resolve("a/model") + " (42 frames learned)"),
                given.training());
    }

    /**
     * g's lambda is picked on the training frames only: a clip with the same training frames and other
     * held-out frames picks the same fraction, one of the grid's; the held-out grid has every fraction, the
     * fixed lambda and the configured fraction at the live tolerance.
     */
    @Test
    void shouldPickGsLambdaOnTheTrainingFramesOnly() throws Exception {
        List<float[]> frames = new ArrayList<>(CLIP.frames().subList(0, 42));
        frames.addAll(SyntheticClips.clip("other", 18, 99).frames());
        ClipEvaluationRun.Result other = ClipEvaluationRun.run(new ClipEvaluationRun.Options(null, CONFIG, 0.7, 1,
                false, dir.resolve("c")), config -> new Clip("other held-out frames", frames), Progress.none());
        assertNotEquals(trained.evaluation().snrInverseDb(), other.evaluation().snrInverseDb(),
                "the held-out frames differ");
        assertEquals(trained.trainingLambdaFraction(), other.trainingLambdaFraction());
        assertTrue(Arrays.stream(InverseLambdaGrid.FRACTIONS).anyMatch(f -> f == trained.trainingLambdaFraction()),
                "a fraction of the grid: " + trained.trainingLambdaFraction());
        List<InverseLambdaGrid.Point> grid = trained.evaluation().inverseGrid();
        assertEquals(InverseLambdaGrid.FRACTIONS.length + 2, grid.size());
        assertEquals(InverseLambdaGrid.FIXED_LAMBDA, grid.get(grid.size() - 2).lambda());
        assertEquals(CONFIG.inverseLambdaFraction(), grid.get(grid.size() - 1).lambda());
        assertEquals(CONFIG.tolerance(), grid.get(grid.size() - 1).tolerance(), "as live inference stops g");
        assertTrue(grid.stream().allMatch(p -> Double.isFinite(p.snrAllDb()) && Double.isFinite(p.snrMovingDb())),
                "every point measured: " + grid);
    }

    @Test
    void shouldRejectABadSplitOrLayerCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClipEvaluationRun.Options(null, CONFIG, 1.0, 1, false, dir));
        assertEquals("Invalid train fraction: 1.0 (must be in (0, 1))", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ClipEvaluationRun.Options(null, CONFIG, 0.7, 3, false, dir));
        assertEquals("Invalid number of layers: 3 (1 or 2)", e.getMessage());
    }
}
