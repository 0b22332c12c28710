package org.smtstream.processor.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.SmtConfig;

/**
 * Known answers of the patch-level Fourier whitening: the eigenvalue of W on a patch-periodic
 * sinusoid is the mask gain at its frequency, computed here FFT-free from the definition
 * w(r) = r exp(-(r/r0)^4), r = |k| S / p cycles per frame; C W is the identity on band-limited
 * patches without DC.
 */
class FourierWhiteningTest {

    private static final int P = 16;
    private static final int S = 128;
    private static final double R0 = 48;
    /**
     * W and C are stored as float32; W x sums 256 products of O(1) entries. Measured worst error over
     * all 256 bins: 2.3e-5 absolute, i.e. 1e-6 of the largest gain (26.4). 2e-5 of the largest gain
     * (5e-4) is a 20x margin that a 1 % error in the frequency scale (0.08 at r = 8) still fails.
     */
    private static final double GAIN_TOL = 2e-5;
    /** C W x = x on band-limited x: float32 round-off through two n x n operators (measured ~1e-6). */
    private static final double ROUND_TRIP_TOL = 1e-4;

    /** Reference gain, written out independently of the class under test. */
    private static double expectedGain(int ky, int kx) {
        double fy = ky <= P / 2 ? ky : ky - P;
        double fx = kx <= P / 2 ? kx : kx - P;
        double r = Math.sqrt(fy * fy + fx * fx) * S / P;
        return r * Math.exp(-Math.pow(r / R0, 4));
    }

    /** cos(2 pi (ky r + kx c) / p + phase) as an n x 1 FLOAT patch (row-major inside). */
    private static INDArray sinusoid(int ky, int kx, double phase) {
        double[][] x = new double[P * P][1];
        for (int r = 0; r < P; r++) {
            for (int c = 0; c < P; c++) {
                x[r * P + c][0] = Math.cos(2 * Math.PI * (ky * r + kx * c) / P + phase);
            }
        }
        return TestArrays.toNd4j(x);
    }

    @Test
    void shouldScaleAPatchPeriodicSinusoidByTheMaskGainAtItsFrequency() {
        FourierWhitening whitening = FourierWhitening.of(P, S, R0, FourierWhitening.DEFAULT_FLOOR);
        double maxGain = R0 / Math.sqrt(2) * Math.exp(-0.25);       // max of w(r), at r = r0 / sqrt 2
        int[][] bins = {{0, 1}, {1, 0}, {3, 5}, {15, 2}, {2, 15}, {7, 7}, {8, 0}, {0, 8}, {8, 8}, {5, 11}, {12, 12}};
        for (int[] bin : bins) {
            int ky = bin[0];
            int kx = bin[1];
            double gain = expectedGain(ky, kx);
            assertEquals(gain, whitening.gainAt(ky, kx), 1e-9, "gain table at bin (" + ky + ", " + kx + ")");
            INDArray x = sinusoid(ky, kx, 0.3);
            INDArray y = whitening.whiten(x);
            double error = y.sub(x.mul(gain)).amaxNumber().doubleValue();
            assertTrue(error <= GAIN_TOL * maxGain, "W x != w(r) x at bin (" + ky + ", " + kx + "), r = "
                    + whitening.radius(ky, kx) + " cycles/frame, gain " + gain + ": max error " + error);
        }
    }

