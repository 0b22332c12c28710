package org.smtstream.ingest.preprocess;

import static org.bytedeco.opencv.global.opencv_core.divide;
import static org.bytedeco.opencv.global.opencv_core.max;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_core.multiply;
import static org.bytedeco.opencv.global.opencv_core.sqrt;
import static org.bytedeco.opencv.global.opencv_core.subtract;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Per-frame divisive contrast normalization, an option after whitening: each pixel minus its
 * Gaussian-weighted local mean, divided by the local RMS contrast around it, so a person in shade
 * and one in sunlight reach the sparse coder at similar contrast. The divisor is floored at
 * {@value #FLOOR_FRACTION} of the frame's mean local RMS, so a region with a tenth of the typical
 * contrast is still equalized, while a flat region (sky, a wall: sensor noise only) is amplified at
 * most tenfold relative to the rest instead of being blown up to full contrast.
 *
 * <p>A global gain per frame would be pointless here: the final scaling to unit standard deviation
 * ({@link Standardizer}) already removes it. This normalization varies across the frame.
 */
final class LocalContrastNormalizer {

    /** The divisor's floor as a fraction of the frame's mean local RMS contrast. */
    static final double FLOOR_FRACTION = 0.1;

    private final double sigma;

    /** @param sigma standard deviation of the Gaussian window in pixels (the preprocessor uses p / 2) */
    LocalContrastNormalizer(double sigma) {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("Invalid contrast window sigma: " + sigma);
        }
        this.sigma = sigma;
    }

    /** Normalizes a single-channel CV_32F frame in place. */
    void normalize(Mat frame) {
        Size automatic = new Size(0, 0); // kernel size derived from sigma
        Mat localMean = new Mat();
        GaussianBlur(frame, localMean, automatic, sigma);
        Mat centred = new Mat();
        subtract(frame, localMean, centred);
        Mat squares = new Mat();
        multiply(centred, centred, squares);
        Mat localRms = new Mat();
        GaussianBlur(squares, localRms, automatic, sigma);
        sqrt(localRms, localRms);
        double floor = FLOOR_FRACTION * mean(localRms).get(0);
        if (floor <= 0) {
            centred.copyTo(frame); // a flat frame: nothing to normalize
            return;
        }
        divide(centred, max(localRms, floor).asMat(), frame);
    }
}
