package org.smtstream.processor.math;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GEMM plumbing shared by the {@link Whitening} implementations: W, C, m and the precomputed
 * offset W m, so whitening is {@code Y = W X - (W m) 1^T} (one GEMM and a column broadcast).
 */
abstract class LinearWhitening implements Whitening {

    private final INDArray operator;   // W, n x n FLOAT 'f'
    private final INDArray inverse;    // C, n x n FLOAT 'f'
    private final INDArray mean;       // m, n x 1 FLOAT
    private final INDArray offset;     // W m, n x 1 FLOAT
    private final boolean centred;     // m != 0

    /**
     * @param operator W, n x n, any float type (copied to FLOAT)
     * @param inverse  C, n x n, any float type (copied to FLOAT)
     * @param mean     m, n x 1, or null for none
     */
    LinearWhitening(INDArray operator, INDArray inverse, INDArray mean) {
        Nd4jRuntime.useFloatByDefault();
        long n = operator.rows();
        requireShape("W", operator, n, n);
        requireShape("C", inverse, n, n);
        this.operator = toFloat(operator);
        this.inverse = toFloat(inverse);
        if (mean == null) {
            this.mean = Nd4j.zeros(DataType.FLOAT, n, 1);
            this.offset = Nd4j.zeros(DataType.FLOAT, n, 1);
            this.centred = false;
        } else {
            requireShape("mean", mean, n, 1);
            this.mean = toFloat(mean);
            this.offset = Nd4j.gemm(this.operator, this.mean, false, false);
            this.centred = true;
        }
    }

    private static INDArray toFloat(INDArray a) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, a.shape(), 'f');
        return out.assign(a.castTo(DataType.FLOAT));
    }

    @Override
    public int dimension() {
        return (int) operator.rows();
    }

    @Override
    public INDArray operator() {
        return operator;
    }

    @Override
    public INDArray inverse() {
        return inverse;
    }

    @Override
    public INDArray mean() {
        return mean;
    }

    @Override
    public INDArray whiten(INDArray x) {
        return whiten(x, newBatch(x));
    }

    @Override
    public INDArray whiten(INDArray x, INDArray out) {
        requireBatch("X", x, out);
        Nd4j.gemm(operator, asFloat(x), out, false, false, 1.0, 0.0);
        if (centred) {
            out.subiColumnVector(offset);
        }
        return out;
    }

    @Override
    public INDArray unwhiten(INDArray y) {
        return unwhiten(y, newBatch(y));
    }

    @Override
    public INDArray unwhiten(INDArray y, INDArray out) {
        requireBatch("Y", y, out);
        Nd4j.gemm(inverse, asFloat(y), out, false, false, 1.0, 0.0);
        if (centred) {
            out.addiColumnVector(mean);
        }
        return out;
    }

    private INDArray newBatch(INDArray x) {
        return Nd4j.createUninitialized(DataType.FLOAT, new long[] {operator.rows(), x.columns()}, 'f');
    }

    private static INDArray asFloat(INDArray x) {
        return x.dataType() == DataType.FLOAT ? x : x.castTo(DataType.FLOAT);
    }

    private void requireBatch(String name, INDArray x, INDArray out) {
        requireShape(name, x, operator.rows(), x.columns());
        requireShape("out", out, operator.rows(), x.columns());
        if (out.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("out must be FLOAT, got " + out.dataType());
        }
        if (out == x) {
            throw new IllegalArgumentException("out must not be the input " + name + " (GEMM cannot work in place)");
        }
    }

    static void requireShape(String name, INDArray a, long rows, long cols) {
        if (a.rank() != 2 || a.rows() != rows || a.columns() != cols) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(a.shape()) + ", expected ["
                    + rows + ", " + cols + "]");
        }
    }
}
