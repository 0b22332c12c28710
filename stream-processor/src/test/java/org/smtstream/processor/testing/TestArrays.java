package org.smtstream.processor.testing;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.processor.math.embedding.AnalyticEmbedding;
import org.smtstream.processor.math.linalg.Nd4jRuntime;

/** Seeded test data and double-precision reference arithmetic (plain loops, independent of ND4J). */
public final class TestArrays {

    private TestArrays() {
    }

    /** A FLOAT column-major INDArray holding {@code m} (rows x cols). */
    public static INDArray toNd4j(double[][] m) {
        Nd4jRuntime.useFloatByDefault();
        int rows = m.length;
        int cols = m[0].length;
        float[] data = new float[rows * cols];
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                data[c * rows + r] = (float) m[r][c];
            }
        }
        return Nd4j.create(data, new long[] {rows, cols}, 'f');
    }

    public static double[][] toDouble(INDArray a) {
        double[][] m = new double[(int) a.rows()][(int) a.columns()];
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < m[0].length; c++) {
                m[r][c] = a.getDouble(r, c);
            }
        }
        return m;
    }

    public static double[][] gaussian(int rows, int cols, SplittableRandom random) {
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r][c] = gaussian(random);
            }
        }
        return m;
    }

    /** A random orthogonal n x n DOUBLE matrix: (R R^T)^{-1/2} R of a Gaussian R (seeded). */
    public static INDArray randomOrthogonal(int n, long seed) {
        INDArray r = Nd4j.createFromArray(gaussian(n, n, new SplittableRandom(seed))).castTo(DataType.DOUBLE);
        return AnalyticEmbedding.orthonormalize(r, Nd4j.eye(n).castTo(DataType.DOUBLE));
    }

    public static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * random.nextDouble());
    }

    /** Columns scaled to unit length. */
    public static double[][] normalizeColumns(double[][] m) {
        for (int c = 0; c < m[0].length; c++) {
            double s = 0;
            for (double[] row : m) {
                s += row[c] * row[c];
            }
            s = Math.sqrt(s);
            for (double[] row : m) {
                row[c] /= s;
            }
        }
        return m;
    }

    /**
     * N x B non-negative codes with exactly {@code k} non-zeros per column, amplitudes uniform in
     * [low, high].
     */
    public static double[][] sparseCodes(int atoms, int batch, int k, double low, double high,
            SplittableRandom random) {
        double[][] a = new double[atoms][batch];
        for (int b = 0; b < batch; b++) {
            int placed = 0;
            while (placed < k) {
                int j = random.nextInt(atoms);
                if (a[j][b] == 0) {
                    a[j][b] = low + (high - low) * random.nextDouble();
                    placed++;
                }
            }
        }
        return a;
    }

    public static double[][] multiply(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < b.length; k++) {
                double aik = a[i][k];
                if (aik == 0) {
                    continue;
                }
                for (int j = 0; j < b[0].length; j++) {
                    c[i][j] += aik * b[k][j];
                }
            }
        }
        return c;
    }

    public static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    public static double[][] subtract(double[][] a, double[][] b) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                c[i][j] = a[i][j] - b[i][j];
            }
        }
        return c;
    }

    public static double[][] addNoise(double[][] a, double sigma, SplittableRandom random) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                c[i][j] = a[i][j] + sigma * gaussian(random);
            }
        }
        return c;
    }

    public static double squaredNorm(double[][] a) {
        double s = 0;
        for (double[] row : a) {
            for (double v : row) {
                s += v * v;
            }
        }
        return s;
    }

    public static double sum(double[][] a) {
        double s = 0;
        for (double[] row : a) {
            for (double v : row) {
                s += v;
            }
        }
        return s;
    }

    /** 1/2 ||X - Phi A||^2 + lambda sum(A), in double. */
    public static double objective(double[][] phi, double[][] x, double[][] a, double lambda) {
        return 0.5 * squaredNorm(subtract(x, multiply(phi, a))) + lambda * sum(a);
    }

    /** Sylvester's construction of the n x n Hadamard matrix (n a power of two), entries +-1. */
    public static double[][] hadamard(int n) {
        double[][] h = {{1}};
        while (h.length < n) {
            int m = h.length;
            double[][] next = new double[2 * m][2 * m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    next[i][j] = h[i][j];
                    next[i][j + m] = h[i][j];
                    next[i + m][j] = h[i][j];
                    next[i + m][j + m] = -h[i][j];
                }
            }
            h = next;
        }
        return h;
    }

    /** The n x n Householder reflection I - 2 u u^T / ||u||^2, an orthogonal matrix. */
    public static double[][] householder(double[] u) {
        double s = 0;
        for (double v : u) {
            s += v * v;
        }
        double[][] h = new double[u.length][u.length];
        for (int i = 0; i < u.length; i++) {
            for (int j = 0; j < u.length; j++) {
                h[i][j] = (i == j ? 1 : 0) - 2 * u[i] * u[j] / s;
            }
        }
        return h;
    }
}
