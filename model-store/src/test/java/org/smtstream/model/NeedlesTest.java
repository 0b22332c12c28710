package org.smtstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NeedlesTest {

    @Test
    void shouldKeepEachFieldOfEachAtom() {
        Needles n = Needles.of(new double[] {1, 2}, new double[] {3, 4}, new double[] {30, 120},
                new double[] {5, 6}, new double[] {0.9, 0.4});
        assertEquals(2, n.size());
        assertEquals(2, n.centreRow(1));
        assertEquals(4, n.centreCol(1));
        assertEquals(120, n.angleDegrees(1));
        assertEquals(6, n.length(1));
        assertEquals(0.4, n.quality(1), 1e-7);
        assertTrue(n.defined(0));
    }

    @Test
    void shouldTurnAnAtomWithoutANeedleIntoAFiniteUndefinedRow() {
        Needles n = Needles.of(new double[] {1, Double.NaN}, new double[] {3, Double.NaN},
                new double[] {30, Double.NaN}, new double[] {5, Double.NaN}, new double[] {0.9, 0});
        assertFalse(n.defined(1));
        assertTrue(n.table().isFinite(), "a model carries only finite values");
        assertTrue(n.defined(0));
    }

    @Test
    void shouldRejectFieldsOfDifferentLengths() {
        assertThrows(IllegalArgumentException.class, () -> Needles.of(new double[] {1, 2}, new double[] {3},
                new double[] {30, 1}, new double[] {5, 1}, new double[] {1, 1}));
    }
}
