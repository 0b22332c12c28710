package org.smtstream.processor.math.linalg;

import java.nio.DoubleBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The rank-B update M += c A A^T of a sparse N x B batch A (one code per column) at the cost of its
 * non-zeros. A A^T is the sum over groups of columns of A_g A_g^T, and A_g A_g^T is zero outside the
 * rows where A_g is not zero (its support S_g): so, per group, gather those |S_g| rows, one
 * |S_g| x G by G x |S_g| GEMM, and a scatter-add of the |S_g| x |S_g| block into M. The result is the
 * dense update's, at O(sum_g |S_g|^2 G) instead of O(N^2 B).
 *
 * <p>Why groups and not the support of the whole batch: a frame of video has 30-150 active atoms per
 * patch, different from patch to patch, and their union over a frame's 64 patches was 870-1020 of
 * N = 1024 on the bundled clip (fast preset): the whole batch's block would be V itself. A group of
 * a few patches has a few hundred. Where the blocks would cost more than the dense GEMM (dense codes,
 * such as the first frames of a random dictionary), the dense GEMM runs instead.
 *
 * <p>The scatter-add is a plain loop over the block, writing through M's native storage: ND4J's
 * {@code ScatterAdd} on M's storage as a vector took 190-340 ms for a 300 x 300 block (M2.1, two
 * cores), the loop about 1 ms.
 *
 * <p>Allocates its temporaries in the caller's workspace, if one is open.
 */
public final class SupportBlock {

    /** Columns per group: the largest divisor of B not above this. */
    static final int MAX_GROUP = 8;
    /** Writing one cell of a block into M, a Java loop, in multiply-adds of the GEMMs it competes with. */
    static final int SCATTER_COST = 10;

    private SupportBlock() {
    }

    /**
     * target += scale A A^T.
     *
     * @param target M, N x N DOUBLE, column-major and contiguous; changed in place
     * @param batch  A, N x B DOUBLE, column-major and contiguous
     * @param scale  c
     * @return cells of M written: the sum of the blocks' sizes, or N^2 when the dense GEMM ran
     */
    public static long addOuterProduct(INDArray target, INDArray batch, double scale) {
        long size = target.rows();
        requireContiguousDouble("M", target);
        requireContiguousDouble("A", batch);
        if (target.columns() != size || batch.rows() != size) {
            throw new IllegalArgumentException("Need an N x N target and an N x B batch, got "
                    + Arrays.toString(target.shape()) + " and " + Arrays.toString(batch.shape()));
        }
        int columns = (int) batch.columns();
        int group = groupSize(columns);
        int[][] supports = supports(batch, group);
        long cells = Arrays.stream(supports).mapToLong(s -> (long) s.length * s.length).sum();
        if (cells * (group + SCATTER_COST) >= size * size * columns) {
            Nd4j.gemm(batch, batch, target, false, true, scale, 1.0);
            return size * size;
        }
        for (int g = 0; g < supports.length; g++) {
            if (supports[g].length > 0) {
                INDArray columnsOfGroup = batch.get(NDArrayIndex.all(),
                        NDArrayIndex.interval(g * group, (g + 1) * group));
                addBlock(target, columnsOfGroup, supports[g], scale);
            }
        }
        return cells;
    }

    /** The largest divisor of B not above {@link #MAX_GROUP}. */
    static int groupSize(int columns) {
        int group = Math.min(MAX_GROUP, columns);
        while (columns % group != 0) {
            group--;
        }
        return group;
    }

    /**
     * Per group of {@code group} columns, the rows with any entry that is not zero, ascending. A NaN
     * counts as not zero, so a non-finite batch still reaches (and poisons) M, as the dense update
     * would. One reduction (the batch seen as N x G x groups, which is its column-major storage);
     * the indices are then picked out of its values directly, a tenth of the time ND4J's comparison
     * and {@code where} ops took.
     */
    static int[][] supports(INDArray batch, int group) {
        long size = batch.rows();
        int groups = (int) batch.columns() / group;
        double[][] norms = batch.reshape('f', new long[] {size, group, groups}).norm1(1)
                .toDoubleMatrix();                                                         // N x groups
        int[][] supports = new int[groups][];
        int[] rows = new int[(int) size];
        for (int g = 0; g < groups; g++) {
            int count = 0;
            for (int row = 0; row < size; row++) {
                if (norms[row][g] != 0) {
                    rows[count++] = row;
                }
            }
            supports[g] = Arrays.copyOf(rows, count);
        }
        return supports;
    }

    /** M[S, S] += scale A_g[S, :] A_g[S, :]^T. */
    private static void addBlock(INDArray target, INDArray columns, int[] support, double scale) {
        int s = support.length;
        INDArray gathered = Nd4j.pullRows(columns, 1, support, 'f');                 // A_g[S, :], |S| x G
        INDArray block = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {s, s}, 'f');
        Nd4j.gemm(gathered, gathered, block, false, true, scale, 0.0);
        scatterAdd(target, support, block);
    }

    /** target[S_i, S_j] += block[i, j], through the column-major storage of both. */
    private static void scatterAdd(INDArray target, int[] support, INDArray block) {
        DoubleBuffer m = target.data().asNioDouble();
        DoubleBuffer b = block.data().asNioDouble();
        int size = (int) target.rows();
        int s = support.length;
        for (int j = 0; j < s; j++) {
            int column = support[j] * size;
            int blockColumn = j * s;
            for (int i = 0; i < s; i++) {
                int cell = column + support[i];
                m.put(cell, m.get(cell) + b.get(blockColumn + i));
            }
        }
    }

    private static void requireContiguousDouble(String name, INDArray a) {
        if (a.rank() != 2 || a.ordering() != 'f' || a.isView() || a.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException(name + " must be a contiguous column-major DOUBLE matrix, got "
                    + Arrays.toString(a.shape()) + " (" + a.ordering() + ", " + a.dataType()
                    + (a.isView() ? ", a view" : "") + ")");
        }
    }
}
