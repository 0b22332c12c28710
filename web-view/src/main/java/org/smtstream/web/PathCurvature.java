package org.smtstream.web;

/**
 * Curvature of one trajectory as ARCHITECTURE.md ("The math") defines it: the mean angle, in degrees, between
 * successive differences {@code y[t+1] - y[t]} and {@code y[t+2] - y[t+1]}. Measured on the full
 * vectors, not on a 2-D projection, which can make a bent path look straight or the reverse.
 */
final class PathCurvature {

    private PathCurvature() {
    }

    /**
     * @return the mean angle in degrees, or NaN with fewer than two non-zero successive differences
     *         (a still patch has no direction to turn from)
     */
    static double meanAngleDeg(float[][] path) {
        double sum = 0;
        int angles = 0;
        for (int t = 0; t + 2 < path.length; t++) {
            double dot = 0;
            double n1 = 0;
            double n2 = 0;
            for (int k = 0; k < path[t].length; k++) {
                double d1 = path[t + 1][k] - path[t][k];
                double d2 = path[t + 2][k] - path[t + 1][k];
                dot += d1 * d2;
                n1 += d1 * d1;
                n2 += d2 * d2;
            }
            if (n1 > 0 && n2 > 0) {
                double cos = Math.max(-1, Math.min(1, dot / Math.sqrt(n1 * n2)));
                sum += Math.toDegrees(Math.acos(cos));
                angles++;
            }
        }
        return angles == 0 ? Double.NaN : sum / angles;
    }
}
