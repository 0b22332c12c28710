package org.smtstream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PathCurvatureTest {

    @Test
    void shouldMeasureAStraightPathAsZero() {
        float[][] line = {{0, 0}, {1, 1}, {2, 2}, {3, 3}};

        assertEquals(0, PathCurvature.meanAngleDeg(line), 1e-3);
    }

    @Test
    void shouldMeasureRightAngleTurnsAndReversals() {
        float[][] square = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
        float[][] backAndForth = {{0}, {1}, {0}, {1}};

        assertEquals(90, PathCurvature.meanAngleDeg(square), 1e-3);
        assertEquals(180, PathCurvature.meanAngleDeg(backAndForth), 1e-3);
    }

    @Test
    void shouldSkipStillStepsAndSayWhenThereIsNoAngle() {
        float[][] pausing = {{0, 0}, {1, 0}, {1, 0}, {2, 0}, {3, 0}};

        assertEquals(0, PathCurvature.meanAngleDeg(pausing), 1e-3);
        assertTrue(Double.isNaN(PathCurvature.meanAngleDeg(new float[][] {{0}, {1}})));
        assertTrue(Double.isNaN(PathCurvature.meanAngleDeg(new float[][] {{1}, {1}, {1}})));
    }
}
