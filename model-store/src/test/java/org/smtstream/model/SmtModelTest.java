package org.smtstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmtModelTest {

    private static final SmtConfig TINY = SmtConfig.fast().with(Map.of(
            "frameSize", "8", "patchSize", "2", "stride", "2", "dictionarySize", "3", "embeddingDim", "2"));
    private static final ModelInfo INFO = ModelInfo.fresh(1_700_000_000_000L);

    private static FloatMatrix zeros(int rows, int cols) {
        return new FloatMatrix(rows, cols, new float[rows * cols]);
    }

    @Test
    void shouldAcceptMatricesOfTheConfiguredShapes() {
        SmtModel m = new SmtModel(0, TINY, zeros(4, 3), zeros(2, 3), zeros(3, 3), zeros(3, 1), INFO);
        SmtModel next = m.withVersion(7);
        assertEquals(7, next.version());
        assertEquals(m.phi(), next.phi());
        assertEquals(INFO, next.info());
    }

    @Test
    void shouldAcceptAModelWithOnlyADictionary() {
        SmtModel m = new SmtModel(0, TINY, zeros(4, 3), null, null, null, INFO);
        assertNull(m.p());
        assertNull(m.meanActivity());
    }

    @Test
    void shouldRejectAWrongDictionaryShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SmtModel(0, TINY, zeros(3, 4), null, null, null, INFO));
        assertEquals("phi is 3x4 but the configuration needs 4x3", e.getMessage());
    }

    @Test
    void shouldRejectAMissingDictionary() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SmtModel(0, TINY, null, null, null, null, INFO));
        assertEquals("phi must not be null", e.getMessage());
    }

    @Test
    void shouldRejectAMeanActivityThatIsARow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SmtModel(0, TINY, zeros(4, 3), null, null, zeros(1, 3), INFO));
        assertEquals("meanActivity is 1x3 but the configuration needs 3x1", e.getMessage());
    }

    @Test
    void shouldCarryNeedlesOfOneRowPerAtomAcrossVersions() {
        SmtModel m = new SmtModel(0, TINY, zeros(4, 3), null, null, null, INFO).withNeedles(
                new Needles(zeros(3, Needles.FIELDS)));
        assertEquals(3, m.withVersion(4).needles().rows());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SmtModel(0, TINY, zeros(4, 3), null, null, null, zeros(2, Needles.FIELDS), INFO));
        assertEquals("needles is 2x5 but the configuration needs 3x5", e.getMessage());
    }

    @Test
    void shouldRejectNaNModels() {
        float[] data = new float[9];
        data[5] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SmtModel(0, TINY, zeros(4, 3), null, new FloatMatrix(3, 3, data), null, INFO));
        assertEquals("V contains NaN or infinite values", e.getMessage());
    }

    @Test
    void shouldKeepAnImmutableSortedCopyOfStatsWithNaN() {
        Map<String, Double> stats = new HashMap<>(Map.of("snrDb", 11.0, "constraintError", Double.NaN));
        ModelInfo info = new ModelInfo(3, 5, 6, 1, null, stats);
        stats.put("snrDb", 99.0);
        assertEquals(List.of("constraintError", "snrDb"), List.copyOf(info.stats().keySet()));
        assertEquals(11.0, info.stat(ModelInfo.SNR_DB));
        assertTrue(Double.isNaN(info.stat(ModelInfo.CONSTRAINT_ERROR)));
        assertTrue(Double.isNaN(info.stat("missing")));
        assertEquals("", info.note());
        assertThrows(UnsupportedOperationException.class, () -> info.stats().put("x", 1.0));
    }

    @Test
    void shouldRejectAParentBelowMinusOne() {
        assertThrows(IllegalArgumentException.class, () -> new ModelInfo(-2, 0, 0, 0, "", Map.of()));
    }

    @Test
    void shouldCompareMatricesByValue() {
        assertEquals(new FloatMatrix(1, 2, new float[] {1, 2}), new FloatMatrix(1, 2, new float[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> new FloatMatrix(2, 2, new float[3]));
    }
}
