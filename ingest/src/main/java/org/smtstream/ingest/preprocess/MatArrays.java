package org.smtstream.ingest.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.opencv_core.Mat;
import org.smtstream.ingest.IngestException;

/** Moves pixels between Java arrays, JavaCV frames and OpenCV matrices. */
final class MatArrays {

    private MatArrays() {
    }

    /**
     * A Mat header over the frame's own 8-bit buffer (no copy), valid as long as the frame is.
     * Built by hand rather than with {@code OpenCVFrameConverter}, whose cached Mat would be freed
     * by the caller's {@code PointerScope} while the converter still holds it.
     */
    static Mat wrap(Frame frame) {
        if (frame.image == null || frame.image.length == 0) {
            throw new IngestException("Frame has no image");
        }
        if (frame.imageDepth != Frame.DEPTH_UBYTE) {
            throw new IngestException("Unsupported frame depth " + frame.imageDepth + " (expected 8-bit unsigned)");
        }
        int channels = frame.imageChannels;
        if (channels != 1 && channels != 3 && channels != 4) {
            throw new IngestException("Unsupported frame with " + channels + " channels (expected gray, BGR or BGRA)");
        }
        // imageStride counts elements, which are bytes at this depth; it may exceed width * channels.
        return new Mat(frame.imageHeight, frame.imageWidth, CV_8UC(channels),
                new BytePointer((ByteBuffer) frame.image[0]), frame.imageStride);
    }

    /** A new single-channel float Mat holding a copy of {@code pixels} (row-major, height x width). */
    static Mat fromFloats(float[] pixels, int width, int height) {
        if (width < 1 || height < 1 || pixels.length != (long) width * height) {
            throw new IllegalArgumentException(
                    pixels.length + " pixels do not make a " + width + "x" + height + " image");
        }
        Mat mat = new Mat(height, width, CV_32FC1);
        ((FloatBuffer) mat.createBuffer()).put(pixels);
        return mat;
    }

    /** The pixels of a single-channel float Mat, row-major. */
    static float[] toFloats(Mat mat) {
        Mat continuous = mat.isContinuous() ? mat : mat.clone();
        float[] pixels = new float[continuous.rows() * continuous.cols()];
        ((FloatBuffer) continuous.createBuffer()).get(pixels);
        return pixels;
    }
}
