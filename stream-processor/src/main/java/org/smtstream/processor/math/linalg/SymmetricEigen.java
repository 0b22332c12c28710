package org.smtstream.processor.math.linalg;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Eigen-decomposition A = U diag(s) U^T of a real symmetric matrix, in double, and the matrix
 * functions built on it: U diag(f(s)) U^T, in particular the inverse square root (ZCA whitening,
 * V^{-1/2} of the embedding, (P V P^T)^{-1/2} of the online orthogonalization) and the square root.
 *
 * <p>On ND4J's CPU backend it calls LAPACK's divide-and-conquer {@code dsyevd} of the OpenBLAS that
 * ND4J itself links, on a private column-major double copy; it is several times faster than the
 * QR-iteration {@code syev} behind ND4J's {@code Eigen.symmetricGeneralizedEigenvalues(A)}, whose
 * eigenvectors are the same up to sign (SymmetricEigenTest checks both against known answers). On
 * other backends (CUDA) that ND4J call runs instead, around its traps (ARCHITECTURE.md, trap T4, checked in M2.1):
 * it overwrites its argument with the eigenvectors (columns, for 'c' and 'f' inputs alike) and
 * returns the eigenvalues in ascending order, so it is given a private double copy; it ignores the
 * LAPACK status, so NaN/Inf input is rejected before the call instead of returning silent garbage;
 * and the two-matrix forms (A, B) are never used (they decompose the non-symmetric inv(B) A, in
 * FLOAT). The input is symmetrized, (A + A^T)/2, so round-off asymmetry of a computed covariance does
 * no harm.
 *
 * <p>Cost: O(n^3) double flops (BENCHMARKS.md has the measured eq. 3.3 refit, two decompositions at
 * N = 1024 and 4000); meant for per-fit or per-model-version work, not per frame. Pure functions; thread-safe as long
 * as callers do not share the returned arrays across threads while writing them.
 */
public final class SymmetricEigen {

    private SymmetricEigen() {
    }

    /**
     * A = U diag(s) U^T.
     *
     * @param values  s, n eigenvalues in ascending order, DOUBLE, rank 1
     * @param vectors U, n x n DOUBLE, column j the unit eigenvector of s_j (orthonormal columns)
     */
    public record Decomposition(INDArray values, INDArray vectors) {

        /** n. */
        public int size() {
            return (int) values.length();
        }

        /** The largest eigenvalue. */
        public double max() {
            return values.getDouble(values.length() - 1);
        }

        /** The smallest eigenvalue. */
        public double min() {
            return values.getDouble(0);
        }

        /** The eigenvalues as a Java array, ascending. */
        public double[] valuesArray() {
            return values.toDoubleVector();
        }

