package org.smtstream.web;

import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Principal-component coordinates of a short trajectory: T points in d dimensions (T = 64 frames,
 * d up to a few thousand) projected onto the window's own top principal axes.
 *
 * <p>The decomposition is of the T x T Gram matrix of the centred points, not of the d x d
 * covariance: T is small and d is not (1024 atoms for alpha). With centred rows X (T x d) and
 * X X^T = U L U^T, the coordinates of point t on axis c are {@code U[t][c] * sqrt(L[c])}, the same
 * as projecting onto the covariance's eigenvectors.
 */
final class PcaProjection {

    /**
     * @param coordinates T x dims, one row per point in the window's order
     * @param explained   share of the window's total variance on each axis, in [0, 1]
     */
    record Projection(double[][] coordinates, double[] explained) {
    }

    private PcaProjection() {
    }

    /**
     * Projects {@code points} onto their top {@code dims} principal axes.
     *
     * <p>Each axis is oriented so the last point lies at or beyond the first: an eigenvector's sign
     * is arbitrary, and without a rule the plot would flip between refreshes of the same window.
     * Axes beyond the data's rank (fewer than {@code dims + 1} points, or points on a line) get zeros.
     *
     * @param points T rows of equal length d; not modified
     * @param dims   axes wanted, at least 1
     */
    static Projection project(float[][] points, int dims) {
        if (dims < 1) {
            throw new IllegalArgumentException("Invalid projection dimension: " + dims);
        }
        int t = points.length;
        double[][] coordinates = new double[t][dims];
        double[] explained = new double[dims];
        if (t < 2) {
            return new Projection(coordinates, explained);
        }
        double[][] gram = gram(centred(points));
        double trace = IntStream.range(0, t).mapToDouble(i -> gram[i][i]).sum();
        if (!(trace > 0)) {
            return new Projection(coordinates, explained);
        }
        // The Gram matrix is symmetric positive semi-definite, so its singular values are its eigenvalues
        // and its left singular vectors its eigenvectors. SVD, not EigenDecomposition: commons-math's
        // symmetric eigen-solver fails to converge on low-rank Gram matrices (a planar path has rank 2),
        // which are the common case here; its SVD does not.
        SingularValueDecomposition svd = new SingularValueDecomposition(new Array2DRowRealMatrix(gram, false));
        double[] values = svd.getSingularValues();
        RealMatrix vectors = svd.getU();
        for (int c = 0; c < Math.min(dims, values.length); c++) {
            double lambda = values[c];
            // Round-off leaves null directions with tiny values; they carry no variance.
            if (!(lambda > trace * 1e-12)) {
                continue;
            }
            double[] u = vectors.getColumn(c);
            double scale = Math.sqrt(lambda) * (u[t - 1] < u[0] ? -1 : 1);
            for (int i = 0; i < t; i++) {
                coordinates[i][c] = u[i] * scale;
            }
            explained[c] = lambda / trace;
        }
        return new Projection(coordinates, explained);
    }

    private static double[][] centred(float[][] points) {
        int d = points[0].length;
        double[] mean = new double[d];
        for (float[] p : points) {
            if (p.length != d) {
                throw new IllegalArgumentException("Points of different dimensions: " + d + " and " + p.length);
            }
            for (int k = 0; k < d; k++) {
                mean[k] += p[k];
            }
        }
        for (int k = 0; k < d; k++) {
            mean[k] /= points.length;
        }
        double[][] centred = new double[points.length][d];
        for (int i = 0; i < points.length; i++) {
            for (int k = 0; k < d; k++) {
                centred[i][k] = points[i][k] - mean[k];
            }
        }
        return centred;
    }

    /** X X^T, filled from one triangle so it is exactly symmetric. */
    private static double[][] gram(double[][] x) {
        int t = x.length;
        double[][] g = new double[t][t];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j <= i; j++) {
                double dot = 0;
                double[] a = x[i];
                double[] b = x[j];
                for (int k = 0; k < a.length; k++) {
                    dot += a[k] * b[k];
                }
                g[i][j] = dot;
                g[j][i] = dot;
            }
        }
        return g;
    }
}
