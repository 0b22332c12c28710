package org.smtstream.processor.math.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.smtstream.processor.testing.TestArrays;

/** The eigen wrapper: LAPACK dsyevd on the CPU backend, ND4J's syev elsewhere (its traps: ARCHITECTURE.md, trap T4). */
class SymmetricEigenTest {

    private static INDArray randomSpd(int n, SplittableRandom random) {
        INDArray g = TestArrays.toNd4j(TestArrays.gaussian(n, n + 3, random)).castTo(DataType.DOUBLE);
        return g.mmul(g.transpose()).addi(Nd4j.eye(n).castTo(DataType.DOUBLE).muli(0.1));
    }

    @Test
    void shouldDecomposeWithoutTouchingTheInput() {
        INDArray a = randomSpd(12, new SplittableRandom(41));
        INDArray copy = a.dup();
        SymmetricEigen.Decomposition d = SymmetricEigen.of(a);
        assertEquals(copy, a, "input must not be overwritten (syev writes eigenvectors into its argument)");
        double[] s = d.valuesArray();
        for (int j = 1; j < s.length; j++) {
            assertTrue(s[j] >= s[j - 1], "eigenvalues ascending at " + j + ": " + s[j - 1] + ", " + s[j]);
        }
        INDArray u = d.vectors();
        INDArray residual = a.mmul(u).sub(u.mulRowVector(d.values().reshape(1, 12)));
        assertTrue(residual.amaxNumber().doubleValue() < 1e-10, "A U = U diag(s), residual " + residual.amaxNumber());
        INDArray orthogonality = u.transpose().mmul(u).sub(Nd4j.eye(12).castTo(DataType.DOUBLE));
        assertTrue(orthogonality.amaxNumber().doubleValue() < 1e-12, "U^T U = I");
    }

    @Test
    void shouldComputeTheInverseSquareRootAndSquareRoot() {
        INDArray a = randomSpd(10, new SplittableRandom(42));
        INDArray k = SymmetricEigen.inverseSqrt(a, 1e-12);
        INDArray identity = k.mmul(a).mmul(k).sub(Nd4j.eye(10).castTo(DataType.DOUBLE));
        assertTrue(identity.amaxNumber().doubleValue() < 1e-9,
                "A^-1/2 A A^-1/2 = I, deviation " + identity.amaxNumber());
        INDArray r = SymmetricEigen.sqrt(a);
        assertTrue(r.mmul(r).sub(a).amaxNumber().doubleValue() < 1e-9, "(A^1/2)^2 = A");
        assertEquals(DataType.DOUBLE, k.dataType());
    }

    @Test
    void shouldFloorSmallEigenvaluesRelativeToTheLargest() {
        INDArray a = Nd4j.createFromArray(new double[][] {{4, 0}, {0, 0}});          // singular
        INDArray k = SymmetricEigen.inverseSqrt(a, 1e-4);
        assertEquals(0.5, k.getDouble(0, 0), 1e-12);
        assertEquals(1 / Math.sqrt(4e-4), k.getDouble(1, 1), 1e-9, "floored at 1e-4 * 4");
    }

    @Test
    void shouldRejectNonFiniteAndNonSquareMatrices() {
        INDArray nan = Nd4j.createFromArray(new double[][] {{1, Double.NaN}, {Double.NaN, 1}});
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(nan));
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(Nd4j.zeros(DataType.DOUBLE, 2, 3)));
        assertThrows(IllegalArgumentException.class,
                () -> SymmetricEigen.inverseSqrt(Nd4j.zeros(DataType.DOUBLE, 2, 2), 1e-6));
    }

    @Test
    void shouldUseTheSymmetricPartOfAFloatMatrix() {
        INDArray a = Nd4j.createFromArray(new float[][] {{2, 1.001f}, {0.999f, 2}});
        double[] s = SymmetricEigen.of(a).valuesArray();
        assertArrayEquals(new double[] {1, 3}, s, 1e-6);
    }

    /** Large enough for dsyevd's divide-and-conquer branch (it falls back to QR below about 25). */
    @Test
    void shouldAgreeWithNd4jsSyevOnALargeMatrix() {
        int n = 300;
        INDArray a = randomSpd(n, new SplittableRandom(43));
        SymmetricEigen.Decomposition d = SymmetricEigen.of(a);
        INDArray reference = a.dup('f');
        double[] expected = Eigen.symmetricGeneralizedEigenvalues(reference, true).castTo(DataType.DOUBLE)
                .toDoubleVector();
        assertArrayEquals(expected, d.valuesArray(), 1e-9 * expected[n - 1], "eigenvalues of dsyevd and syev");
        INDArray u = d.vectors();
        INDArray residual = a.mmul(u).sub(u.mulRowVector(d.values().reshape(1, n)));
        assertTrue(residual.amaxNumber().doubleValue() < 1e-9 * expected[n - 1],
                "A U = U diag(s), residual " + residual.amaxNumber());
        INDArray orthogonality = u.transpose().mmul(u).sub(Nd4j.eye(n).castTo(DataType.DOUBLE));
        assertTrue(orthogonality.amaxNumber().doubleValue() < 1e-10,
                "U^T U = I, deviation " + orthogonality.amaxNumber());
        // Same eigenvectors up to sign: |u_j . v_j| = 1 (the eigenvalues of this matrix are distinct)
        INDArray overlap = Transforms.abs(u.transpose().mmul(reference), false);
        for (int j = 0; j < n; j++) {
            assertEquals(1.0, overlap.getDouble(j, j), 1e-6, "eigenvector " + j);
        }
    }
}
