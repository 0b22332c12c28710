package org.smtstream.processor.math.analysis;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-frame curvature of one stream's trajectories at step k: for every patch location, the angle
 * between y_t - y_{t-k} and y_{t-k} - y_{t-2k} ({@link Curvature}), pooled over the locations, for
 * whitened pixels, alpha and beta alike. Keeps the last 2k frames of each representation, so a
 * gap in frame indices (or a restart) starts it afresh and it reports NaN until 2k + 1 consecutive
 * frames are in.
 *
 * <p>Memory: 2k frames of B (n + N + f) floats per stream (about 2.6 MB at k = 1 for {@code fast}).
 */
public final class CurvatureWindow {

    /** Mean angles in degrees, NaN where not yet defined (or beta absent). */
    public record Angles(double pixels, double alpha, double beta) {
        public static final Angles NONE = new Angles(Double.NaN, Double.NaN, Double.NaN);
    }

    private record Frame(long index, float[] pixels, float[] alpha, float[] beta) {
    }

    private final int step;
    private final int patchDim;
    private final int atoms;
    private final Deque<Frame> frames = new ArrayDeque<>();

    /**
     * @param step     k, &gt;= 1
     * @param patchDim n
     * @param atoms    N
     */
    public CurvatureWindow(int step, int patchDim, int atoms) {
        if (step < 1) {
            throw new IllegalArgumentException("Invalid curvature step: " + step);
        }
        this.step = step;
        this.patchDim = patchDim;
        this.atoms = atoms;
    }

    /**
     * Adds frame t (arrays patch-major and kept, not copied) and returns the curvature at t.
     *
     * @param beta B x f, or null while the model has no embedding
     */
    public Angles push(long frameIndex, float[] pixels, float[] alpha, float[] beta) {
        if (!frames.isEmpty() && frames.peekLast().index() != frameIndex - 1) {
            frames.clear();
        }
        frames.addLast(new Frame(frameIndex, pixels, alpha, beta));
        if (frames.size() > 2 * step + 1) {
            frames.removeFirst();
        }
        if (frames.size() < 2 * step + 1) {
            return Angles.NONE;
        }
        Frame oldest = frames.peekFirst();
        Frame middle = frames.stream().skip(step).findFirst().orElseThrow();
        Frame newest = frames.peekLast();
        double b = oldest.beta() == null || middle.beta() == null || newest.beta() == null ? Double.NaN
                : angle(oldest.beta(), middle.beta(), newest.beta(), newest.beta().length / (pixels.length / patchDim));
        return new Angles(angle(oldest.pixels(), middle.pixels(), newest.pixels(), patchDim),
                angle(oldest.alpha(), middle.alpha(), newest.alpha(), atoms), b);
    }

    private static double angle(float[] older, float[] middle, float[] newest, int dim) {
        if (older.length != middle.length || middle.length != newest.length) {
            return Double.NaN;             // the embedding changed dimension between frames
        }
        int locations = newest.length / dim;
        List<INDArray> sequence = List.of(columns(older, dim, locations), columns(middle, dim, locations),
                columns(newest, dim, locations));
        return Curvature.ofFrames(sequence, 1).meanDegrees();
    }

    private static INDArray columns(float[] patchMajor, int dim, int locations) {
        return Nd4j.create(patchMajor, new long[] {dim, locations}, 'f');
    }
}
