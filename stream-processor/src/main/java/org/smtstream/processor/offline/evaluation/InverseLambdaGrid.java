package org.smtstream.processor.offline.evaluation;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.SmtConfig;
import org.smtstream.processor.math.coding.Dictionary;
import org.smtstream.processor.math.coding.SparseCoder;
import org.smtstream.processor.math.embedding.Embedding;
import org.smtstream.processor.math.embedding.EmbeddingInverse;
import org.smtstream.processor.math.linalg.Metrics;

/**
 * How much of the picture Phi g(beta) keeps as a function of g's lambda (eq. 3.1): the SNR of Phi g(beta)
 * against the whitened patches, over all locations and over the moving ones, for lambda a fraction of
 * each patch's lambda_max ({@link EmbeddingInverse#relative}) on a grid around the configured one, and
 * for the fixed lambda in units of beta that g used before ({@link #FIXED_LAMBDA}).
 *
 * <p>{@link #choose} picks the fraction on training frames only, by the same measurement, so a report can
 * show whether the configured fraction is the one the recording's own training frames would pick and
 * what it costs on held-out frames.
 *
 * <p>Not thread-safe (it drives ND4J on the calling thread).
 */
public final class InverseLambdaGrid {

    /** Fractions of lambda_max measured: two orders of magnitude from the presets' 0.005. */
    public static final double[] FRACTIONS = {0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5};
    /** The fixed lambda in units of beta that the presets used before the scale-free rule. */
    public static final double FIXED_LAMBDA = 0.3;
    /** Training frames {@link #choose} codes at most, spread over the training part. */
    static final int CHOICE_FRAMES = 40;

    /**
     * One lambda.
     *
     * @param relative       whether {@code lambda} is a fraction of lambda_max (else in units of beta)
     * @param lambda         the fraction or the fixed lambda
     * @param tolerance      g's stopping threshold (relative duality gap for ACTIVE_SET)
     * @param snrAllDb       SNR of Phi g(beta) over all locations
     * @param snrMovingDb    SNR of Phi g(beta) over the moving locations
     * @param iterationsMean mean iterations (sweeps for ACTIVE_SET) of g per batch
     */
    public record Point(boolean relative, double lambda, double tolerance, double snrAllDb, double snrMovingDb,
                        double iterationsMean) {
    }

    private InverseLambdaGrid() {
    }

    /**
     * The SNR of Phi g(beta) at every fraction of {@link #FRACTIONS} and at {@link #FIXED_LAMBDA}, to the
     * evaluation's tolerance; then at the configured fraction to the configuration's own tolerance, the
     * one live inference stops g at.
     *
     * @param pixels     whitened patches, n x L per frame
     * @param codes      their codes alpha, N x L per frame
     * @param moving     the moving locations (indices in [0, L))
     * @param dictionary Phi
     * @param embedding  P
     * @param config     solver and iteration cap of g
     * @param tolerance  g's stopping threshold
     * @return the fractions in order, then the fixed lambda, then the configured fraction as live
     */
    public static List<Point> measure(List<INDArray> pixels, List<INDArray> codes, int[] moving, Dictionary dictionary,
                                      Embedding embedding, SmtConfig config, double tolerance) {
        List<Point> points = grid(pixels, codes, moving, dictionary, embedding, config, tolerance);
        points.add(point(true, config.inverseLambdaFraction(), config.tolerance(), pixels, codes, moving,
                dictionary, embedding, config));
        return points;
    }

    /** The fractions of {@link #FRACTIONS}, then {@link #FIXED_LAMBDA}, to {@code tolerance}. */
    private static List<Point> grid(List<INDArray> pixels, List<INDArray> codes, int[] moving, Dictionary dictionary,
                                    Embedding embedding, SmtConfig config, double tolerance) {
        List<Point> points = new ArrayList<>();
        for (double fraction : FRACTIONS) {
            points.add(point(true, fraction, tolerance, pixels, codes, moving, dictionary, embedding, config));
        }
        points.add(point(false, FIXED_LAMBDA, tolerance, pixels, codes, moving, dictionary, embedding, config));
        return points;
    }

