package org.smtstream.processor.testing;

import org.smtstream.model.SmtConfig;

/** Small configurations for unit tests: 8 x 8 patches, a few dozen atoms, fast to solve exactly. */
public final class TestConfigs {

    /**
     * 8 x 8 patches at stride 8 of 32 x 32 frames, N = 128, f = 16, lambda 0.1, FISTA to 1e-4 in 200 iterations;
     * g(beta) as the presets;
     * the learner re-codes every patch.
     */
    public static final SmtConfig SMALL = new SmtConfig("test", 32, 8, 8, 12.0, 128, 16, 0.1,
            SmtConfig.Solver.FISTA, 200, 1e-4, 0.5, 0.0, 0.0, 0.05, 10, 0, 0.3, 300, 1, 42L);

    private TestConfigs() {}
}
