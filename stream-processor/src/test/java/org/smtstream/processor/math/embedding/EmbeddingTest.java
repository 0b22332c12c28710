package org.smtstream.processor.math.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.FloatMatrix;
import org.smtstream.processor.testing.DenseReference;
import org.smtstream.processor.testing.TestArrays;

class EmbeddingTest {

    @Test
    void shouldEmbedCodesAndRoundTripThroughTheExchangeType() {
        SplittableRandom random = new SplittableRandom(1);
        double[][] p = TestArrays.gaussian(5, 30, random);
        double[][] a = TestArrays.sparseCodes(30, 7, 3, 0.1, 1.0, random);
        Embedding embedding = Embedding.of(TestArrays.toNd4j(p), 3);
        INDArray beta = embedding.embed(TestArrays.toNd4j(a), Nd4j.create(DataType.FLOAT, new long[] {5, 7}, 'f'));
        assertTrue(DenseReference.maxAbsDiff(TestArrays.multiply(p, a), TestArrays.toDouble(beta)) < 1e-5,
                "beta = P alpha");
        FloatMatrix m = embedding.toMatrix();
        assertEquals(5, m.rows());
        assertEquals(30, m.cols());
        Embedding back = Embedding.fromMatrix(m, 3);
        assertArrayEquals(embedding.p().data().asFloat(), back.p().data().asFloat(), "round trip");
        double[] z = embedding.columnNorms().toDoubleVector();
        for (int j = 0; j < 30; j++) {
            double s = 0;
            for (int i = 0; i < 5; i++) {
                s += (float) p[i][j] * (float) p[i][j];
            }
            assertEquals(Math.sqrt(s), z[j], 1e-6, "z_" + j);
        }
    }

    @Test
    void shouldAdvanceTheVersionOnSetAndRejectNonFiniteOrMisshapenUpdates() {
        Embedding embedding = Embedding.of(Nd4j.ones(DataType.FLOAT, 2, 3), 0);
        embedding.set(Nd4j.ones(DataType.DOUBLE, 2, 3).muli(2));
        assertEquals(1, embedding.version());
        assertEquals(2.0, embedding.p().getDouble(1, 2), 0.0);
        INDArray bad = Nd4j.ones(DataType.FLOAT, 2, 3);
        bad.putScalar(0, 1, Float.NaN);
        assertThrows(ArithmeticException.class, () -> embedding.set(bad));
        assertThrows(IllegalArgumentException.class, () -> embedding.set(Nd4j.ones(DataType.FLOAT, 3, 2)));
        assertEquals(1, embedding.version(), "rejected updates keep the version");
        assertEquals(2.0, embedding.p().getDouble(0, 1), 0.0, "and P");
    }

    @Test
    void shouldEmbedEachBatchOfASequenceIntoItsOwnArray() {
        SplittableRandom random = new SplittableRandom(2);
        double[][] p = TestArrays.gaussian(4, 20, random);
        double[][] a1 = TestArrays.sparseCodes(20, 3, 2, 0.1, 1.0, random);
        double[][] a2 = TestArrays.sparseCodes(20, 5, 2, 0.1, 1.0, random);
        List<INDArray> beta = Embedding.of(TestArrays.toNd4j(p), 0)
                .embedAll(List.of(TestArrays.toNd4j(a1), TestArrays.toNd4j(a2)));
        assertEquals(2, beta.size());
        assertArrayEquals(new long[] {4, 5}, beta.get(1).shape());
        assertTrue(DenseReference.maxAbsDiff(TestArrays.multiply(p, a1), TestArrays.toDouble(beta.get(0))) < 1e-5);
        assertTrue(DenseReference.maxAbsDiff(TestArrays.multiply(p, a2), TestArrays.toDouble(beta.get(1))) < 1e-5);
    }
}
