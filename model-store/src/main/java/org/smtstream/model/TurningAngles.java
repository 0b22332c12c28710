package org.smtstream.model;

/**
 * Trajectory curvature, the straightening measure, for every module: for points y_0 .. y_{T-1} and
 * a temporal step k, the angle in degrees between successive differences
 * <pre>
 *   d_t = y_{t+k} - y_t,     angle_t = acos( d_t . d_{t+k} / (|d_t| |d_{t+k}|) ),   t = 0 .. T-1-2k
 * </pre>
 * averaged over t (and over trajectories). 0 for a straight, monotone trajectory; k theta for a
 * circle sampled at angular step theta; about 90 for a random walk in high dimension; 180 for a
 * reversal. Measured on the full vectors: a 2-D projection can make a bent path look straight.
 *
 * <p><b>The NaN rule.</b> A zero-length difference (the trajectory stood still) has no direction
 * to turn from, so a pair with one contributes no angle: it is counted as skipped, never as 0 or
 * 90 degrees, and its angle is NaN. The mean over no angles is NaN and is reported as such (the
 * web view sends null, reports print NaN), never as 0.
 *
 * <p>Plain double arithmetic. The processor computes dot products and lengths of many pairs at
 * once with ND4J and hands each pair to {@link #degrees}; the web view measures one path with
 * {@link #ofPath}.
 */
public final class TurningAngles {

    private TurningAngles() {
    }

    /**
     * A mean angle with its counts.
     *
     * @param meanDegrees mean angle over the pairs that have one; NaN when there are none
     * @param pairs       pairs with an angle
     * @param skipped     pairs without one: one of their differences has zero length
     */
    public record Mean(double meanDegrees, long pairs, long skipped) {

        /** No pairs. */
        public static final Mean EMPTY = new Mean(Double.NaN, 0, 0);

        /** The pooled mean of two sets of pairs (weighted by their pair counts). */
        public Mean merge(Mean other) {
            long total = pairs + other.pairs;
            double sum = sum() + other.sum();
            return new Mean(total == 0 ? Double.NaN : sum / total, total, skipped + other.skipped);
        }

        private double sum() {
            return pairs == 0 ? 0 : meanDegrees * pairs;
        }
    }

    /** Angles added one by one, NaN for a skipped pair, into a {@link Mean}. */
    public static final class Pool {
        private double sum;
        private long pairs;
        private long skipped;

        /** Adds the angle of one pair, in degrees; NaN: the pair has none. */
        public void add(double degrees) {
            if (Double.isNaN(degrees)) {
                skipped++;
            } else {
                sum += degrees;
                pairs++;
            }
        }

        public Mean mean() {
            return new Mean(pairs == 0 ? Double.NaN : sum / pairs, pairs, skipped);
        }
    }

    /**
     * The angle between two differences, in degrees in [0, 180].
     *
     * @param dot            d1 . d2
     * @param squaredLength1 |d1|^2
     * @param squaredLength2 |d2|^2
     * @return NaN when either difference has zero (or no finite) length
     */
    public static double degrees(double dot, double squaredLength1, double squaredLength2) {
        if (!(squaredLength1 > 0) || !(squaredLength2 > 0)) {
            return Double.NaN;
        }
        double cos = dot / (Math.sqrt(squaredLength1) * Math.sqrt(squaredLength2));
        return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cos))));
    }

    /** The mean of angles in degrees, NaN counted as skipped pairs. */
    public static Mean mean(double[] degrees) {
        Pool pool = new Pool();
        for (double a : degrees) {
            pool.add(a);
        }
        return pool.mean();
    }

    /**
     * Curvature of one path: the mean of {@link #alongPath}.
     *
     * @param path T points, each of the same dimension
     * @param k    temporal step, &gt;= 1
     */
    public static Mean ofPath(float[][] path, int k) {
        return mean(alongPath(path, k));
    }

    /**
     * The turning angle at each vertex of one path: entry t is the angle, in degrees, between
     * path[t + k] - path[t] and path[t + 2k] - path[t + k], so it belongs to point t + k; NaN where a
     * difference has zero length.
     *
     * @param path T points, each of the same dimension
     * @param k    temporal step, &gt;= 1
     * @return max(0, T - 2k) angles
     */
    public static double[] alongPath(float[][] path, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("Invalid temporal step: " + k + " (must be >= 1)");
        }
        double[] angles = new double[Math.max(0, path.length - 2 * k)];
        for (int t = 0; t < angles.length; t++) {
            float[] a = path[t];
            float[] b = path[t + k];
            float[] c = path[t + 2 * k];
            double dot = 0;
            double n1 = 0;
            double n2 = 0;
            for (int i = 0; i < a.length; i++) {
                double d1 = (double) b[i] - a[i];
                double d2 = (double) c[i] - b[i];
                dot += d1 * d2;
                n1 += d1 * d1;
                n2 += d2 * d2;
            }
            angles[t] = degrees(dot, n1, n2);
        }
        return angles;
    }
}
