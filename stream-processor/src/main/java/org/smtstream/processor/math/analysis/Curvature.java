package org.smtstream.processor.math.analysis;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Trajectory curvature, the straightening measure (ARCHITECTURE.md, "The math"): for a sequence
 * y_0 .. y_{T-1} and a temporal step k, the angle in degrees between successive differences
 * <pre>
 *   d_t = y_{t+k} - y_t,     angle_t = acos( d_t . d_{t+k} / (||d_t|| ||d_{t+k}||) ),   t = 0 .. T-1-2k
 * </pre>
 * averaged over t (and over sequences). 0 for a straight, monotone trajectory; k theta for a circle
 * sampled at angular step theta; about 90 for a random walk in high dimension; 180 for a reversal.
 * Pairs with a zero-length difference (a sequence standing still) have no angle: they are skipped
 * and counted in {@link Result#skipped()}.
 *
 * <p>Vectorized: the differences, dot products and norms of all pairs are a handful of ND4J ops on
 * the whole d x (T L) matrix (L sequences of equal length side by side, see {@link #ofLocations}),
 * computed in double so that angles near 0 are not dominated by float round-off.
 */
public final class Curvature {

    private static final double DEGREES = 180.0 / Math.PI;

    private Curvature() {
    }

    /**
     * Mean curvature with its counts.
     *
     * @param meanDegrees mean angle over the pairs that have one; NaN when there are none
     * @param pairs       pairs with an angle
     * @param skipped     pairs skipped because one of their differences has zero length
     */
    public record Result(double meanDegrees, long pairs, long skipped) {

        /** No pairs. */
        public static final Result EMPTY = new Result(Double.NaN, 0, 0);

        /** The pooled result of two sets of pairs (the mean weighted by pair counts). */
        public Result merge(Result other) {
            long total = pairs + other.pairs;
            double mean = total == 0 ? Double.NaN
                    : ((pairs == 0 ? 0 : meanDegrees * pairs) + (other.pairs == 0 ? 0 : other.meanDegrees * other.pairs))
                            / total;
            return new Result(mean, total, skipped + other.skipped);
        }
    }

    /**
     * Curvature of one sequence.
     *
     * @param sequence d x T, column t is y_t (any float type); not modified
     * @param k        temporal step, >= 1
     */
    public static Result of(INDArray sequence, int k) {
        return ofLocations(sequence, 1, k);
    }

    /**
     * Pooled curvature of L sequences of equal length T sampled together (e.g. the embeddings beta of
     * the L patch locations of a stream, frame after frame): frame t occupies columns t L .. t L + L - 1,
     * and sequence b is columns b, L + b, 2L + b, ... Differences are taken only within a sequence.
     *
     * @param frames    d x (T L), any float type; not modified
     * @param locations L, >= 1, dividing the number of columns
     * @param k         temporal step, >= 1
     */
    public static Result ofLocations(INDArray frames, int locations, int k) {
        Pairs pairs = pairs(frames, locations, k);
        if (pairs == null) {
            return Result.EMPTY;
        }
        long count = (long) pairs.valid.sumNumber().doubleValue();
        double sum = pairs.angles.sumNumber().doubleValue();
        return new Result(count == 0 ? Double.NaN : sum / count, count, pairs.angles.length() - count);
    }

    /**
     * Pooled curvature of frames given one by one, each d x L (L locations, same order in every frame).
     *
     * @param frames T frames, each d x L; not modified
     * @param k      temporal step, >= 1
     */
    public static Result ofFrames(List<INDArray> frames, int k) {
        if (frames.isEmpty()) {
            return Result.EMPTY;
        }
        long locations = frames.get(0).columns();
        for (INDArray f : frames) {
            if (f.rank() != 2 || f.columns() != locations || f.rows() != frames.get(0).rows()) {
                throw new IllegalArgumentException("Frames must all be d x L, got " + Arrays.toString(f.shape())
                        + " after " + Arrays.toString(frames.get(0).shape()));
            }
        }
        INDArray stacked = Nd4j.hstack(frames.stream().map(f -> f.castTo(DataType.DOUBLE)).toArray(INDArray[]::new));
        return ofLocations(stacked, (int) locations, k);
    }

    /**
     * Pooled curvature of independent sequences of any lengths (one vectorized pass per sequence).
     *
     * @param sequences each d x T_i; not modified
     * @param k         temporal step, >= 1
     */
    public static Result ofSequences(List<INDArray> sequences, int k) {
        Result result = Result.EMPTY;
        for (INDArray s : sequences) {
            result = result.merge(of(s, k));
        }
        return result;
    }

    /**
     * The angle of every pair, in degrees, NaN for a skipped pair: a DOUBLE vector of (T - 2k) L
     * entries, pair (t, b) at index t L + b (reshape to (T - 2k) x L row-major for per-location
     * statistics); empty when T < 2k + 1.
     */
    public static INDArray anglesDegrees(INDArray frames, int locations, int k) {
        Pairs pairs = pairs(frames, locations, k);
        if (pairs == null) {
            return Nd4j.empty(DataType.DOUBLE);
        }
        return pairs.angles.putWhereWithMask(pairs.valid.eq(0.0), Double.NaN);     // a new array
    }

    /** Angles (0 where skipped) and the validity mask (1/0) of every pair, or null when there are none. */
    private record Pairs(INDArray angles, INDArray valid) {
    }

    private static Pairs pairs(INDArray frames, int locations, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("Invalid temporal step: " + k + " (must be >= 1)");
        }
        if (locations < 1 || frames.rank() != 2 || frames.columns() % locations != 0) {
            throw new IllegalArgumentException("Expected d x (T L) frames with L = " + locations + ", got shape "
                    + Arrays.toString(frames.shape()));
        }
        long columns = frames.columns();
        long steps = columns / locations;
        if (steps < 2L * k + 1) {
            return null;
        }
        INDArray y = frames.castTo(DataType.DOUBLE);
        double total = y.sumNumber().doubleValue();
        if (!Double.isFinite(total)) {
            throw new IllegalArgumentException("Sequence contains NaN or infinite values (sum " + total + ")");
        }
        long lag = (long) k * locations;
        INDArray d = y.get(NDArrayIndex.all(), NDArrayIndex.interval(lag, columns))
                .sub(y.get(NDArrayIndex.all(), NDArrayIndex.interval(0, columns - lag)));   // d_t, d x (T-k) L
        long m = (steps - 2L * k) * locations;
        INDArray first = d.get(NDArrayIndex.all(), NDArrayIndex.interval(0, m));
        INDArray second = d.get(NDArrayIndex.all(), NDArrayIndex.interval(lag, lag + m));
        // reshape(m): ND4J keeps a [1, m] shape for reductions of a one-row matrix
        INDArray dots = first.mul(second).sum(0).reshape(m);
        INDArray norms = first.norm2(0).reshape(m).muli(second.norm2(0).reshape(m));
        INDArray valid = norms.gt(0.0).castTo(DataType.DOUBLE);
        INDArray safe = norms.addi(valid.rsub(1.0));                   // 1 where a difference is zero (dot is 0 there)
        INDArray cos = Transforms.min(Transforms.max(dots.divi(safe), -1.0, false), 1.0, false);
        INDArray angles = Transforms.acos(cos, false).muli(DEGREES).muli(valid);
        return new Pairs(angles, valid);
    }
}
