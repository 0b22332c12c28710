package org.smtstream.processor.math.coding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The Jacobi-scaled quadratic form of the positive weighted lasso, on a 2 x 3 M with known norms. */
class GramLassoTest {

    /** Columns of norm 5, 0 (an atom invisible to the data) and 2. */
    private static INDArray m() {
        return Nd4j.createFromArray(new float[][] {{3, 0, 0}, {4, 0, 2}});
    }

    @Test
    void scalesToUnitColumnsAndThresholdsByWeightOverNorm() {
        GramLasso problem = GramLasso.of(m(), Nd4j.createFromArray(1f, 7f, 4f));
        assertArrayClose(new float[] {5, 0, 2}, problem.scaling());
        assertArrayClose(new float[] {0.2f, 0, 0.5f}, problem.inverseScaling());
        assertArrayClose(new float[] {0.2f, 0, 2}, problem.scaledWeights());        // w_j / d_j
        assertArrayClose(new float[] {5, 0, 0.5f}, problem.reciprocalWeights());     // d_j / w_j
        // H~ = D^-1 M^T M D^-1: unit diagonal where visible, cos(m_1, m_3) = 8 / 10 off it
        INDArray expected = Nd4j.createFromArray(new float[][] {{1, 0, 0.8f}, {0, 0, 0}, {0.8f, 0, 1}});
        assertTrue(expected.equalsWithEps(problem.gram(), 1e-6), "H~ = " + problem.gram());
        assertEquals(2, problem.rows());
        assertEquals(3, problem.size());
    }

    @Test
    void givesTheScaledFactorsColumnsAsArrays() {
        float[][] columns = GramLasso.of(m(), null).factorColumns();
        assertEquals(3, columns.length);
        assertArrayEquals(new float[] {0.6f, 0.8f}, columns[0], 1e-6f);              // (3, 4) / 5
        assertArrayEquals(new float[] {0, 0}, columns[1], 0f);                        // invisible: stays 0
        assertArrayEquals(new float[] {0, 1}, columns[2], 1e-6f);                     // (0, 2) / 2
    }

    @Test
    void rejectsAZeroOrNonFiniteOperatorAndBadWeights() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> GramLasso.of(Nd4j.zeros(DataType.FLOAT, 2, 3), null));
        assertTrue(zero.getMessage().contains("M is zero"), zero.getMessage());
        INDArray nan = m();
        nan.putScalar(0, 0, Float.NaN);
        assertThrows(IllegalArgumentException.class, () -> GramLasso.of(nan, null));
        IllegalArgumentException weight = assertThrows(IllegalArgumentException.class,
                () -> GramLasso.of(m(), Nd4j.createFromArray(1f, 1f, 0f)));
        assertTrue(weight.getMessage().contains("positive"), weight.getMessage());
        // the weight of the invisible atom is never used, so 0 is allowed there
        assertEquals(3, GramLasso.of(m(), Nd4j.createFromArray(1f, 0f, 1f)).size());
    }

    private static void assertArrayClose(float[] expected, INDArray actual) {
        float[] values = actual.dup().data().asFloat();
        assertEquals(expected.length, values.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], values[i], 1e-6, "entry " + i);
        }
    }
}
