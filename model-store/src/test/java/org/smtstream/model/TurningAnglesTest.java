package org.smtstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.smtstream.model.TurningAngles.Mean;

class TurningAnglesTest {

    private static double meanAngle(float[][] path) {
        return TurningAngles.ofPath(path, 1).meanDegrees();
    }

    private static void assertMean(double degrees, double tolerance, long pairs, long skipped, Mean actual) {
        assertEquals(degrees, actual.meanDegrees(), tolerance, "mean of " + actual);
        assertEquals(pairs, actual.pairs(), "pairs of " + actual);
        assertEquals(skipped, actual.skipped(), "skipped pairs of " + actual);
    }

    @Test
    void shouldMeasureAStraightPathAsZero() {
        float[][] line = {{0, 0}, {1, 1}, {2, 2}, {3, 3}};

        assertEquals(0, meanAngle(line), 1e-3);
    }

    @Test
    void shouldMeasureRightAngleTurnsAndReversals() {
        float[][] square = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
        float[][] backAndForth = {{0}, {1}, {0}, {1}};

        assertEquals(90, meanAngle(square), 1e-3);
        assertEquals(180, meanAngle(backAndForth), 1e-3);
    }

    @Test
    void shouldSkipStillStepsAndSayWhenThereIsNoAngle() {
        float[][] pausing = {{0, 0}, {1, 0}, {1, 0}, {2, 0}, {3, 0}};

        assertEquals(0, meanAngle(pausing), 1e-3);
        assertTrue(Double.isNaN(meanAngle(new float[][] {{0}, {1}})));
        assertTrue(Double.isNaN(meanAngle(new float[][] {{1}, {1}, {1}})));
    }

    @Test
    void shouldCountAPairWithAZeroLengthDifferenceAsSkippedNotAsAnAngle() {
        // differences: (1, 0), (0, 0), (1, 0), (0, 1): pairs 0-1 and 1-2 have no angle, pair 2-3 turns by 90
        float[][] path = {{0, 0}, {1, 0}, {1, 0}, {2, 0}, {2, 1}};

        // a still step is no angle, not a 0 or 90 degree one
        assertMean(90, 1e-9, 1, 2, TurningAngles.ofPath(path, 1));
    }

    @Test
    void shouldReportNaNForTheMeanOverNoAngles() {
        // a still path has no curvature
        assertMean(Double.NaN, 0, 0, 2, TurningAngles.ofPath(new float[][] {{1, 2}, {1, 2}, {1, 2}, {1, 2}}, 1));

        Mean tooShort = TurningAngles.ofPath(new float[][] {{0}, {1}, {2}, {3}}, 2);
        assertEquals(Mean.EMPTY, tooShort, "k = 2 needs five points");
        assertTrue(Double.isNaN(TurningAngles.mean(new double[0]).meanDegrees()));
        assertTrue(Double.isNaN(TurningAngles.mean(new double[] {Double.NaN}).meanDegrees()));
    }

    @Test
    void shouldGiveTheAngleOfTwoDifferencesOrNaNWithoutALength() {
        assertEquals(0, TurningAngles.degrees(2, 1, 4), 1e-12, "parallel");
        assertEquals(90, TurningAngles.degrees(0, 1, 1), 1e-12, "orthogonal");
        assertEquals(180, TurningAngles.degrees(-3, 1, 9), 1e-12, "opposite");
        assertEquals(60, TurningAngles.degrees(0.5, 1, 1), 1e-9);
        assertEquals(0, TurningAngles.degrees(1 + 1e-12, 1, 1), 0.0, "round-off past 1 is clamped, not NaN");
        assertTrue(Double.isNaN(TurningAngles.degrees(0, 0, 1)), "first difference of length 0");
        assertTrue(Double.isNaN(TurningAngles.degrees(0, 1, 0)), "second difference of length 0");
        assertTrue(Double.isNaN(TurningAngles.degrees(Double.NaN, Double.NaN, 1)), "no length");
    }

    @Test
    void shouldTakeDifferencesKStepsApart() {
        // a square walked one side per step: at k = 2 the chords (0,0)->(1,1) and (1,1)->(0,0) reverse
        float[][] square = {{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}};

        // acos near -1 turns round-off of 1e-16 into 1e-6 degrees
        assertMean(180, 1e-5, 1, 0, TurningAngles.ofPath(square, 2));
        assertThrows(IllegalArgumentException.class, () -> TurningAngles.ofPath(square, 0));
    }

    /** A path that goes straight, turns a right angle, stops and reverses: one angle per inner vertex. */
    @Test
    void shouldGiveTheAngleAtEveryVertexWhoseMeanIsThePathsCurvature() {
        float[][] path = {{0, 0}, {1, 0}, {2, 0}, {2, 1}, {2, 1}, {2, 0}};
        double[] angles = TurningAngles.alongPath(path, 1);
        assertEquals(4, angles.length);
        assertEquals(0, angles[0], 1e-9, "straight on at (1,0)");
        assertEquals(90, angles[1], 1e-9, "a left turn at (2,0)");
        assertTrue(Double.isNaN(angles[2]) && Double.isNaN(angles[3]), "a standstill has no angle");
        assertEquals(TurningAngles.mean(angles), TurningAngles.ofPath(path, 1));
        assertEquals(0, TurningAngles.alongPath(path, 3).length, "no vertex has neighbours 3 steps away both sides");
        assertEquals(180, TurningAngles.alongPath(new float[][] {{0}, {1}, {0}}, 1)[0], 1e-9);
    }

    @Test
    void shouldPoolAndMergeWeightedByPairs() {
        TurningAngles.Pool pool = new TurningAngles.Pool();
        pool.add(10);
        pool.add(Double.NaN);
        pool.add(40);
        Mean a = pool.mean();
        assertEquals(new Mean(25, 2, 1), a);
        assertEquals(a, TurningAngles.mean(new double[] {10, Double.NaN, 40}));

        assertMean((10 + 40 + 100) / 3.0, 1e-12, 3, 4, a.merge(new Mean(100, 1, 3)));
        assertEquals(a, a.merge(Mean.EMPTY), "no pairs add nothing");
        assertEquals(a, Mean.EMPTY.merge(a));
        Mean none = Mean.EMPTY.merge(new Mean(Double.NaN, 0, 2));
        assertTrue(Double.isNaN(none.meanDegrees()));
        assertEquals(2, none.skipped());
    }
}
