package org.smtstream.model;

import java.util.Arrays;

/**
 * Affinity groups (thesis section 3.3): the k columns of a matrix most similar to one of its
 * columns by cosine similarity, cos(p_j, p_l) = p_j . p_l / (|p_j| |p_l|). For the embedding P
 * (f x N) these are an atom's neighbours on the learned manifold; cosine rather than distance,
 * because P's column norms vary by orders of magnitude with how often an atom is used.
 *
 * <p><b>The rule</b>, the same for the web view and the processor:
 * <ul>
 *   <li>a column is never its own neighbour;</li>
 *   <li>a zero column has no direction: its cosine with every column is 0, and it is never the
 *       neighbour of another column (so a group has fewer than k neighbours when fewer than k other
 *       columns are non-zero);</li>
 *   <li>ties keep the lower index first.</li>
 * </ul>
 * The processor scores all columns at once with ND4J and applies the rule through {@link #select};
 * the web view asks for one column's group with {@link #of}.
 */
public final class CosineNeighbours {

    private CosineNeighbours() {
    }

    /**
     * One column's neighbours, most similar first.
     *
     * @param columns      their indices
     * @param similarities their cosine similarities to the column
     */
    public record Neighbours(int[] columns, float[] similarities) {
    }

    /** |p_j| of every column of {@code p}. */
    public static double[] columnNorms(FloatMatrix p) {
        double[] norms = new double[p.cols()];
        float[] data = p.data();
        for (int r = 0; r < p.rows(); r++) {
            for (int j = 0; j < p.cols(); j++) {
                double v = data[r * p.cols() + j];
                norms[j] += v * v;
            }
        }
        for (int j = 0; j < norms.length; j++) {
            norms[j] = Math.sqrt(norms[j]);
        }
        return norms;
    }

    /**
     * The {@code k} columns of {@code p} most similar to column {@code column}.
     *
     * @param norms {@link #columnNorms} of {@code p}
     */
    public static Neighbours of(FloatMatrix p, double[] norms, int column, int k) {
        if (column < 0 || column >= p.cols()) {
            throw new IllegalArgumentException("Column " + column + " outside [0, " + p.cols() + ")");
        }
        if (k < 1) {
            throw new IllegalArgumentException("Invalid neighbour count: " + k + " (must be >= 1)");
        }
        if (norms.length != p.cols()) {
            throw new IllegalArgumentException(norms.length + " column norms for " + p.cols() + " columns");
        }
        boolean[] zero = zeroColumns(norms);
        int[] index = new int[Math.min(k, p.cols())];
        float[] best = new float[index.length];
        int found = select(cosines(p, norms, column), 0, p.cols(), column, zero, index, best);
        return new Neighbours(Arrays.copyOf(index, found), Arrays.copyOf(best, found));
    }

    /** Which columns have length 0: never anyone's neighbour. */
    public static boolean[] zeroColumns(double[] norms) {
        boolean[] zero = new boolean[norms.length];
        for (int j = 0; j < norms.length; j++) {
            zero[j] = !(norms[j] > 0);
        }
        return zero;
    }

    /**
     * The largest of {@code scores[offset .. offset + count)}, skipping {@code self} and the excluded
     * indices, into (index, value) sorted descending, ties lower index first. One pass with a sorted
     * buffer: O(count) comparisons against the current last value plus O(k) per insertion.
     *
     * @param excluded per index, true when it may not be picked; null: none is excluded
     * @param index    receives the picked indices (relative to {@code offset}); its length is k
     * @param best     receives their scores
     * @return how many were picked: k, or fewer when fewer indices were eligible
     */
    public static int select(float[] scores, int offset, int count, int self, boolean[] excluded, int[] index,
                             float[] best) {
        int k = index.length;
        int filled = 0;
        for (int l = 0; l < count; l++) {
            if (l == self || excluded != null && excluded[l]) {
                continue;
            }
            float v = scores[offset + l];
            if (filled == k && !(v > best[k - 1])) {
                continue;
            }
            int q = filled == k ? k - 1 : filled++;
            while (q > 0 && v > best[q - 1]) {
                best[q] = best[q - 1];
                index[q] = index[q - 1];
                q--;
            }
            best[q] = v;
            index[q] = l;
        }
        return filled;
    }

    /** cos(p_column, p_l) for every l; 0 wherever either column is zero. */
    private static float[] cosines(FloatMatrix p, double[] norms, int column) {
        int cols = p.cols();
        float[] data = p.data();
        double[] dots = new double[cols];
        for (int r = 0; r < p.rows(); r++) {
            double a = data[r * cols + column];
            for (int l = 0; l < cols; l++) {
                dots[l] += a * data[r * cols + l];
            }
        }
        float[] cosines = new float[cols];
        for (int l = 0; l < cols; l++) {
            double scale = norms[column] * norms[l];
            cosines[l] = scale > 0 ? (float) (dots[l] / scale) : 0f;
        }
        return cosines;
    }
}
