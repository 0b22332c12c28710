package org.smtstream.processor.math.coding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.smtstream.model.FloatMatrix;

class DictionaryTest {

    @Test
    void shouldDrawUnitNormAtomsReproduciblyFromASeed() {
        Dictionary a = Dictionary.random(256, 1024, 42);
        Dictionary b = Dictionary.random(256, 1024, 42);
        Dictionary c = Dictionary.random(256, 1024, 43);
        assertEquals(256, a.atomDim());
        assertEquals(1024, a.size());
        assertEquals(0, a.version());
        assertArrayEquals(a.phi().data().asFloat(), b.phi().data().asFloat(), 0f, "same seed, same atoms");
        assertNotEquals(a.phi().getDouble(0, 0), c.phi().getDouble(0, 0));
        double[] norms = a.phi().norm2(0).toDoubleVector();
        for (int j = 0; j < norms.length; j++) {
            assertEquals(1.0, norms[j], 1e-5, "atom " + j);
        }
    }

    @Test
    void shouldRoundTripThroughTheRowMajorExchangeMatrix() {
        Dictionary a = Dictionary.random(6, 10, 1);
        FloatMatrix matrix = a.toMatrix();
        assertEquals(6, matrix.rows());
        assertEquals(10, matrix.cols());
        assertEquals(a.phi().getFloat(2, 7), matrix.get(2, 7), 0f, "row-major: element (2, 7)");
        Dictionary b = Dictionary.fromMatrix(matrix, 5);
        assertEquals(5, b.version());
        assertArrayEquals(a.phi().data().asFloat(), b.phi().data().asFloat(), 0f);
    }
}
