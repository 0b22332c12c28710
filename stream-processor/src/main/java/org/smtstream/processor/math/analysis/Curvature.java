package org.smtstream.processor.math.analysis;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.smtstream.model.TurningAngles;
import org.smtstream.model.TurningAngles.Mean;

/**
 * Trajectory curvature (ARCHITECTURE.md, "The math") in batches of ND4J arrays: the measure and its NaN rule are
 * {@link TurningAngles}'s (angle between d_t = y_{t+k} - y_t and d_{t+k}, averaged over t; a pair
 * with a zero-length difference is skipped and counted in {@link Mean#skipped()}; the mean over no
 * pairs is NaN).
 *
 * <p>Vectorized: the differences, dot products and squared lengths of all pairs are a handful of
 * ND4J ops on the whole d x (T L) matrix (L sequences of equal length side by side, see
 * {@link #ofLocations}), computed in double so that angles near 0 are not dominated by float
 * round-off; only the final angle of each pair is {@link TurningAngles#degrees}.
 */
public final class Curvature {

    private Curvature() {
    }

    /**
     * Curvature of one sequence.
     *
     * @param sequence d x T, column t is y_t (any float type); not modified
     * @param k        temporal step, >= 1
     */
    public static Mean of(INDArray sequence, int k) {
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
    public static Mean ofLocations(INDArray frames, int locations, int k) {
        return TurningAngles.mean(angles(frames, locations, k));
    }

    /**
     * Pooled curvature of frames given one by one, each d x L (L locations, same order in every frame).
     *
     * @param frames T frames, each d x L; not modified
     * @param k      temporal step, >= 1
     */
    public static Mean ofFrames(List<INDArray> frames, int k) {
        if (frames.isEmpty()) {
            return Mean.EMPTY;
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
    public static Mean ofSequences(List<INDArray> sequences, int k) {
        Mean result = Mean.EMPTY;
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
        double[] angles = angles(frames, locations, k);
        return angles.length == 0 ? Nd4j.empty(DataType.DOUBLE) : Nd4j.createFromArray(angles);
    }

    /** The angle of every pair (NaN where skipped), pair (t, b) at t L + b; empty when there are none. */
    private static double[] angles(INDArray frames, int locations, int k) {
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
            return new double[0];
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
        double[] dots = first.mul(second).sum(0).reshape(m).toDoubleVector();
        double[] squared1 = first.mul(first).sum(0).reshape(m).toDoubleVector();
        double[] squared2 = second.mul(second).sum(0).reshape(m).toDoubleVector();
        double[] angles = new double[(int) m];
        for (int i = 0; i < angles.length; i++) {
            angles[i] = TurningAngles.degrees(dots[i], squared1[i], squared2[i]);
        }
        return angles;
    }
}
