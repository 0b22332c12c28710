package org.smtstream.model;

/**
 * One version of a learned SMT model.
 *
 * @param version monotonically increasing version number, 0 for a fresh random model
 * @param config  hyper-parameters, including the whitening parameters (frame size, r0)
 * @param phi     dictionary Phi, n x N, unit-norm columns
 * @param p       embedding P, f x N (null until an embedding has been learned)
 * @param v       covariance V of the codes, N x N (null until accumulated)
 */
public record SmtModel(long version, SmtConfig config, FloatMatrix phi, FloatMatrix p, FloatMatrix v) {

    public SmtModel {
        if (version < 0) {
            throw new IllegalArgumentException("Invalid model version: " + version);
        }
        requireShape("phi", phi, config.patchDim(), config.dictionarySize());
        if (p != null) {
            requireShape("P", p, config.embeddingDim(), config.dictionarySize());
        }
        if (v != null) {
            requireShape("V", v, config.dictionarySize(), config.dictionarySize());
        }
    }

    /** This model with a new dictionary and the next version number. */
    public SmtModel withPhi(FloatMatrix newPhi) {
        return new SmtModel(version + 1, config, newPhi, p, v);
    }

    private static void requireShape(String name, FloatMatrix m, int rows, int cols) {
        if (m == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (m.rows() != rows || m.cols() != cols) {
            throw new IllegalArgumentException(name + " is " + m.rows() + "x" + m.cols() + " but the configuration needs "
                    + rows + "x" + cols);
        }
        if (!m.isFinite()) {
            throw new IllegalArgumentException(name + " contains NaN or infinite values");
        }
    }
}
