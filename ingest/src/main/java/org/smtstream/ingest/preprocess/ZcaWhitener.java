package org.smtstream.ingest.preprocess;

import static org.bytedeco.opencv.global.opencv_core.COVAR_NORMAL;
import static org.bytedeco.opencv.global.opencv_core.COVAR_ROWS;
import static org.bytedeco.opencv.global.opencv_core.COVAR_SCALE;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.GEMM_1_T;
import static org.bytedeco.opencv.global.opencv_core.calcCovarMatrix;
import static org.bytedeco.opencv.global.opencv_core.eigen;
import static org.bytedeco.opencv.global.opencv_core.gemm;
import static org.bytedeco.opencv.global.opencv_core.repeat;
import static org.bytedeco.opencv.global.opencv_core.subtract;

import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.model.PatchGeometry;

/**
 * ZCA whitening of p x p patches: x -&gt; W (x - mu) with W = U diag(1 / sqrt(lambda + eps)) U^T,
 * where mu and C = U diag(lambda) U^T are the mean and covariance of the fit patches. Of all
 * whitening transforms W is the symmetric one, which changes patches least, so whitened patches
 * still look like the image (edges stay edges). Whitened fit patches have covariance
 * U diag(lambda / (lambda + eps)) U^T: the identity wherever lambda is well above eps.
 *
 * <p>Fitting: every p x p patch at stride max(1, p / {@value #FIT_STRIDE_DIVISOR}) of the given
 * S x S gray frames (the first frames of a run), so 10 frames of the fast preset give 8410 patches
 * for a 256 x 256 covariance. eps = {@value #EPSILON} x the mean eigenvalue keeps the inverse
 * square root finite where the covariance is (nearly) singular, as on a static or flat scene. On the
 * bundled walk that is 3.7e-6, a few times the variance of 8-bit quantization noise
 * ((1/255)^2 / 12 = 1.3e-6) and just below the smallest eigenvalue (2.9e-5): whitened fit patches
 * then have a covariance within 0.02 of the identity in every entry. Unlike the Fourier mask, ZCA
 * has no roll-off: the finest scales, noise included, come out at unit variance too.
 *
 * <p>Applying: the frame is cut on the preset's patch grid, each patch is whitened, and the patches
 * are put back ({@link PatchGeometry#assemble}), so the patches later cut from the result are exactly
 * the whitened ones. That needs non-overlapping patches (stride &gt;= p); pixels outside the grid
 * become 0. Not thread-safe in use (OpenCV temporaries); build one per thread.
 */
final class ZcaWhitener {

    private static final Logger LOG = LoggerFactory.getLogger(ZcaWhitener.class);

    /** Fit patches are sampled at stride p / this, 16 times as many as the non-overlapping grid holds. */
    static final int FIT_STRIDE_DIVISOR = 4;
    /** Regularizer eps relative to the mean eigenvalue of the patch covariance. */
    static final double EPSILON = 1e-4;

    private final PatchGeometry grid;
    private final int dim;
    /** W, n x n CV_32F, symmetric. */
    private final Mat transform;
    /** mu W, 1 x n CV_32F: subtracted after the product, so the mean is removed in the same GEMM pass. */
    private final Mat meanTransformed;

    private ZcaWhitener(PatchGeometry grid, int dim, float[] transform, float[] meanTransformed) {
        this.grid = grid;
        this.dim = dim;
        this.transform = MatArrays.fromFloats(transform, dim, dim);
        this.meanTransformed = MatArrays.fromFloats(meanTransformed, dim, 1);
    }

