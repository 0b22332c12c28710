package org.smtstream.processor.layer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.model.BlankFrame;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtConfig.Solver;
import org.smtstream.processor.math.coding.Dictionary;
import org.smtstream.processor.math.coding.SparseCoder;
import org.smtstream.processor.math.coding.SparseCodingResult;
import org.smtstream.processor.math.embedding.Embedding;
import org.smtstream.processor.math.embedding.EmbeddingInverse;
import org.smtstream.processor.math.embedding.ManifoldInference;
import org.smtstream.processor.math.linalg.Metrics;
import org.smtstream.processor.math.linalg.Nd4jRuntime;
import org.smtstream.processor.math.linalg.Scratch;

/**
 * The per-frame inference of one SMT layer on a frame's B patches, given the codes of the same
 * locations in the two frames before it:
 * <ol>
 *   <li>alpha by manifold-regularized sparse coding (eq. 3.4), pulled towards the linear prediction
 *       a~ = 2 alpha_{t-1} - alpha_{t-2} (before the model has an embedding P, plain coding); with one
 *       frame of history, plain coding (eq. 2.4); with history, warm-started from the same location's
 *       alpha_{t-1}, which is closer to the solution than a~ (a~ doubles the frame-to-frame noise of
 *       the codes); with none, plain coding from 0. {@link ManifoldInference} runs all of them, with
 *       the configured solver;</li>
 *   <li>beta = P alpha, once the model has an embedding;</li>
 *   <li>on request, g(beta) (eq. 3.1) and the reconstruction Phi g(beta) with its SNR; with two frames
 *       of history, also the next-frame prediction through beta, Phi g(2 beta_{t-1} - beta_{t-2}). P is
 *       linear, so that beta is P a~, and no history of beta is needed (stream-processor/EVALUATION.md,
 *       "Next-frame prediction", measures the same predictor offline).</li>
 * </ol>
 * A blank frame ({@link BlankFrame}: whitened to zeros) is not coded: its codes, beta and
 * reconstructions are zeros, its SNRs NaN (0/0), and {@link Result#blank()} says so, so callers keep it
 * out of their means and treat it as a cut in the trajectories (no prediction spans it).
 *
 * <p>Arrays cross the boundary patch-major (patch i's values contiguous), which is exactly the
 * column-major layout of the n x B, N x B and f x B buffers, so they are copied straight in and out.
 *
 * <p>Not thread-safe: one instance per stream thread (ARCHITECTURE.md, trap T2).
 */
public final class FrameInference {

    private static final Logger LOG = LoggerFactory.getLogger(FrameInference.class);

    private final ManifoldInference manifold;
    private final EmbeddingInverse inverse;
    private final int batch;
    private final int atoms;
    private final INDArray x;
    private final INDArray codes;
    private final INDArray prediction;
    private final INDArray reconstruction;
    private final INDArray inverted;
    private INDArray beta;
    private INDArray predictedBeta;

    /**
     * Per-frame outputs, patch-major.
     *
     * @param codes              alpha, B x N
     * @param beta               P alpha, B x f, or null without an embedding
     * @param reconstruction     Phi alpha, B x n
     * @param betaReconstruction Phi g(beta), B x n, or null when not requested or without an embedding
     * @param betaPrediction     Phi g(P a~) = Phi g(2 beta_{t-1} - beta_{t-2}), the frame as predicted from
     *                           the two before it through beta, B x n; null unless g was requested, there
     *                           is an embedding and two frames of history
     * @param modelVersion       the version that coded the frame
     * @param history            frames of history used: 0, 1 or 2 (2 = eq. 3.4 with prediction)
     * @param iterations         iterations of the sparse coder
     * @param objective          objective of the problem solved (eq. 3.4 or 2.4, 1/2 convention), summed
     * @param snrAlphaDb         SNR of Phi alpha against the whitened patches
     * @param snrBetaDb          SNR of Phi g(beta), NaN when not computed
     * @param activeFraction     non-zero fraction of alpha
     * @param blank              the frame was blank and not coded (SNRs NaN, everything else zeros)
     */
    public record Result(float[] codes, float[] beta, float[] reconstruction, float[] betaReconstruction,
                         float[] betaPrediction, long modelVersion, int history, int iterations, double objective,
                         double snrAlphaDb, double snrBetaDb, double activeFraction, boolean blank) {
    }

    /** @param config geometry, lambda, gamma0, coder settings and those of g(beta) */
    public FrameInference(SmtConfig config) {
        this.manifold = ManifoldInference.of(config);
        this.inverse = EmbeddingInverse.of(config, config.tolerance());
        this.batch = config.patchesPerFrame();
        this.atoms = config.dictionarySize();
        this.x = Scratch.buffer(config.patchDim(), batch);
        this.codes = Scratch.buffer(atoms, batch);
        this.prediction = Scratch.buffer(atoms, batch);
        this.reconstruction = Scratch.buffer(config.patchDim(), batch);
        this.inverted = Scratch.buffer(atoms, batch);
    }

