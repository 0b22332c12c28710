package org.smtstream.processor.layer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.FloatMatrix;
import org.smtstream.model.SmtConfig;
import org.smtstream.processor.math.coding.SparseCoder;
import org.smtstream.processor.math.embedding.Embedding;
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
        INDArray expected = Nd4j.zeros(CONFIG.dictionarySize(), CONFIG.patchesPerFrame()).castTo(codesType()).dup('f');
        ManifoldInference manifold = ManifoldInference.of(CONFIG);
        manifold.infer(model.dictionary(), p, columns(f2, CONFIG.patchDim()), prediction, expected);
        assertArrayEquals(expected.data().asFloat(), r.codes(), 1e-4f, "the solution of eq. 3.4 with a~ = 2 a1 - a0");
        INDArray beta = p.p().mmul(columns(r.codes(), CONFIG.dictionarySize()));
        assertArrayEquals(beta.dup('f').data().asFloat(), r.beta(), 1e-4f, "beta = P alpha");
        assertTrue(Double.isFinite(r.snrBetaDb()) && r.snrBetaDb() < r.snrAlphaDb(),
                "g(beta) reconstructs, less well than alpha: " + r.snrBetaDb() + " vs " + r.snrAlphaDb());
    }

    @Test
    void withTwoFramesOfHistoryButNoEmbeddingItCodesPlainlyFromThePrediction() {
        LayerModel model = LayerModel.initial(CONFIG);
        FrameInference inference = new FrameInference(CONFIG);
        float[] f0 = gaussian(CONFIG.patchesPerFrame() * CONFIG.patchDim(), 6);
        float[] a0 = inference.infer(model, f0, null, null, false).codes();
        float[] a1 = inference.infer(model, gaussian(f0.length, 7), a0, null, false).codes();
        float[] f2 = gaussian(f0.length, 8);
        FrameInference.Result r = inference.infer(model, f2, a1, a0, true);
        INDArray codes = columns(a1, CONFIG.dictionarySize()).muli(2).subi(columns(a0, CONFIG.dictionarySize()));
        SparseCoder.of(CONFIG).encode(model.dictionary(), columns(f2, CONFIG.patchDim()), codes, true);
        assertArrayEquals(codes.data().asFloat(), r.codes(), 1e-4f, "eq. 2.4 warm-started from 2 a1 - a0");
        assertNull(r.beta());
    }

    private static org.nd4j.linalg.api.buffer.DataType codesType() {
        return org.nd4j.linalg.api.buffer.DataType.FLOAT;
    }
}
