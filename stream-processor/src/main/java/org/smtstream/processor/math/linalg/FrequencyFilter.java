package org.smtstream.processor.math.linalg;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Filters real S x S frames by a real gain G on their 2-D DFT grid: x' = IDFT(G . DFT(x)), the
 * circular convolution a radial Fourier mask is. The DFT is done as products with the cosine and
 * sine matrices (F = C - i S, symmetric), twelve S x S GEMMs, which ND4J runs in about a millisecond
 * at S = 128 and which need no FFT library or power-of-two size:
 * <pre>
 *   Re = C x C - S x S,   Im = -(S x C + C x S)                  DFT, then Re, Im scaled by G
 *   A = C Re - S Im,      B = S Re + C Im,    x' = (A C - B S) / S^2      inverse DFT, real part
 * </pre>
 * G must be even (G(k) = G(-k) on both axes) for x' to be real; the result drops any imaginary part.
 *
 * <p>Not thread-safe: it reuses its buffers (ARCHITECTURE.md, trap T2).
 */
public final class FrequencyFilter {

    private final int size;
    private final INDArray cos;
    private final INDArray sin;
    private final INDArray gain;
    private final INDArray input;
    private final INDArray first;
    private final INDArray second;
    private final INDArray real;
    private final INDArray imaginary;
    private final INDArray output;

    /**
     * @param size  S
     * @param gains G, S x S row-major (bin (ky, kx) at {@code ky * S + kx}), even
     */
    public FrequencyFilter(int size, double[] gains) {
        if (gains.length != size * size) {
            throw new IllegalArgumentException("Expected " + size * size + " gains for a " + size + "x" + size
                    + " frame, got " + gains.length);
        }
        this.size = size;
        double[] c = new double[size * size];
        double[] s = new double[size * size];
        for (int j = 0; j < size; j++) {
            for (int k = 0; k < size; k++) {
                // (j k) mod S keeps the angle small, so the table is exact to float rounding at any S
                double angle = 2 * Math.PI * ((long) j * k % size) / size;
                c[j * size + k] = Math.cos(angle);
                s[j * size + k] = Math.sin(angle);
            }
        }
        this.cos = square(c);
        this.sin = square(s);
        this.gain = square(gains);
        this.input = buffer();
        this.first = buffer();
        this.second = buffer();
        this.real = buffer();
        this.imaginary = buffer();
        this.output = buffer();
    }

    public int size() {
        return size;
    }

    /**
     * Filters one frame.
     *
     * @param frame S x S values, row-major; not modified
     * @return the filtered frame, S x S row-major, a new array
     */
    public float[] apply(float[] frame) {
        if (frame.length != size * size) {
            throw new IllegalArgumentException("Expected a " + size + "x" + size + " frame (" + size * size
                    + " values), got " + frame.length);
        }
        input.assign(Nd4j.create(frame, new long[] {size, size}, 'c'));
        Nd4j.gemm(cos, input, first, false, false, 1.0, 0.0);             // C x
        Nd4j.gemm(sin, input, second, false, false, 1.0, 0.0);            // S x
        Nd4j.gemm(first, cos, real, false, false, 1.0, 0.0);
        Nd4j.gemm(second, sin, real, false, false, -1.0, 1.0);            // Re = C x C - S x S
        Nd4j.gemm(second, cos, imaginary, false, false, -1.0, 0.0);
        Nd4j.gemm(first, sin, imaginary, false, false, -1.0, 1.0);        // Im = -(S x C + C x S)
        real.muli(gain);
        imaginary.muli(gain);
        Nd4j.gemm(cos, real, first, false, false, 1.0, 0.0);
        Nd4j.gemm(sin, imaginary, first, false, false, -1.0, 1.0);        // A = C Re - S Im
        Nd4j.gemm(sin, real, second, false, false, 1.0, 0.0);
        Nd4j.gemm(cos, imaginary, second, false, false, 1.0, 1.0);        // B = S Re + C Im
        double scale = 1.0 / ((double) size * size);
        Nd4j.gemm(first, cos, output, false, false, scale, 0.0);
        Nd4j.gemm(second, sin, output, false, false, -scale, 1.0);        // (A C - B S) / S^2
        return output.dup('c').data().asFloat();
    }

    private INDArray square(double[] values) {
        return Nd4j.create(values, new long[] {size, size}, 'c').castTo(DataType.FLOAT).dup('f');
    }

    private INDArray buffer() {
        return Nd4j.create(DataType.FLOAT, new long[] {size, size}, 'f');
    }
}
