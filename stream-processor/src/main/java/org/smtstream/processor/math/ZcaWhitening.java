package org.smtstream.processor.math;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * ZCA whitening fitted to a sample of patches (the alternative to the Fourier mask, thesis A.2):
 * <pre>
 *   m = mean of the patches,  Sigma = (1/M) sum_i (x_i - m)(x_i - m)^T = U diag(s) U^T
 *   W = U diag(1 / sqrt(s + eps)) U^T        whiten:    y = W (x - m)
 *   C = U diag(sqrt(s + eps)) U^T            unwhiten:  x = C y + m
 * </pre>
 * C W = I exactly (up to float round-off), whatever eps; eps > 0 only bounds the gain of directions
 * with little variance. On the fit data the whitened covariance is W Sigma W = U diag(s / (s + eps)) U^T,
 * the identity up to eps / (s + eps) per eigen-direction. Symmetric W keeps whitened patches
 * closest to the pixels (the "zero-phase" of ZCA), so atoms stay localized.
 *
 * <p>The mean and covariance are accumulated in double over column blocks (two passes: the mean,
 * then the centred scatter), so memory stays bounded for large M; the eigen-decomposition is
 * {@link SymmetricEigen} (double).
 */
public final class ZcaWhitening extends LinearWhitening {

    /** Columns cast to double at a time while accumulating the covariance. */
    private static final int BLOCK = 4096;

    private final double eps;
    private final double[] eigenvalues;   // s, ascending

    private ZcaWhitening(INDArray operator, INDArray inverse, INDArray mean, double eps, double[] eigenvalues) {
        super(operator, inverse, mean);
        this.eps = eps;
        this.eigenvalues = eigenvalues;
    }

    /**
     * Fits the whitening to a sample of patches.
     *
     * @param patches X, n x M, one patch per column, M >= 2; not modified
     * @param eps     added to every covariance eigenvalue, >= 0, in the units of the covariance
     *                (pixel^2); 0 requires a full-rank covariance
     * @throws IllegalArgumentException for bad shapes, non-finite data, or eps = 0 with a singular covariance
     */
    public static ZcaWhitening fit(INDArray patches, double eps) {
        if (!(eps >= 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("Invalid ZCA eps: " + eps);
        }
        if (patches.rank() != 2 || patches.columns() < 2) {
            throw new IllegalArgumentException("Expected n x M patches with M >= 2, got shape "
                    + java.util.Arrays.toString(patches.shape()));
        }
        Nd4jRuntime.useFloatByDefault();
        long n = patches.rows();
        long m = patches.columns();
        INDArray mean = Nd4j.zeros(DataType.DOUBLE, n, 1);
        for (long start = 0; start < m; start += BLOCK) {
            INDArray block = block(patches, start, m);
            mean.addi(block.sum(true, 1));
        }
        mean.divi(m);
        double total = mean.sumNumber().doubleValue();
        if (!Double.isFinite(total)) {
            throw new IllegalArgumentException("Patches contain NaN or infinite values (mean sum " + total + ")");
        }
        INDArray covariance = Nd4j.create(DataType.DOUBLE, new long[] {n, n}, 'f');
        for (long start = 0; start < m; start += BLOCK) {
            INDArray centred = block(patches, start, m).subiColumnVector(mean);
            Nd4j.gemm(centred, centred, covariance, false, true, 1.0 / m, 1.0);
        }
        SymmetricEigen.Decomposition d = SymmetricEigen.of(covariance);
        double[] s = d.valuesArray();
        if (eps == 0 && !(s[0] > 0)) {
            throw new IllegalArgumentException("Patch covariance is singular (smallest eigenvalue " + s[0]
                    + ", largest " + s[s.length - 1] + "): fit with eps > 0");
        }
        INDArray whiten = d.apply(v -> 1.0 / Math.sqrt(Math.max(v, 0.0) + eps));
        INDArray unwhiten = d.apply(v -> Math.sqrt(Math.max(v, 0.0) + eps));
        return new ZcaWhitening(whiten, unwhiten, mean, eps, s);
    }

    /** Columns [start, min(start + BLOCK, m)) as a new DOUBLE matrix. */
    private static INDArray block(INDArray patches, long start, long m) {
        long end = Math.min(start + BLOCK, m);
        return patches.get(NDArrayIndex.all(), NDArrayIndex.interval(start, end)).castTo(DataType.DOUBLE).dup('f');
    }

    public double eps() {
        return eps;
    }

    /** The eigenvalues s of the fit covariance, ascending (a copy). */
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }
}
