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
import org.smtstream.model.FourierMask;

/**
 * Fourier whitening of S x S frames with the radial mask w(r) = r exp(-(r/r0)^4) ({@link FourierMask}),
 * r the radial frequency in cycles per frame: the ramp r flattens the roughly 1/r amplitude spectrum
 * of natural images, the exponential rolls off above r0 where noise and aliasing dominate. w(0) = 0
 * removes the mean. The caller scales the result ({@link Standardizer}).
 *
 * <p>Not thread-safe: it reuses one complex spectrum buffer; use one instance per thread.
 */
final class FourierWhitener {

    private final int size;
    /** w(r) on the DFT grid, repeated in the real and imaginary channel: S x S, CV_32FC2. */
    private final Mat mask;
    private final Mat spectrum = new Mat();

    /** @param fourierMask the mask and the frame size S it is for */
    FourierWhitener(FourierMask fourierMask) {
        this.size = fourierMask.size();
        this.mask = new Mat(size, size, CV_32FC2);
        ((FloatBuffer) mask.createBuffer()).put(maskValues(fourierMask));
    }

    private static float[] maskValues(FourierMask fourierMask) {
        double[] gains = fourierMask.gains();
        float[] values = new float[2 * gains.length];
        for (int k = 0; k < gains.length; k++) {
            values[2 * k] = (float) gains[k];
            values[2 * k + 1] = (float) gains[k];
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