        /**
         * U diag(f(s)) U^T, n x n DOUBLE, symmetric. One GEMM (U scaled by column, times U^T).
         *
         * @throws IllegalArgumentException when f gives a non-finite value, naming the eigenvalue
         */
        public INDArray apply(DoubleUnaryOperator f) {
            double[] s = valuesArray();
            double[] g = new double[s.length];
            for (int j = 0; j < s.length; j++) {
                g[j] = f.applyAsDouble(s[j]);
                if (!Double.isFinite(g[j])) {
                    throw new IllegalArgumentException("Matrix function is " + g[j] + " at eigenvalue " + s[j]
                            + " (index " + j + " of " + s.length + ", range [" + s[0] + ", " + s[s.length - 1] + "])");
                }
            }
            INDArray scaled = vectors.mulRowVector(Nd4j.createFromArray(g));
            INDArray out = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {s.length, s.length}, 'f');
            return Nd4j.gemm(scaled, vectors, out, false, true, 1.0, 0.0);
        }
    }

    /**
     * Decomposes the symmetric part of {@code a} in double.
     *
     * @param a n x n, any float type and ordering; not modified
     * @throws IllegalArgumentException for a non-square or non-finite matrix
     */
    public static Decomposition of(INDArray a) {
        INDArray work = symmetrizedCopy(a);                              // private copy: LAPACK overwrites it
        if (!onCpuBackend()) {
            INDArray values = Eigen.symmetricGeneralizedEigenvalues(work, true);
            return new Decomposition(values.castTo(DataType.DOUBLE).reshape(a.rows()), work);
        }
        int n = (int) a.rows();
        INDArray values = Nd4j.create(DataType.DOUBLE, n);
        int status = openblas.LAPACKE_dsyevd(openblas.LAPACK_COL_MAJOR, (byte) 'V', (byte) 'U', n,
                (DoublePointer) work.data().addressPointer(), n, (DoublePointer) values.data().addressPointer());
        if (status != 0) {
            throw new IllegalStateException("LAPACK dsyevd failed with status " + status + " on a " + n + " x " + n
                    + " matrix (" + (status < 0 ? "bad argument " + -status : "no convergence") + ")");
        }
        return new Decomposition(values, work);
    }

    /** Host arrays that OpenBLAS can read in place: ND4J's CPU backend. */
    static boolean onCpuBackend() {
        return Nd4j.getBackend().getClass().getSimpleName().equals("CpuBackend");
    }

    /**
     * (A + A^T) / 2 as a new n x n DOUBLE 'f' matrix.
     *
     * @throws IllegalArgumentException for a non-square or non-finite matrix
     */
    public static INDArray symmetrizedCopy(INDArray a) {
        requireSquare("matrix", a);
        INDArray d = a.castTo(DataType.DOUBLE);
        double sum = d.sumNumber().doubleValue();
        if (!Double.isFinite(sum)) {
            throw new IllegalArgumentException("Matrix has NaN or infinite entries (sum " + sum + "), "
                    + a.rows() + " x " + a.columns());
        }
        INDArray out = Nd4j.create(DataType.DOUBLE, new long[] {a.rows(), a.columns()}, 'f');
        out.assign(d);
        out.addi(d.transpose()).muli(0.5);
        return out;
    }

    /** Throws IllegalArgumentException naming {@code name} unless {@code a} is a non-empty square matrix. */
    public static void requireSquare(String name, INDArray a) {
        if (a == null || a.rank() != 2 || a.rows() != a.columns() || a.rows() < 1) {
            throw new IllegalArgumentException(name + " must be a non-empty square matrix, got shape "
                    + (a == null ? "null" : Arrays.toString(a.shape())));
        }
    }

    /**
     * A^{-1/2} = U diag(1 / sqrt(max(s, floor * s_max))) U^T, DOUBLE: the symmetric (ZCA) inverse square
     * root with eigenvalues floored at a fraction of the largest, so a rank-deficient or slightly
     * indefinite covariance gives a bounded result (ARCHITECTURE.md, trap T4).
     *
     * @param a             n x n symmetric positive semi-definite, not modified
     * @param relativeFloor in (0, 1], e.g. 1e-6
     * @throws IllegalArgumentException when the largest eigenvalue is not positive
     */
    public static INDArray inverseSqrt(INDArray a, double relativeFloor) {
        if (!(relativeFloor > 0 && relativeFloor <= 1)) {
            throw new IllegalArgumentException("Invalid relative floor: " + relativeFloor + " (must be in (0, 1])");
        }
        Decomposition d = of(a);
        double max = d.max();
        if (!(max > 0)) {
            throw new IllegalArgumentException(
                    "Largest eigenvalue " + max + " is not positive: no inverse square root");
        }
        double floor = relativeFloor * max;
        return d.apply(s -> 1.0 / Math.sqrt(Math.max(s, floor)));
    }

    /**
     * A^{1/2} = U diag(sqrt(max(s, 0))) U^T, DOUBLE (negative round-off eigenvalues count as 0).
     *
     * @param a n x n symmetric positive semi-definite, not modified
     */
    public static INDArray sqrt(INDArray a) {
        return of(a).apply(s -> Math.sqrt(Math.max(s, 0.0)));
    }
}
