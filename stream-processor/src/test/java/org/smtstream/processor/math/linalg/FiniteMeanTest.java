package org.smtstream.processor.math.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FiniteMeanTest {

    @Test
    void undefinedValuesAreCountedAndLeftOutOfTheMean() {
        FiniteMean mean = new FiniteMean();
        assertTrue(Double.isNaN(mean.mean()), "no values, no mean");
        mean.add(10);
        mean.add(Double.NaN);
        mean.add(20);
        mean.add(Double.POSITIVE_INFINITY);
        assertEquals(15.0, mean.mean(), 0.0);
        assertEquals(2, mean.undefined());
        mean.reset();
        assertTrue(Double.isNaN(mean.mean()));
        assertEquals(0, mean.undefined());
        mean.add(Double.NaN);
        assertTrue(Double.isNaN(mean.mean()), "only undefined values: undefined");
    }
}
