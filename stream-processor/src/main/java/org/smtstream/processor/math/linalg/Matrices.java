package org.smtstream.processor.math.linalg;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.FloatMatrix;

/** The model-store exchange type as ND4J arrays: every model version and wire record is read through here. */
public final class Matrices {

    private Matrices() {
    }

    /** A row-major FLOAT copy of {@code m} (rows x cols). */
    public static INDArray of(FloatMatrix m) {
        return Nd4j.create(m.data(), new long[] {m.rows(), m.cols()}, 'c');
    }

    /** A row-major DOUBLE copy of {@code m}, for the moments and eigenproblems kept in double. */
    public static INDArray doubles(FloatMatrix m) {
        return of(m).castTo(DataType.DOUBLE);
    }
}
