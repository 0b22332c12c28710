package org.smtstream.processor.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.processor.math.coding.Dictionary;
import org.smtstream.processor.math.coding.SparseCoder;
import org.smtstream.processor.math.embedding.AnalyticEmbedding;
import org.smtstream.processor.testing.TestConfigs;

class OnlineSmtLearnerTest {

    private static final SmtConfig CONFIG = TestConfigs.SMALL.with(Map.of("embeddingWarmup", "3"));

    /** Patches and non-negative sparse codes of one frame (random, reproducible). */
    private static float[][] frame(SplittableRandom random) {
        int b = CONFIG.patchesPerFrame();
        float[] codes = new float[b * CONFIG.dictionarySize()];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < 3; k++) {
                codes[i * CONFIG.dictionarySize() + random.nextInt(CONFIG.dictionarySize())] =
                        (float) random.nextDouble();
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

    /**
     * V is the moment of the codes inference gave, as they are; only the sample (here patches 0 and
     * 8 of 16, one in 8, on the first frame) is re-coded, and the objective is theirs under the
     * learner's Phi (the seeded dictionary before its first step).
     */
    @Test
    void vIsTheMomentOfInferencesCodesAndOnlyTheSampleIsReCoded() {
        int b = CONFIG.patchesPerFrame();
        int n = CONFIG.patchDim();
        int atoms = CONFIG.dictionarySize();
        SmtConfig sampled = CONFIG.with(Map.of("recodeEvery", "8"));
        OnlineSmtLearner learner = new OnlineSmtLearner(sampled, null, 50);
        float[][] f = frame(new SplittableRandom(7));
        double objective = learner.learn("cam", 0, f[0], f[1]).codingObjective();

        INDArray a = Nd4j.create(f[1], new long[] {b, atoms}, 'c').castTo(DataType.DOUBLE).transpose();
        INDArray expectedV = a.mmul(a.transpose()).divi(b);
        assertEquals(0.0, expectedV.sub(learner.secondMoment()).amaxNumber().doubleValue(),
                1e-12 * expectedV.amaxNumber().doubleValue(), "V = A A^T / B of inference's codes");

        INDArray x = Nd4j.create(DataType.FLOAT, new long[] {n, 2}, 'f');
        INDArray codes = Nd4j.create(DataType.FLOAT, new long[] {atoms, 2}, 'f');
        for (int j = 0; j < 2; j++) {
            int patch = 8 * j;
            x.getColumn(j).assign(Nd4j.create(Arrays.copyOfRange(f[0], patch * n, (patch + 1) * n)));
            codes.getColumn(j).assign(Nd4j.create(Arrays.copyOfRange(f[1], patch * atoms, (patch + 1) * atoms)));
        }
        Dictionary phi = Dictionary.random(n, atoms, sampled.randomSeed());
        double expected = SparseCoder.of(sampled).encode(phi, x, codes, true).objective() / 2;
        assertEquals(expected, objective, 1e-5 * expected, "the objective per patch of patches 0 and 8, re-coded");
    }

    /**
     * Re-coding every patch (the presets' k = 1), V is the moment of the learner's own codes under
     * its current Phi, which P is published with, not of inference's.
     */
    @Test
    void reCodingEveryPatchVIsTheMomentOfTheLearnersOwnCodes() {
        int b = CONFIG.patchesPerFrame();
        int atoms = CONFIG.dictionarySize();
        SmtConfig all = CONFIG.with(Map.of("recodeEvery", "1"));
        OnlineSmtLearner learner = new OnlineSmtLearner(all, null, 50);
        float[][] f = frame(new SplittableRandom(11));
        learner.learn("cam", 0, f[0], f[1]);

        INDArray x = Nd4j.create(f[0], new long[] {b, all.patchDim()}, 'c').transpose().dup('f');
        INDArray inference = Nd4j.create(f[1], new long[] {b, atoms}, 'c').transpose().dup('f');
        INDArray own = inference.dup('f');
        SparseCoder.of(all).encode(Dictionary.random(all.patchDim(), atoms, all.randomSeed()), x, own, true);
        INDArray a = own.castTo(DataType.DOUBLE);
        INDArray expectedV = a.mmul(a.transpose()).divi(b);
        double scale = expectedV.amaxNumber().doubleValue();
        assertEquals(0.0, expectedV.sub(learner.secondMoment()).amaxNumber().doubleValue(), 1e-6 * scale,
                "V = A A^T / B of the re-coded codes");
        INDArray a0 = inference.castTo(DataType.DOUBLE);
        double fromInference = a0.mmul(a0.transpose()).divi(b).sub(learner.secondMoment()).amaxNumber().doubleValue();
        assertTrue(fromInference > 1e-2 * scale, "not inference's moment: " + fromInference);
    }

    /** A blank frame (whitened to zeros: SNR 0/0) leaves the window's SNR as the other frames made it. */
    @Test
    void aBlankFrameStaysOutOfTheWindowSnr() {
        float[][] f = frame(new SplittableRandom(12));
        OnlineSmtLearner withBlank = new OnlineSmtLearner(CONFIG, null, 50);
        OnlineSmtLearner without = new OnlineSmtLearner(CONFIG, null, 50);
        withBlank.learn("cam", 0, f[0], f[1]);
        without.learn("cam", 0, f[0], f[1]);
        withBlank.learn("cam", 1, new float[f[0].length], new float[f[1].length]);
        double snr = withBlank.snapshot(1, ModelInfo.fresh(0)).info().stat(ModelInfo.SNR_DB);
        assertTrue(Double.isFinite(snr), "window SNR " + snr);
        assertEquals(without.snapshot(1, ModelInfo.fresh(0)).info().stat(ModelInfo.SNR_DB), snr, 0.0);
    }

    /**
     * A blank frame changes nothing in the model (Phi, P, V, frames learned), is counted in the window
     * and in the version's stats, and cuts the stream's second differences.
     */
    @Test
    void aBlankFrameIsCountedButNotLearnedFrom() {
        OnlineSmtLearner learner = new OnlineSmtLearner(CONFIG, null, 1);   // a dead-atom window of one step
        SplittableRandom random = new SplittableRandom(13);
        for (int t = 0; t < 4; t++) {
            float[][] f = frame(random);
            learner.learn("cam", t, f[0], f[1]);
        }
        assertTrue(learner.hasEmbedding());
        SmtModel before = learner.snapshot(1, ModelInfo.fresh(0));
        float[][] f = frame(random);
        OnlineSmtLearner.Sample sample = learner.learn("cam", 4, new float[f[0].length], new float[f[1].length]);
        SmtModel after = learner.snapshot(2, ModelInfo.fresh(0));

        assertTrue(sample.blank());
        assertFalse(sample.embeddingStepped());
        assertTrue(learner.isFinite());
        assertEquals(4, learner.frames(), "not learned");
        assertArrayEquals(before.phi().data(), after.phi().data(), 0f, "Phi");
        assertArrayEquals(before.p().data(), after.p().data(), 0f, "P");
        assertArrayEquals(before.v().data(), after.v().data(), 0f, "V");
        assertArrayEquals(before.meanActivity().data(), after.meanActivity().data(), 0f, "<alpha>");
        assertEquals(1, learner.windowBlankFrames());
        assertEquals(1, learner.blankFrames());
        assertEquals(0.0, before.info().stat(ModelInfo.BLANK_FRAMES));
        assertEquals(1.0, after.info().stat(ModelInfo.BLANK_FRAMES));
        assertEquals(before.info().stat(ModelInfo.SNR_DB), after.info().stat(ModelInfo.SNR_DB), 0.0);
        assertFalse(learner.learn("cam", 5, f[0], f[1]).embeddingStepped(), "frame 5 follows a cut");
        learner.resetWindow();
        assertEquals(0, learner.windowBlankFrames());
        assertEquals(1, learner.blankFrames());
    }

    @Test
    void aRefitReplacesPByTheExactSolutionOfEq33OnTheRunningMoments() {
        // 16 patches a frame, N = 128: S has its N difference columns after 8 frames of differences (t = 2 .. 9)
        OnlineSmtLearner refitting = new OnlineSmtLearner(CONFIG.with(Map.of("embeddingRefitEvery", "10")), null, 50);
        OnlineSmtLearner sgdOnly = new OnlineSmtLearner(CONFIG, null, 50);
        SplittableRandom random = new SplittableRandom(4);
        long[] refits = new long[20];
        for (int t = 0; t < 20; t++) {
            float[][] f = frame(random);
            refitting.learn("cam", t, f[0], f[1]);
            sgdOnly.learn("cam", t, f[0], f[1]);
            refits[t] = refitting.refits();
        }
        assertEquals(0, refits[8], "no refit before frame 10");
        assertEquals(1, refits[9], "a refit at frame 10");
        assertEquals(1, refits[18]);
        assertEquals(2, refits[19], "and at frame 20");
        assertEquals(0, sgdOnly.refits());
        assertEquals(0, sgdOnly.differenceMoments().columns(), "S is kept only for refits");

        INDArray v = refitting.secondMoment();
        INDArray s = refitting.differenceMoments().secondMoment();
        AnalyticEmbedding.Options options = new AnalyticEmbedding.Options(OnlineSmtLearner.EMBEDDING_RIDGE, 0);
        AnalyticEmbedding.Fit exact = AnalyticEmbedding.fit(v, s, CONFIG.embeddingDim(), options);
        double refitObjective = AnalyticEmbedding.objective(refitting.embeddingP(), s);
        assertEquals(exact.objective(), refitObjective, 1e-9 * exact.objective(),
                "P is eq. 3.3's minimizer on S and V");
        assertTrue(AnalyticEmbedding.constraintResidual(refitting.embeddingP(), exact.regularizedV()) < 1e-8);
        // The same frames give the SGD-only learner the same Phi, V and S (a refit touches only P): its P,
        // put on the same constraint, must cost more.
        INDArray sgd = AnalyticEmbedding.orthonormalize(sgdOnly.embeddingP(), exact.regularizedV());
        double sgdObjective = AnalyticEmbedding.objective(sgd, s);
        assertTrue(refitObjective < sgdObjective,
                "refit " + refitObjective + " against A.1 steps only " + sgdObjective);
        // A publication right after the refit finds P already solved against this V and leaves it as it is.
        INDArray refitted = refitting.embeddingP().dup(refitting.embeddingP().ordering());
        assertTrue(refitting.refreshConstraint() < 1e-8, "no drift at the refit's own frame");
        assertArrayEquals(refitted.data().asDouble(), refitting.embeddingP().data().asDouble(),
                "P untouched by the refresh");
    }

    @Test
    void aRestoredLearnerWaitsForItsOwnSBeforeTheNextRefit() {
        SmtConfig refitting = CONFIG.with(Map.of("embeddingRefitEvery", "5"));
        OnlineSmtLearner learner = new OnlineSmtLearner(refitting, null, 50);
        SplittableRandom random = new SplittableRandom(5);
        for (int t = 0; t < 20; t++) {
            float[][] f = frame(random);
            learner.learn("cam", t, f[0], f[1]);
        }
        assertTrue(learner.refits() > 0);
        learner.refreshConstraint();
        SmtModel saved = learner.snapshot(1, new ModelInfo(0, 1L, 20, 0, "", Map.of()));
        OnlineSmtLearner restored = new OnlineSmtLearner(refitting, saved, 50);
        assertEquals(20, restored.frames());
        assertEquals(0, restored.differenceMoments().columns(), "S is not part of a model");
        long[] refits = new long[10];
        for (int t = 20; t < 30; t++) {
            float[][] f = frame(random);
            restored.learn("cam", t, f[0], f[1]);
            refits[t - 20] = restored.refits();
        }
        // Differences again from t = 22 (the history restarts): 3 batches of 16 columns at frame 25, 8 (= N) at 30
        assertEquals(0, refits[4], "no refit at frame 25: S has 48 of the N = 128 columns it needs");
        assertEquals(1, refits[9], "a refit at frame 30, once S has N columns");
    }

    @Test
    void aRefitOnNonFiniteMomentsIsSkippedAndPKept() {
        OnlineSmtLearner learner = new OnlineSmtLearner(CONFIG.with(Map.of("embeddingRefitEvery", "10")), null, 50);
        SplittableRandom random = new SplittableRandom(6);
        for (int t = 0; t < 9; t++) {
            float[][] f = frame(random);
            learner.learn("cam", t, f[0], f[1]);
        }
        INDArray before = learner.embeddingP().dup();
        float[][] bad = frame(random);
        bad[1][0] = Float.NaN;                       // one non-finite code reaches V and S
        learner.learn("cam", 9, bad[0], bad[1]);     // frame 10: a refit is due, and must not throw
        assertEquals(0, learner.refits(), "the refit on NaN moments is skipped, not counted");
        assertEquals(before, learner.embeddingP(), "P kept (the A.1 step on NaN differences is refused too)");
    }
}