    /**
     * The fraction of {@link #FRACTIONS} whose Phi g(beta) keeps most of the training frames (SNR over all
     * locations), measured on up to {@value #CHOICE_FRAMES} frames spread over {@code training} and coded
     * by plain sparse coding from zero, as the evaluation codes its frames. Nothing else is read.
     *
     * @param training   whitened training frames, n x L each (blank ones are skipped)
     * @param dictionary Phi
     * @param embedding  P
     * @param config     the coder, g's solver and iteration cap
     * @param tolerance  g's stopping threshold
     */
    public static double choose(List<INDArray> training, Dictionary dictionary, Embedding embedding,
                                SmtConfig config, double tolerance) {
        List<INDArray> pixels = new ArrayList<>();
        List<INDArray> codes = new ArrayList<>();
        SparseCoder coder = SparseCoder.of(config);
        boolean[] blank = Segments.blank(training);
        int count = Math.min(CHOICE_FRAMES, training.size());
        for (int i = 0; i < count; i++) {
            int t = (int) ((long) i * training.size() / count);
            if (blank[t]) {
                continue;
            }
            INDArray a = Nd4j.create(DataType.FLOAT, new long[] {dictionary.size(), training.get(t).columns()}, 'f');
            coder.encode(dictionary, training.get(t), a, false);
            pixels.add(training.get(t));
            codes.add(a);
        }
        if (pixels.isEmpty()) {
            return config.inverseLambdaFraction();
        }
        return best(grid(pixels, codes, new int[0], dictionary, embedding, config, tolerance));
    }

    /** The fraction of the relative point with the highest SNR over all locations (the smaller on a tie). */
    static double best(List<Point> points) {
        Point best = null;
        for (Point p : points) {
            if (p.relative() && (best == null || p.snrAllDb() > best.snrAllDb())) {
                best = p;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("No fraction of lambda_max was measured");
        }
        return best.lambda();
    }

    private static Point point(boolean relative, double lambda, double tolerance, List<INDArray> pixels,
                               List<INDArray> codes, int[] moving, Dictionary dictionary, Embedding embedding,
                               SmtConfig config) {
        EmbeddingInverse inverse = relative
                ? EmbeddingInverse.relative(lambda, config.solver(), config.inverseIterations(), tolerance)
                : new EmbeddingInverse(lambda, config.solver(), config.inverseIterations(), tolerance);
        double[] energy = new double[4];      // signal all, error all, signal moving, error moving
        long iterations = 0;
        int batches = 0;
        for (int from = 0; from < pixels.size(); from += Reconstructions.BATCH_FRAMES) {
            int to = Math.min(pixels.size(), from + Reconstructions.BATCH_FRAMES);
            INDArray x = Nd4j.hstack(pixels.subList(from, to).toArray(INDArray[]::new)).dup('f');
            INDArray a = Nd4j.hstack(codes.subList(from, to).toArray(INDArray[]::new)).dup('f');
            INDArray beta = embedding.embed(a, Nd4j.create(DataType.FLOAT,
                    new long[] {embedding.dimension(), x.columns()}, 'f'));
            INDArray recovered = Nd4j.create(DataType.FLOAT, new long[] {dictionary.size(), x.columns()}, 'f');
            iterations += inverse.invert(embedding, beta, recovered, false).iterations();
            batches++;
            INDArray reconstruction = Metrics.reconstruct(dictionary.phi(), recovered,
                    Nd4j.create(DataType.FLOAT, new long[] {dictionary.atomDim(), x.columns()}, 'f'));
            energy[0] += Metrics.squaredError(x, null);
            energy[1] += Metrics.squaredError(x, reconstruction);
            if (moving.length > 0) {
                int[] columns = movingColumns(moving, pixels.get(0).columns(), to - from);
                INDArray xm = x.getColumns(columns);
                energy[2] += Metrics.squaredError(xm, null);
                energy[3] += Metrics.squaredError(xm, reconstruction.getColumns(columns));
            }
        }
        return new Point(relative, lambda, tolerance, Metrics.snrDb(energy[0], energy[1]),
                moving.length == 0 ? Double.NaN : Metrics.snrDb(energy[2], energy[3]),
                batches == 0 ? 0 : (double) iterations / batches);
    }

    /** The columns of the moving locations in a batch of {@code frames} frames of {@code locations} columns. */
    static int[] movingColumns(int[] moving, int locations, int frames) {
        int[] columns = new int[moving.length * frames];
        for (int t = 0; t < frames; t++) {
            for (int i = 0; i < moving.length; i++) {
                columns[t * moving.length + i] = t * locations + moving[i];
            }
        }
        return columns;
    }
}
