package org.smtstream.processor.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.SmtConfig;

class OnlineSparseCodingTest {

    /** 32 x 32 frames, 8 x 8 patches at stride 8: B = 16 patches of n = 64; N = 128 atoms. */
    static final SmtConfig SMALL = new SmtConfig("test", 32, 8, 8, 12.0, 128, 16, 0.1,
            SmtConfig.Solver.FISTA, 200, 1e-4, 0.5, 0.0, 0.0, 0.05, 10, 0, 42L);

    @Test
    void shouldReturnPatchMajorCodesAndReconstructionOfTheCoderSolution() {
        float[] patches = new float[16 * 64];
        SplittableRandom random = new SplittableRandom(5);
        for (int k = 0; k < patches.length; k++) {
            patches[k] = (float) TestArrays.gaussian(random);
        }
        OnlineSparseCoding model = new OnlineSparseCoding(SMALL, 100, false);
        OnlineSparseCoding.FrameResult result = model.process(patches, null);

        // Independent solve of the same problem; X (n x B) column i = patch i.
        INDArray x = Nd4j.create(patches, new long[] {64, 16}, 'f');
        INDArray codes = Nd4j.createUninitialized(DataType.FLOAT, new long[] {128, 16}, 'f').assign(0);
        SparseCodingResult reference = SparseCoder.of(SMALL).encode(model.dictionary(), x, codes, false);

        assertEquals(reference.iterations(), result.iterations());
        assertEquals(reference.objective(), result.objective(), 1e-9 * reference.objective());
        double[][] a = TestArrays.toDouble(codes);
        double[][] phiA = TestArrays.multiply(TestArrays.toDouble(model.dictionary().phi()), a);
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 128; j++) {
                assertEquals(a[j][i], result.codes()[i * 128 + j], 1e-6, "alpha_" + j + " of patch " + i);
            }
            for (int k = 0; k < 64; k++) {
                assertEquals(phiA[k][i], result.reconstruction()[i * 64 + k], 1e-4, "pixel " + k + " of patch " + i);
            }
        }
        assertEquals(Metrics.snrDb(x, Nd4j.create(result.reconstruction(), new long[] {64, 16}, 'f')),
                result.snrDb(), 1e-9);
        assertEquals(0, result.modelVersion());
        assertNull(result.learning(), "learning is off");
    }

    @Test
    void shouldCodeWithTheVersionBeforeTheFramesOwnUpdate() {
        OnlineSparseCoding model = new OnlineSparseCoding(SMALL, 100, true);
        float[] patches = new float[16 * 64];
        java.util.Arrays.fill(patches, 0.5f);
        assertEquals(0, model.process(patches, null).modelVersion());
        OnlineSparseCoding.FrameResult second = model.process(patches, null);
        assertEquals(1, second.modelVersion());
        assertEquals(2, second.learning().version());
    }

    @Test
    void shouldWarmStartFromGivenCodes() {
        OnlineSparseCoding model = new OnlineSparseCoding(SMALL, 100, false);
        float[] patches = new float[16 * 64];
        SplittableRandom random = new SplittableRandom(6);
        for (int k = 0; k < patches.length; k++) {
            patches[k] = (float) TestArrays.gaussian(random);
        }
        OnlineSparseCoding.FrameResult cold = model.process(patches, null);
        OnlineSparseCoding.FrameResult warm = model.process(patches, cold.codes());
        assertEquals(cold.objective(), warm.objective(), 1e-4 * cold.objective());
        assertEquals(true, warm.iterations() < cold.iterations(),
                "warm " + warm.iterations() + " vs cold " + cold.iterations() + " iterations");
        assertArrayEquals(cold.codes(), warm.codes(), 1e-2f);
    }

    @Test
    void shouldRejectAFrameOfTheWrongSize() {
        OnlineSparseCoding model = new OnlineSparseCoding(SMALL, 100, true);
        assertThrows(IllegalArgumentException.class, () -> model.process(new float[10], null));
        assertThrows(IllegalArgumentException.class, () -> model.process(new float[16 * 64], new float[3]));
    }
}
