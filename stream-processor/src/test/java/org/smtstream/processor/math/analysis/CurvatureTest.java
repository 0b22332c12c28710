package org.smtstream.processor.math.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.smtstream.model.TurningAngles;
import org.smtstream.model.TurningAngles.Mean;
import org.smtstream.processor.testing.TestArrays;

/**
 * Known answers of the curvature measure. Sequences are FLOAT, as the processor produces them;
 * the measure works in double, so the tolerances are set by float rounding of the input.
 */
class CurvatureTest {

    /** Float32 input rounding: a difference of O(1) carries ~1e-7 relative error, ~1e-5 degrees. */
    private static final double EXACT_TOL = 1e-3;

    /** y_t = c + R (cos(t theta) u + sin(t theta) w) in d dimensions, u, w orthonormal: d x T. */
    private static double[][] circle(int d, int steps, double thetaDegrees, SplittableRandom random) {
        double[][] basis = TestArrays.gaussian(d, 2, random);
        double dot = 0;
        double nu = 0;
        for (int r = 0; r < d; r++) {
            nu += basis[r][0] * basis[r][0];
        }
        for (int r = 0; r < d; r++) {
            basis[r][0] /= Math.sqrt(nu);
            dot += basis[r][0] * basis[r][1];
        }
        double nw = 0;
        for (int r = 0; r < d; r++) {
            basis[r][1] -= dot * basis[r][0];
            nw += basis[r][1] * basis[r][1];
        }
        double[][] y = new double[d][steps];
        for (int t = 0; t < steps; t++) {
            double phase = Math.toRadians(thetaDegrees * t);
            for (int r = 0; r < d; r++) {
                y[r][t] = 0.3 + 2.0 * (Math.cos(phase) * basis[r][0] + Math.sin(phase) * basis[r][1] / Math.sqrt(nw));
            }
        }
        return y;
    }

    /** A straight, monotone but non-uniform path y_t = a + (t + t^2 / 10) v: d x T. */
    private static double[][] line(int d, int steps, SplittableRandom random) {
        double[][] a = TestArrays.gaussian(d, 1, random);
        double[][] v = TestArrays.gaussian(d, 1, random);
        double[][] y = new double[d][steps];
        for (int t = 0; t < steps; t++) {
            double s = t + t * t / 10.0;
            for (int r = 0; r < d; r++) {
                y[r][t] = a[r][0] + s * v[r][0] / 10.0;
            }
        }
        return y;
    }

    @Test
    void shouldGiveZeroForAStraightLine() {
        INDArray y = TestArrays.toNd4j(line(50, 40, new SplittableRandom(51)));
        for (int k : new int[] {1, 2, 4}) {
            Mean result = Curvature.of(y, k);
            assertEquals(0.0, result.meanDegrees(), EXACT_TOL * 10, "straight line at k = " + k);
            assertEquals(40 - 2 * k, result.pairs(), "pairs at k = " + k);
            assertEquals(0, result.skipped());
        }
    }

    @Test
    void shouldGiveTheStepAngleTimesKForASampledCircle() {
        double theta = 10.0;
        INDArray y = TestArrays.toNd4j(circle(20, 30, theta, new SplittableRandom(52)));
        assertEquals(theta, Curvature.of(y, 1).meanDegrees(), EXACT_TOL, "k = 1: the chords turn by theta");
        assertEquals(2 * theta, Curvature.of(y, 2).meanDegrees(), EXACT_TOL, "k = 2: by 2 theta");
        assertEquals(4 * theta, Curvature.of(y, 4).meanDegrees(), EXACT_TOL, "k = 4: by 4 theta");
    }

    @Test
    void shouldGiveAboutNinetyDegreesForARandomWalkInHighDimension() {
        SplittableRandom random = new SplittableRandom(53);
        int d = 1000;
        int steps = 300;
        double[][] steps01 = TestArrays.gaussian(d, steps, random);
        double[][] y = new double[d][steps];
        for (int r = 0; r < d; r++) {
            for (int t = 1; t < steps; t++) {
                y[r][t] = y[r][t - 1] + steps01[r][t];
            }
        }
        INDArray walk = TestArrays.toNd4j(y);
        // Each angle has sd ~ (180/pi)/sqrt(d) = 1.8 deg; the mean of ~300 pairs is within ~0.1 deg of 90 (1 deg: 10
        // sd).
        for (int k : new int[] {1, 4}) {
            double mean = Curvature.of(walk, k).meanDegrees();
            assertEquals(90.0, mean, 1.0, "random walk at k = " + k);
        }
    }

    @Test
    void shouldGiveOneHundredEightyForAReversal() {
        double[][] y = new double[3][5];
        double[] x = {0, 1, 2, 1, 0};
        for (int t = 0; t < 5; t++) {
            y[0][t] = x[t];
        }
        Mean result = Curvature.of(TestArrays.toNd4j(y), 1);
        // pairs: (0->1, 1->2) 0 deg, (1->2, 2->1) 180, (2->1, 1->0) 0 deg
        assertEquals(60.0, result.meanDegrees(), EXACT_TOL);
        assertEquals(3, result.pairs());
    }

