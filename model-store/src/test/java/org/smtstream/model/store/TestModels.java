package org.smtstream.model.store;

import java.util.Map;
import org.smtstream.model.FloatMatrix;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.Needles;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;

/** Models with deterministic contents, from a few values up to the seed preset's sizes. */
final class TestModels {

    /** n = 4, N = 3, f = 2. */
    static final SmtConfig TINY = SmtConfig.fast().with(Map.of(
            "frameSize", "8", "patchSize", "2", "stride", "2", "dictionarySize", "3", "embeddingDim", "2",
            "lambda", "0.125", "gamma0", "0.5"));

    private TestModels() {
    }

    /** Cheap pseudo-random values in [-1, 1) from a 64-bit LCG; the same seed gives the same matrix. */
    static FloatMatrix fill(int rows, int cols, long seed) {
        float[] data = new float[rows * cols];
        long x = seed * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < data.length; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            data[i] = (x >>> 40) / (float) (1 << 23) - 1f;
        }
        return new FloatMatrix(rows, cols, data);
    }

    static ModelInfo info(long parent) {
        return new ModelInfo(parent, 1_700_000_000_123L, 123_456, 2, "after the walk, ü",
                Map.of(ModelInfo.SNR_DB, 12.5, ModelInfo.CODING_OBJECTIVE, 0.0625,
                        ModelInfo.EMBEDDING_OBJECTIVE, Double.NaN, ModelInfo.CONSTRAINT_ERROR, 1e-7));
    }

    /** Every array present; {@code withV = false} leaves out the N x N covariance. */
    static SmtModel model(SmtConfig config, long version, boolean withV) {
        int n = config.patchDim();
        int atoms = config.dictionarySize();
        return new SmtModel(version, config, fill(n, atoms, version), fill(config.embeddingDim(), atoms, version + 1),
                withV ? fill(atoms, atoms, version + 2) : null, fill(atoms, 1, version + 3),
                fill(atoms, Needles.FIELDS, version + 4), info(version - 1));
    }

    /** The tiny model with values that a lossy or byte-swapped encoding would change. */
    static SmtModel tiny(long version) {
        float[] phi = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MAX_VALUE, Float.MAX_VALUE, 1e-30f, 0.1f, -0.3f,
            (float) Math.PI, 123456.78f};
        return new SmtModel(version, TINY, new FloatMatrix(4, 3, phi), fill(2, 3, 1), fill(3, 3, 2), fill(3, 1, 3),
                fill(3, Needles.FIELDS, 4), info(version - 1));
    }
}
