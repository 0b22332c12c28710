package org.smtstream.ingest.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.opencv_core.Mat;
import org.smtstream.model.BlankFrame;
import org.smtstream.model.FourierMask;
import org.smtstream.model.SmtConfig;

/**
 * Turns a video frame into the S x S whitened frame patches are cut from: grayscale in [0, 1],
 * centre crop to a square, anti-aliased downsampling to S x S (S = {@link SmtConfig#frameSize()}),
 * whitening, optionally local contrast normalization ({@link LocalContrastNormalizer}), then
 * scaling to zero mean and unit standard deviation ({@link Standardizer}). A blank frame, one whose
 * gray values are (nearly) uniform ({@link BlankFrame#isUniform}), becomes all zeros instead: whitening
 * and scaling would blow its quantization noise up to full contrast.
 *
 * <p>Whitening is the Fourier mask w(r) = r exp(-(r/r0)^4) with r0 = {@link SmtConfig#whitenR0()}
 * * S / 128 cycles per frame (thesis A.2, the default), or ZCA on the patch grid
 * ({@link ZcaWhitener}). ZCA must be fitted first: {@link #needsFit()} says so, {@link #fit} takes
 * the gray frames ({@link #grayscale}) of the first frames of a run; until then {@link #whiten}
 * refuses.
 *
 * <p>Not thread-safe (it reuses buffers): one instance per ingesting thread. Temporary native
 * memory of each call is released when the call returns. Construct it outside any
 * {@code PointerScope}: a scope would free its long-lived buffers when it closes.
 */
public final class Preprocessor {

    /**
     * Version of this preprocessing, sent with every patch record: a consumer can tell frames
     * prepared differently apart. Bump it when the output of {@link #process} changes for the same
     * options; the options themselves travel as {@link PreprocessingOptions#label()}. Version 2: blank
     * frames become zeros ({@link BlankFrame}).
     */
    public static final int VERSION = 2;

    private final SmtConfig config;
    private final PreprocessingOptions options;
    private final int size;
    private final Downsampler downsampler;
    /** Null when whitening with ZCA. */
    private final FourierWhitener fourier;
    /** Null until fitted, and always with Fourier whitening. */
    private ZcaWhitener zca;
    /** Null when local contrast normalization is off. */
    private final LocalContrastNormalizer contrast;

    /** The thesis's preprocessing: Fourier whitening, no local contrast normalization. */
    public Preprocessor(SmtConfig config) {
        this(config, PreprocessingOptions.DEFAULT);
    }

    /**
     * @throws IllegalArgumentException for ZCA with overlapping patches (stride &lt; patch size)
     */
    public Preprocessor(SmtConfig config, PreprocessingOptions options) {
        requireCompatible(config, options);
        boolean useZca = options.whitening() == PreprocessingOptions.Whitening.ZCA;
        this.config = config;
        this.options = options;
        this.size = config.frameSize();
        this.downsampler = new Downsampler(size);
        this.fourier = useZca ? null : new FourierWhitener(FourierMask.of(config));
        // A window about one patch wide: contrast is equalized between patches, not within one.
        this.contrast = options.localContrast() ? new LocalContrastNormalizer(config.patchSize() / 2.0) : null;
    }

    /**
     * Checks that {@code options} work with {@code config}'s patch geometry, so a bad combination is
     * reported before a run starts.
     *
     * @throws IllegalArgumentException for ZCA with overlapping patches (stride &lt; patch size)
     */
    public static void requireCompatible(SmtConfig config, PreprocessingOptions options) {
        if (options.whitening() == PreprocessingOptions.Whitening.ZCA && config.stride() < config.patchSize()) {
            throw new IllegalArgumentException("ZCA whitening needs non-overlapping patches, but the stride "
                    + config.stride() + " is smaller than the patch size " + config.patchSize()
                    + " (use Fourier whitening, or stride >= patch size)");
        }
    }

    /** S, the side of the output frames. */
    public int frameSize() {
        return size;
    }

    public PreprocessingOptions options() {
        return options;
    }

    /** True while ZCA whitening waits for {@link #fit}; always false with Fourier whitening. */
    public boolean needsFit() {
        return fourier == null && zca == null;
    }

    /**
     * Fits ZCA whitening on these gray frames (from {@link #grayscale}); a no-op with Fourier
     * whitening, which needs no data. Fitting again replaces the transform.
     *
     * @param grayFrames S x S frames, at least one
     */
    public void fit(List<float[]> grayFrames) {
        if (fourier == null) {
            zca = ZcaWhitener.fit(grayFrames, size, config.patchSize(), config.stride());
        }
    }

    /**
     * Preprocesses an 8-bit frame: gray, BGR or BGRA, any size, any row stride.
     *
     * @throws org.smtstream.ingest.IngestException for another depth or channel count
     * @throws IllegalStateException                when ZCA whitening has not been fitted
     */
    public PreprocessedFrame process(Frame frame) {
        return whiten(grayscale(frame));
    }

    /**
     * Preprocesses a grayscale image given as floats in [0, 1].
     *
     * @param gray   width x height intensities, row-major
     * @param width  columns
     * @param height rows
     * @throws IllegalStateException when ZCA whitening has not been fitted
     */
    public PreprocessedFrame process(float[] gray, int width, int height) {
        try (PointerScope scope = new PointerScope()) {
            return whiten(MatArrays.toFloats(downsampler.apply(MatArrays.fromFloats(gray, width, height))));
        }
    }

    /**
     * The first half of {@link #process(Frame)}: the frame in gray, cropped to its centre square and
     * downsampled to S x S, values in [0, 1], row-major.
     *
     * @throws org.smtstream.ingest.IngestException for a frame that is not 8-bit gray, BGR or BGRA
     */
    public float[] grayscale(Frame frame) {
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
            return MatArrays.toFloats(downsampler.apply(gray));
        }
    }

    /**
     * The second half of {@link #process(Frame)}: whitens an S x S gray frame from {@link #grayscale},
     * or returns all zeros for a blank one.
     *
     * @throws IllegalStateException when ZCA whitening has not been fitted
     */
    public PreprocessedFrame whiten(float[] gray) {
        if (needsFit()) {
            throw new IllegalStateException("ZCA whitening is not fitted yet: call fit() with the first frames");
        }
        try (PointerScope scope = new PointerScope()) {
            Mat input = MatArrays.fromFloats(gray, size, size);
            if (BlankFrame.isUniform(Standardizer.meanAndDeviation(input)[1])) {
                return new PreprocessedFrame(size, gray, new float[size * size]);
            }
            Mat whitened;
            if (fourier != null) {
                whitened = new Mat();
                fourier.whiten(input, whitened);
            } else {
                whitened = MatArrays.fromFloats(zca.whiten(gray), size, size);
            }
            if (contrast != null) {
                contrast.normalize(whitened);
            }
            Standardizer.standardize(whitened);
            return new PreprocessedFrame(size, gray, MatArrays.toFloats(whitened));
        }
    }
}
