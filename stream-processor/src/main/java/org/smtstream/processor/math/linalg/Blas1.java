package org.smtstream.processor.math.linalg;

import org.nd4j.linalg.api.blas.Level1;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BLAS level-1 calls on whole, contiguous buffers of the same shape and ordering. A generic ND4J
 * op spends far longer in Java-side dispatch than a level-1 BLAS call, even on a few thousand floats,
 * and at tens of small ops per FISTA iteration that dispatch rivals the GEMMs (measured in
 * stream-processor/BENCHMARKS.md). The element-by-element meaning only holds when both arrays have
 * the same layout, which callers guarantee by passing buffers they allocated themselves
 * ({@link Scratch#buffer}).
 */
public final class Blas1 {

    private Blas1() {
    }

    private static Level1 level1() {
        return Nd4j.getBlasWrapper().level1();
    }

    /** ||x||_2 over all entries (the Frobenius norm of a matrix). */
    public static double norm(INDArray x) {
        return level1().nrm2(x);
    }

    /** x . y over all entries. */
    public static double dot(INDArray x, INDArray y) {
        requireSameLayout(x, y);
        return level1().dot(x.length(), 1.0, x, y);
    }

    /** y = x. */
    public static void copy(INDArray x, INDArray y) {
        requireSameLayout(x, y);
        level1().copy(x, y);
    }

    /** y += alpha x. */
    public static void axpy(double alpha, INDArray x, INDArray y) {
        requireSameLayout(x, y);
        level1().axpy(x.length(), alpha, x, y);
    }

    private static void requireSameLayout(INDArray x, INDArray y) {
        if (x.length() != y.length() || x.ordering() != y.ordering() || x.isView() || y.isView()) {
            throw new IllegalStateException("BLAS level-1 needs two whole buffers of one layout, got "
                    + x.shapeInfoToString() + " and " + y.shapeInfoToString());
        }
    }
}
