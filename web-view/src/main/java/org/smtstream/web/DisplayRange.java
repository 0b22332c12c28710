package org.smtstream.web;

import java.util.Arrays;

/**
 * The float interval shown as black to white. Values outside it are clipped; non-finite values
 * show as black rather than failing the picture.
 */
record DisplayRange(double low, double high) {

    /** Input frames are intensities in [0, 1]. */
    static final DisplayRange UNIT = new DisplayRange(0, 1);

    /** The share of largest magnitudes allowed to clip, so one outlier does not grey out the picture. */
    private static final double CLIPPED_FRACTION = 0.01;

    DisplayRange {
        if (!(high > low)) {
            throw new IllegalArgumentException("Empty display range [" + low + ", " + high + "]");
        }
    }

    /**
     * A range centred on 0 (mid grey) reaching the 99th percentile of |x| over all samples: whitened
     * pictures and reconstructions are signed, and scaling them by the same samples keeps them comparable.
     */
    static DisplayRange symmetric(float[]... samples) {
        int count = Arrays.stream(samples).mapToInt(s -> s.length).sum();
        float[] magnitudes = new float[count];
        int n = 0;
        for (float[] sample : samples) {
            for (float v : sample) {
                if (Float.isFinite(v)) {
                    magnitudes[n++] = Math.abs(v);
                }
            }
        }
        if (n == 0) {
            return new DisplayRange(-1, 1);
        }
        Arrays.sort(magnitudes, 0, n);
        double max = magnitudes[Math.min(n - 1, (int) Math.floor((n - 1) * (1 - CLIPPED_FRACTION)))];
        if (max <= 0) {
            max = magnitudes[n - 1] > 0 ? magnitudes[n - 1] : 1;
        }
        return new DisplayRange(-max, max);
    }

    /** The 8-bit grey level of {@code value}. */
    int gray(float value) {
        if (!Float.isFinite(value)) {
            return 0;
        }
        double t = (value - low) / (high - low);
        return (int) Math.round(255 * Math.min(1, Math.max(0, t)));
    }
}
