package org.smtstream.processor.math;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.smtstream.model.SmtConfig;

/**
 * One model that codes frames and learns from them: positive sparse coding of a frame's patches
 * against the current dictionary ({@link SparseCoder}, eq. 2.4), then one online dictionary step on
 * the same frame ({@link DictionaryLearner}). This is the per-frame work of the processor, with every
 * per-frame array preallocated for the configured frame geometry.
 *
 * <p>The full SMT layer extends this: a per-stream warm start a~ = 2 alpha_{t-1} - alpha_{t-2}, the
 * manifold term gamma0 ||P (a - a~)||^2 of eq. 3.4 inside the coder, and the embedding beta = P alpha
 * with its own online learner (appendix A.1).
 *
 * <p>Not thread-safe: one instance per stream thread (PITFALLS #2).
 */
public final class OnlineSparseCoding {

    private final Dictionary dictionary;
    private final SparseCoder coder;
    private final DictionaryLearner learner;
    private final int batch;
    private final INDArray x;              // X, n x B, column i = patch i
    private final INDArray codes;          // A, N x B
    private final INDArray reconstruction; // Phi A, n x B

    /**
     * Per-frame result. Arrays are patch-major, as on the wire.
     *
     * @param codes          alpha of every patch, {@code codes[i * N + j]}, B x N
     * @param reconstruction Phi alpha of every patch, {@code reconstruction[i * n + k]}
     * @param modelVersion   dictionary version the frame was coded with (before this frame's update)
     * @param iterations     sparse-coder iterations
     * @param objective      sparse-coding objective of the frame, summed over patches
     * @param snrDb          10 log10(||X||^2 / ||X - Phi A||^2) over the frame
     * @param activeFraction non-zero fraction of A
     * @param learning       the dictionary step taken after coding, or null when learning is off
     */
    public record FrameResult(float[] codes, float[] reconstruction, long modelVersion, int iterations,
                              double objective, double snrDb, double activeFraction, LearningStep learning) {
    }

    /**
     * @param config         geometry (n, B), dictionary size and seed, coder and learning-rate settings
     * @param deadAtomWindow dictionary steps without activity before an atom is re-seeded
     * @param learning       take a dictionary step after each frame (false: inference only)
     */
    public OnlineSparseCoding(SmtConfig config, int deadAtomWindow, boolean learning) {
        this(Dictionary.random(config.patchDim(), config.dictionarySize(), config.randomSeed()),
                config, deadAtomWindow, learning);
    }

    /** As above, starting from a given dictionary (n x N must match the configuration). */
    public OnlineSparseCoding(Dictionary dictionary, SmtConfig config, int deadAtomWindow, boolean learning) {
        if (dictionary.atomDim() != config.patchDim() || dictionary.size() != config.dictionarySize()) {
            throw new IllegalArgumentException("Dictionary is " + dictionary.atomDim() + " x " + dictionary.size()
                    + " but the configuration needs " + config.patchDim() + " x " + config.dictionarySize());
        }
        this.dictionary = dictionary;
        this.coder = SparseCoder.of(config);
        this.learner = learning ? new DictionaryLearner(dictionary, config.dictionaryRate(), deadAtomWindow) : null;
        this.batch = config.patchesPerFrame();
        this.x = Scratch.buffer(config.patchDim(), batch);
        this.codes = Scratch.buffer(config.dictionarySize(), batch);
        this.reconstruction = Scratch.buffer(config.patchDim(), batch);
    }

    /**
     * Codes one frame, then (if learning) updates the dictionary on it.
     *
     * @param patches   the frame's B patches, patch-major, B * n values
     * @param warmStart previous codes of the same patch locations, patch-major B * N values, or null
     *                  to start from zero
     */
    public FrameResult process(float[] patches, float[] warmStart) {
        int n = dictionary.atomDim();
        if (patches.length != n * batch) {
            throw new IllegalArgumentException("Frame has " + patches.length + " values, expected "
                    + batch + " patches of " + n);
        }
        if (warmStart != null && warmStart.length != codes.length()) {
            throw new IllegalArgumentException("Warm start has " + warmStart.length + " values, expected " + codes.length());
        }
        // Column-major n x B has exactly the patch-major layout: copy straight into the buffers.
        x.data().setData(patches);
        if (warmStart != null) {
            codes.data().setData(warmStart);
        }
        long version = dictionary.version();
        SparseCodingResult coded = coder.encode(dictionary, x, codes, warmStart != null);
        Metrics.reconstruct(dictionary.phi(), codes, reconstruction);
        double snr = Metrics.snrDb(x, reconstruction);
        double active = Metrics.activeFraction(codes);
        float[] codesOut = codes.data().asFloat();
        float[] reconstructionOut = reconstruction.data().asFloat();
        LearningStep step = learner == null ? null : learner.update(x, codes);
        return new FrameResult(codesOut, reconstructionOut, version, coded.iterations(), coded.objective(),
                snr, active, step);
    }

    public Dictionary dictionary() {
        return dictionary;
    }

    /** B, the patches per frame this instance was sized for. */
    public int batchSize() {
        return batch;
    }
}
