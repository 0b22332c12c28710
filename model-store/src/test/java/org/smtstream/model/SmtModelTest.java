package org.smtstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SmtModelTest {

    private static final SmtConfig TINY = SmtConfig.fast().with(Map.of(
            "frameSize", "8", "patchSize", "2", "stride", "2", "dictionarySize", "3", "embeddingDim", "2"));

    @Test
    void shouldAcceptMatricesOfTheConfiguredShapes() {
        SmtModel m = new SmtModel(0, TINY, new FloatMatrix(4, 3, new float[12]), new FloatMatrix(2, 3, new float[6]), null);
        assertEquals(1, m.withPhi(m.phi()).version());
    }

    @Test
    void shouldRejectAWrongDictionaryShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SmtModel(0, TINY, new FloatMatrix(3, 4, new float[12]), null, null));
        assertEquals("phi is 3x4 but the configuration needs 4x3", e.getMessage());
    }

    @Test
    void shouldRejectNaNModels() {
        float[] data = new float[12];
        data[5] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SmtModel(0, TINY, new FloatMatrix(4, 3, data), null, null));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void shouldCompareMatricesByValue() {
        assertEquals(new FloatMatrix(1, 2, new float[] {1, 2}), new FloatMatrix(1, 2, new float[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> new FloatMatrix(2, 2, new float[3]));
    }
}
