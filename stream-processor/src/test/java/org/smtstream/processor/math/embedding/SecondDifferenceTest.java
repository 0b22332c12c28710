package org.smtstream.processor.math.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smtstream.processor.math.linalg.Scratch;
import org.smtstream.processor.testing.DenseReference;
import org.smtstream.processor.testing.TestArrays;

/**
 * The second difference A D of eq. 3.3 and the per-stream history that forms it. D is built here as
 * the T x T matrix of the thesis (D[t-1,t] = -0.5, D[t,t] = 1, D[t+1,t] = -0.5) and only its interior
 * columns 1..T-2 are compared: the boundary columns are not second differences. Float inputs, double
 * reference: tolerance 1e-6 absolute on O(1) values.
 */
class SecondDifferenceTest {

    private static final int ATOMS = 12;
    private static final double TOL = 1e-6;

    private static double[][] secondDifferenceOperator(int t) {
        double[][] d = new double[t][t];
        for (int c = 0; c < t; c++) {
            d[c][c] = 1;
            if (c > 0) {
                d[c - 1][c] = -0.5;
            }
            if (c + 1 < t) {
                d[c + 1][c] = -0.5;
            }
        }
        return d;
    }

    @Test
    void shouldEqualTheInteriorColumnsOfAD() {
        int t = 9;
        double[][] a = TestArrays.gaussian(ATOMS, t, new SplittableRandom(1));
        double[][] ad = TestArrays.multiply(a, secondDifferenceOperator(t));
        double[][] got = TestArrays.toDouble(SecondDifference.ofSequence(TestArrays.toNd4j(a)));
        assertEquals(t - 2, got[0].length, "interior columns only");
        for (int i = 0; i < ATOMS; i++) {
            for (int c = 1; c < t - 1; c++) {
                assertEquals(ad[i][c], got[i][c - 1], TOL, "(A D)[" + i + "][" + c + "]");
            }
        }
    }

    @Test
    void shouldPredictLinearlyAndFormDifferencesOnlyAfterTwoFramesSinceTheLastCut() {
        int locations = 3;
        SplittableRandom random = new SplittableRandom(2);
        CodeHistory history = new CodeHistory(ATOMS, locations);
        INDArray out = Scratch.buffer(ATOMS, locations);
        List<double[][]> frames = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            frames.add(TestArrays.gaussian(ATOMS, locations, random));
        }
        assertFalse(history.prediction(out), "no prediction from an empty history");
        assertFalse(history.push(TestArrays.toNd4j(frames.get(0)), out), "1 frame: no difference");
        assertFalse(history.prediction(out), "no prediction from one frame");
        assertFalse(history.push(TestArrays.toNd4j(frames.get(1)), out), "2 frames: no difference");
        assertTrue(history.prediction(out), "two frames give a prediction");
        double[][] prediction = TestArrays.toDouble(out);
        for (int i = 0; i < ATOMS; i++) {
            for (int b = 0; b < locations; b++) {
                assertEquals(2 * frames.get(1)[i][b] - frames.get(0)[i][b], prediction[i][b], TOL,
                        "a~ = 2 alpha_{t-1} - alpha_{t-2} at atom " + i + ", location " + b);
            }
        }
        assertTrue(history.push(TestArrays.toNd4j(frames.get(2)), out), "3 frames: a difference");
        assertDifference(frames.get(0), frames.get(1), frames.get(2), TestArrays.toDouble(out));

        history.reset();                                            // a cut
        assertFalse(history.prediction(out), "no prediction right after a cut");
        assertFalse(history.push(TestArrays.toNd4j(frames.get(3)), out), "no difference across the cut");
        assertFalse(history.push(TestArrays.toNd4j(frames.get(4)), out), "no difference across the cut");
        assertTrue(history.push(TestArrays.toNd4j(frames.get(5)), out));
        assertDifference(frames.get(3), frames.get(4), frames.get(5), TestArrays.toDouble(out));
    }

    private static void assertDifference(double[][] older, double[][] middle, double[][] newest, double[][] got) {
        for (int i = 0; i < older.length; i++) {
            for (int b = 0; b < older[0].length; b++) {
                double expected = middle[i][b] - 0.5 * (older[i][b] + newest[i][b]);
                assertEquals(expected, got[i][b], TOL, "difference at atom " + i + ", location " + b);
            }
        }
    }

    /**
     * S accumulated frame by frame over B locations with a cut in the middle equals the sum over
     * locations and segments of A D D^T A^T of each location's own sequence, so nothing mixes
     * locations or crosses the cut.
     */
    @Test
    void shouldAccumulateSOfEachLocationsOwnSequences() {
        int locations = 4;
        int[] segments = {7, 5};
        SplittableRandom random = new SplittableRandom(3);
        CodeHistory history = new CodeHistory(ATOMS, locations);
        RunningMoments s = RunningMoments.exact(ATOMS);
        INDArray d = Scratch.buffer(ATOMS, locations);
        double[][] expected = new double[ATOMS][ATOMS];
        int differences = 0;
        for (int length : segments) {
            history.reset();
            double[][][] frames = new double[length][][];
            for (int t = 0; t < length; t++) {
                frames[t] = TestArrays.gaussian(ATOMS, locations, random);
                if (history.push(TestArrays.toNd4j(frames[t]), d)) {
                    s.update(d);
                }
            }
            for (int b = 0; b < locations; b++) {
                double[][] sequence = new double[ATOMS][length];
                for (int t = 0; t < length; t++) {
                    for (int i = 0; i < ATOMS; i++) {
                        sequence[i][t] = frames[t][i][b];
                    }
                }
                double[][] ad = TestArrays.multiply(sequence, secondDifferenceOperator(length));
                for (int c = 1; c < length - 1; c++) {
                    for (int i = 0; i < ATOMS; i++) {
                        for (int j = 0; j < ATOMS; j++) {
                            expected[i][j] += ad[i][c] * ad[j][c];
                        }
                    }
                    differences++;
                }
            }
        }
        assertEquals(differences, s.columns(), "difference columns: (T - 2) per location and segment");
        double[][] got = TestArrays.toDouble(s.secondMoment());
        double[][] sum = TestArrays.toDouble(s.sum());
        double scale = DenseReference.maxAbs(expected);
        for (int i = 0; i < ATOMS; i++) {
            for (int j = 0; j < ATOMS; j++) {
                assertEquals(expected[i][j], got[i][j] * s.weight(), 1e-6 * scale, "S[" + i + "][" + j + "]");
                assertEquals(expected[i][j], sum[i][j], 1e-6 * scale, "sum() S[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void shouldRejectFramesOfTheWrongShape() {
        CodeHistory history = new CodeHistory(ATOMS, 2);
        assertThrows(IllegalArgumentException.class, () -> history.push(Scratch.buffer(ATOMS, 3), null));
        assertThrows(IllegalArgumentException.class, () -> SecondDifference.ofSequence(Scratch.buffer(ATOMS, 2)));
    }
}
