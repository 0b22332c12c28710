package org.smtstream.processor.math.analysis;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.smtstream.processor.math.linalg.Nd4jRuntime;

/**
 * Affinity groups (thesis section 3.3): the k nearest neighbours of every column of a matrix by
 * cosine similarity, cos(p_j, p_l) = p_j . p_l / (||p_j|| ||p_l||), the atom itself excluded. For the
 * embedding P (f x N) these are the atoms' neighbours on the learned manifold; for Phi (n x N) their
 * neighbours in pixel space, the baseline of the thesis's figure 3.6B ({@link NeedleComparison}).
 *
 * <p>The similarities are one GEMM of the column-normalized matrix with itself, Pn^T Pn (N x N, FLOAT),
 * computed in column blocks of at most 2^24 entries (one block up to N = 4096) so memory stays bounded
 * for larger N; each atom's top k are then picked in one pass over its contiguous column of scores
 * (ND4J's top_k op was far slower; this pass costs about as much as the GEMM, see
 * stream-processor/BENCHMARKS.md). A zero column has similarity 0 to everything. Ties keep the lower
 * index first.
 *
 * @param neighbours   N x k: row j lists the k most similar other columns, most similar first
 * @param similarities N x k: their similarities (cosine, or squared Euclidean distance for
 *                     {@link #nearestEuclidean})
 */
public record AffinityGroups(int[][] neighbours, float[][] similarities) {

    /** Largest similarity block, in entries. */
    private static final long BLOCK_ENTRIES = 1L << 24;

    /** Number of columns N. */
    public int size() {
        return neighbours.length;
    }

    /** Neighbours per column. */
    public int k() {
        return neighbours.length == 0 ? 0 : neighbours[0].length;
    }

    /**
     * The top-k cosine neighbours of every column.
     *
     * @param columns f x N (any float type); not modified
     * @param k       neighbours per column, 1 <= k <= N - 1
     */
    public static AffinityGroups of(INDArray columns, int k) {
        return nearest(columns, k, true);
    }

    /**
     * The k nearest other columns by Euclidean distance (the KNN of locally linear embedding);
     * {@link #similarities()} then holds squared distances, nearest first.
     *
     * @param columns d x M (any float type); not modified
     * @param k       neighbours per column, 1 <= k <= M - 1
     */
    public static AffinityGroups nearestEuclidean(INDArray columns, int k) {
        return nearest(columns, k, false);
    }

    /** The full N x N cosine-similarity matrix (FLOAT), for pictures and small N. */
    public static INDArray cosineSimilarity(INDArray columns) {
        INDArray unit = normalizedColumns(columns);
        return Nd4j.gemm(unit, unit, true, false);
    }

    private static INDArray normalizedColumns(INDArray columns) {
        INDArray unit = columns.castTo(DataType.FLOAT).dup('f');
        INDArray norms = unit.norm2(0);
        norms.addi(norms.eq(0.0).castTo(DataType.FLOAT));             // zero column: divide by 1, stays 0
        return unit.diviRowVector(norms);
    }

    /**
     * The k largest of values[offset .. offset + count), skipping index {@code self}, into (index,
     * value) sorted descending; ties keep the lower index first. One pass with a sorted k-buffer:
     * O(count) comparisons against the current k-th value plus O(k) per insertion.
     */
    private static void select(float[] values, int offset, int count, int self, int[] index, float[] best) {
        int k = index.length;
        int filled = 0;
        for (int l = 0; l < count; l++) {
            if (l == self) {
                continue;
            }
            float v = values[offset + l];
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
    }

    private static AffinityGroups nearest(INDArray columns, int k, boolean cosine) {
        if (columns.rank() != 2) {
            throw new IllegalArgumentException("Expected a matrix, got shape " + Arrays.toString(columns.shape()));
        }
        int count = (int) columns.columns();
        if (k < 1 || k > count - 1) {
            throw new IllegalArgumentException("Invalid neighbour count " + k + " for " + count
                    + " columns (must be in [1, " + (count - 1) + "])");
        }
        Nd4jRuntime.useFloatByDefault();
        INDArray base = cosine ? normalizedColumns(columns) : columns.castTo(DataType.FLOAT).dup('f');
        double total = base.sumNumber().doubleValue();
        if (!Double.isFinite(total)) {
            throw new IllegalArgumentException("Columns contain NaN or infinite values (sum " + total + ")");
        }
        INDArray squaredNorms = cosine ? null : base.mul(base).sum(0);   // |x_l|^2, N
        int[][] neighbours = new int[count][];
        float[][] similarities = new float[count][];
        int blockColumns = (int) Math.max(1, Math.min(count, BLOCK_ENTRIES / count));
        INDArray scores = null;
        for (int start = 0; start < count; start += blockColumns) {
            int end = Math.min(count, start + blockColumns);
            INDArray queries = base.get(NDArrayIndex.all(), NDArrayIndex.interval(start, end)).dup('f');
            if (scores == null || scores.columns() != end - start) {
                scores = Nd4j.createUninitialized(DataType.FLOAT, new long[] {count, end - start}, 'f');
            }
            // column q: the scores of query start + q against every column, contiguous (column-major).
            // cosine: Pn^T Pn_q; Euclidean: 2 x_l . x_q - |x_l|^2 = |x_q|^2 - |x_l - x_q|^2 (ranks like -distance)
            Nd4j.gemm(base, queries, scores, true, false, cosine ? 1.0 : 2.0, 0.0);
            if (!cosine) {
                scores.subiColumnVector(squaredNorms.reshape(count, 1));
            }
            float[] values = scores.data().asFloat();
            for (int j = start; j < end; j++) {
                neighbours[j] = new int[k];
                similarities[j] = new float[k];
                select(values, (j - start) * count, count, j, neighbours[j], similarities[j]);
                if (!cosine) {
                    float own = squaredNorms.getFloat(j);
                    for (int q = 0; q < k; q++) {
                        similarities[j][q] = Math.max(0f, own - similarities[j][q]);
                    }
                }
            }
        }
        return new AffinityGroups(neighbours, similarities);
    }
}