    /**
     * Fits W and mu on the patches of {@code grayFrames}.
     *
     * @param grayFrames S x S frames, row-major (at least one)
     * @param size       S
     * @param patchSize  p
     * @param stride     the patch grid's stride, &gt;= p
     * @throws IllegalArgumentException for overlapping patches or no frames
     */
    static ZcaWhitener fit(List<float[]> grayFrames, int size, int patchSize, int stride) {
        PatchGeometry grid = new PatchGeometry(size, patchSize, stride);
        if (grid.overlapping()) {
            throw new IllegalArgumentException("ZCA whitening needs non-overlapping patches, but the stride "
                    + stride + " is smaller than the patch size " + patchSize);
        }
        if (grayFrames.isEmpty()) {
            throw new IllegalArgumentException("ZCA whitening needs at least one frame to fit on");
        }
        int n = patchSize * patchSize;
        float[] transform;
        float[] meanTransformed;
        // Temporaries are freed with the scope; the whitener's own matrices are made after it closes.
        try (PointerScope scope = new PointerScope()) {
            Mat samples = samplePatches(grayFrames, size, patchSize);
            Mat covariance = new Mat();
            Mat mean = new Mat();
            calcCovarMatrix(samples, covariance, mean, COVAR_NORMAL | COVAR_ROWS | COVAR_SCALE, CV_64F);
            Mat eigenvalues = new Mat();
            Mat eigenvectors = new Mat(); // rows, eigenvalues descending
            if (!eigen(covariance, eigenvalues, eigenvectors)) {
                throw new IllegalStateException("The patch covariance has no eigen-decomposition");
            }
            double[] lambda = new double[n];
            ((DoubleBuffer) eigenvalues.createBuffer()).get(lambda);
            double meanLambda = Arrays.stream(lambda).average().orElse(0);
            double eps = Math.max(EPSILON * meanLambda, Double.MIN_NORMAL);
            // Row i of the eigenvectors scaled by 1 / sqrt(lambda_i + eps); W = U^T (that).
            Mat scaled = eigenvectors.clone();
            for (int i = 0; i < n; i++) {
                Mat row = scaled.row(i);
                row.convertTo(row, CV_64F, 1 / Math.sqrt(Math.max(lambda[i], 0) + eps), 0);
            }
            Mat w = new Mat();
            gemm(eigenvectors, scaled, 1, new Mat(), 0, w, GEMM_1_T);
            Mat meanW = new Mat();
            gemm(mean, w, 1, new Mat(), 0, meanW, 0);
            LOG.info("ZCA fitted on {} patches of {} frame(s): eigenvalues {} .. {}, eps {}", samples.rows(),
                    grayFrames.size(), String.format("%.3g", lambda[0]), String.format("%.3g", lambda[n - 1]),
                    String.format("%.3g", eps));
            transform = toFloats(w);
            meanTransformed = toFloats(meanW);
        }
        return new ZcaWhitener(grid, n, transform, meanTransformed);
    }

    /**
     * Every p x p patch at stride max(1, p / {@value #FIT_STRIDE_DIVISOR}) of the frames, one per
     * row: the sample W is fitted on.
     */
    static Mat samplePatches(List<float[]> grayFrames, int size, int patchSize) {
        PatchGeometry dense = new PatchGeometry(size, patchSize, Math.max(1, patchSize / FIT_STRIDE_DIVISOR));
        int n = patchSize * patchSize;
        float[] all = new float[grayFrames.size() * dense.patchCount() * n];
        int offset = 0;
        for (float[] frame : grayFrames) {
            float[] patches = dense.cut(frame);
            System.arraycopy(patches, 0, all, offset, patches.length);
            offset += patches.length;
        }
        return MatArrays.fromFloats(all, n, grayFrames.size() * dense.patchCount());
    }

    /** Whitens patches given one per row (rows x n, CV_32F); returns a new matrix of the same shape. */
    Mat apply(Mat patches) {
        if (patches.cols() != dim) {
            throw new IllegalArgumentException("Expected patches of " + dim + " pixels, got " + patches.cols());
        }
        Mat out = new Mat();
        gemm(patches, transform, 1, new Mat(), 0, out, 0);
        Mat offsets = new Mat();
        repeat(meanTransformed, patches.rows(), 1, offsets);
        subtract(out, offsets, out);
        return out;
    }

    /** Whitens the patches of an S x S gray frame on the patch grid; pixels off the grid become 0. */
    float[] whiten(float[] gray) {
        Mat patches = MatArrays.fromFloats(grid.cut(gray), dim, grid.patchCount());
        return grid.assemble(MatArrays.toFloats(apply(patches)));
    }

    private static float[] toFloats(Mat doubles) {
        Mat floats = new Mat();
        doubles.convertTo(floats, CV_32F);
        return MatArrays.toFloats(floats);
    }
}
