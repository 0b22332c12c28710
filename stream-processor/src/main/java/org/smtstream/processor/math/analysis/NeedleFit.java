package org.smtstream.processor.math.analysis;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.smtstream.model.Needles;
import org.smtstream.model.SmtModel;
import org.smtstream.processor.math.linalg.Matrices;
import org.smtstream.processor.math.linalg.Nd4jRuntime;

/**
 * Summarizes each dictionary atom (p x p) as a needle (thesis section 3.3, figure 3.5): centre,
 * orientation and length, from the moments of the atom's energy.
 *
 * <p><b>Coordinates.</b> Pixel (row r, column c) of a patch is entry r p + c of the atom (the
 * {@code PatchGeometry} layout) and sits at x = c, y = r (pixel centres, y pointing down). An angle theta in
 * degrees is the direction (cos theta, sin theta) in (x, y): measured from the +x (column) axis toward
 * +y (down the rows), i.e. clockwise on screen, in [0, 180) because a needle has no head. Drawn on a
 * canvas (y down) a needle runs from centre - (L/2)(cos theta, sin theta) to centre + (L/2)(cos theta, sin theta).
 *
 * <p><b>Energy.</b> {@link Energy#SQUARED}: e = phi^2. {@link Energy#ENVELOPE}: e = |a|^2, a the
 * analytic signal of the atom along its dominant spatial frequency k0 (the spectrum times 1 + sign(k . k0),
 * inverse transformed), whose magnitude is the smooth envelope the thesis fits (for a Gabor, the
 * Gaussian envelope without the carrier's ripples). Both are squared amplitudes, so they give the same
 * moments on average for an oscillating atom.
 *
 * <p><b>Fit.</b> With the energy-weighted mean mu and covariance Sigma of the pixel positions (a
 * 2-D Gaussian fitted by moments):
 * <pre>
 *   centre      = mu
 *   angle       = principal axis of Sigma: 0.5 atan2(2 Sxy, Sxx - Syy), mod 180
 *   length      = 2 sqrt(3 lambda_max)       (a uniform segment of length L has variance L^2 / 12)
 *   width       = 2 sqrt(3 lambda_min)
 *   elongation  = sqrt(lambda_max / lambda_min); near 1 the axis, and so the angle, is undefined
 * </pre>
 * For a Gabor whose Gaussian envelope has standard deviation sigma along its bars the length is
 * sqrt(6) sigma (the squared envelope has sigma / sqrt 2). Also reported: the <i>spectral</i> bar angle,
 * perpendicular to the principal axis of the power spectrum's orientation tensor
 * sum_k |F(k)|^2 k k^T (DC excluded), the sub-bin version of the thesis's "peak in the Fourier amplitude
 * map"; it is defined for round envelopes too. Fit quality: the cosine similarity, over the pixels,
 * between the energy and the fitted Gaussian (Sigma + I/12 for pixel size), 1 for a perfect Gaussian
 * blob; the thesis keeps the best-fitting atoms ({@link NeedleComparison#bestFit}).
 *
 * <p>Vectorized over atoms: the DFT is a real n x n matrix pair applied by GEMMs to all N atoms, the
 * moments a 6 x n by n x N GEMM; only the closed-form 2 x 2 eigen-problem is per atom. All in double.
 */
public final class NeedleFit {

    private static final double DEGREES = 180.0 / Math.PI;
    /** Variance of a uniform pixel: regularizes the Gaussian of the quality measure. */
    private static final double PIXEL_VARIANCE = 1.0 / 12.0;

    private NeedleFit() {
    }

    /** What the moments are weighted by. */
    public enum Energy {
        /** phi^2, the squared amplitude. */
        SQUARED,
        /**
         * |analytic signal|^2, the squared envelope (the thesis's choice), for oscillating (Gabor-like)
         * atoms. A non-oscillating atom (a plain bar or blob) has no carrier and so no well-defined
         * envelope, which biases its fitted axis (stream-processor/EVALUATION.md); use SQUARED for those.
         */
        ENVELOPE
    }

