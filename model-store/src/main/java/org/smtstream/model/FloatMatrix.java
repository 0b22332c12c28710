package org.smtstream.model;

import java.util.Arrays;

/**
 * An immutable-by-convention dense float matrix, row-major: {@code data[r * cols + c]}.
 * The exchange type of model arrays between modules, so that model-store needs no linear-algebra
 * library.
 */
public record FloatMatrix(int rows, int cols, float[] data) {

    public FloatMatrix {
        if (rows < 0 || cols < 0 || data == null || data.length != (long) rows * cols) {
            throw new IllegalArgumentException("A " + rows + "x" + cols + " matrix needs " + ((long) rows * cols)
                    + " values, got " + (data == null ? "null" : data.length));
        }
    }

    public float get(int r, int c) {
        return data[r * cols + c];
    }

    /** True when every value is finite (no NaN, no infinity). */
    public boolean isFinite() {
        for (float v : data) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatMatrix m && rows == m.rows && cols == m.cols && Arrays.equals(data, m.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatMatrix[" + rows + "x" + cols + "]";
    }
}
