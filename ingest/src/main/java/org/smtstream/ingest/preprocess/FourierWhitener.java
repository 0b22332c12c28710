package org.smtstream.ingest.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.DFT_COMPLEX_OUTPUT;
import static org.bytedeco.opencv.global.opencv_core.DFT_INVERSE;
import static org.bytedeco.opencv.global.opencv_core.DFT_REAL_OUTPUT;
import static org.bytedeco.opencv.global.opencv_core.DFT_SCALE;
import static org.bytedeco.opencv.global.opencv_core.dft;
import static org.bytedeco.opencv.global.opencv_core.multiply;

import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Fourier whitening of S x S frames with the radial mask w(r) = r exp(-(r/r0)^4), r the radial
 * frequency in cycles per frame: the ramp r flattens the roughly 1/r amplitude spectrum of natural
 * images, the exponential rolls off above r0 where noise and aliasing dominate. w(0) = 0 removes
 * the mean. The caller scales the result ({@link Standardizer}).
 *
 * <p>Not thread-safe: it reuses one complex spectrum buffer; use one instance per thread.
 */
final class FourierWhitener {

    private final int size;
    /** w(r) on the DFT grid, repeated in the real and imaginary channel: S x S, CV_32FC2. */
    private final Mat mask;
    private final Mat spectrum = new Mat();

    /**
     * @param size S, the side of the frames
     * @param r0   roll-off frequency in cycles per frame (at this S, not at S = 128)
     */
    FourierWhitener(int size, double r0) {
        this.size = size;
        this.mask = new Mat(size, size, CV_32FC2);
        ((FloatBuffer) mask.createBuffer()).put(maskValues(size, r0));
    }

    /** The mask gain at radial frequency {@code r} (cycles per frame). */
    static double gain(double r, double r0) {
        double q = r / r0;
        return r * Math.exp(-(q * q) * (q * q));
    }

    /**
     * Radial frequency of DFT bin {@code k} along one axis: bins above S/2 are the negative
     * frequencies k - S, so the mask is symmetric and the filtered frame stays real.
     */
    static int signedFrequency(int k, int size) {
        return k <= size / 2 ? k : k - size;
    }

    private static float[] maskValues(int size, double r0) {
        float[] values = new float[2 * size * size];
        for (int y = 0; y < size; y++) {
            int fy = signedFrequency(y, size);
            for (int x = 0; x < size; x++) {
                int fx = signedFrequency(x, size);
                float w = (float) gain(Math.sqrt((double) fx * fx + (double) fy * fy), r0);
                values[2 * (y * size + x)] = w;
                values[2 * (y * size + x) + 1] = w;
            }
        }
        return values;
    }

    /** Whitens {@code frame} (S x S, CV_32F) into {@code out}; the mean of the result is zero. */
    void whiten(Mat frame, Mat out) {
        if (frame.rows() != size || frame.cols() != size) {
            throw new IllegalArgumentException("Expected a " + size + "x" + size + " frame, got "
                    + frame.cols() + "x" + frame.rows());
        }
        dft(frame, spectrum, DFT_COMPLEX_OUTPUT, 0);
        multiply(spectrum, mask, spectrum);
        dft(spectrum, out, DFT_INVERSE | DFT_REAL_OUTPUT | DFT_SCALE, 0);
    }
}