    /**
     * One atom's needle. Coordinates and angles as in the class comment; NaN everywhere (quality 0)
     * for an all-zero atom.
     *
     * @param atom                 column index in Phi
     * @param centreRow            y of the energy centroid, in pixels
     * @param centreCol            x of the energy centroid, in pixels
     * @param angleDegrees         orientation of the energy's principal axis, [0, 180)
     * @param length               2 sqrt(3 lambda_max), in pixels
     * @param width                2 sqrt(3 lambda_min), in pixels
     * @param spectralAngleDegrees bar orientation from the power spectrum, [0, 180)
     * @param elongation           sqrt(lambda_max / lambda_min) >= 1
     * @param quality              cosine similarity of the energy and its fitted Gaussian, in [0, 1]
     */
    public record Needle(int atom, double centreRow, double centreCol, double angleDegrees, double length,
            double width, double spectralAngleDegrees, double elongation, double quality) {
    }

    /**
     * Fits every atom of a dictionary.
     *
     * @param phi       n x N, one atom per column, n = p * p (any float type); not modified
     * @param patchSize p
     * @param energy    what weights the moments
     * @return N needles, in atom order
     */
    public static Needle[] fit(INDArray phi, int patchSize, Energy energy) {
        int p = patchSize;
        int n = p * p;
        if (p < 2 || phi.rank() != 2 || phi.rows() != n) {
            throw new IllegalArgumentException("Expected " + n + " x N atoms of " + p + " x " + p
                    + " patches, got shape " + Arrays.toString(phi.shape()));
        }
        Nd4jRuntime.useFloatByDefault();
        int atoms = (int) phi.columns();
        INDArray a = phi.castTo(DataType.DOUBLE).dup('f');
        if (!Double.isFinite(a.sumNumber().doubleValue())) {
            throw new IllegalArgumentException("Atoms contain NaN or infinite values");
        }
        Dft dft = Dft.of(p);
        INDArray re = Nd4j.gemm(dft.cos, a, false, false);               // Re F phi
        INDArray im = Nd4j.gemm(dft.sin, a, false, false).negi();        // Im F phi
        INDArray power = re.mul(re).addi(im.mul(im));
        power.getRow(0).assign(0);                                        // DC carries no orientation
        double[][] spectral = Nd4j.gemm(dft.frequencyMoments, power, false, false).toDoubleMatrix();

        INDArray e;
        if (energy == Energy.SQUARED) {
            e = a.mul(a);
        } else {
            e = envelopeEnergy(dft, re, im, power);
        }
        double[][] moments = Nd4j.gemm(dft.pixelMoments, e, false, false).toDoubleMatrix();   // 6 x N

        double[] mux = new double[atoms];
        double[] muy = new double[atoms];
        double[] ia = new double[atoms];
        double[] ib = new double[atoms];
        double[] ic = new double[atoms];
        Needle[] needles = new Needle[atoms];
        for (int j = 0; j < atoms; j++) {
            double m0 = moments[0][j];
            if (!(m0 > 0)) {
                needles[j] = new Needle(j, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, 0.0);
                continue;
            }
            double mx = moments[1][j] / m0;
            double my = moments[2][j] / m0;
            double sxx = Math.max(0, moments[3][j] / m0 - mx * mx);
            double syy = Math.max(0, moments[4][j] / m0 - my * my);
            double sxy = moments[5][j] / m0 - mx * my;
            double half = 0.5 * (sxx + syy);
            double radius = Math.hypot(0.5 * (sxx - syy), sxy);
            double lambdaMax = half + radius;
            double lambdaMin = Math.max(0, half - radius);
            double angle = axisDegrees(sxx - syy, sxy);
            double carrier = axisDegrees(spectral[0][j] - spectral[1][j], spectral[2][j]);
            double spectralAngle = wrap(carrier + 90);
            needles[j] = new Needle(j, my, mx, angle, 2 * Math.sqrt(3 * lambdaMax), 2 * Math.sqrt(3 * lambdaMin),
                    spectralAngle, lambdaMin > 0 ? Math.sqrt(lambdaMax / lambdaMin) : Double.POSITIVE_INFINITY, 0);
            double vxx = sxx + PIXEL_VARIANCE;
            double vyy = syy + PIXEL_VARIANCE;
            double det = vxx * vyy - sxy * sxy;
            mux[j] = mx;
            muy[j] = my;
            ia[j] = vyy / det;
            ib[j] = -sxy / det;
            ic[j] = vxx / det;
        }
        double[] quality = gaussianSimilarity(e, dft, mux, muy, ia, ib, ic);
        for (int j = 0; j < atoms; j++) {
            Needle v = needles[j];
            if (v.quality() == 0 && !Double.isNaN(v.centreRow())) {
                needles[j] = new Needle(j, v.centreRow(), v.centreCol(), v.angleDegrees(), v.length(), v.width(),
                        v.spectralAngleDegrees(), v.elongation(), quality[j]);
            }
        }
        return needles;
    }

