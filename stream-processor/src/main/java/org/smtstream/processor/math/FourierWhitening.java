package org.smtstream.processor.math;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.SmtConfig;

/**
 * The ingest's Fourier whitening mask (thesis A.2) as n x n linear operators on p x p patches
 * (n = p*p): the whitening W = F^H diag(w) F and its regularized pseudo-inverse, the unwhitening C.
 *
 * <p><b>Mask.</b> w(r) = r exp(-(r/r0)^4), r the radial frequency in cycles per frame, r0 = 48 S/128
 * at frame size S: exactly the definition of the ingest's frame whitener (FourierWhitener in the
 * ingest module), with r0 in the same units.
 *
 * <p><b>Frequencies of a patch.</b> F is the p x p 2-D DFT; bin (ky, kx) has the signed frequencies
 * ky, kx in cycles per patch (bins above p/2 are the negative frequencies k - p, the Nyquist bin p/2
 * of an even p counts as +p/2, as in the ingest). One cycle per patch is S/p cycles per frame (the same
 * spatial frequency, 1/p cycles per pixel), so the bin's radius is
 * <pre>
 *   r(ky, kx) = sqrt(ky^2 + kx^2) * S / p   cycles per frame,     gain w(r(ky, kx)).
 * </pre>
 * w is even in (ky, kx), so F^H diag(w) F is real and symmetric: it is the circular convolution of
 * the patch (as if periodic) with the kernel h(dy, dx) = (1/n) sum_k w(r(k)) cos(2 pi (ky dy + kx dx) / p),
 * built once in double, W[i, j] = h(ri - rj mod p, ci - cj mod p) for pixels i = ri p + ci.
 *
 * <p><b>Relation to frame whitening.</b> W equals the ingest's frame filter exactly on patch-periodic
 * inputs (sinusoids with a whole number of cycles per patch, gain w(r)); on a patch cut from a frame
 * it differs near the patch borders (circular instead of linear convolution). The ingest then rescales
 * each filtered frame (per-frame standardization, e.g. to unit standard deviation): that scalar is per
 * frame and data dependent, so it is not part of W, and C reconstructs pixels in the units of the
 * standardized frame (multiply by the frame's scale, if known, to get back to input pixels).
 *
 * <p><b>Unwhitening.</b> C = F^H diag(c) F with
 * <pre>
 *   c(0, 0) = 0                                  DC: w(0) = 0 removes the patch mean, which no C recovers
 *   c(k)    = 1 / max(w(r(k)), floor * w_max)    otherwise; w_max the largest gain on the patch's bins
 * </pre>
 * so C W = F^H diag(w c) F is the identity on every non-DC frequency whose gain is at least
 * floor * w_max, and attenuates (never amplifies) the few highest frequencies below it, where the
 * exact inverse would amplify noise by up to 1/w. Hence C W x = x exactly for band-limited x without
 * DC (all its frequencies above the floor); for other x, C W x is x without its patch mean and with its
 * highest frequencies damped by w(r) / (floor w_max).
 */
public final class FourierWhitening extends LinearWhitening {

    /** The frame size at which r0 = {@link SmtConfig#whitenR0()} (48 in the thesis). */
    public static final int REFERENCE_FRAME_SIZE = 128;
    /** Default floor of the unwhitening, as a fraction of the largest gain. */
    public static final double DEFAULT_FLOOR = 1e-2;

    private final int patchSize;
    private final int frameSize;
    private final double r0;
    private final double floor;
    private final double[] gains;          // w per bin, row-major: ky * p + kx
    private final double[] inverseGains;   // c per bin

    private FourierWhitening(int patchSize, int frameSize, double r0, double floor, double[] gains,
            double[] inverseGains, INDArray operator, INDArray inverse) {
        super(operator, inverse, null);
        this.patchSize = patchSize;
        this.frameSize = frameSize;
        this.r0 = r0;
        this.floor = floor;
        this.gains = gains;
        this.inverseGains = inverseGains;
    }

    /**
     * The whitening of a configuration: p = patch size, S = frame size, r0 = whitenR0 * S / 128 (as the
     * ingest scales it), floor {@link #DEFAULT_FLOOR}.
     */
    public static FourierWhitening of(SmtConfig config) {
        return of(config.patchSize(), config.frameSize(),
                config.whitenR0() * config.frameSize() / REFERENCE_FRAME_SIZE, DEFAULT_FLOOR);
    }

