package org.smtstream.processor.math.coding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.SmtConfig.Solver;
import org.smtstream.processor.math.linalg.Metrics;
import org.smtstream.processor.testing.TestArrays;

class DictionaryLearnerTest {

    /** Unit-norm check after renormalization in float32. */
    private static final double NORM_TOL = 1e-5;

    private static INDArray zeros(int rows, int cols) {
        return Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, cols}, 'f').assign(0);
    }

    private static double maxNormDeviation(Dictionary dictionary) {
        double[][] phi = TestArrays.toDouble(dictionary.phi());
        double worst = 0;
        for (int j = 0; j < phi[0].length; j++) {
            double s = 0;
            for (double[] row : phi) {
                s += row[j] * row[j];
            }
            worst = Math.max(worst, Math.abs(Math.sqrt(s) - 1));
        }
        return worst;
    }

    /**
     * Data from a planted dictionary Phi* (n = 64, N = 96, 3 active atoms per patch, amplitudes in
     * [0.5, 1.5], noise sigma 0.02). Starting from a random dictionary, 250 online steps of one
     * 64-patch batch each must raise the held-out SNR by at least 6 dB (measured: ~1.8 dB to ~12 dB)
     * and find most planted atoms again (measured: ~90 of 96 within |cos| > 0.95).
     */
    @Test
    void shouldLearnAPlantedDictionaryOnline() {
        int n = 64;
        int atoms = 96;
        int batch = 64;
        int steps = 250;
        SplittableRandom random = new SplittableRandom(1);
        double[][] planted = TestArrays.normalizeColumns(TestArrays.gaussian(n, atoms, random));
        INDArray heldOut = TestArrays.toNd4j(TestArrays.addNoise(
                TestArrays.multiply(planted, TestArrays.sparseCodes(atoms, 256, 3, 0.5, 1.5, random)), 0.02, random));
        Dictionary dictionary = Dictionary.random(n, atoms, 99);
        SparseCoder coder = new SparseCoder(0.2, Solver.FISTA, 100, 1e-4);
        DictionaryLearner learner = new DictionaryLearner(dictionary, 3.0, 50);

        double before = heldOutSnr(coder, dictionary, heldOut);
        INDArray codes = zeros(atoms, batch);
        for (int step = 1; step <= steps; step++) {
            INDArray x = TestArrays.toNd4j(TestArrays.addNoise(
                    TestArrays.multiply(planted, TestArrays.sparseCodes(atoms, batch, 3, 0.5, 1.5, random)),
                    0.02, random));
            coder.encode(dictionary, x, codes, false);
            LearningStep result = learner.update(x, codes);
            assertTrue(result.accepted(), "step " + step + " rejected");
            assertEquals(step, result.version(), "version counts accepted updates");
            if (step % 50 == 0) {
                double deviation = maxNormDeviation(dictionary);
                assertTrue(deviation < NORM_TOL, "atoms must stay unit-norm; step " + step + " max | ||phi_j|| - 1 | = "
                        + deviation);
            }
        }
        double after = heldOutSnr(coder, dictionary, heldOut);
        assertTrue(after - before >= 6.0, "held-out SNR went from " + before + " dB to " + after
                + " dB after " + steps + " steps; expected a gain of at least 6 dB");

        double[][] cosines = TestArrays.multiply(TestArrays.transpose(planted), TestArrays.toDouble(dictionary.phi()));
        int recovered = 0;
        for (double[] row : cosines) {
            double best = 0;
            for (double c : row) {
                best = Math.max(best, c);
            }
            recovered += best > 0.95 ? 1 : 0;
        }
        assertTrue(recovered >= 0.8 * atoms, "only " + recovered + " of " + atoms
                + " planted atoms have a learned atom with cosine > 0.95");
    }

    private static double heldOutSnr(SparseCoder coder, Dictionary dictionary, INDArray x) {
        INDArray codes = zeros(dictionary.size(), (int) x.columns());
        coder.encode(dictionary, x, codes, false);
        INDArray reconstruction = zeros(dictionary.atomDim(), (int) x.columns());
        return Metrics.snrDb(x, Metrics.reconstruct(dictionary.phi(), codes, reconstruction));
    }

    /**
     * Atoms 0..6 span the data (random, in coordinates 0..7); atom 7 is e_15, orthogonal to the data
     * and to every other atom, so its correlation with any residual is -a_7 &lt;= 0 and it never
     * activates. After exactly {@code window} steps it must be replaced by the normalized residual of
     * the worst-reconstructed patch, and no other atom may be touched by re-seeding.
     */
    @Test
    void shouldReseedAnAtomThatStayedInactiveForTheWholeWindow() {
        int n = 16;
        int atoms = 8;
        int batch = 12;
        int window = 5;
        SplittableRandom random = new SplittableRandom(4);
        double[][] phi = new double[n][atoms];
        double[][] spanning = TestArrays.normalizeColumns(TestArrays.gaussian(8, atoms - 1, random));
        for (int i = 0; i < 8; i++) {
            System.arraycopy(spanning[i], 0, phi[i], 0, atoms - 1);
        }
        phi[15][atoms - 1] = 1.0;
        Dictionary dictionary = Dictionary.of(TestArrays.toNd4j(phi), 0);
        SparseCoder coder = new SparseCoder(0.01, Solver.FISTA, 500, 1e-6);
        DictionaryLearner learner = new DictionaryLearner(dictionary, 0.5, window);
        INDArray codes = zeros(atoms, batch);

        for (int step = 1; step <= window; step++) {
            double[][] data = new double[n][batch];
            double[][] dense = TestArrays.multiply(TestArrays.toDouble(dictionary.phi()),
                    TestArrays.sparseCodes(atoms, batch, 3, 0.5, 1.5, random));
            for (int i = 0; i < 8; i++) {
                data[i] = dense[i].clone();    // keep the data in coordinates 0..7
                for (int b = 0; b < batch; b++) {
                    data[i][b] += 0.3 * TestArrays.gaussian(random);
                }
            }
            INDArray x = TestArrays.toNd4j(data);
            coder.encode(dictionary, x, codes, false);
            double[][] a = TestArrays.toDouble(codes);
            for (int b = 0; b < batch; b++) {
                assertEquals(0.0, a[atoms - 1][b], 0.0, "the orthogonal atom must stay inactive (step " + step + ")");
            }
            double[][] phiBefore = TestArrays.toDouble(dictionary.phi());
            double[][] residual = TestArrays.subtract(data, TestArrays.multiply(phiBefore, a));

            LearningStep result = learner.update(x, codes);

            double[][] phiAfter = TestArrays.toDouble(dictionary.phi());
            if (step < window) {
                assertEquals(0, result.reseededAtoms(), "no re-seeding before the window is full (step " + step + ")");
                assertEquals(1.0, phiAfter[15][atoms - 1], 0.0, "the dead atom is untouched before the window");
                continue;
            }
            assertEquals(1, result.reseededAtoms(), "exactly the one dead atom is re-seeded at step " + window);
            int worst = 0;
            double worstNorm = -1;
            for (int b = 0; b < batch; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += residual[i][b] * residual[i][b];
                }
                if (s > worstNorm) {
                    worstNorm = s;
                    worst = b;
                }
            }
            double[] expected = new double[n];
            double[] actual = new double[n];
            for (int i = 0; i < n; i++) {
                expected[i] = residual[i][worst] / Math.sqrt(worstNorm);
                actual[i] = phiAfter[i][atoms - 1];
            }
            assertArrayEquals(expected, actual, 1e-4, "re-seeded atom = normalized residual of patch " + worst);
            assertTrue(maxNormDeviation(dictionary) < NORM_TOL, "all atoms unit-norm after re-seeding");
        }
    }

    @Test
    void shouldRejectAStepThatProducesNonFiniteAtomsAndKeepTheLastGoodDictionary() {
        Dictionary dictionary = Dictionary.random(16, 32, 8);
        DictionaryLearner learner = new DictionaryLearner(dictionary, 0.5, 10);
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 4).dup('f');
        INDArray codes = Nd4j.rand(DataType.FLOAT, 32, 4).dup('f');
        assertTrue(learner.update(x, codes).accepted());
        float[] good = dictionary.phi().dup().data().asFloat();

        x.putScalar(3, 2, Float.NaN);
        LearningStep rejected = learner.update(x, codes);

        assertFalse(rejected.accepted(), "a NaN patch must not reach the dictionary");
        assertEquals(1, rejected.version(), "version unchanged by a rejected step");
        assertEquals(1, dictionary.version());
        assertArrayEquals(good, dictionary.phi().dup().data().asFloat(), 0f, "Phi restored exactly");
    }

    @Test
    void shouldLeaveTheDictionaryUnchangedWhenTheCodesAreZero() {
        Dictionary dictionary = Dictionary.random(16, 32, 9);
        float[] before = dictionary.phi().dup().data().asFloat();
        LearningStep step = new DictionaryLearner(dictionary, 1.0, 100)
                .update(Nd4j.rand(DataType.FLOAT, 16, 4).dup('f'), zeros(32, 4));
        assertEquals(0, step.reseededAtoms());
        assertArrayEquals(before, dictionary.phi().dup().data().asFloat(), 1e-6f,
                "the gradient (X - Phi A) A^T vanishes for A = 0");
    }
}
