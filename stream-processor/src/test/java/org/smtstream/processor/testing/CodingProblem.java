package org.smtstream.processor.testing;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.processor.math.coding.Dictionary;

/**
 * A random positive sparse-coding problem with a planted answer: Gaussian unit-norm atoms (n x N),
 * codes with 5 non-zeros per column in [0.5, 2], X = Phi A + Gaussian noise of 0.1; in double for the
 * reference arithmetic and as ND4J arrays for the solvers.
 *
 * @param phi        Phi, n x N
 * @param x          X, n x B
 * @param dictionary Phi as a dictionary, version 0
 * @param xNd        X, FLOAT column-major
 */
public record CodingProblem(double[][] phi, double[][] x, Dictionary dictionary, INDArray xNd) {

    public static CodingProblem random(int atomDim, int atoms, int batch, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] phi = TestArrays.normalizeColumns(TestArrays.gaussian(atomDim, atoms, random));
        double[][] truth = TestArrays.sparseCodes(atoms, batch, 5, 0.5, 2.0, random);
        double[][] x = TestArrays.addNoise(TestArrays.multiply(phi, truth), 0.1, random);
        return new CodingProblem(phi, x, Dictionary.of(TestArrays.toNd4j(phi), 0), TestArrays.toNd4j(x));
    }

    /** A FLOAT column-major rows x cols array of zeros. */
    public static INDArray zeros(int rows, int cols) {
        return Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, cols}, 'f').assign(0);
    }
}
