package org.smtstream.processor.offline.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.processor.math.embedding.CodeHistory;
import org.smtstream.processor.math.embedding.RunningMoments;
import org.smtstream.processor.math.linalg.Nd4jRuntime;
import org.smtstream.processor.math.linalg.Scratch;

/**
 * The unit-disc setting of thesis section 3.1 (figure 3.2), used by the tests of the embedding and
 * by the evaluation report's figure: N landmarks uniform on the unit disc,
 * and points moving along straight lines inside it, coded by localized bumps: alpha_j of a point x
 * is a Gaussian RBF exp(-|x - l_j|^2 / (2 sigma^2)) of its distance to landmark j, cut to 0 beyond
 * {@link #CUTOFF} sigma and normalized to sum 1 (a positive, local interpolation of x from the
 * landmarks, like the thesis's KNN interpolation but smooth in x). With sigma = 0.08 and 300
 * landmarks about 14 codes are non-zero per point.
 */
public final class UnitDisc {

    static final double CUTOFF = 2.5;

    final int size;
    final double sigma;
    final double[][] landmarks;   // N x 2

    /** One batch of L straight-line sequences of T frames: frame t is an N x L code matrix. */
    public record Sequences(List<INDArray> frames, double[][][] positions) {
        public int length() {
            return frames.size();
        }

        public int count() {
            return (int) frames.get(0).columns();
        }
    }

    public UnitDisc(int size, double sigma, long seed) {
        this.size = size;
        this.sigma = sigma;
        SplittableRandom random = new SplittableRandom(seed);
        landmarks = new double[size][];
        for (int j = 0; j < size; j++) {
            landmarks[j] = pointInDisc(1.0, random);
        }
    }

    /** Landmark j's position (x, y) on the disc. */
    public double[] landmark(int j) {
        return landmarks[j].clone();
    }

    /** N, the number of landmarks. */
    public int size() {
        return size;
    }

    static double[] pointInDisc(double radius, SplittableRandom random) {
        while (true) {
            double x = 2 * random.nextDouble() - 1;
            double y = 2 * random.nextDouble() - 1;
            if (x * x + y * y <= 1) {
                return new double[] {radius * x, radius * y};
            }
        }
    }

    /** The code of one point, length N, non-negative, summing to 1. */
    double[] code(double[] x) {
        double[] a = new double[size];
        double sum = 0;
        double cut = CUTOFF * sigma;
        for (int j = 0; j < size; j++) {
            double dx = x[0] - landmarks[j][0];
            double dy = x[1] - landmarks[j][1];
            double r2 = dx * dx + dy * dy;
            if (r2 <= cut * cut) {
                a[j] = Math.exp(-r2 / (2 * sigma * sigma));
                sum += a[j];
            }
        }
        for (int j = 0; j < size; j++) {
            a[j] /= sum;
        }
        return a;
    }

    /**
     * L sequences of T frames: start uniform in the disc of radius 0.95, direction uniform, speed
     * uniform in [minSpeed, maxSpeed] per frame; sequences whose end leaves that disc are redrawn
     * (the disc is convex, so the whole segment is inside).
     */
    public Sequences sequences(int count, int length, double minSpeed, double maxSpeed, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][][] positions = new double[length][count][];
        for (int b = 0; b < count; b++) {
            while (true) {
                double[] start = pointInDisc(0.95, random);
                double angle = 2 * Math.PI * random.nextDouble();
                double speed = minSpeed + (maxSpeed - minSpeed) * random.nextDouble();
                double ex = start[0] + (length - 1) * speed * Math.cos(angle);
                double ey = start[1] + (length - 1) * speed * Math.sin(angle);
                if (ex * ex + ey * ey <= 0.95 * 0.95) {
                    for (int t = 0; t < length; t++) {
                        positions[t][b] = new double[] {start[0] + t * speed * Math.cos(angle),
                                start[1] + t * speed * Math.sin(angle)};
                    }
                    break;
                }
            }
        }
        List<INDArray> frames = new ArrayList<>();
        for (int t = 0; t < length; t++) {
            float[] data = new float[size * count];
            for (int b = 0; b < count; b++) {
                double[] a = code(positions[t][b]);
                for (int j = 0; j < size; j++) {
                    data[b * size + j] = (float) a[j];
                }
            }
            Nd4jRuntime.useFloatByDefault();
            frames.add(Nd4j.create(data, new long[] {size, count}, 'f'));
        }
        return new Sequences(frames, positions);
    }

    /** V = E[alpha alpha^T] over every frame of {@code data}. */
    public static RunningMoments moments(Sequences data) {
        RunningMoments moments = RunningMoments.exact((int) data.frames().get(0).rows());
        for (INDArray frame : data.frames()) {
            moments.update(frame);
        }
        return moments;
    }

    /** E[d d^T] over every second difference of {@code data}, formed by a {@link CodeHistory}. */
    public static RunningMoments differenceMoments(Sequences data) {
        int n = (int) data.frames().get(0).rows();
        CodeHistory history = new CodeHistory(n, data.count());
        RunningMoments moments = RunningMoments.exact(n);
        INDArray d = Scratch.buffer(n, data.count());
        for (INDArray frame : data.frames()) {
            if (history.push(frame, d)) {
                moments.update(d);
            }
        }
        return moments;
    }
}
