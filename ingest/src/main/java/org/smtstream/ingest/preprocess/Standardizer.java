package org.smtstream.ingest.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.meanStdDev;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Scales a whitened frame to zero mean and unit standard deviation over its pixels: the last step
 * of every preprocessing, because the processor's lambda is in units of that deviation. A frame
 * with (almost) no variance (a constant input) becomes all zeros instead of amplified noise.
 */
final class Standardizer {

    /** Below this standard deviation a whitened frame is flat (a constant input) and becomes all zeros. */
    static final double FLAT_STD = 1e-9;

    private Standardizer() {
    }

    /** Standardizes a single-channel CV_32F frame in place. */
    static void standardize(Mat frame) {
        double[] moments = meanAndDeviation(frame);
        double mu = moments[0];
        double sigma = moments[1];
        if (sigma < FLAT_STD) {
            frame.convertTo(frame, CV_32F, 0, 0);
        } else {
            frame.convertTo(frame, CV_32F, 1 / sigma, -mu / sigma);
        }
    }

    /** {mean, standard deviation} of a single-channel frame's pixels. */
    static double[] meanAndDeviation(Mat frame) {
        Mat mean = new Mat();
        Mat std = new Mat();
        meanStdDev(frame, mean, std);
        DoubleIndexer mu = mean.createIndexer();
        DoubleIndexer sigma = std.createIndexer();
        return new double[] {mu.get(0), sigma.get(0)};
    }
}
