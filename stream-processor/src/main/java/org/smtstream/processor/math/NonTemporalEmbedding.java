package org.smtstream.processor.math;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The data term of the SMT embedding without time (thesis section 3.5), for image sets:
 * <pre>
 *   min_P ||P A D*||_F^2   s.t.  P V P^T = I                       (3.6)
 *   D* = I - Gamma,   column i of A D*:  alpha_i - sum_{j in NN(i)} gamma_ij alpha_j     (3.5)
 * </pre>
 * i.e. the embedding should preserve local linear interpolation: P alpha_i ~ sum_j gamma_ij P alpha_j.
 * The temporal D of eq. 3.3 is the special case NN(t) = {t-1, t+1}, gamma = 1/2. The solvers consume
 * S = (A D*)(A D*)^T (N x N, DOUBLE, {@link #secondMoment}), or the columns of A D* themselves
 * ({@link #differences}) for mini-batch SGD, exactly as with the temporal D.
 *
 * <p>Two ways to choose the neighbours and weights ({@link Interpolation}):
 * <ul>
 *   <li>{@link #gridInterpolation}: neighbouring patches of the same image. Patches cut on a grid of
 *       stride s (overlapping when s &lt; p) are translations of one another by s pixels, so a row or
 *       column of the grid is a "sequence" along a spatial transformation, and its second difference
 *       alpha_(r,c) - (alpha_(r,c-1) + alpha_(r,c+1)) / 2 (and the same down the column) plays the part
 *       of the temporal one. No neighbour search is needed.</li>
 *   <li>{@link #lleInterpolation}: the general recipe of eq. 3.5 and LLE/LLL (eq. 2.6): the K
 *       nearest neighbours of each data point in a feature space (whitened pixels, or codes), and the
 *       weights that best reconstruct it from them, sum_j gamma_ij = 1, with a ridge on the local
 *       Gram matrix (Roweis and Saul 2000).</li>
 * </ul>
 * The Laplacian-eigenmaps variant (3.7), with a different constraint, is not implemented.
 *
 * <p>Scale: S is the plain sum over the m columns of A D* (not the mean). The minimizing P of (3.6)
 * does not depend on the scale; an SGD learning rate does, so divide by {@link Interpolation#size()}
 * for a mean.
 */
public final class NonTemporalEmbedding {

    /** Columns of A D* formed at a time by {@link #secondMoment}. */
    private static final int BLOCK = 1024;

    private NonTemporalEmbedding() {
    }

    /**
     * The sparse matrix D* = I - Gamma by columns: column i of A D* is
     * alpha_{targets[i]} - sum_q weights[i][q] alpha_{neighbours[i][q]}.
     *
     * @param targets    m column indices of A (the interpolated points)
     * @param neighbours m x K column indices of A (K the same for every row)
     * @param weights    m x K interpolation weights gamma
     */
    public record Interpolation(int[] targets, int[][] neighbours, double[][] weights) {

        public Interpolation {
            if (targets.length != neighbours.length || targets.length != weights.length) {
                throw new IllegalArgumentException("Interpolation has " + targets.length + " targets, "
                        + neighbours.length + " neighbour rows and " + weights.length + " weight rows");
            }
            int k = neighbours.length == 0 ? 0 : neighbours[0].length;
            for (int i = 0; i < targets.length; i++) {
                if (neighbours[i].length != k || weights[i].length != k) {
                    throw new IllegalArgumentException("Row " + i + " has " + neighbours[i].length + " neighbours and "
                            + weights[i].length + " weights, expected " + k);
                }
            }
        }

        /** m, the number of columns of A D*. */
        public int size() {
            return targets.length;
        }

        /** K, neighbours per column. */
        public int neighbourCount() {
            return neighbours.length == 0 ? 0 : neighbours[0].length;
        }

        /** The largest column index of A referenced, or -1 when empty. */
        int maxIndex() {
            int max = -1;
            for (int i = 0; i < targets.length; i++) {
                max = Math.max(max, targets[i]);
                for (int j : neighbours[i]) {
                    max = Math.max(max, j);
                }
            }
            return max;
        }

        /** The rows [from, to) of this interpolation. */
        Interpolation slice(int from, int to) {
            return new Interpolation(Arrays.copyOfRange(targets, from, to), Arrays.copyOfRange(neighbours, from, to),
                    Arrays.copyOfRange(weights, from, to));
        }
    }

    /**
     * Spatial second differences on the patch grid of each image, horizontal and vertical: for every
     * location (r, c) with both neighbours inside the grid,
     * <pre>
     *   alpha_(r,c) - 0.5 alpha_(r,c-h) - 0.5 alpha_(r,c+h)      and      alpha_(r,c) - 0.5 alpha_(r-h,c) - 0.5 alpha_(r+h,c)
     * </pre>
     * h = {@code step} grid positions (h s pixels). Codes are laid out as the processor batches them:
     * image b's patches are columns b B .. b B + B - 1 of A, in the grid's raster order ({@link PatchGrid}),
     * B = side^2. Differences never cross images. 2 images side (side - 2h) columns in all.
     *
     * @param side   patch positions per side of the grid, >= 2 step + 1
     * @param images number of images, >= 1
     * @param step   h, >= 1
     */
    public static Interpolation gridInterpolation(int side, int images, int step) {
        if (step < 1 || side < 2 * step + 1 || images < 1) {
            throw new IllegalArgumentException("Invalid grid: side " + side + ", images " + images + ", step " + step
                    + " (need side >= 2 step + 1, step >= 1, images >= 1)");
        }
        int perImage = 2 * side * (side - 2 * step);
        long total = (long) perImage * images;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Too many difference columns: " + total);
        }
        int[] targets = new int[(int) total];
        int[][] neighbours = new int[(int) total][];
        double[][] weights = new double[(int) total][];
        int i = 0;
        int b = side * side;
        for (int image = 0; image < images; image++) {
            int base = image * b;
            for (int r = 0; r < side; r++) {
                for (int c = step; c < side - step; c++) {                  // along the row
                    targets[i] = base + r * side + c;
                    neighbours[i] = new int[] {base + r * side + c - step, base + r * side + c + step};
                    weights[i++] = new double[] {0.5, 0.5};
                }
            }
            for (int r = step; r < side - step; r++) {                      // down the column
                for (int c = 0; c < side; c++) {
                    targets[i] = base + r * side + c;
                    neighbours[i] = new int[] {base + (r - step) * side + c, base + (r + step) * side + c};
                    weights[i++] = new double[] {0.5, 0.5};
                }
            }
        }
        return new Interpolation(targets, neighbours, weights);
    }

    /**
     * Locally linear interpolation weights (eq. 2.6 / 3.5): for each column x_i of X its K nearest
     * other columns by Euclidean distance ({@link AffinityGroups#nearestEuclidean}, one blocked GEMM),
     * and the weights minimizing ||x_i - sum_q w_q x_{j_q}||^2 subject to sum_q w_q = 1:
     * <pre>
     *   G = Z^T Z,  Z = [x_{j_1} - x_i, ..., x_{j_K} - x_i]       (K x K local Gram matrix)
     *   (G + reg tr(G)/K I) w = 1,   w = w / sum(w)
     * </pre>
     * The ridge {@code reg} (LLE's usual 1e-3) makes the solve well-posed when K exceeds the local
     * dimension. Per point a K x K solve in double.
     *
     * @param x   d x M features (whitened patches, or codes), any float type; not modified
     * @param k   K, neighbours per point, 1 <= K <= M - 1
     * @param reg relative ridge, >= 0
     * @return an interpolation with targets 0 .. M-1
     */
    public static Interpolation lleInterpolation(INDArray x, int k, double reg) {
        if (!(reg >= 0) || !Double.isFinite(reg)) {
            throw new IllegalArgumentException("Invalid LLE ridge: " + reg);
        }
        AffinityGroups knn = AffinityGroups.nearestEuclidean(x, k);
        double[][] data = x.castTo(DataType.DOUBLE).transpose().toDoubleMatrix();    // M x d: row i = x_i
        int m = data.length;
        int d = data[0].length;
        int[] targets = new int[m];
        double[][] weights = new double[m][];
        double[][] z = new double[k][d];
        double[][] g = new double[k][k];
        for (int i = 0; i < m; i++) {
            targets[i] = i;
            int[] nb = knn.neighbours()[i];
            for (int q = 0; q < k; q++) {
                double[] xj = data[nb[q]];
                double[] xi = data[i];
                for (int t = 0; t < d; t++) {
                    z[q][t] = xj[t] - xi[t];
                }
            }
            double trace = 0;
            for (int q = 0; q < k; q++) {
                for (int r = q; r < k; r++) {
                    double s = 0;
                    for (int t = 0; t < d; t++) {
                        s += z[q][t] * z[r][t];
                    }
                    g[q][r] = s;
                    g[r][q] = s;
                }
                trace += g[q][q];
            }
            double ridge = trace > 0 ? reg * trace / k : reg > 0 ? reg : 1e-12;
            for (int q = 0; q < k; q++) {
                g[q][q] += ridge;
            }
            double[] w = solve(g, k);
            double sum = 0;
            for (double v : w) {
                sum += v;
            }
            if (!(Math.abs(sum) > 0) || !Double.isFinite(sum)) {
                Arrays.fill(w, 1.0 / k);                       // degenerate neighbourhood: plain average
            } else {
                for (int q = 0; q < k; q++) {
                    w[q] /= sum;
                }
            }
            weights[i] = w;
        }
        return new Interpolation(targets, knn.neighbours(), weights);
    }

    /** Solves G w = 1 (G K x K symmetric positive definite, overwritten) by Gaussian elimination with pivoting. */
    private static double[] solve(double[][] g, int k) {
        double[][] a = new double[k][k + 1];
        for (int q = 0; q < k; q++) {
            System.arraycopy(g[q], 0, a[q], 0, k);
            a[q][k] = 1.0;
        }
        for (int col = 0; col < k; col++) {
            int pivot = col;
            for (int r = col + 1; r < k; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] tmp = a[col];
            a[col] = a[pivot];
            a[pivot] = tmp;
            double diag = a[col][col];
            if (diag == 0) {
                continue;
            }
            for (int r = col + 1; r < k; r++) {
                double f = a[r][col] / diag;
                if (f != 0) {
                    for (int c = col; c <= k; c++) {
                        a[r][c] -= f * a[col][c];
                    }
                }
            }
        }
        double[] w = new double[k];
        for (int q = k - 1; q >= 0; q--) {
            double s = a[q][k];
            for (int c = q + 1; c < k; c++) {
                s -= a[q][c] * w[c];
            }
            w[q] = a[q][q] == 0 ? 0 : s / a[q][q];
        }
        return w;
    }

    /**
     * The columns of A D*: a new N x m matrix in A's data type.
     *
     * @param codes         A, N x M (columns alpha_i); not modified
     * @param interpolation which columns and weights; indices below M
     */
    public static INDArray differences(INDArray codes, Interpolation interpolation) {
        if (codes.rank() != 2) {
            throw new IllegalArgumentException("Codes must be N x M, got shape " + Arrays.toString(codes.shape()));
        }
        int max = interpolation.maxIndex();
        if (max >= codes.columns()) {
            throw new IllegalArgumentException("Interpolation refers to column " + max + " but A has "
                    + codes.columns() + " columns");
        }
        int m = interpolation.size();
        int k = interpolation.neighbourCount();
        DataType type = codes.dataType();
        INDArray out = codes.getColumns(interpolation.targets()).dup('f');             // alpha_i
        int[] column = new int[m];
        double[] weight = new double[m];
        for (int q = 0; q < k; q++) {
            for (int i = 0; i < m; i++) {
                column[i] = interpolation.neighbours()[i][q];
                weight[i] = interpolation.weights()[i][q];
            }
            INDArray w = Nd4j.createFromArray(weight).castTo(type).reshape(1, m);
            out.subi(codes.getColumns(column).mulRowVector(w));                      // - gamma_iq alpha_jq
        }
        return out;
    }

    /**
     * S = (A D*)(A D*)^T, N x N DOUBLE, the matrix the embedding solvers take (eq. 3.6 in the form
     * tr(P S P^T)). Columns of A D* are formed {@value #BLOCK} at a time in A's data type and each
     * block's GEMM is added into the double S, so memory stays O(N^2 + N * block).
     *
     * @param codes         A, N x M; not modified
     * @param interpolation which columns and weights
     */
    public static INDArray secondMoment(INDArray codes, Interpolation interpolation) {
        long n = codes.rows();
        INDArray s = Nd4j.create(DataType.DOUBLE, new long[] {n, n}, 'f');
        INDArray block = null;
        for (int from = 0; from < interpolation.size(); from += BLOCK) {
            int to = Math.min(interpolation.size(), from + BLOCK);
            INDArray ad = differences(codes, interpolation.slice(from, to));
            if (codes.dataType() == DataType.DOUBLE) {
                Nd4j.gemm(ad, ad, s, false, true, 1.0, 1.0);
            } else {
                if (block == null) {
                    block = Nd4j.create(ad.dataType(), new long[] {n, n}, 'f');
                }
                Nd4j.gemm(ad, ad, block, false, true, 1.0, 0.0);
                s.addi(block.castTo(DataType.DOUBLE));
            }
        }
        return s;
    }
}
