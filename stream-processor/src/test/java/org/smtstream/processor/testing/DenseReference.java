package org.smtstream.processor.testing;

import java.util.Arrays;

/**
 * Plain-Java double reference arithmetic for the embedding tests, independent of ND4J and LAPACK:
 * cyclic Jacobi eigen-decomposition of small symmetric matrices, matrix inverse square roots,
 * linear least squares by normal equations, and R^2.
 */
public final class DenseReference {

    private DenseReference() {
    }

    /** A = Q diag(values) Q^T by cyclic Jacobi rotations; values ascending, Q's columns the vectors. */
    public record Eigen(double[] values, double[][] vectors) {
    }

    public static Eigen jacobi(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = matrix[i].clone();
        }
        double[][] q = identity(n);
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    off += a[i][j] * a[i][j];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int r = p + 1; r < n; r++) {
                    if (Math.abs(a[p][r]) < 1e-300) {
                        continue;
                    }
                    double theta = (a[r][r] - a[p][p]) / (2 * a[p][r]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {                 // A <- A J
                        double akp = a[k][p];
                        double akr = a[k][r];
                        a[k][p] = c * akp - s * akr;
                        a[k][r] = s * akp + c * akr;
                    }
                    for (int k = 0; k < n; k++) {                 // A <- J^T A
                        double apk = a[p][k];
                        double ark = a[r][k];
                        a[p][k] = c * apk - s * ark;
                        a[r][k] = s * apk + c * ark;
                    }
                    for (int k = 0; k < n; k++) {                 // Q <- Q J
                        double qkp = q[k][p];
                        double qkr = q[k][r];
                        q[k][p] = c * qkp - s * qkr;
                        q[k][r] = s * qkp + c * qkr;
                    }
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double[][] finalA = a;
        Arrays.sort(order, (x, y) -> Double.compare(finalA[x][x], finalA[y][y]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int k = 0; k < n; k++) {
            values[k] = a[order[k]][order[k]];
            for (int i = 0; i < n; i++) {
                vectors[i][k] = q[i][order[k]];
            }
        }
        return new Eigen(values, vectors);
    }

    /** A^{-1/2} of a symmetric positive definite matrix. */
    public static double[][] inverseSqrt(double[][] a) {
        Eigen e = jacobi(a);
        int n = a.length;
        double[][] out = new double[n][n];
        for (int k = 0; k < n; k++) {
            double w = 1 / Math.sqrt(e.values()[k]);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    out[i][j] += e.vectors()[i][k] * w * e.vectors()[j][k];
                }
            }
        }
        return out;
    }

    public static double[][] identity(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1;
        }
        return m;
    }

    /** max |a - b| entry by entry. */
    public static double maxAbsDiff(double[][] a, double[][] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return m;
    }

    public static double maxAbs(double[][] a) {
        double m = 0;
        for (double[] row : a) {
            for (double v : row) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }

    /** tr(P S P^T). */
    public static double traceQuadratic(double[][] p, double[][] s) {
        double[][] ps = TestArrays.multiply(p, s);
        double t = 0;
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < p[0].length; j++) {
                t += ps[i][j] * p[i][j];
            }
        }
        return t;
    }

    /**
     * R^2 of the least-squares fit of y on the columns of x plus an intercept:
     * 1 - ||y - y^||^2 / ||y - mean(y)||^2.
     */
    public static double rSquared(double[] y, double[][] x) {
        int n = y.length;
        int k = x[0].length + 1;
        double[][] design = new double[n][k];
        for (int i = 0; i < n; i++) {
            design[i][0] = 1;
            System.arraycopy(x[i], 0, design[i], 1, k - 1);
        }
        double[][] xt = TestArrays.transpose(design);
        double[][] normal = TestArrays.multiply(xt, design);
        double[] rhs = new double[k];
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < n; i++) {
                rhs[j] += xt[j][i] * y[i];
            }
        }
        double[] coef = solve(normal, rhs);
        double mean = Arrays.stream(y).average().orElse(0);
        double residual = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double fit = 0;
            for (int j = 0; j < k; j++) {
                fit += design[i][j] * coef[j];
            }
            residual += (y[i] - fit) * (y[i] - fit);
            total += (y[i] - mean) * (y[i] - mean);
        }
        return 1 - residual / total;
    }

    /** Solves A x = b by Gaussian elimination with partial pivoting. */
    public static double[] solve(double[][] matrix, double[] b) {
        int n = b.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = Arrays.copyOf(matrix[i], n + 1);
            a[i][n] = b[i];
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
                    pivot = r;
                }
            }
            double[] swap = a[c];
            a[c] = a[pivot];
            a[pivot] = swap;
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                for (int j = c; j <= n; j++) {
                    a[r][j] -= f * a[c][j];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = a[r][n];
            for (int j = r + 1; j < n; j++) {
                s -= a[r][j] * x[j];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }

    /** Column of a matrix. */
    public static double[] column(double[][] m, int c) {
        double[] out = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i][c];
        }
        return out;
    }
}