    /**
     * The needles as the thesis draws them (section 3.3): centre and length from the envelope
     * ({@link Energy#ENVELOPE}), orientation from the power spectrum (the spectral bar angle).
     *
     * @param phi n x N, one atom per column; not modified
     */
    public static Needles drawn(INDArray phi, int patchSize) {
        Needle[] fitted = fit(phi, patchSize, Energy.ENVELOPE);
        return drawn(fitted);
    }

    /** The needles of {@code fitted} as drawn: the spectral angle is the needle's orientation. */
    public static Needles drawn(Needle[] fitted) {
        int atoms = fitted.length;
        double[] row = new double[atoms];
        double[] col = new double[atoms];
        double[] angle = new double[atoms];
        double[] length = new double[atoms];
        double[] quality = new double[atoms];
        for (int j = 0; j < atoms; j++) {
            row[j] = fitted[j].centreRow();
            col[j] = fitted[j].centreCol();
            angle[j] = fitted[j].spectralAngleDegrees();
            length[j] = fitted[j].length();
            quality[j] = fitted[j].quality();
        }
        return Needles.of(row, col, angle, length, quality);
    }

    /** {@code model} with the needles of its dictionary, for the pictures of whoever reads it. */
    public static SmtModel withNeedles(SmtModel model) {
        return model.withNeedles(drawn(Matrices.of(model.phi()), model.config().patchSize()));
    }

    /** |a|^2 with a = F^{-1}[(1 + sign(k . k0)) F phi], k0 the per-atom peak frequency. */
    private static INDArray envelopeEnergy(Dft dft, INDArray re, INDArray im, INDArray power) {
        int n = (int) re.rows();
        INDArray peak = power.argMax(0);                                   // bin of k0 per atom
        int atoms = (int) re.columns();
        INDArray k0 = Nd4j.create(DataType.DOUBLE, new long[] {2, atoms}, 'f');
        for (int j = 0; j < atoms; j++) {
            int bin = peak.getInt(j);
            k0.putScalar(0, j, dft.fx[bin]);
            k0.putScalar(1, j, dft.fy[bin]);
        }
        INDArray mask = Transforms.sign(Nd4j.gemm(dft.frequencies, k0, false, false), false).addi(1.0);   // n x N
        INDArray zr = re.mul(mask);
        INDArray zi = im.mul(mask);
        INDArray ar = Nd4j.gemm(dft.cos, zr, false, false);
        Nd4j.gemm(dft.sin, zi, ar, false, false, -1.0, 1.0);              // C Zr - S Zi
        INDArray ai = Nd4j.gemm(dft.sin, zr, false, false);
        Nd4j.gemm(dft.cos, zi, ai, false, false, 1.0, 1.0);               // S Zr + C Zi
        return ar.muli(ar).addi(ai.muli(ai)).divi((double) n * n);
    }

    /** Per atom, cos(e, g) over pixels, g the Gaussian exp(-q/2) of the fitted mean and covariance. */
    private static double[] gaussianSimilarity(INDArray e, Dft dft, double[] mux, double[] muy, double[] ia,
            double[] ib, double[] ic) {
        int n = (int) e.rows();
        int atoms = (int) e.columns();
        INDArray dx = Nd4j.zeros(DataType.DOUBLE, n, atoms).addiColumnVector(dft.x).subiRowVector(row(mux));
        INDArray dy = Nd4j.zeros(DataType.DOUBLE, n, atoms).addiColumnVector(dft.y).subiRowVector(row(muy));
        INDArray q = dx.mul(dx).muliRowVector(row(ia))
                .addi(dx.mul(dy).muliRowVector(row(ib)).muli(2.0))
                .addi(dy.mul(dy).muliRowVector(row(ic)));
        INDArray g = Transforms.exp(q.muli(-0.5), false);
        INDArray dot = e.mul(g).sum(0);
        INDArray norms = e.norm2(0).muli(g.norm2(0));
        double[] d = dot.toDoubleVector();
        double[] m = norms.toDoubleVector();
        double[] out = new double[atoms];
        for (int j = 0; j < atoms; j++) {
            out[j] = m[j] > 0 ? Math.min(1.0, Math.max(0.0, d[j] / m[j])) : 0.0;
        }
        return out;
    }

