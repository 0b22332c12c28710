package org.smtstream.processor.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;

class OnlineSmtLearnerTest {

    private static final SmtConfig CONFIG = OnlineSparseCodingTest.SMALL.with(Map.of("embeddingWarmup", "3"));

    /** Patches and non-negative sparse codes of one frame (random, reproducible). */
    private static float[][] frame(SplittableRandom random) {
        int b = CONFIG.patchesPerFrame();
        float[] codes = new float[b * CONFIG.dictionarySize()];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < 3; k++) {
                codes[i * CONFIG.dictionarySize() + random.nextInt(CONFIG.dictionarySize())] = (float) random.nextDouble();
            }
        }
        float[] patches = new float[b * CONFIG.patchDim()];
        for (int k = 0; k < patches.length; k++) {
            patches[k] = (float) random.nextGaussian();
        }
        return new float[][] {patches, codes};
    }

    @Test
    void theEmbeddingStartsAfterTheWarmUpAndStepsOnlyOnConsecutiveFramesOfAStream() {
        OnlineSmtLearner learner = new OnlineSmtLearner(CONFIG, null, 50);
        SplittableRandom random = new SplittableRandom(1);
        boolean[] stepped = new boolean[6];
        long[] index = {0, 1, 2, 3, 10, 11};
        for (int t = 0; t < index.length; t++) {
            float[][] f = frame(random);
            stepped[t] = learner.learn("cam", index[t], f[0], f[1]).embeddingStepped();
        }
        assertArrayEquals(new boolean[] {false, false, true, true, false, false}, stepped,
                "P exists from frame 3 (warm-up), the first difference at frame 2 needs it, and 10, 11 follow a gap");
        assertTrue(learner.hasEmbedding());
        learner.refreshConstraint();
        assertTrue(learner.refreshConstraint() < 1e-6, "no drift right after a refresh: P V P^T = I");
        float[][] other = frame(random);
        assertFalse(learner.learn("cam-b", 12, other[0], other[1]).embeddingStepped(),
                "another stream has its own history");
    }

    @Test
    void aSnapshotRestoresTheWholeLearnerState() {
        OnlineSmtLearner learner = new OnlineSmtLearner(CONFIG, null, 50);
        SplittableRandom random = new SplittableRandom(2);
        for (int t = 0; t < 6; t++) {
            float[][] f = frame(random);
            learner.learn("cam", t, f[0], f[1]);
        }
        learner.refreshConstraint();                   // as the learner processor does before publishing
        SmtModel saved = learner.snapshot(3, ModelInfo.fresh(1L));
        assertNotNull(saved.p());
        assertEquals(6, learner.frames());
        OnlineSmtLearner restored = new OnlineSmtLearner(CONFIG, new SmtModel(3, CONFIG, saved.phi(), saved.p(),
                saved.v(), saved.meanActivity(), new ModelInfo(2, 1L, 6, 0, "", saved.info().stats())), 50);
        SmtModel again = restored.snapshot(3, ModelInfo.fresh(1L));
        assertEquals(saved.phi(), again.phi());
        assertArrayEquals(saved.v().data(), again.v().data(), 1e-6f);
        assertArrayEquals(saved.meanActivity().data(), again.meanActivity().data(), 1e-7f);
        assertArrayEquals(saved.p().data(), again.p().data(), 1e-4f, "P re-orthonormalized against the same V");
        assertEquals(6, restored.frames());
        assertTrue(restored.isFinite());
    }

    @Test
    void theWindowObjectiveIsTheMeanCodingObjectiveOfItsFrames() {
        OnlineSmtLearner learner = new OnlineSmtLearner(CONFIG, null, 50);
        assertTrue(Double.isNaN(learner.windowObjective()));
        SplittableRandom random = new SplittableRandom(3);
        double sum = 0;
        for (int t = 0; t < 3; t++) {
            float[][] f = frame(random);
            sum += learner.learn("cam", t, f[0], f[1]).codingObjective();
        }
        assertEquals(sum / 3, learner.windowObjective(), 1e-12);
        learner.resetWindow();
        assertTrue(Double.isNaN(learner.windowObjective()));
        assertNull(new OnlineSmtLearner(CONFIG, null, 50).snapshot(0, ModelInfo.fresh(0)).p(), "no P before warm-up");
    }
}
