package org.smtstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SmtConfigTest {

    @Test
    void shouldDescribeTheFastPresetGeometry() {
        SmtConfig fast = SmtConfig.fast();
        assertEquals(256, fast.patchDim());
        assertEquals(8, fast.patchesPerSide(), "(128 - 16) / 16 + 1");
        assertEquals(64, fast.patchesPerFrame());
    }

    @Test
    void shouldUseTheThesisConfigurationForSeed() {
        SmtConfig seed = SmtConfig.preset("SEED");
        assertEquals(400, seed.patchDim());
        assertEquals(4000, seed.dictionarySize());
        assertEquals(200, seed.embeddingDim());
    }

    @Test
    void shouldRoundTripThroughProperties() {
        SmtConfig seed = SmtConfig.seed();
        assertEquals(seed, SmtConfig.of(seed.toProperties()));
    }

    @Test
    void shouldApplyOverridesOnTopOfThePreset() {
        SmtConfig c = SmtConfig.fast().with(Map.of("lambda", "0.7", "smt.solver", "ista"));
        assertEquals(0.7, c.lambda());
        assertEquals(SmtConfig.Solver.ISTA, c.solver());
        assertEquals(SmtConfig.fast().dictionarySize(), c.dictionarySize());
    }

    @Test
    void shouldRejectUnknownKeysNamingThem() {
        Properties p = new Properties();
        p.setProperty("smt.lamda", "0.1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SmtConfig.of(p));
        assertTrue(e.getMessage().contains("smt.lamda"), e.getMessage());
    }

    @Test
    void shouldRejectBadValuesWithTheirName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SmtConfig.fast().with(Map.of("patchSize", "x16")));
        assertEquals("Invalid smt.patchSize: 'x16' (expected an integer)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SmtConfig.fast().with(Map.of("patchSize", "200")));
        assertTrue(e.getMessage().startsWith("Invalid patch size: 200"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SmtConfig.fast().with(Map.of("embeddingDim", "2000")));
        assertTrue(e.getMessage().startsWith("Invalid embedding dimension: 2000"), e.getMessage());
    }

    @Test
    void shouldRejectUnknownPresets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SmtConfig.preset("slow"));
        assertEquals("Unknown preset: 'slow' (expected fast or seed)", e.getMessage());
    }
}
