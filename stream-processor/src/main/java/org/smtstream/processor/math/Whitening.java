package org.smtstream.processor.math;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A patch-level whitening as a pair of n x n linear operators with an offset, so that whitening and
 * unwhitening a batch are one GEMM each (on the CPU or the GPU backend alike):
 * <pre>
 *   whiten:    Y = W (X - m 1^T)
 *   unwhiten:  X_rec = C Y + m 1^T          (C: the unwhitening matrix of x_rec = C Phi g(beta), eq. 3.1ff)
 * </pre>
 * X is n x B, one patch per column (n = p*p, row-major inside a patch, {@link PatchGrid}); m is the
 * n x 1 mean the whitening removes (zero for {@link FourierWhitening}, the fit mean for
 * {@link ZcaWhitening}). C is a (regularized) inverse of W on the part of patch space that W keeps;
 * each implementation says exactly what C W is.
 *
 * <p>Operators are FLOAT, column-major, and immutable: the arrays returned by {@link #operator()},
 * {@link #inverse()} and {@link #mean()} are live and must not be modified. Inputs of another float
 * type are cast to FLOAT; results are new FLOAT arrays unless an output buffer is given.
 */
public interface Whitening {

    /** n, the patch dimension. */
    int dimension();

    /** W, n x n FLOAT. */
    INDArray operator();

    /** C, n x n FLOAT. */
    INDArray inverse();

    /** m, n x 1 FLOAT (all zeros when the whitening removes no mean). */
    INDArray mean();

    /** Y = W (X - m), a new n x B FLOAT matrix; X (n x B) is not modified. */
    INDArray whiten(INDArray x);

    /** Y = W (X - m) into {@code out} (n x B FLOAT, not X itself), which is returned. */
    INDArray whiten(INDArray x, INDArray out);

    /** X_rec = C Y + m, a new n x B FLOAT matrix; Y (n x B) is not modified. */
    INDArray unwhiten(INDArray y);

    /** X_rec = C Y + m into {@code out} (n x B FLOAT, not Y itself), which is returned. */
    INDArray unwhiten(INDArray y, INDArray out);
}
