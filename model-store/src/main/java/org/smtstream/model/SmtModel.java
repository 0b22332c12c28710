package org.smtstream.model;

/**
 * One version of a learned SMT model. Arrays are row-major {@link FloatMatrix} values; only phi is
 * required, the others appear as learning progresses.
 *
 * @param version      monotonically increasing version number, 0 for a fresh random model
 * @param config       hyper-parameters, including the whitening parameters (frame size, r0)
 * @param phi          dictionary Phi, n x N, unit-norm columns
 * @param p            embedding P, f x N (null until an embedding has been learned)
 * @param v            covariance V of the codes, N x N (null until accumulated)
 * @param meanActivity mean activation of each atom, N x 1 (null until accumulated)
 * @param needles      the needle of each atom, N x {@link Needles#FIELDS} ({@link Needles}); null when the
 *                     writer did not fit them
 * @param info         lineage, counters and measurements of this version
 */
public record SmtModel(long version, SmtConfig config, FloatMatrix phi, FloatMatrix p, FloatMatrix v,
                       FloatMatrix meanActivity, FloatMatrix needles, ModelInfo info) {

    public SmtModel {
        if (version < 0) {
            throw new IllegalArgumentException("Invalid model version: " + version);
        }
        if (config == null || info == null) {
            throw new IllegalArgumentException("A model needs a configuration and an info, got "
                    + config + " and " + info);
        }
        if (phi == null) {
            throw new IllegalArgumentException("phi must not be null");
        }
        requireShape("phi", phi, config.patchDim(), config.dictionarySize());
        requireShape("P", p, config.embeddingDim(), config.dictionarySize());
        requireShape("V", v, config.dictionarySize(), config.dictionarySize());
        requireShape("meanActivity", meanActivity, config.dictionarySize(), 1);
        requireShape("needles", needles, config.dictionarySize(), Needles.FIELDS);
    }

    /** A version without needles. */
    public SmtModel(long version, SmtConfig config, FloatMatrix phi, FloatMatrix p, FloatMatrix v,
                    FloatMatrix meanActivity, ModelInfo info) {
        this(version, config, phi, p, v, meanActivity, null, info);
    }

    /** The same arrays and info under another version number. */
    public SmtModel withVersion(long newVersion) {
        return new SmtModel(newVersion, config, phi, p, v, meanActivity, needles, info);
    }

    /** The same arrays under another version number and info. */
    public SmtModel withVersion(long newVersion, ModelInfo newInfo) {
        return new SmtModel(newVersion, config, phi, p, v, meanActivity, needles, newInfo);
    }

    /** The same version with the needles of its atoms. */
    public SmtModel withNeedles(Needles fitted) {
        return new SmtModel(version, config, phi, p, v, meanActivity, fitted.table(), info);
    }

    private static void requireShape(String name, FloatMatrix m, int rows, int cols) {
        if (m == null) {
            return;
        }
        if (m.rows() != rows || m.cols() != cols) {
            throw new IllegalArgumentException(name + " is " + m.rows() + "x" + m.cols()
                    + " but the configuration needs " + rows + "x" + cols);
        }
        if (!m.isFinite()) {
            throw new IllegalArgumentException(name + " contains NaN or infinite values");
        }
    }
}