    @Test
    void shouldEqualTheRealPartOfTheDftDefinitionOnASmallPatch() {
        int p = 6;
        int s = 30;
        double r0 = 9;
        FourierWhitening whitening = FourierWhitening.of(p, s, r0, 0.05);
        int n = p * p;
        // W[i, j] = Re (1/n) sum_k w(k) exp(2 pi i k.(x_i - x_j) / p), summed over complex exponentials directly
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double re = 0;
                double im = 0;
                for (int ky = 0; ky < p; ky++) {
                    for (int kx = 0; kx < p; kx++) {
                        double fy = ky <= p / 2 ? ky : ky - p;
                        double fx = kx <= p / 2 ? kx : kx - p;
                        double r = Math.hypot(fy, fx) * s / p;
                        double w = r * Math.exp(-Math.pow(r / r0, 4));
                        double phase = 2 * Math.PI * (ky * (i / p - j / p) + kx * (i % p - j % p)) / p;
                        re += w * Math.cos(phase);
                        im += w * Math.sin(phase);
                    }
                }
                assertEquals(0.0, im / n, 1e-9, "the mask is even, so W is real");
                assertEquals(re / n, whitening.operator().getDouble(i, j), 1e-5, "W[" + i + ", " + j + "]");
            }
        }
    }

    @Test
    void shouldReturnBandLimitedPatchesWithoutDcAfterWhiteningAndUnwhitening() {
        FourierWhitening whitening = FourierWhitening.of(P, S, R0, FourierWhitening.DEFAULT_FLOOR);
        double maxGain = 0;
        for (int ky = 0; ky < P; ky++) {
            for (int kx = 0; kx < P; kx++) {
                maxGain = Math.max(maxGain, expectedGain(ky, kx));
            }
        }
        SplittableRandom random = new SplittableRandom(21);
        int batch = 8;
        INDArray x = Nd4j.zeros(DataType.FLOAT, P * P, batch);
        int used = 0;
        int excluded = 0;
        for (int ky = 0; ky < P; ky++) {
            for (int kx = 0; kx < P; kx++) {
                boolean passes = (ky != 0 || kx != 0) && expectedGain(ky, kx) >= FourierWhitening.DEFAULT_FLOOR * maxGain;
                assertEquals(passes, whitening.isInvertible(ky, kx), "invertible bin (" + ky + ", " + kx + ")");
                if (!passes) {
                    excluded++;
                    continue;
                }
                used++;
                for (int b = 0; b < batch; b++) {
                    x.getColumn(b).addi(sinusoid(ky, kx, 2 * Math.PI * random.nextDouble()).reshape(P * P)
                            .muli(TestArrays.gaussian(random)));
                }
            }
        }
        assertTrue(used > 200 && excluded >= 1, "band: " + used + " bins used, " + excluded + " excluded (DC + highest)");
        INDArray back = whitening.unwhiten(whitening.whiten(x));
        double error = back.sub(x).norm2Number().doubleValue() / x.norm2Number().doubleValue();
        assertTrue(error < ROUND_TRIP_TOL, "C W x != x on band-limited input without DC: relative error " + error);
    }

    @Test
    void shouldRemoveThePatchMeanAndDampOnlyTheFrequenciesBelowTheFloor() {
        FourierWhitening whitening = FourierWhitening.of(P, S, R0, FourierWhitening.DEFAULT_FLOOR);
        INDArray constant = Nd4j.ones(DataType.FLOAT, P * P, 1).muli(3.0);
        assertEquals(0.0, whitening.whiten(constant).amaxNumber().doubleValue(), 1e-4, "w(0) = 0: W 1 = 0");
        assertEquals(0.0, whitening.unwhiten(constant).amaxNumber().doubleValue(), 1e-4, "c(0) = 0: C 1 = 0");
        assertEquals(0.0, whitening.mean().amaxNumber().doubleValue(), 0.0, "Fourier whitening has no mean");
        // The corner bin (8, 8) is far above r0 (r = 90.5 cycles/frame): C W damps it by w / (floor w_max).
        INDArray corner = sinusoid(8, 8, 0.0);
        assertTrue(!whitening.isInvertible(8, 8), "corner bin is below the floor");
        double damping = whitening.gainAt(8, 8) * whitening.inverseGainAt(8, 8);
        INDArray back = whitening.unwhiten(whitening.whiten(corner));
        assertEquals(damping, back.getDouble(0, 0) / corner.getDouble(0, 0), 1e-3, "damping of the corner bin");
        assertTrue(damping < 1, "damping " + damping + " must be < 1 (never amplify)");
    }

    @Test
    void shouldTakeR0FromTheConfigurationScaledToItsFrameSize() {
        SmtConfig fast = SmtConfig.fast();
        FourierWhitening whitening = FourierWhitening.of(fast);
        assertEquals(fast.whitenR0() * fast.frameSize() / 128.0, whitening.r0(), 1e-12);
        assertEquals(fast.patchSize() * fast.patchSize(), whitening.dimension());
        assertEquals(whitening.operator().getDouble(3, 17), whitening.operator().getDouble(17, 3), 1e-7, "W symmetric");
    }

    @Test
    void shouldRejectBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> FourierWhitening.of(1, 128, 48, 0.01));
        assertThrows(IllegalArgumentException.class, () -> FourierWhitening.of(16, 8, 48, 0.01));
        assertThrows(IllegalArgumentException.class, () -> FourierWhitening.of(16, 128, 0, 0.01));
        assertThrows(IllegalArgumentException.class, () -> FourierWhitening.of(16, 128, 48, 0));
        FourierWhitening whitening = FourierWhitening.of(4, 16, 6, 0.01);
        assertThrows(IllegalArgumentException.class, () -> whitening.whiten(Nd4j.zeros(DataType.FLOAT, 15, 2)));
    }
}
