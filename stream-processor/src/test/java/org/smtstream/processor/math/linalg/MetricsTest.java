package org.smtstream.processor.math.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MetricsTest {

    @Test
    void shouldGiveTwentyDecibelsForATenPercentError() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 64, 8).subi(0.5).dup('f');
        INDArray reconstruction = x.mul(0.9);
        assertEquals(20.0, Metrics.snrDb(x, reconstruction), 1e-4, "10 log10(1 / 0.1^2)");
        assertEquals(Double.POSITIVE_INFINITY, Metrics.snrDb(x, x.dup()), "exact reconstruction");
        assertTrue(Double.isNaN(Metrics.snrDb(0, 1)), "no signal: undefined");
        assertEquals(0.0, Metrics.snrDb(x, Nd4j.zeros(DataType.FLOAT, 64, 8)), 1e-6, "zero reconstruction: 0 dB");
    }

    @Test
    void shouldCountNonZeroCodes() {
        INDArray codes = Nd4j.zeros(DataType.FLOAT, 10, 4);
        codes.putScalar(0, 0, 1.0);
        codes.putScalar(3, 2, 0.5);
        codes.putScalar(9, 3, 1e-8);
        assertEquals(3.0 / 40.0, Metrics.activeFraction(codes), 1e-12);
    }

    @Test
    void shouldReconstructWithPhiTimesA() {
        INDArray phi = Nd4j.createFromArray(new float[][] {{1, 0, 2}, {0, 1, 3}});
        INDArray codes = Nd4j.createFromArray(new float[][] {{1}, {2}, {3}});
        INDArray out = Nd4j.zeros(DataType.FLOAT, 2, 1);
        Metrics.reconstruct(phi, codes, out);
        assertEquals(7.0, out.getDouble(0, 0), 1e-6);
        assertEquals(11.0, out.getDouble(1, 0), 1e-6);
    }

    @Test
    void shouldGiveSquaredErrorsInDoubleWithoutTouchingTheInputs() {
        INDArray x = Nd4j.createFromArray(new double[][] {{3, 0}, {0, 4}});
        INDArray y = Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1}});
        assertEquals(25.0, Metrics.squaredError(x, null), 1e-12);
        assertEquals(4.0 + 9.0, Metrics.squaredError(x, y), 1e-12);
        assertEquals(3.0, x.getDouble(0, 0), 0.0, "a DOUBLE input is not subtracted in place");
    }
}
