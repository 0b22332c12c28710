package org.smtstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void shouldCodeWithTheActiveSetSolverByDefault() {
        assertEquals(SmtConfig.Solver.ACTIVE_SET, SmtConfig.fast().solver());
        assertEquals(SmtConfig.Solver.ACTIVE_SET, SmtConfig.seed().solver());
        assertEquals(SmtConfig.Solver.FISTA, SmtConfig.fast().with(Map.of("solver", "fista")).solver());
        assertEquals(SmtConfig.Solver.ACTIVE_SET, SmtConfig.seed().with(Map.of("solver", "fista"))
                .with(Map.of("solver", "active_set")).solver());
    }

    @Test
    void shouldRejectAnUnknownSolverListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SmtConfig.fast().with(Map.of("solver", "newton")));
        assertEquals("Invalid solver: 'newton' (expected one of [FISTA, ISTA, ACTIVE_SET])", e.getMessage());
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
    void shouldGiveBothPresetsTheSameInverse() {
        for (SmtConfig preset : new SmtConfig[] {SmtConfig.fast(), SmtConfig.seed()}) {
            assertEquals(0.005, preset.inverseLambdaFraction(), preset.name());
            assertEquals(300, preset.inverseIterations(), preset.name());
        }
    }

    @Test
    void shouldOverrideAndValidateTheInverseLikeTheOtherFields() {
        SmtConfig c = SmtConfig.fast().with(Map.of("inverseLambdaFraction", "0.1", "smt.inverseIterations", "40"));
        assertEquals(0.1, c.inverseLambdaFraction());
        assertEquals(40, c.inverseIterations());
        assertEquals("40", c.toProperties().getProperty("smt.inverseIterations"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SmtConfig.fast().with(Map.of("inverseIterations", "0")));
        assertEquals("Invalid inverse iterations: 0 (must be >= 1)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SmtConfig.fast().with(Map.of("inverseLambdaFraction", "-1")));
        assertEquals("Invalid inverse lambda fraction: -1.0 (must be in [0, 1]: a fraction of lambda_max)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SmtConfig.fast().with(Map.of("inverseLambdaFraction", "1.5")));
        assertTrue(e.getMessage().startsWith("Invalid inverse lambda fraction: 1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SmtConfig.fast().with(Map.of("inverseLambdaFraction", "x")));
        assertEquals("Invalid smt.inverseLambdaFraction: 'x' (expected a number)", e.getMessage());
    }

    @Test
    void shouldReadAStoredDescriptionWrittenBeforeTheInverseKeysWithThePresetsInverse() {
        Properties stored = SmtConfig.fast().with(Map.of("lambda", "0.2")).toProperties();
        stored.setProperty("smt.preset", "layer2");         // a complete description may carry any name
        stored.remove("smt.inverseLambdaFraction");
        stored.remove("smt.inverseIterations");
        SmtConfig c = SmtConfig.of(stored);
        assertEquals("layer2", c.name());
        assertEquals(0.2, c.lambda());
        assertEquals(SmtConfig.fast().inverseLambdaFraction(), c.inverseLambdaFraction());
        assertEquals(SmtConfig.fast().inverseIterations(), c.inverseIterations());
    }

    /**
     * A manifest written while g's lambda was an absolute weight in units of beta carries smt.inverseLambda:
     * it loads, with the current fraction (the old value means something else); a partial description
     * that sets the old key is rejected and names the new one.
     */
    @Test
    void shouldLoadAManifestWithTheRetiredAbsoluteInverseLambdaAndRejectItAsAnOverride() {
        Properties stored = SmtConfig.fast().with(Map.of("lambda", "0.2")).toProperties();
        stored.remove("smt.inverseLambdaFraction");
        stored.setProperty("smt.inverseLambda", "0.3");
        stored.setProperty("smt.inverseIterations", "120");
        SmtConfig c = SmtConfig.of(stored);
        assertEquals(0.2, c.lambda());
        assertEquals(120, c.inverseIterations());
        assertEquals(SmtConfig.fast().inverseLambdaFraction(), c.inverseLambdaFraction());
        assertFalse(c.toProperties().containsKey("smt.inverseLambda"), "written back under the new key only");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SmtConfig.fast().with(Map.of("inverseLambda", "0.1")));
        assertTrue(e.getMessage().contains("replaced by smt.inverseLambdaFraction"), e.getMessage());
        Properties partial = new Properties();
        partial.setProperty("smt.inverseLambda", "0.1");
        e = assertThrows(IllegalArgumentException.class, () -> SmtConfig.of(partial));
        assertTrue(e.getMessage().contains("replaced by smt.inverseLambdaFraction"), e.getMessage());
    }

    @Test
    void shouldRejectUnknownPresets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SmtConfig.preset("slow"));
        assertEquals("Unknown preset: 'slow' (expected fast or seed)", e.getMessage());
    }
}
