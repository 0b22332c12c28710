package org.smtstream.ingest;

/** Summary statistics of float arrays, in double precision, for test assertions. */
public final class ArrayStats {

    private ArrayStats() {
    }

    public static double mean(float[] a) {
        double sum = 0;
        for (float v : a) {
            sum += v;
        }
        return sum / a.length;
    }

    /** Population standard deviation (divides by n), as the whitening contract defines it. */
    public static double std(float[] a) {
        return rmsAround(a, mean(a));
    }

    /** Root mean square difference from {@code centre}. */
    public static double rmsAround(float[] a, double centre) {
        double sum = 0;
        for (float v : a) {
            sum += (v - centre) * (v - centre);
        }
        return Math.sqrt(sum / a.length);
    }

    public static double min(float[] a) {
        double m = Double.POSITIVE_INFINITY;
        for (float v : a) {
            m = Math.min(m, v);
        }
        return m;
    }

    public static double max(float[] a) {
        double m = Double.NEGATIVE_INFINITY;
        for (float v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

    public static double maxAbs(float[] a) {
        return Math.max(Math.abs(min(a)), Math.abs(max(a)));
    }
}
