package org.smtstream.processor.math.analysis;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.smtstream.model.CosineNeighbours;
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
 * stream-processor/BENCHMARKS.md). The pick follows
 * {@link CosineNeighbours}'s rule, shared with the web view: a zero column has similarity 0 to
 * everything and is never another column's neighbour; ties keep the lower index first.
 *
 * @param neighbours   N rows: row j lists the k most similar other columns, most similar first (fewer
 *                     when fewer than k other columns are non-zero)
 * @param similarities N rows: their similarities (cosine, or squared Euclidean distance for
 *                     {@link #nearestEuclidean})
 */
public record AffinityGroups(int[][] neighbours, float[][] similarities) {

    /** Largest similarity block, in entries. */
    private static final long BLOCK_ENTRIES = 1L << 24;

    /** Number of columns N. */
    public int size() {
        return neighbours.length;
    }

    /** Neighbours per column (at most; a row is shorter when too few columns qualify). */
    public int k() {
        return Arrays.stream(neighbours).mapToInt(row -> row.length).max().orElse(0);
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
        boolean[] zero = cosine ? CosineNeighbours.zeroColumns(columns.norm2(0).toDoubleVector()) : null;
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
                int[] index = new int[k];
                float[] best = new float[k];
                int found = CosineNeighbours.select(values, (j - start) * count, count, j, zero, index, best);
                neighbours[j] = Arrays.copyOf(index, found);
                similarities[j] = Arrays.copyOf(best, found);
                if (!cosine) {
                    float own = squaredNorms.getFloat(j);
                    for (int q = 0; q < found; q++) {
                        similarities[j][q] = Math.max(0f, own - similarities[j][q]);
                    }
                }
            }
        }
        return new AffinityGroups(neighbours, similarities);
    }
}