    @Test
    void shouldSkipAndCountZeroLengthDifferences() {
        // y: a, a, b, c, d on a line: d_0 = 0, so the pair (d_0, d_1) has no angle.
        double[][] y = new double[4][6];
        double[] s = {0, 0, 1, 2, 3, 3};
        for (int t = 0; t < 6; t++) {
            for (int r = 0; r < 4; r++) {
                y[r][t] = s[t] * (r + 1);
            }
        }
        Mean result = Curvature.of(TestArrays.toNd4j(y), 1);
        assertEquals(2, result.skipped(), "pairs (d0, d1) and (d3, d4) include a zero difference");
        assertEquals(2, result.pairs());
        assertEquals(0.0, result.meanDegrees(), EXACT_TOL);
        INDArray angles = Curvature.anglesDegrees(TestArrays.toNd4j(y), 1, 1);
        assertEquals(4, angles.length());
        assertTrue(Double.isNaN(angles.getDouble(0)) && Double.isNaN(angles.getDouble(3)),
                "skipped pairs are NaN: " + angles);
        assertEquals(0.0, angles.getDouble(1), EXACT_TOL);
        Mean still = Curvature.of(TestArrays.toNd4j(new double[][] {{1, 1, 1, 1}}), 1);
        assertEquals(0, still.pairs());
        assertEquals(2, still.skipped());
        assertTrue(Double.isNaN(still.meanDegrees()), "no pairs: NaN");
    }

    @Test
    void shouldFollowTheSharedKernelOnTheSamePath() {
        SplittableRandom random = new SplittableRandom(56);
        int d = 6;
        int steps = 12;
        float[][] path = new float[steps][d];                              // the web view's layout: T x d
        double[][] y = new double[d][steps];                               // the processor's: d x T
        for (int t = 0; t < steps; t++) {
            for (int r = 0; r < d; r++) {
                path[t][r] = t == 5 ? path[4][r] : (float) random.nextGaussian();    // a still step 4 -> 5
                y[r][t] = path[t][r];
            }
        }
        for (int k : new int[] {1, 2}) {
            Mean shared = TurningAngles.ofPath(path, k);
            Mean batched = Curvature.of(TestArrays.toNd4j(y), k);
            assertEquals(shared.pairs(), batched.pairs(), "pairs at k = " + k);
            assertEquals(shared.skipped(), batched.skipped(), "skipped at k = " + k);
            assertEquals(shared.meanDegrees(), batched.meanDegrees(), 1e-9, "mean at k = " + k);
        }
        assertEquals(2, Curvature.of(TestArrays.toNd4j(y), 1).skipped(), "the still step ends one pair, starts one");
    }

    @Test
    void shouldPoolLocationsWithoutMixingThem() {
        SplittableRandom random = new SplittableRandom(55);
        int d = 8;
        int steps = 20;
        double[][][] sequences = {line(d, steps, random), circle(d, steps, 6.0, random),
                circle(d, steps, 12.0, random)};
        int locations = sequences.length;
        double[][] frames = new double[d][steps * locations];             // frame t = columns t L .. t L + L - 1
        List<INDArray> perFrame = new ArrayList<>();
        List<INDArray> perSequence = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            double[][] frame = new double[d][locations];
            for (int b = 0; b < locations; b++) {
                for (int r = 0; r < d; r++) {
                    frames[r][t * locations + b] = sequences[b][r][t];
                    frame[r][b] = sequences[b][r][t];
                }
            }
            perFrame.add(TestArrays.toNd4j(frame));
        }
        for (double[][] s : sequences) {
            perSequence.add(TestArrays.toNd4j(s));
        }
        Mean pooled = Curvature.ofLocations(TestArrays.toNd4j(frames), locations, 1);
        assertEquals((0 + 6 + 12) / 3.0, pooled.meanDegrees(), EXACT_TOL, "mean of 0, 6 and 12 degrees");
        assertEquals(3L * (steps - 2), pooled.pairs());
        Mean separate = Curvature.ofSequences(perSequence, 1);
        assertEquals(pooled.meanDegrees(), separate.meanDegrees(), 1e-9);
        assertEquals(pooled.pairs(), separate.pairs());
        assertEquals(pooled.meanDegrees(), Curvature.ofFrames(perFrame, 1).meanDegrees(), 1e-9);
        INDArray angles = Curvature.anglesDegrees(TestArrays.toNd4j(frames), locations, 2)
                .reshape('c', steps - 4, locations);
        INDArray perLocation = angles.mean(0);
        assertEquals(0.0, perLocation.getDouble(0), EXACT_TOL, "location 0: line");
        assertEquals(12.0, perLocation.getDouble(1), EXACT_TOL, "location 1: 6 deg circle at k = 2");
        assertEquals(24.0, perLocation.getDouble(2), EXACT_TOL, "location 2: 12 deg circle at k = 2");
    }

    @Test
    void shouldReturnNoPairsForTooShortSequences() {
        INDArray y = TestArrays.toNd4j(new double[][] {{0, 1, 2, 3}});
        Mean result = Curvature.of(y, 2);                       // needs T >= 5
        assertEquals(0, result.pairs());
        assertTrue(Double.isNaN(result.meanDegrees()));
        Mean merged = result.merge(Curvature.of(y, 1));
        assertEquals(2, merged.pairs());
        assertEquals(0.0, merged.meanDegrees(), EXACT_TOL);
        assertEquals(0, Curvature.anglesDegrees(y, 1, 2).length());
        INDArray view = TestArrays.toNd4j(new double[][] {{0, 1, 2, 3, 4}, {0, 0, 0, 0, 0}}).get(NDArrayIndex.all(),
                NDArrayIndex.interval(0, 4));
        assertEquals(2, Curvature.of(view, 1).pairs(), "a view works");
    }
}
