package org.smtstream.processor.math.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.processor.testing.DenseReference;
import org.smtstream.processor.testing.TestArrays;

/** The blockwise M += c A A^T against the dense GEMM, on codes sparse per column and on dense ones. */
class SupportBlockTest {

    private static INDArray start(int n, SplittableRandom random) {
        return TestArrays.toNd4j(TestArrays.gaussian(n, n, random)).castTo(DataType.DOUBLE).dup('f');
    }

    private static INDArray denseUpdate(INDArray m, INDArray a, double scale) {
        INDArray expected = m.dup('f');
        Nd4j.gemm(a, a, expected, false, true, scale, 1.0);
        return expected;
    }

    @Test
    void blocksOfSparseColumnsAddWhatTheDenseGemmAdds() {
        SplittableRandom random = new SplittableRandom(1);
        int n = 300;
        INDArray m = start(n, random);
        INDArray a = TestArrays.toNd4j(TestArrays.sparseCodes(n, 36, 4, 0.1, 2.0, random)).castTo(DataType.DOUBLE)
                .dup('f');
        INDArray expected = denseUpdate(m, a, 0.37);
        long cells = SupportBlock.addOuterProduct(m, a, 0.37);
        assertTrue(cells <= 6 * 24 * 24, "six groups of 6 columns of 4 atoms: " + cells + " cells, not " + n * n);
        double scale = DenseReference.maxAbs(TestArrays.toDouble(expected));
        assertEquals(0.0, DenseReference.maxAbsDiff(TestArrays.toDouble(expected), TestArrays.toDouble(m)),
                1e-13 * scale);
    }

    @Test
    void denseCodesTakeTheDenseGemm() {
        SplittableRandom random = new SplittableRandom(2);
        int n = 40;
        INDArray m = start(n, random);
        INDArray a = TestArrays.toNd4j(TestArrays.gaussian(n, 16, random)).castTo(DataType.DOUBLE).dup('f');
        INDArray expected = denseUpdate(m, a, 1.0);
        assertEquals((long) n * n, SupportBlock.addOuterProduct(m, a, 1.0));
        assertArrayEquals(expected.data().asDouble(), m.data().asDouble(), 1e-12);
    }

    @Test
    void aNonFiniteCodeReachesTheMatrix() {
        int n = 50;
        INDArray m = Nd4j.zeros(DataType.DOUBLE, n, n).dup('f');
        INDArray a = Nd4j.zeros(DataType.DOUBLE, n, 8).dup('f');
        a.putScalar(7, 3, Double.NaN);
        a.putScalar(9, 3, 1.0);
        SupportBlock.addOuterProduct(m, a, 1.0);
        assertTrue(Double.isNaN(m.getDouble(7, 9)) && Double.isNaN(m.getDouble(7, 7)), "NaN row 7 is in the support");
        assertEquals(1.0, m.getDouble(9, 9));
        assertEquals(0.0, m.getDouble(8, 8));
    }

    @Test
    void groupsAreTheLargestDivisorOfTheBatchUpToEight() {
        assertEquals(8, SupportBlock.groupSize(64));
        assertEquals(6, SupportBlock.groupSize(36));
        assertEquals(8, SupportBlock.groupSize(16));
        assertEquals(5, SupportBlock.groupSize(5));
        assertEquals(1, SupportBlock.groupSize(13));
    }

    @Test
    void shouldRejectAViewOrAFloatTarget() {
        INDArray a = Nd4j.zeros(DataType.DOUBLE, 4, 2).dup('f');
        assertThrows(IllegalArgumentException.class,
                () -> SupportBlock.addOuterProduct(Nd4j.zeros(DataType.FLOAT, 4, 4).dup('f'), a, 1.0));
        assertThrows(IllegalArgumentException.class,
                () -> SupportBlock.addOuterProduct(Nd4j.zeros(DataType.DOUBLE, 4, 4).dup('c'), a, 1.0));
    }
}
