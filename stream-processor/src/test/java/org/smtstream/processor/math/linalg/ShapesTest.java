package org.smtstream.processor.math.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ShapesTest {

    @Test
    void shouldNameTheArgumentAndBothShapes() {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 3, 4);
        Shapes.requireShape("X", x, 3, 4);
        Shapes.requireFloatShape("X", x, 3, 4);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shapes.requireShape("X", x, 4, 3));
        assertEquals("X has shape [3, 4], expected [4, 3]", e.getMessage());
        IllegalArgumentException vector = assertThrows(IllegalArgumentException.class,
                () -> Shapes.requireShape("codes", Nd4j.zeros(DataType.FLOAT, 12), 3, 4));
        assertEquals("codes has shape [12], expected [3, 4]", vector.getMessage());
    }

    @Test
    void shouldRequireFloatWhereAsked() {
        INDArray doubles = Nd4j.zeros(DataType.DOUBLE, 3, 4);
        Shapes.requireShape("V", doubles, 3, 4);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shapes.requireFloatShape("V", doubles, 3, 4));
        assertEquals("V is DOUBLE, expected FLOAT", e.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> Shapes.requireFloatShape("V", doubles, 3, 3));
        assertEquals("V has shape [3, 4], expected [3, 3]", shape.getMessage(), "the shape is checked first");
    }
}