    private static INDArray row(double[] values) {
        return Nd4j.createFromArray(values).reshape(1, values.length);
    }

    /**
     * The axis angle 0.5 atan2(2 b, d), in [0, 180), of a symmetric 2 x 2 form with difference d and off-diagonal b.
     */
    private static double axisDegrees(double difference, double offDiagonal) {
        return wrap(0.5 * Math.atan2(2 * offDiagonal, difference) * DEGREES);
    }

    /** An angle mod 180, in [0, 180). */
    static double wrap(double degrees) {
        double w = degrees % 180.0;
        if (w < 0) {
            w += 180.0;
        }
        return w >= 180.0 ? 0.0 : w;
    }

    /** Difference of two needle angles, mod 180: in [0, 90]. */
    public static double angleDifference(double a, double b) {
        double d = Math.abs(wrap(a) - wrap(b));
        return Math.min(d, 180.0 - d);
    }

    /** The real DFT matrices of a p x p patch and the coordinate tables of the moments. */
    private record Dft(INDArray cos, INDArray sin, INDArray pixelMoments, INDArray frequencyMoments,
            INDArray frequencies, INDArray x, INDArray y, double[] fx, double[] fy) {

        static Dft of(int p) {
            int n = p * p;
            double[] cos = new double[n * n];
            double[] sin = new double[n * n];
            double[] fx = new double[n];
            double[] fy = new double[n];
            for (int k = 0; k < n; k++) {
                fy[k] = signedFrequency(k / p, p);
                fx[k] = signedFrequency(k % p, p);
            }
            for (int j = 0; j < n; j++) {                     // column: pixel (j / p, j % p)
                for (int k = 0; k < n; k++) {                 // row: bin (k / p, k % p)
                    int phase = ((k / p) * (j / p) + (k % p) * (j % p)) % p;
                    cos[j * n + k] = Math.cos(2 * Math.PI * phase / p);
                    sin[j * n + k] = Math.sin(2 * Math.PI * phase / p);
                }
            }
            double[] moments = new double[6 * n];             // rows 1, x, y, x^2, y^2, xy; column-major 6 x n
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (int j = 0; j < n; j++) {
                double x = j % p;
                double y = j / p;
                xs[j] = x;
                ys[j] = y;
                double[] r = {1, x, y, x * x, y * y, x * y};
                System.arraycopy(r, 0, moments, 6 * j, 6);
            }
            double[] spectral = new double[3 * n];            // rows fx^2, fy^2, fx fy; column-major 3 x n
            double[] freqs = new double[2 * n];               // n x 2 column-major: fx, fy
            boolean even = p % 2 == 0;
            for (int k = 0; k < n; k++) {
                boolean nyquist = even && (Math.abs(fx[k]) == p / 2 || Math.abs(fy[k]) == p / 2);
                spectral[3 * k] = fx[k] * fx[k];
                spectral[3 * k + 1] = fy[k] * fy[k];
                spectral[3 * k + 2] = nyquist ? 0 : fx[k] * fy[k];   // the sign of an aliased bin is unknown
                // The analytic-signal half-plane test k . k0 ignores an aliased Nyquist coordinate, so
                // the conjugate bins of a real atom always get masks summing to 2 and Re(a) = phi.
                freqs[k] = even && Math.abs(fx[k]) == p / 2 ? 0 : fx[k];
                freqs[n + k] = even && Math.abs(fy[k]) == p / 2 ? 0 : fy[k];
            }
            return new Dft(
                    Nd4j.create(cos, new long[] {n, n}, 'f'),
                    Nd4j.create(sin, new long[] {n, n}, 'f'),
                    Nd4j.create(moments, new long[] {6, n}, 'f'),
                    Nd4j.create(spectral, new long[] {3, n}, 'f'),
                    Nd4j.create(freqs, new long[] {n, 2}, 'f'),
                    Nd4j.create(xs, new long[] {n, 1}, 'f'),
                    Nd4j.create(ys, new long[] {n, 1}, 'f'),
                    fx, fy);
        }
    }

    /** Signed frequency of DFT bin k of a length-{@code size} axis: k for k <= size/2, else k - size. */
    static int signedFrequency(int k, int size) {
        return k <= size / 2 ? k : k - size;
    }
}
