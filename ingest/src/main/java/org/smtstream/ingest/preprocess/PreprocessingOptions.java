package org.smtstream.ingest.preprocess;

import java.util.Locale;

/**
 * Choices in preprocessing beyond the {@link org.smtstream.model.SmtConfig} geometry. Whatever is
 * chosen, every frame ends scaled to zero mean and unit standard deviation, the scale the
 * processor's lambda is set for.
 *
 * @param whitening     Fourier mask (default, thesis A.2) or ZCA
 * @param zcaFitFrames  frames whose patches the ZCA transform is fitted on, &gt;= 1 (ZCA only)
 * @param localContrast divide each whitened frame by its local contrast ({@link LocalContrastNormalizer})
 */
public record PreprocessingOptions(Whitening whitening, int zcaFitFrames, boolean localContrast) {

    /** How frames are whitened. */
    public enum Whitening {
        /** The radial Fourier mask w(r) = r exp(-(r/r0)^4) of thesis A.2, the same for every frame. */
        FOURIER,
        /**
         * ZCA on the patch grid, fitted on patches of the first frames of the run (the thesis
         * reports qualitatively the same results with it). It needs non-overlapping patches.
         */
        ZCA;

        /** Reads {@code fourier} or {@code zca}, in any case. */
        public static Whitening parse(String text) {
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("Invalid whitening: '" + text + "' (expected fourier or zca)");
            }
        }
    }

    /**
     * Ten frames give the fast preset 8410 fit patches of 256 pixels (33 per dimension) and the
     * seed preset 4840 of 400 (12 per dimension), enough for a well-conditioned covariance.
     */
    public static final int DEFAULT_ZCA_FIT_FRAMES = 10;

    /** Fourier whitening, no local contrast normalization: the thesis's preprocessing. */
    public static final PreprocessingOptions DEFAULT =
            new PreprocessingOptions(Whitening.FOURIER, DEFAULT_ZCA_FIT_FRAMES, false);

    public PreprocessingOptions {
        if (whitening == null) {
            throw new IllegalArgumentException("Invalid whitening: null (expected fourier or zca)");
        }
        if (zcaFitFrames < 1) {
            throw new IllegalArgumentException("Invalid ZCA fit frames: " + zcaFitFrames + " (must be >= 1)");
        }
    }

    public PreprocessingOptions withWhitening(Whitening value) {
        return new PreprocessingOptions(value, zcaFitFrames, localContrast);
    }

    public PreprocessingOptions withZcaFitFrames(int value) {
        return new PreprocessingOptions(whitening, value, localContrast);
    }

    public PreprocessingOptions withLocalContrast(boolean value) {
        return new PreprocessingOptions(whitening, zcaFitFrames, value);
    }

    /**
     * A short label of these choices for record headers and logs: {@code fourier}, {@code zca},
     * with {@code +lcn} when local contrast normalization is on.
     */
    public String label() {
        return whitening.name().toLowerCase(Locale.ROOT) + (localContrast ? "+lcn" : "");
    }
}
