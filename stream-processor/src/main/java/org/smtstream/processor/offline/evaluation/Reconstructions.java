package org.smtstream.processor.offline.evaluation;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.smtstream.processor.math.analysis.Unwhitening;
import org.smtstream.processor.math.coding.Dictionary;
import org.smtstream.processor.math.embedding.Embedding;
import org.smtstream.processor.math.embedding.EmbeddingInverse;
import org.smtstream.processor.math.linalg.Metrics;

/**
 * Both reconstructions of runs of frames, Phi alpha and Phi g(beta) with beta = P alpha and g = eq. 3.1
 * ({@link EmbeddingInverse}), with their SNRs pooled over the frames. g is the expensive part: it is
 * solved once per frame here, and the reconstructions are kept for whoever needs them next (the
 * prediction through beta copies them, {@link Prediction}).
 *
 * <p>g is solved {@value #BATCH_FRAMES} frames at a time over the runs one after the other: one batch
 * of their L columns each gives wider GEMMs for the same per-column problem (the stopping test is per
 * batch).
 *
 * @param alphaDb           SNR of Phi alpha, pooled over the frames
 * @param inverseDb         SNR of Phi g(beta), pooled over the frames
 * @param alphaImageDb      SNR of C Phi alpha against C x in image space ({@link ImageSpace}), NaN without C
 * @param inverseImageDb    SNR of C Phi g(beta) against C x, NaN without C
 * @param inverseIterations mean iterations of g per batch
 * @param throughBeta       Phi g(beta) of every frame, n x L FLOAT each, in the runs of the input
 */
public record Reconstructions(double alphaDb, double inverseDb, double alphaImageDb, double inverseImageDb,
                              double inverseIterations, List<List<INDArray>> throughBeta) {

    /** Frames per solve of g. */
    static final int BATCH_FRAMES = 16;

    /**
     * Reconstructs every frame both ways.
     *
     * @param pixels whitened patches x, n x L FLOAT per frame, in runs; not modified
     * @param codes  their codes alpha, N x L FLOAT per frame, the same runs; not modified
     * @param p      the embedding whose beta = P alpha is inverted
     */
    public static Reconstructions of(List<List<INDArray>> pixels, List<List<INDArray>> codes, Dictionary dictionary,
                                     Embedding p, EmbeddingInverse inverse) {
        return of(pixels, codes, dictionary, p, inverse, null);
    }

    /**
     * Reconstructs every frame both ways, and measures both also in image space.
     *
     * @param unwhitening C, or null for whitened space only
     */
    public static Reconstructions of(List<List<INDArray>> pixels, List<List<INDArray>> codes, Dictionary dictionary,
                                     Embedding p, EmbeddingInverse inverse, Unwhitening unwhitening) {
        List<INDArray> x = Segments.joined(pixels);
        List<INDArray> a = Segments.joined(codes);
        if (x.size() != a.size()) {
            throw new IllegalArgumentException(x.size() + " frames of pixels but " + a.size() + " of codes");
        }
        List<INDArray> reconstructed = new ArrayList<>(a.size());
        double signal = 0;
        double errorAlpha = 0;
        double errorInverse = 0;
        double[] image = new double[3];           // ||C x||^2, ||C x - C Phi alpha||^2, ||C x - C Phi g||^2
        long iterations = 0;
        int batches = 0;
        for (int from = 0; from < a.size(); from += BATCH_FRAMES) {
            int to = Math.min(a.size(), from + BATCH_FRAMES);
            INDArray patches = hstack(x.subList(from, to));
            INDArray batchCodes = hstack(a.subList(from, to));
            INDArray alphaReconstruction = Metrics.reconstruct(dictionary.phi(), batchCodes, like(patches));
            INDArray recovered = Nd4j.create(DataType.FLOAT, new long[] {dictionary.size(), batchCodes.columns()}, 'f');
            iterations += inverse.invert(p, p.embed(batchCodes, beta(p, batchCodes)), recovered, false).iterations();
            batches++;
            INDArray betaReconstruction = Metrics.reconstruct(dictionary.phi(), recovered, like(patches));
            signal += Metrics.squaredError(patches, null);
            errorAlpha += Metrics.squaredError(patches, alphaReconstruction);
            errorInverse += Metrics.squaredError(patches, betaReconstruction);
            if (unwhitening != null) {
                int locations = patches.columns() / (to - from);
                ImageSpace.accumulate(unwhitening, patches, List.of(alphaReconstruction, betaReconstruction),
                        locations, image);
            }
            split(betaReconstruction, to - from, reconstructed);
        }
        boolean imageSpace = unwhitening != null;
        return new Reconstructions(Metrics.snrDb(signal, errorAlpha), Metrics.snrDb(signal, errorInverse),
                imageSpace ? Metrics.snrDb(image[0], image[1]) : Double.NaN,
                imageSpace ? Metrics.snrDb(image[0], image[2]) : Double.NaN,
                batches == 0 ? Double.NaN : (double) iterations / batches, runsLike(codes, reconstructed));
    }

    /** Phi g(P a) for codes a (N x B), a new n x B FLOAT array. */
    static INDArray throughBeta(INDArray codes, Dictionary dictionary, Embedding p, EmbeddingInverse inverse) {
        INDArray recovered = Nd4j.create(DataType.FLOAT, new long[] {dictionary.size(), codes.columns()}, 'f');
        inverse.invert(p, p.embed(codes, beta(p, codes)), recovered, false);
        return Metrics.reconstruct(dictionary.phi(), recovered,
                Nd4j.create(DataType.FLOAT, new long[] {dictionary.atomDim(), codes.columns()}, 'f'));
    }

    private static INDArray beta(Embedding p, INDArray codes) {
        return Nd4j.create(DataType.FLOAT, new long[] {p.dimension(), codes.columns()}, 'f');
    }

    private static INDArray like(INDArray patches) {
        return Nd4j.create(DataType.FLOAT, new long[] {patches.rows(), patches.columns()}, 'f');
    }

    private static INDArray hstack(List<INDArray> frames) {
        return Nd4j.hstack(frames.toArray(INDArray[]::new)).dup('f');
    }

    /** Cuts the {@code frames} frames side by side in {@code batch} back into frames, appended to {@code out}. */
    private static void split(INDArray batch, int frames, List<INDArray> out) {
        int locations = batch.columns() / frames;
        for (int i = 0; i < frames; i++) {
            out.add(batch.get(NDArrayIndex.all(), NDArrayIndex.interval(i * locations, (i + 1) * locations))
                    .dup('f'));
        }
    }

    /** The frames in {@code joined}, cut into runs of the lengths of {@code runs}. */
    private static List<List<INDArray>> runsLike(List<List<INDArray>> runs, List<INDArray> joined) {
        List<List<INDArray>> out = new ArrayList<>(runs.size());
        int at = 0;
        for (List<INDArray> run : runs) {
            out.add(List.copyOf(joined.subList(at, at + run.size())));
            at += run.size();
        }
        return List.copyOf(out);
    }
}
