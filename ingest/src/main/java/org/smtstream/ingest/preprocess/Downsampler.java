package org.smtstream.ingest.preprocess;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.pyrDown;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Centre crop to a square, then downsampling to S x S without aliasing: Gaussian pyramid steps
 * (each low-passes before halving) while the square is larger than 2S, then an area-average
 * resize for the last factor below 2. A plain resize by a large factor samples a few source
 * pixels per output pixel, and fine moving texture then folds into false low-frequency motion.
 * Each pyramid level keeps even source samples, so the output sits up to half an output pixel
 * off the exact area-average grid; nothing downstream depends on sub-pixel registration.
 */
final class Downsampler {

    private final int size;

    Downsampler(int size) {
        this.size = size;
    }

    /** The largest centred square of a width x height image (odd margins round toward the top left). */
    static Rect centreSquare(int width, int height) {
        int side = Math.min(width, height);
        return new Rect((width - side) / 2, (height - side) / 2, side, side);
    }

    /** {@code image} (any size, one channel) cropped to its centre square and resampled to S x S. */
    Mat apply(Mat image) {
        Mat level = new Mat(image, centreSquare(image.cols(), image.rows()));
        while (level.cols() > 2 * size) {
            Mat smaller = new Mat();
            pyrDown(level, smaller);
            level = smaller;
        }
        Mat out = new Mat();
        // Area averaging is only anti-aliased when shrinking; enlarging a small source interpolates.
        int interpolation = level.cols() >= size ? INTER_AREA : INTER_LINEAR;
        resize(level, out, new Size(size, size), 0, 0, interpolation);
        return out;
    }
}