    /**
     * @param patchSize p, >= 2
     * @param frameSize S, the side of the frames the patches were cut from, >= p
     * @param r0        roll-off of the mask in cycles per frame at this S (not at S = 128), > 0
     * @param floor     unwhitening floor as a fraction of the largest gain, in (0, 1]
     */
    public static FourierWhitening of(int patchSize, int frameSize, double r0, double floor) {
        if (patchSize < 2 || frameSize < patchSize) {
            throw new IllegalArgumentException("Invalid sizes: patch " + patchSize + ", frame " + frameSize
                    + " (need 2 <= patch <= frame)");
        }
        if (!(r0 > 0) || !Double.isFinite(r0)) {
            throw new IllegalArgumentException("Invalid whitening r0: " + r0);
        }
        if (!(floor > 0 && floor <= 1)) {
            throw new IllegalArgumentException("Invalid unwhitening floor: " + floor + " (must be in (0, 1])");
        }
        int p = patchSize;
        double[] gains = new double[p * p];
        double max = 0;
        for (int ky = 0; ky < p; ky++) {
            for (int kx = 0; kx < p; kx++) {
                double g = gain(radius(ky, kx, p, frameSize), r0);
                gains[ky * p + kx] = g;
                max = Math.max(max, g);
            }
        }
        double[] inverseGains = new double[p * p];
        for (int k = 1; k < p * p; k++) {                 // bin 0 is DC: c = 0
            inverseGains[k] = 1.0 / Math.max(gains[k], floor * max);
        }
        return new FourierWhitening(p, frameSize, r0, floor, gains, inverseGains,
                circulant(kernel(gains, p), p), circulant(kernel(inverseGains, p), p));
    }

    /** The mask gain w(r) = r exp(-(r/r0)^4) at radial frequency r (cycles per frame), as in the ingest. */
    public static double gain(double r, double r0) {
        double q = r / r0;
        return r * Math.exp(-(q * q) * (q * q));
    }

    /** Signed frequency of DFT bin k of a length-{@code size} axis: k for k <= size/2, else k - size. */
    public static int signedFrequency(int k, int size) {
        return k <= size / 2 ? k : k - size;
    }

    private static double radius(int ky, int kx, int p, int frameSize) {
        double fy = signedFrequency(ky, p);
        double fx = signedFrequency(kx, p);
        return Math.sqrt(fy * fy + fx * fx) * frameSize / p;
    }

    /**
     * h(dy, dx) = (1/n) sum_k g(k) cos(2 pi (ky dy + kx dx) / p), row-major in (dy, dx): the real
     * circular-convolution kernel of the real, even spectrum g.
     */
    private static double[] kernel(double[] g, int p) {
        double[] cos = new double[p];
        for (int m = 0; m < p; m++) {
            cos[m] = Math.cos(2 * Math.PI * m / p);
        }
        double[] h = new double[p * p];
        for (int dy = 0; dy < p; dy++) {
            for (int dx = 0; dx < p; dx++) {
                double s = 0;
                for (int ky = 0; ky < p; ky++) {
                    int base = (ky * dy) % p;
                    for (int kx = 0; kx < p; kx++) {
                        s += g[ky * p + kx] * cos[(base + kx * dx) % p];
                    }
                }
                h[dy * p + dx] = s / (p * p);
            }
        }
        return h;
    }

    /** The n x n (column-major) matrix of circular convolution with kernel h on p x p patches. */
    private static INDArray circulant(double[] h, int p) {
        int n = p * p;
        double[] m = new double[n * n];
        for (int j = 0; j < n; j++) {
            int rj = j / p;
            int cj = j % p;
            for (int i = 0; i < n; i++) {
                int dy = Math.floorMod(i / p - rj, p);
                int dx = Math.floorMod(i % p - cj, p);
                m[j * n + i] = h[dy * p + dx];
            }
        }
        return Nd4j.create(m, new long[] {n, n}, 'f').castTo(DataType.FLOAT);
    }

    /**
     * Radial frequency of patch DFT bin (ky, kx), ky, kx in [0, p), in cycles per frame.
     */
    public double radius(int ky, int kx) {
        requireBin(ky, kx);
        return radius(ky, kx, patchSize, frameSize);
    }

    /** w(r(ky, kx)): the eigenvalue of W for the Fourier modes of bin (ky, kx) (and of (-ky, -kx)). */
    public double gainAt(int ky, int kx) {
        requireBin(ky, kx);
        return gains[ky * patchSize + kx];
    }

    /** c(ky, kx): the eigenvalue of C for bin (ky, kx); 0 at DC. */
    public double inverseGainAt(int ky, int kx) {
        requireBin(ky, kx);
        return inverseGains[ky * patchSize + kx];
    }

    /** True when bin (ky, kx) passes C W unchanged: not DC and w at least floor * w_max. */
    public boolean isInvertible(int ky, int kx) {
        requireBin(ky, kx);
        int k = ky * patchSize + kx;
        return k != 0 && Math.abs(gains[k] * inverseGains[k] - 1) < 1e-12;
    }

    public int patchSize() {
        return patchSize;
    }

    public int frameSize() {
        return frameSize;
    }

    /** r0 in cycles per frame (at this frame size). */
    public double r0() {
        return r0;
    }

    public double floor() {
        return floor;
    }

    private void requireBin(int ky, int kx) {
        if (ky < 0 || kx < 0 || ky >= patchSize || kx >= patchSize) {
            throw new IllegalArgumentException("Bin (" + ky + ", " + kx + ") outside [0, " + patchSize + ")^2");
        }
    }
}
