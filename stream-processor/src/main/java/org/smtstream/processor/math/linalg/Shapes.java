package org.smtstream.processor.math.linalg;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Argument checks of matrices, with messages that name the argument and both shapes. */
public final class Shapes {

    private Shapes() {
    }

    /** Throws unless {@code array} is a {@code rows x cols} matrix. */
    public static void requireShape(String name, INDArray array, long rows, long cols) {
        if (array.rank() != 2 || array.rows() != rows || array.columns() != cols) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(array.shape())
                    + ", expected [" + rows + ", " + cols + "]");
        }
    }

    /** Throws unless {@code array} is a {@code rows x cols} FLOAT matrix. */
    public static void requireFloatShape(String name, INDArray array, long rows, long cols) {
        requireShape(name, array, rows, cols);
        if (array.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException(name + " is " + array.dataType() + ", expected FLOAT");
        }
    }
}
