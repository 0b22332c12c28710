package org.smtstream.model;

/**
 * The radial whitening mask of thesis A.2, w(r) = r exp(-(r/r0)^4), r the radial frequency in
 * cycles per frame, and its regularised inverse, both on the S x S DFT grid. Ingest whitens with the
 * mask; the processor takes reconstructions back to image space with the inverse. Both read the mask
 * from here, so a whitening and its undoing cannot drift apart.
 *
 * <p>The inverse is the Wiener filter for a natural image's 1/r amplitude spectrum seen through the
 * mask with white noise added: c(r) = w / (w^2 + kappa r^2), kappa = {@value #INVERSE_NOISE}, 0 at DC.
 * With w = r e, e = exp(-(r/r0)^4), c w = e^2 / (e^2 + kappa): the ramp, the whitening proper, is
 * undone exactly at every frequency, and the roll-off where e^2 is well above kappa (up to about
 * 1.2 r0); above that, where the mask removed noise and aliasing, c falls to 0 instead of amplifying
 * what is left there (a reconstruction's errors included), by at most 1 / (2 r sqrt(kappa)). What the
 * inverse cannot give back: the mean of the frame (w(0) = 0), the frequencies the mask removed, and
 * whatever a later step did that is not this mask (ingest's scaling of each frame to unit deviation,
 * so the contrast of a frame is known only up to a factor; local contrast normalization; ZCA).
 *
 * @param size S, the side of the frames
 * @param r0   roll-off frequency in cycles per frame at this S
 */
public record FourierMask(int size, double r0) {

    /** The frame size at which {@link SmtConfig#whitenR0()} is specified. */
    public static final int REFERENCE_SIZE = 128;

    /**
     * The {@code preprocessing} header ({@link org.smtstream.model.wire.PatchHeaders#PREPROCESSING}) of
     * frames whitened by this mask and nothing else that {@link #inverseGains()} would not undo.
     */
    public static final String PREPROCESSING_LABEL = "fourier";

    /** kappa of the inverse: the noise power, relative to a natural image's, that it assumes in whitened frames. */
    public static final double INVERSE_NOISE = 0.01;

    public FourierMask {
        if (size < 2) {
            throw new IllegalArgumentException("Invalid frame size for a Fourier mask: " + size + " (must be >= 2)");
        }
        if (!(r0 > 0) || Double.isInfinite(r0)) {
            throw new IllegalArgumentException("Invalid r0 of the whitening mask: " + r0 + " (must be > 0 and finite)");
        }
    }

    /** The mask of a configuration: its r0 ({@link SmtConfig#whitenR0()}) scaled from S = 128 to its S. */
    public static FourierMask of(SmtConfig config) {
        return new FourierMask(config.frameSize(), config.whitenR0() * config.frameSize() / REFERENCE_SIZE);
    }

    /** w(r) at radial frequency {@code r} (cycles per frame). */
    public static double gain(double r, double r0) {
        double q = r / r0;
        return r * Math.exp(-(q * q) * (q * q));
    }

    /**
     * Radial frequency of DFT bin {@code k} along one axis: bins above S/2 are the negative
     * frequencies k - S, so the mask is symmetric and a filtered real frame stays real.
     */
    public static int signedFrequency(int k, int size) {
        return k <= size / 2 ? k : k - size;
    }

    /** w on the DFT grid, S x S row-major (bin (ky, kx) at {@code ky * S + kx}). */
    public double[] gains() {
        double[] values = new double[size * size];
        for (int y = 0; y < size; y++) {
            int fy = signedFrequency(y, size);
            for (int x = 0; x < size; x++) {
                int fx = signedFrequency(x, size);
                values[y * size + x] = gain(Math.hypot(fx, fy), r0);
            }
        }
        return values;
    }

    /** The inverse c = w / (w^2 + kappa r^2) on the DFT grid (0 at DC), laid out as {@link #gains()}. */
    public double[] inverseGains() {
        double[] values = new double[size * size];
        for (int y = 0; y < size; y++) {
            int fy = signedFrequency(y, size);
            for (int x = 0; x < size; x++) {
                int fx = signedFrequency(x, size);
                double r = Math.hypot(fx, fy);
                double w = gain(r, r0);
                values[y * size + x] = r == 0 ? 0 : w / (w * w + INVERSE_NOISE * r * r);
            }
        }
        return values;
    }
}
