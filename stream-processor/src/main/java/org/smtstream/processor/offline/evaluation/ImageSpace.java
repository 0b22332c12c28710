package org.smtstream.processor.offline.evaluation;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.smtstream.model.SmtConfig;
import org.smtstream.processor.layer.LayerModel;
import org.smtstream.processor.math.analysis.Unwhitening;
import org.smtstream.processor.math.linalg.Metrics;

/**
 * Reconstructions in image space, C x against C Phi alpha and C Phi g(beta) ({@link Unwhitening}):
 * the energies behind their SNRs, and the pictures of a few frames for the report. Offline clips are
 * read with ingest's default preprocessing, the Fourier mask alone, which is what C undoes.
 *
 * @param frames             the frames shown, indices into the evaluated frames that are not blank
 * @param whitened           x of each frame shown, S x S row-major
 * @param fromAlpha          Phi alpha, likewise
 * @param fromBeta           Phi g(beta), likewise
 * @param unwhitened         C x
 * @param fromAlphaUnwhitened C Phi alpha
 * @param fromBetaUnwhitened  C Phi g(beta)
 */
public record ImageSpace(int[] frames, float[][] whitened, float[][] fromAlpha, float[][] fromBeta,
                         float[][] unwhitened, float[][] fromAlphaUnwhitened, float[][] fromBetaUnwhitened) {

    /**
     * Adds the image-space energies of a batch of whole frames to {@code energies}: ||C x||^2 at 0 and
     * ||C x - C y_i||^2 at 1 + i for each reconstruction y_i, summed over the frames, in double. C x is
     * computed once per frame for all of them.
     *
     * @param x               whitened patches, n x (frames L), frame by frame
     * @param reconstructions the y_i, each of x's shape
     * @param energies        1 + reconstructions.size() sums, added to
     */
    static void accumulate(Unwhitening unwhitening, INDArray x, List<INDArray> reconstructions, int locations,
                           double[] energies) {
        for (int from = 0; from < x.columns(); from += locations) {
            INDArray reference = Nd4j.create(unwhitening.frame(frame(x, from, locations)));
            energies[0] += Metrics.squaredError(reference, null);
            for (int i = 0; i < reconstructions.size(); i++) {
                float[] cy = unwhitening.frame(frame(reconstructions.get(i), from, locations));
                energies[1 + i] += Metrics.squaredError(reference, Nd4j.create(cy));
            }
        }
    }

    /** The patches of the frame whose columns start at {@code from}, patch-major. */
    private static float[] frame(INDArray batch, int from, int locations) {
        return batch.get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + locations)).dup('f').data().asFloat();
    }

    /**
     * The pictures of {@code count} frames spread over the evaluated ones.
     *
     * @param pixels      whitened patches, n x L per frame (blank frames left out)
     * @param codes       their alpha, N x L per frame
     * @param throughBeta their Phi g(beta) ({@link Reconstructions#throughBeta()}), n x L per frame
     */
    static ImageSpace pictures(List<INDArray> pixels, List<INDArray> codes, List<INDArray> throughBeta,
                               LayerModel model, SmtConfig config, int count) {
        int shown = Math.min(count, pixels.size());
        int[] frames = ClipEvaluationRun.spread(0, pixels.size(), shown);
        Unwhitening unwhitening = Unwhitening.of(config);
        float[][][] rows = new float[6][shown][];
        INDArray alpha = Nd4j.create(DataType.FLOAT, new long[] {config.patchDim(), config.patchesPerFrame()}, 'f');
        for (int i = 0; i < shown; i++) {
            Metrics.reconstruct(model.dictionary().phi(), codes.get(frames[i]), alpha);
            float[][] patches = {pixels.get(frames[i]).dup('f').data().asFloat(), alpha.data().asFloat(),
                throughBeta.get(frames[i]).dup('f').data().asFloat()};
            for (int r = 0; r < 3; r++) {
                rows[r][i] = config.geometry().assemble(patches[r]);
                rows[r + 3][i] = unwhitening.frame(patches[r]);
            }
        }
        return new ImageSpace(frames, rows[0], rows[1], rows[2], rows[3], rows[4], rows[5]);
    }
}
