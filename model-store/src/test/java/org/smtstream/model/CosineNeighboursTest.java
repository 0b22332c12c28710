package org.smtstream.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.smtstream.model.CosineNeighbours.Neighbours;

class CosineNeighboursTest {

    private static Neighbours of(FloatMatrix p, int column, int k) {
        return CosineNeighbours.of(p, CosineNeighbours.columnNorms(p), column, k);
    }

    @Test
    void shouldRankByCosineWhateverTheLength() {
        // columns: (1, 0), (10, 1), (0, 1), (-1, 0), (0.1, 0)
        FloatMatrix p = new FloatMatrix(2, 5, new float[] {
            1, 10, 0, -1, 0.1f,
            0, 1, 1, 0, 0});

        Neighbours n = of(p, 0, 4);

        assertArrayEquals(new int[] {4, 1, 2, 3}, n.columns(), "0.1 x the atom first, the opposite direction last");
        assertArrayEquals(new float[] {1f, (float) (10 / Math.sqrt(101)), 0f, -1f}, n.similarities(), 1e-6f);
    }

    @Test
    void shouldNeverMakeAZeroColumnANeighbourEvenWhenEveryOtherCosineIsNegative() {
        // column 2 is zero: cosine 0 would beat the -1 of columns 1 and 3, but it has no direction
        FloatMatrix p = new FloatMatrix(1, 4, new float[] {1, -1, 0, -2});

        Neighbours n = of(p, 0, 2);

        assertArrayEquals(new int[] {1, 3}, n.columns());
        assertArrayEquals(new float[] {-1f, -1f}, n.similarities(), 1e-6f);
    }

    @Test
    void shouldGiveAZeroColumnCosineZeroWithEveryColumnAndTheLowestNonZeroIndicesAsItsGroup() {
        FloatMatrix p = new FloatMatrix(2, 5, new float[] {
            0, 0, 3, 1, 0,
            0, 0, 4, -1, 2});

        Neighbours n = of(p, 1, 3);

        assertArrayEquals(new int[] {2, 3, 4}, n.columns(), "all tie at 0: lower index first; 0 is zero too");
        assertArrayEquals(new float[] {0f, 0f, 0f}, n.similarities(), 0f);
    }

    @Test
    void shouldBreakTiesByTheLowerIndex() {
        // columns 1, 2 and 4 all point along the atom, column 3 is orthogonal
        FloatMatrix p = new FloatMatrix(2, 5, new float[] {
            1, 2, 5, 0, 0.5f,
            1, 2, 5, 1, 0.5f});

        assertArrayEquals(new int[] {1, 2}, of(p, 0, 2).columns());
        assertArrayEquals(new int[] {1, 2, 4, 3}, of(p, 0, 4).columns());
        assertArrayEquals(new int[] {0, 2, 4}, of(p, 1, 3).columns(), "and never the column itself");
    }

    @Test
    void shouldReturnFewerThanKWhenTooFewColumnsQualify() {
        FloatMatrix p = new FloatMatrix(2, 4, new float[] {
            1, 1, 0, 1,
            0, 0, 0, 0.1f});

        Neighbours n = of(p, 0, 3);

        assertArrayEquals(new int[] {1, 3}, n.columns(), "the zero column 2 does not fill the group");
        assertEquals(2, n.similarities().length);
    }

    @Test
    void shouldSelectFromAnyScoresWithTheSameRule() {
        float[] scores = {9, 0.5f, 0.7f, 0.5f, 0.9f, 0.7f, -1};
        boolean[] excluded = {false, false, false, true, false, false};
        int[] index = new int[4];
        float[] best = new float[4];

        int found = CosineNeighbours.select(scores, 1, 6, 0, excluded, index, best);

        // scores[1..6] as indices 0..5: self 0 and the excluded 3 (0.9) skipped
        assertEquals(4, found);
        assertArrayEquals(new int[] {1, 4, 2, 5}, index, "relative to the offset, ties lower index first");
        assertArrayEquals(new float[] {0.7f, 0.7f, 0.5f, -1f}, best);
        assertEquals(2, CosineNeighbours.select(new float[] {1, 2, 3}, 0, 3, 1, null, index, best));
        assertArrayEquals(new int[] {2, 0}, new int[] {index[0], index[1]});
    }

    @Test
    void shouldRejectAColumnOutsideTheMatrixAndAnEmptyGroup() {
        FloatMatrix p = new FloatMatrix(1, 3, new float[] {1, 2, 3});
        assertThrows(IllegalArgumentException.class, () -> of(p, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> of(p, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> CosineNeighbours.of(p, new double[2], 0, 1));
    }
}