    /**
     * Codes one frame.
     *
     * @param model          Phi and (optionally) P
     * @param patches        B x n whitened patches
     * @param previous       alpha_{t-1} of the same locations, B x N, or null
     * @param beforePrevious alpha_{t-2}, B x N, or null (ignored without {@code previous})
     * @param invert         also compute g(beta) and its reconstruction (costs another sparse solve), and
     *                       with two frames of history the prediction through beta (one more)
     */
    public Result infer(LayerModel model, float[] patches, float[] previous, float[] beforePrevious, boolean invert) {
        requireLength("patches", patches, x.length());
        if (BlankFrame.isBlank(patches)) {
            return blank(model, invert);
        }
        x.data().setData(patches);
        int history = previous == null ? 0 : beforePrevious == null ? 1 : 2;
        if (history > 0) {
            codes.data().setData(requireLength("previous codes", previous, codes.length()));
        }
        INDArray predicted = null;
        if (history == 2) {
            prediction.data().setData(requireLength("codes before previous", beforePrevious, codes.length()));
            prediction.rsubi(codes).addi(codes);                           // 2 alpha_{t-1} - alpha_{t-2}
            predicted = model.embedding() == null ? null : prediction;      // no P yet: eq. 2.4
        }
        SparseCodingResult coded = manifold.solve(model.dictionary(), model.embedding(), x, predicted, codes,
                history > 0);
        Metrics.reconstruct(model.dictionary().phi(), codes, reconstruction);
        double snrAlpha = Metrics.snrDb(x, reconstruction);
        double active = Metrics.activeFraction(codes);
        float[] codesOut = codes.data().asFloat();
        float[] reconstructionOut = reconstruction.data().asFloat();
        float[] betaOut = null;
        float[] betaReconstruction = null;
        float[] betaPrediction = null;
        double snrBeta = Double.NaN;
        Embedding embedding = model.embedding();
        if (embedding != null) {
            if (beta == null || beta.rows() != embedding.dimension()) {
                beta = Scratch.buffer(embedding.dimension(), batch);
                predictedBeta = Scratch.buffer(embedding.dimension(), batch);
            }
            embedding.embed(codes, beta);
            betaOut = beta.data().asFloat();
            if (invert) {
                inverse.invert(embedding, beta, inverted, false);
                Metrics.reconstruct(model.dictionary().phi(), inverted, reconstruction);
                snrBeta = Metrics.snrDb(x, reconstruction);
                betaReconstruction = reconstruction.data().asFloat();
                if (history == 2) {
                    // the solver above left a~ as it was; P a~ = 2 beta_{t-1} - beta_{t-2}
                    embedding.embed(prediction, predictedBeta);
                    inverse.invert(embedding, predictedBeta, inverted, false);
                    Metrics.reconstruct(model.dictionary().phi(), inverted, reconstruction);
                    betaPrediction = reconstruction.data().asFloat();
                }
            }
        }
        return new Result(codesOut, betaOut, reconstructionOut, betaReconstruction, betaPrediction, model.version(),
                history, coded.iterations(), coded.objective(), snrAlpha, snrBeta, active, false);
    }

    /** The result of a blank frame: nothing to code, nothing to measure. */
    private Result blank(LayerModel model, boolean invert) {
        Embedding embedding = model.embedding();
        float[] beta = embedding == null ? null : new float[embedding.dimension() * batch];
        float[] betaReconstruction = embedding == null || !invert ? null : new float[(int) x.length()];
        return new Result(new float[(int) codes.length()], beta, new float[(int) x.length()], betaReconstruction,
                null, model.version(), 0, 0, 0, Double.NaN, Double.NaN, 0, true);
    }

    /** B, the patches per frame. */
    public int batchSize() {
        return batch;
    }

    private static float[] requireLength(String name, float[] values, long expected) {
        if (values.length != expected) {
            throw new IllegalArgumentException(name + " have " + values.length + " values, expected " + expected);
        }
        return values;
    }

    /**
     * Loads the natives and runs a few sparse-coding iterations on random data of the given size
     * (n x N dictionary, B patches). The first use of the natives unpacks them and starts the
     * OpenMP/OpenBLAS thread pools, which takes seconds; done inside a Kafka transaction, that
     * delay counts against its timeout (ARCHITECTURE.md, trap T12).
     *
     * @return milliseconds the warm-up took
     */
    public static long warmUp(int atomDim, int dictionarySize, int batch) {
        long start = System.nanoTime();
        Nd4jRuntime.useFloatByDefault();
        Dictionary dictionary = Dictionary.random(atomDim, dictionarySize, 1L);
        INDArray x = Nd4j.rand(DataType.FLOAT, atomDim, batch).dup('f');
        INDArray codes = Nd4j.createUninitialized(DataType.FLOAT, new long[] {dictionarySize, batch}, 'f').assign(0);
        new SparseCoder(0.1, Solver.FISTA, 3, 0.0).encode(dictionary, x, codes, false);
        Nd4jRuntime.logBackend();
        long ms = (System.nanoTime() - start) / 1_000_000;
        LOG.info("ND4J warmed up in {} ms ({} backend, n={}, N={}, B={})",
                ms, Nd4j.getBackend().getClass().getSimpleName(), atomDim, dictionarySize, batch);
        return ms;
    }
}
