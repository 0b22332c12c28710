package org.smtstream.processor.math.linalg;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;

/** Per-batch quality measures of a sparse code: reconstruction SNR and sparsity. */
public final class Metrics {

    private static final String WORKSPACE = "smt-metrics";

    private Metrics() {
    }

    /**
     * Phi A into {@code out}.
     *
     * @param phi   n x N
     * @param codes A, N x B
     * @param out   n x B, overwritten
     */
    public static INDArray reconstruct(INDArray phi, INDArray codes, INDArray out) {
        return Nd4j.gemm(phi, codes, out, false, false, 1.0, 0.0);
    }

    /**
     * SNR in dB = 10 log10(||X||^2 / ||X - X^||^2), over the whole batch, in double.
     *
     * @param x              X, n x B
     * @param reconstruction X^ = Phi A, n x B
     * @return +Infinity for an exact reconstruction, NaN when X is zero
     */
    public static double snrDb(INDArray x, INDArray reconstruction) {
        try (MemoryWorkspace ws = Scratch.open(WORKSPACE)) {
            INDArray xd = x.castTo(DataType.DOUBLE);
            double signal = xd.norm2Number().doubleValue();
            double error = xd.subi(reconstruction.castTo(DataType.DOUBLE)).norm2Number().doubleValue();
            return snrDb(signal * signal, error * error);
        }
    }

    /**
     * ||X - Y||_F^2 in double, or ||X||_F^2 when {@code y} is null: the energies that
     * {@link #snrDb(double, double)} pools over many batches. Neither argument is modified.
     */
    public static double squaredError(INDArray x, INDArray y) {
        INDArray d = x.dataType() == DataType.DOUBLE ? x.dup() : x.castTo(DataType.DOUBLE);
        if (y != null) {
            d.subi(y.castTo(DataType.DOUBLE));
        }
        double norm = d.norm2Number().doubleValue();
        return norm * norm;
    }

    /** ||x_b||^2 of every column b of X (n x B), in double: B values. */
    public static double[] columnEnergies(INDArray x) {
        try (MemoryWorkspace ws = Scratch.open(WORKSPACE)) {
            INDArray d = x.castTo(DataType.DOUBLE);
            return d.muli(d).sum(0).toDoubleVector();
        }
    }

    /** 10 log10(signalEnergy / errorEnergy). */
    public static double snrDb(double signalEnergy, double errorEnergy) {
        if (signalEnergy == 0) {
            return Double.NaN;
        }
        return 10.0 * Math.log10(signalEnergy / errorEnergy);
    }

    /** Fraction of entries of A (N x B) that are non-zero: the average l0 per patch over N. */
    public static double activeFraction(INDArray codes) {
        try (MemoryWorkspace ws = Scratch.open(WORKSPACE)) {
            return codes.scan(Conditions.notEquals(0.0)).doubleValue() / codes.length();
        }
    }
}
