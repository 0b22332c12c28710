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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.FloatMatrix;
import org.smtstream.model.SmtConfig;
import org.smtstream.processor.math.coding.ActiveSetCoder;
import org.smtstream.processor.math.coding.SparseCoder;
import org.smtstream.processor.math.coding.SparseCodingResult;
import org.smtstream.processor.math.embedding.Embedding;
import org.smtstream.processor.math.embedding.EmbeddingInverse;
import org.smtstream.processor.math.embedding.ManifoldInference;
import org.smtstream.processor.testing.TestConfigs;

class FrameInferenceTest {

    private static final SmtConfig CONFIG = TestConfigs.SMALL.with(Map.of("gamma0", "0.5", "inverseIterations", "100"));

    private static float[] gaussian(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[length];
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) random.nextGaussian();
        }
        return v;
    }

    private static INDArray columns(float[] patchMajor, long rows) {
        return Nd4j.create(patchMajor.clone(), new long[] {rows, patchMajor.length / rows}, 'f');
    }

    @Test
    void withoutHistoryItIsPlainSparseCodingAndWithoutPNoBeta() {
        LayerModel model = LayerModel.initial(CONFIG);
        float[] patches = gaussian(CONFIG.patchesPerFrame() * CONFIG.patchDim(), 1);
        FrameInference.Result r = new FrameInference(CONFIG).infer(model, patches, null, null, true);
        INDArray codes = Nd4j.zeros(CONFIG.dictionarySize(), CONFIG.patchesPerFrame()).castTo(codesType()).dup('f');
        SparseCoder.of(CONFIG).encode(model.dictionary(), columns(patches, CONFIG.patchDim()), codes, false);
        assertArrayEquals(codes.data().asFloat(), r.codes(), 1e-6f);
        assertEquals(0, r.history());
        assertNull(r.beta());
        assertTrue(Double.isNaN(r.snrBetaDb()));
    }

    /** A blank frame is flagged, not coded (zeros, no iterations) and has no SNR, even with P and history. */
    @Test
    void aBlankFrameIsFlaggedWithZeroCodesAndUndefinedSnrs() {
        Embedding p = Embedding.fromMatrix(new FloatMatrix(CONFIG.embeddingDim(), CONFIG.dictionarySize(),
                gaussian(CONFIG.embeddingDim() * CONFIG.dictionarySize(), 2)), 1);
        LayerModel model = new LayerModel(1, LayerModel.initial(CONFIG).dictionary(), p);
        FrameInference inference = new FrameInference(CONFIG);
        float[] f0 = gaussian(CONFIG.patchesPerFrame() * CONFIG.patchDim(), 3);
        FrameInference.Result content = inference.infer(model, f0, null, null, true);
        FrameInference.Result blank = inference.infer(model, new float[f0.length], content.codes(), content.codes(),
                true);

        assertFalse(content.blank());
        assertTrue(Double.isFinite(content.snrAlphaDb()) && Double.isFinite(content.snrBetaDb()), "content's SNRs");
        assertTrue(blank.blank(), "flagged");
        assertTrue(Double.isNaN(blank.snrAlphaDb()) && Double.isNaN(blank.snrBetaDb()), "SNRs are 0/0");
        assertEquals(0, blank.iterations());
        assertEquals(0.0, blank.objective());
        assertEquals(0.0, blank.activeFraction());
        assertArrayEquals(new float[content.codes().length], blank.codes(), "no code, whatever the history");
        assertArrayEquals(new float[content.beta().length], blank.beta());
        assertArrayEquals(new float[f0.length], blank.betaReconstruction());
    }

    /** A blank frame cuts the trajectory: the frame after it is coded as the first of a clip. */
    @Test
    void aTrajectoryIsCutByABlankFrame() {
        LayerModel model = LayerModel.initial(CONFIG);
        FrameInference inference = new FrameInference(CONFIG);
        float[] f0 = gaussian(CONFIG.patchesPerFrame() * CONFIG.patchDim(), 3);
        Trajectory trajectory = new Trajectory();
        trajectory.advance(inference.infer(model, f0, null, null, false));
        trajectory.advance(inference.infer(model, f0, trajectory.previous(), null, false));
        assertNotNull(trajectory.beforePrevious());
        trajectory.advance(inference.infer(model, new float[f0.length], trajectory.previous(),
                trajectory.beforePrevious(), false));
        assertNull(trajectory.previous());
        assertNull(trajectory.beforePrevious());
        assertEquals(0, inference.infer(model, f0, trajectory.previous(), trajectory.beforePrevious(), false)
                .history());
    }

    @Test
    void withTwoFramesOfHistoryItSolvesEquation34AroundTheLinearPrediction() {
        Embedding p = Embedding.fromMatrix(new FloatMatrix(CONFIG.embeddingDim(), CONFIG.dictionarySize(),
                gaussian(CONFIG.embeddingDim() * CONFIG.dictionarySize(), 2)), 1);
        LayerModel model = new LayerModel(1, LayerModel.initial(CONFIG).dictionary(), p);
        FrameInference inference = new FrameInference(CONFIG);
        float[] f0 = gaussian(CONFIG.patchesPerFrame() * CONFIG.patchDim(), 3);
        float[] f1 = gaussian(f0.length, 4);
        float[] f2 = gaussian(f0.length, 5);
        float[] a0 = inference.infer(model, f0, null, null, false).codes();
        float[] a1 = inference.infer(model, f1, a0, null, false).codes();
        FrameInference.Result r = inference.infer(model, f2, a1, a0, true);
        assertEquals(2, r.history());

        INDArray prediction = columns(a1, CONFIG.dictionarySize()).muli(2).subi(columns(a0, CONFIG.dictionarySize()));
        INDArray expected = columns(a1, CONFIG.dictionarySize());                 // warm start: the previous codes
        ManifoldInference manifold = ManifoldInference.of(CONFIG);
        manifold.solve(model.dictionary(), p, columns(f2, CONFIG.patchDim()), prediction, expected, true);
        assertArrayEquals(expected.data().asFloat(), r.codes(), 1e-4f, "the solution of eq. 3.4 with a~ = 2 a1 - a0");
        INDArray beta = p.p().mmul(columns(r.codes(), CONFIG.dictionarySize()));
        assertArrayEquals(beta.dup('f').data().asFloat(), r.beta(), 1e-4f, "beta = P alpha");
        assertTrue(Double.isFinite(r.snrBetaDb()) && r.snrBetaDb() < r.snrAlphaDb(),
                "g(beta) reconstructs, less well than alpha: " + r.snrBetaDb() + " vs " + r.snrAlphaDb());
    }

    /**
     * The prediction through beta is Phi g(2 beta_1 - beta_0) of the two results before, solved only
     * with g requested and two frames of history; on a static scene it is the reconstruction of beta_t
     * up to the solver's tolerance, since beta_1 = beta_0 makes 2 beta_1 - beta_0 = beta_1.
     */
    @Test
    void withTwoFramesOfHistoryAndGItPredictsTheFrameThroughTheExtrapolatedBeta() {
        Embedding p = Embedding.fromMatrix(new FloatMatrix(CONFIG.embeddingDim(), CONFIG.dictionarySize(),
                gaussian(CONFIG.embeddingDim() * CONFIG.dictionarySize(), 12)), 1);
        LayerModel model = new LayerModel(1, LayerModel.initial(CONFIG).dictionary(), p);
        FrameInference inference = new FrameInference(CONFIG);
        float[] f0 = gaussian(CONFIG.patchesPerFrame() * CONFIG.patchDim(), 13);
        float[] f1 = gaussian(f0.length, 14);
        FrameInference.Result r0 = inference.infer(model, f0, null, null, true);
        FrameInference.Result r1 = inference.infer(model, f1, r0.codes(), null, true);
        assertNull(r0.betaPrediction(), "no history, no prediction");
        assertNull(r1.betaPrediction(), "one frame of history, no prediction");
        assertNull(inference.infer(model, f1, r1.codes(), r0.codes(), false).betaPrediction(), "g not requested");
        FrameInference.Result r2 = inference.infer(model, gaussian(f0.length, 15), r1.codes(), r0.codes(), true);

        int f = CONFIG.embeddingDim();
        INDArray betaHat = columns(r1.beta(), f).muli(2).subi(columns(r0.beta(), f));
        INDArray g = Nd4j.zeros(CONFIG.dictionarySize(), CONFIG.patchesPerFrame()).castTo(codesType()).dup('f');
        EmbeddingInverse.of(CONFIG, CONFIG.tolerance()).invert(p, betaHat, g, false);
        INDArray expected = model.dictionary().phi().mmul(g).dup('f');
        assertEquals(f0.length, r2.betaPrediction().length, "B x n");
        assertArrayEquals(expected.data().asFloat(), r2.betaPrediction(), 1e-4f,
                "Phi g(2 beta_1 - beta_0), the betas of the two frames before");
        assertFalse(Arrays.equals(r2.betaPrediction(), r2.betaReconstruction()), "not the frame's own g(beta)");

        FrameInference.Result still0 = inference.infer(model, f0, null, null, false);
        FrameInference.Result still1 = inference.infer(model, f0, still0.codes(), null, false);
        FrameInference.Result still2 = inference.infer(model, f0, still1.codes(), still0.codes(), true);
        assertArrayEquals(still0.codes(), still1.codes(), 1e-4f, "a static scene codes the same alpha");
        assertArrayEquals(still2.betaReconstruction(), still2.betaPrediction(), 1e-3f,
                "nothing moves: the prediction is the reconstruction of beta_t");
    }

    @Test
    void withTwoFramesOfHistoryButNoEmbeddingItCodesPlainlyFromThePreviousCodes() {
        LayerModel model = LayerModel.initial(CONFIG);
        FrameInference inference = new FrameInference(CONFIG);
        float[] f0 = gaussian(CONFIG.patchesPerFrame() * CONFIG.patchDim(), 6);
        float[] a0 = inference.infer(model, f0, null, null, false).codes();
        float[] a1 = inference.infer(model, gaussian(f0.length, 7), a0, null, false).codes();
        float[] f2 = gaussian(f0.length, 8);
        FrameInference.Result r = inference.infer(model, f2, a1, a0, true);
        INDArray codes = columns(a1, CONFIG.dictionarySize());
        SparseCoder.of(CONFIG).encode(model.dictionary(), columns(f2, CONFIG.patchDim()), codes, true);
        assertArrayEquals(codes.data().asFloat(), r.codes(), 1e-4f, "eq. 2.4 warm-started from a1");
        assertNull(r.beta());
    }

    /**
     * With the ACTIVE_SET solver (the presets' default) every history runs the working-set solver:
     * plain coding from 0 without history, eq. 3.4 from the previous codes with two frames; the codes
     * are those of the solvers called directly, and certified to the configured gap.
     */
    @Test
    void withTheActiveSetSolverItCodesEachHistoryByTheWorkingSetSolver() {
        SmtConfig config = CONFIG.with(Map.of("solver", "ACTIVE_SET", "tolerance", "1e-4", "maxIterations", "2000"));
        Embedding p = Embedding.fromMatrix(new FloatMatrix(config.embeddingDim(),
                config.dictionarySize(), gaussian(config.embeddingDim() * config.dictionarySize(), 9)), 1);
        LayerModel model = new LayerModel(1, LayerModel.initial(config).dictionary(), p);
        FrameInference inference = new FrameInference(config);
        float[] f0 = gaussian(config.patchesPerFrame() * config.patchDim(), 10);
        float[] f1 = gaussian(f0.length, 11);
        float[] f2 = gaussian(f0.length, 12);
        FrameInference.Result r0 = inference.infer(model, f0, null, null, false);
        INDArray cold = Nd4j.zeros(config.dictionarySize(), config.patchesPerFrame()).castTo(codesType()).dup('f');
        SparseCodingResult plain = new ActiveSetCoder(config.lambda(), config.maxIterations(), config.tolerance())
                .encode(model.dictionary(), columns(f0, config.patchDim()), cold, false);
        assertArrayEquals(cold.data().asFloat(), r0.codes(), 1e-6f, "eq. 2.4 by the working-set solver");
        assertEquals(plain.objective(), r0.objective(), 1e-9 * plain.objective());
        assertTrue(plain.dualityGap() <= config.tolerance() * plain.objective(), "certified: " + plain.dualityGap());

        float[] a1 = inference.infer(model, f1, r0.codes(), null, false).codes();
        FrameInference.Result r2 = inference.infer(model, f2, a1, r0.codes(), false);
        INDArray prediction = columns(a1, config.dictionarySize()).muli(2)
                .subi(columns(r0.codes(), config.dictionarySize()));
        INDArray expected = columns(a1, config.dictionarySize());
        ManifoldInference direct = ManifoldInference.of(config);
        SparseCodingResult manifold = direct.solve(model.dictionary(), p, columns(f2, config.patchDim()), prediction,
                expected, true);
        // two solves to a gap of 1e-4 (steps from separate power iterations): the same optimum, not the same bits
        assertArrayEquals(expected.data().asFloat(), r2.codes(), 2e-3f, "eq. 3.4 by the working-set solver");
        assertEquals(manifold.objective(), r2.objective(), 2 * config.tolerance() * manifold.objective(), "objective");
        assertTrue(manifold.dualityGap() <= config.tolerance() * manifold.objective(),
                "certified: " + manifold.dualityGap());
    }

    private static org.nd4j.linalg.api.buffer.DataType codesType() {
        return org.nd4j.linalg.api.buffer.DataType.FLOAT;
    }
}
