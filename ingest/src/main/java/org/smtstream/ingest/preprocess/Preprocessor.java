package org.smtstream.ingest.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.opencv_core.Mat;
import org.smtstream.model.SmtConfig;

/**
 * Turns a video frame into the S x S whitened frame patches are cut from: grayscale in [0, 1],
 * centre crop to a square, anti-aliased downsampling to S x S (S = {@link SmtConfig#frameSize()}),
 * Fourier whitening with w(r) = r exp(-(r/r0)^4) where r0 = {@link SmtConfig#whitenR0()} * S / 128
 * cycles per frame, then scaling to zero mean and unit standard deviation.
 *
 * <p>Not thread-safe (it reuses buffers): one instance per ingesting thread. Temporary native
 * memory of each call is released when the call returns. Construct it outside any
 * {@code PointerScope}: a scope would free its long-lived buffers when it closes.
 */
public final class Preprocessor {

    /**
     * Version of this preprocessing, sent with every patch record: a consumer can tell frames
     * prepared differently apart. Bump it when the output of {@link #process} changes.
     */
    public static final int VERSION = 1;

    /** The frame size at which {@link SmtConfig#whitenR0()} is specified. */
    static final int REFERENCE_SIZE = 128;

    private final int size;
    private final Downsampler downsampler;
    private final FourierWhitener whitener;

    public Preprocessor(SmtConfig config) {
        this.size = config.frameSize();
        this.downsampler = new Downsampler(size);
        this.whitener = new FourierWhitener(size, config.whitenR0() * size / REFERENCE_SIZE);
    }

    /** S, the side of the output frames. */
    public int frameSize() {
        return size;
    }

    /**
     * Preprocesses an 8-bit frame: gray, BGR or BGRA, any size, any row stride.
     *
     * @throws org.smtstream.ingest.IngestException for another depth or channel count
     */
    public PreprocessedFrame process(Frame frame) {
        try (PointerScope scope = new PointerScope()) {
            Mat image = MatArrays.wrap(frame);
            // Crop first, so the colour conversion only touches pixels that are kept.
            Mat square = new Mat(image, Downsampler.centreSquare(image.cols(), image.rows()));
            Mat gray8 = square;
            if (square.channels() > 1) {
                gray8 = new Mat();
                cvtColor(square, gray8, square.channels() == 4 ? COLOR_BGRA2GRAY : COLOR_BGR2GRAY);
            }
            Mat gray = new Mat();
            gray8.convertTo(gray, CV_32F, 1.0 / 255, 0);
            return finish(downsampler.apply(gray));
        }
    }

    /**
     * Preprocesses a grayscale image given as floats in [0, 1].
     *
     * @param gray   width x height intensities, row-major
     * @param width  columns
     * @param height rows
     */
    public PreprocessedFrame process(float[] gray, int width, int height) {
        try (PointerScope scope = new PointerScope()) {
            return finish(downsampler.apply(MatArrays.fromFloats(gray, width, height)));
        }
    }

    private PreprocessedFrame finish(Mat small) {
        Mat whitened = new Mat();
        whitener.whiten(small, whitened);
        return new PreprocessedFrame(size, MatArrays.toFloats(small), MatArrays.toFloats(whitened));
    }
}
