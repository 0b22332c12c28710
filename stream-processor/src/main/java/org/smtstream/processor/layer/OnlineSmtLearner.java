package org.smtstream.processor.layer;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.model.BlankFrame;
import org.smtstream.model.FloatMatrix;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.processor.math.coding.Dictionary;
import org.smtstream.processor.math.coding.DictionaryLearner;
import org.smtstream.processor.math.coding.LearningStep;
import org.smtstream.processor.math.coding.PatchCoder;
import org.smtstream.processor.math.embedding.AnalyticEmbedding;
import org.smtstream.processor.math.embedding.CodeHistory;
import org.smtstream.processor.math.embedding.OnlineEmbedding;
import org.smtstream.processor.math.embedding.RunningMoments;
import org.smtstream.processor.math.linalg.FiniteMean;
import org.smtstream.processor.math.linalg.Matrices;
import org.smtstream.processor.math.linalg.Metrics;
import org.smtstream.processor.math.linalg.Scratch;

/**
 * The single writer of an SMT model: learns from frames that inference has already coded.
 * Per frame (B patches X with the codes inference gave them under a published version of Phi):
 * <ol>
 *   <li>the patches, or with {@link SmtConfig#recodeEvery()} = k &gt; 1 a sample of one in k
 *       (rotating over the locations), re-coded under the learner's current Phi (eq. 2.4, warm-started
 *       from inference's codes, so the solver only follows Phi's drift since that version), with their
 *       coding objective 1/2 ||X_s - Phi A_s||^2 + lambda sum(A_s) per patch (the health signal of the
 *       guard rail);</li>
 *   <li>one dictionary step on them ({@link DictionaryLearner}: unit-norm atoms, dead atoms
 *       re-seeded);</li>
 *   <li>the running moments V = E[alpha alpha^T] and &lt;alpha&gt; of the frame's codes A
 *       ({@link RunningMoments}, forgetting old frames because Phi, and with it what alpha means, keeps
 *       moving);</li>
 *   <li>after {@link SmtConfig#embeddingWarmup()} frames, the second differences of each location's
 *       own codes A ({@link CodeHistory}, per stream, reset on a gap in frame indices, which a frame
 *       the learner did not learn is) feed one online step of P (appendix A.1,
 *       {@link OnlineEmbedding}), started from a random feasible P;</li>
 *   <li>with {@link SmtConfig#embeddingRefitEvery()} &gt; 0, the running second moment S = E[d d^T] of
 *       those differences, and every so many frames the exact solution of eq. 3.3 on S and V, which
 *       the A.1 steps continue from.</li>
 * </ol>
 * Which codes, and why. P is published together with the learner's Phi and applied to codes under
 * that Phi, so V, &lt;alpha&gt; and S are taken from the codes under the current Phi: the re-coded
 * ones when every patch is re-coded (k = 1, the presets). Inference's codes come from a version up to
 * a publication interval old; fitting P to them (with k = 4, re-coding capped at 30 iterations) left
 * held-out beta of vtest.avi 105.1 deg at k = 4 on the moving quarter against 103.0 with the current
 * codes (pixels 109.1), and took the same time per frame (stream-processor/BENCHMARKS.md). With
 * k &gt; 1 the moments still take inference's codes, the only ones of every patch. The dictionary
 * step always needs current codes: its gradient (X - Phi A) A^T is exact for any fixed A, but
 * stepping on inference's stale codes took inference's SNR on the bundled clip from 10.3 dB to 7.5 dB
 * over frames 50-99, where re-coding every patch reached 19.5 dB at 400 frames.
 *
 * <p>The re-coding runs the configured coder ({@link PatchCoder#of}: for the presets the working-set
 * solver, stopping at the configuration's relative duality gap), started from inference's codes. How
 * converged it is matters for P, not for the SNR: FISTA capped at 30 iterations for {@code fast} took
 * about a third less time and raised inference's SNR on held-out frames of vtest.avi by 0.3 dB, but
 * beta = P alpha came out 1-2 deg less straight (102.0-103.0 deg against 100.5-101.0 over three
 * seeds, stream-processor/BENCHMARKS.md): the codes P is fitted to must be converged. The working-set
 * solver at the presets' gap leaves a median relative objective gap of about 1e-3, that of FISTA
 * run to the cap of 60 iterations, in a fraction of its time (its Gram matrix, rebuilt for every
 * dictionary step, is one n x N x N GEMM).
 *
 * <p>Cost: V and S are one N x B x N DGEMM each per frame ({@link RunningMoments});
 * A.1 costs two f x N x N products per frame; the refit, two N x N eigen-decompositions every
 * {@link SmtConfig#embeddingRefitEvery()} frames. Why the refit: A.1 is a stochastic subspace
 * iteration towards the trailing eigenvectors of V^{-1/2} S V^{-1/2}, and on video those eigenvalues
 * are small and close together, so it needs far more steps than a clip has frames
 * (stream-processor/EVALUATION.md measures it). {@link #snapshot} and {@link #restore} move the whole
 * state (Phi, P, V, &lt;alpha&gt;) to and from a published {@link SmtModel}.
 *
 * <p>A blank frame ({@link BlankFrame}) teaches nothing: zero patches with zero codes would only shrink
 * V towards zero, leave dead-atom counters running and, through the second differences around it,
 * tell P that codes jump to nothing and back. It is counted ({@link ModelInfo#BLANK_FRAMES} in the
 * next version's stats) and otherwise left out: no step, no moments, not in {@link #frames()}, and a
 * cut in its stream's differences, as a gap in frame indices is.
 *
 * <p>Not thread-safe (ARCHITECTURE.md, trap T2).
 */
public final class OnlineSmtLearner {

    private static final Logger LOG = LoggerFactory.getLogger(OnlineSmtLearner.class);

    /** Per-frame forgetting of V and &lt;alpha&gt;: an effective memory of about 500 frames. */
    static final double MOMENT_FORGETTING = 0.998;
    /**
     * Relative ridge on V for P. Larger than the analytic fit's because an online V has seen few
     * frames of the rarely used atoms, whose columns of P would otherwise grow without bound.
     */
    static final double EMBEDDING_RIDGE = 1e-4;
    /** Stat of a snapshot: the weight behind V and &lt;alpha&gt;, so a restored learner resumes them. */
    static final String MOMENTS_WEIGHT = "momentsWeight";

    private final SmtConfig config;
    private final int deadAtomWindow;
    private final int batch;
    private final int sampleSize;        // patches re-coded per frame
    private final float[] samplePatches;
    private final float[] sampleValues;
    private final INDArray sampleX;      // n x B', the sample's patches
    private final INDArray sampleCodes;  // N x B', their codes under the learner's Phi
    private final INDArray sampleReconstruction;
    private final INDArray codes;        // N x B, inference's
    private final INDArray difference;
    private final Map<String, StreamHistory> histories = new HashMap<>();
    private final PatchCoder coder;    // the re-coding: see the class comment for how converged it is

    private Dictionary dictionary;
    private DictionaryLearner dictionaryLearner;
    private RunningMoments moments;
    private RunningMoments differenceMoments;   // S = E[d d^T] of the second differences, for the refit
    private OnlineEmbedding embedding;
    private long refits;
    private long constraintFrame = -1;   // the frame at which P's constraint was last set to the current V
    private long frames;
    private double objectiveSum;       // coding objective per patch of the sample, summed since the last window reset
    private final FiniteMean snr = new FiniteMean();   // SNR of Phi A in dB since the last window reset
    private long objectiveCount;
    private long windowBlank;          // blank frames since the last window reset
    private long blankFrames;          // blank frames since this learner started
    private double embeddingObjective = Double.NaN;   // EWMA of the A.1 batch objective

    /**
     * What one frame taught the learner.
     *
     * @param codingObjective the coding objective per patch of the re-coded sample, under the learner's Phi
     * @param blank           the frame was blank and not learned from (nothing else happened)
     */
    public record Sample(double codingObjective, boolean dictionaryAccepted, int reseededAtoms,
                         boolean embeddingStepped, boolean embeddingAccepted, boolean blank) {

        /** What a blank frame teaches. */
        static final Sample BLANK = new Sample(Double.NaN, false, 0, false, false, true);
    }

    private record StreamHistory(CodeHistory codes, long[] lastFrame) {
    }

    /**
     * @param config         geometry, rates, lambda, gamma0/gamma1, warm-up
     * @param start          the model to continue from, or null for the seeded random dictionary
     * @param deadAtomWindow dictionary steps without activity before an atom is re-seeded
     */
    public OnlineSmtLearner(SmtConfig config, SmtModel start, int deadAtomWindow) {
        this.config = config;
        this.deadAtomWindow = deadAtomWindow;
        this.batch = config.patchesPerFrame();
        this.sampleSize = (batch + config.recodeEvery() - 1) / config.recodeEvery();
        this.samplePatches = new float[sampleSize * config.patchDim()];
        this.sampleValues = new float[sampleSize * config.dictionarySize()];
        this.sampleX = Scratch.buffer(config.patchDim(), sampleSize);
        this.sampleCodes = Scratch.buffer(config.dictionarySize(), sampleSize);
        this.sampleReconstruction = Scratch.buffer(config.patchDim(), sampleSize);
        this.codes = Scratch.buffer(config.dictionarySize(), batch);
        this.difference = Scratch.buffer(config.dictionarySize(), batch);
        this.coder = PatchCoder.of(config);
        if (start == null) {
            dictionary = Dictionary.random(config.patchDim(), config.dictionarySize(), config.randomSeed());
            dictionaryLearner = new DictionaryLearner(dictionary, config.dictionaryRate(), deadAtomWindow);
            moments = new RunningMoments(config.dictionarySize(), MOMENT_FORGETTING);
            differenceMoments = new RunningMoments(config.dictionarySize(), MOMENT_FORGETTING);
        } else {
            restore(start);
        }
    }

    /**
     * Learns from one coded frame.
     *
     * @param stream     the stream the frame belongs to (second differences never cross streams)
     * @param frameIndex its index in the stream (a gap starts the stream's history afresh)
     * @param patches    B x n whitened patches
     * @param frameCodes B x N codes inference gave those patches
     */
    public Sample learn(String stream, long frameIndex, float[] patches, float[] frameCodes) {
        if (patches.length != batch * config.patchDim() || frameCodes.length != codes.length()) {
            throw new IllegalArgumentException("Frame has " + patches.length + " values and " + frameCodes.length
                    + " codes, expected " + batch * config.patchDim() + " and " + codes.length());
        }
        if (BlankFrame.isBlank(patches)) {
            windowBlank++;
            blankFrames++;
            return Sample.BLANK;       // and, not being the stream's last frame, a gap in its history
        }
        codes.data().setData(frameCodes);
        double objective = recodeSample(patches, frameCodes);
        LearningStep step = dictionaryLearner.update(sampleX, sampleCodes);
        INDArray current = sampleSize == batch ? sampleCodes : codes;
        moments.update(current);
        frames++;
        boolean formed = history(stream, frameIndex).push(current, difference);
        if (embedding == null && frames >= config.embeddingWarmup()) {
            embedding = new OnlineEmbedding(OnlineEmbedding.randomFeasible(config.embeddingDim(),
                    moments.secondMoment(), EMBEDDING_RIDGE, config.randomSeed()), moments.secondMoment(),
                    embeddingOptions());
        }
        if (formed && config.embeddingRefitEvery() > 0) {
            differenceMoments.update(difference);
        }
        OnlineEmbedding.Step embeddingStep = embedding != null && formed ? stepEmbedding() : null;
        if (refitDue()) {   // on its cadence even where this frame formed no difference (after a skip)
            refitEmbedding();
        }
        return new Sample(objective, step.accepted(), step.reseededAtoms(), embeddingStep != null,
                embeddingStep == null || embeddingStep.accepted(), false);
    }

    /**
     * Codes this frame's sample of patches under the current Phi, from inference's codes, and counts
     * its objective into the window. The sample starts at a location that moves by one every frame.
     */
    private double recodeSample(float[] patches, float[] frameCodes) {
        int n = config.patchDim();
        int atoms = config.dictionarySize();
        int every = config.recodeEvery();
        int first = (int) (frames % every);
        for (int j = 0; j < sampleSize; j++) {
            int patch = (first + j * every) % batch;
            System.arraycopy(patches, patch * n, samplePatches, j * n, n);
            System.arraycopy(frameCodes, patch * atoms, sampleValues, j * atoms, atoms);
        }
        sampleX.data().setData(samplePatches);
        sampleCodes.data().setData(sampleValues);
        coder.encode(dictionary, sampleX, sampleCodes, true);
        double objective = codingObjective();
        objectiveSum += objective;
        snr.add(Metrics.snrDb(sampleX, sampleReconstruction));
        objectiveCount++;
        return objective;
    }

    /** The stream's code history, started afresh when this frame does not follow its last one. */
    private CodeHistory history(String stream, long frameIndex) {
        StreamHistory history = histories.computeIfAbsent(stream,
                s -> new StreamHistory(new CodeHistory(config.dictionarySize(), batch), new long[] {Long.MIN_VALUE}));
        if (history.lastFrame()[0] != frameIndex - 1) {
            history.codes().reset();
        }
        history.lastFrame()[0] = frameIndex;
        return history.codes();
    }

    /** One A.1 step on the frame's second differences; its objective feeds the running average. */
    private OnlineEmbedding.Step stepEmbedding() {
        OnlineEmbedding.Step step = embedding.step(difference, moments.mean());
        if (step.accepted()) {
            embeddingObjective = Double.isNaN(embeddingObjective) ? step.batchObjective()
                    : 0.9 * embeddingObjective + 0.1 * step.batchObjective();
        }
        return step;
    }

    private boolean refitDue() {
        return embedding != null && config.embeddingRefitEvery() > 0 && frames % config.embeddingRefitEvery() == 0
                && differenceMoments.columns() >= config.dictionarySize();
    }

    /**
     * Replaces P by the exact solution of eq. 3.3 on the running S and V (same ridge as the A.1 steps'
     * constraint). Only once S has seen N difference columns: with fewer it is rank-deficient and its
     * null space, where every direction costs nothing, would decide P.
     */
    private void refitEmbedding() {
        try {
            embedding.setConstraint(moments.secondMoment());
            embedding.refit(differenceMoments.secondMoment());
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Non-finite moments (or a failed decomposition): keep the current P, as a rejected A.1 step
            // does; the publication's guard rail then judges the state as a whole.
            LOG.warn("Embedding refit at frame {} skipped, P kept: {}", frames, e.getMessage());
            return;
        }
        constraintFrame = frames;
        refits++;
    }

    /** Exact solves of eq. 3.3 since this learner started or was restored (skipped ones not counted). */
    public long refits() {
        return refits;
    }

    /** The running S = E[d d^T] of the refit (empty when refits are off), for tests. */
    RunningMoments differenceMoments() {
        return differenceMoments;
    }

    /** The current P (f x N DOUBLE, live), or null before the warm-up, for tests. */
    INDArray embeddingP() {
        return embedding == null ? null : embedding.p();
    }

    /** The current V (N x N DOUBLE, live), for tests. */
    INDArray secondMoment() {
        return moments.secondMoment();
    }

    /**
     * Brings P's constraint up to date with the current V (an N x N eigen-decomposition, so done at
     * publication, not per frame), re-orthonormalizing P against it.
     *
     * @return max |P V_reg P^T - I| just before, with the current V: how far P had drifted from the
     *         constraint since the last refresh as V moved (NaN without P; about 0 afterwards)
     */
    public double refreshConstraint() {
        if (embedding == null) {
            return Double.NaN;
        }
        double drift = AnalyticEmbedding.constraintResidual(embedding.p(),
                AnalyticEmbedding.regularize(moments.secondMoment(), EMBEDDING_RIDGE));
        if (constraintFrame != frames) {   // else a refit at this frame already solved P against this V
            embedding.setConstraint(moments.secondMoment());
            constraintFrame = frames;
        }
        return drift;
    }

    /** Mean coding objective per re-coded patch since the last {@link #resetWindow()}, NaN if none. */
    public double windowObjective() {
        return objectiveCount == 0 ? Double.NaN : objectiveSum / objectiveCount;
    }

    /** Blank frames since the last {@link #resetWindow()}. */
    public long windowBlankFrames() {
        return windowBlank;
    }

    /** Blank frames since this learner was made (or restored), never learned from. */
    public long blankFrames() {
        return blankFrames;
    }

    /** Starts a new window of {@link #windowObjective()}, its SNR and its blank frames. */
    public void resetWindow() {
        objectiveSum = 0;
        snr.reset();
        objectiveCount = 0;
        windowBlank = 0;
    }

    /** True when Phi and P hold only finite values. */
    public boolean isFinite() {
        return Double.isFinite(dictionary.phi().sumNumber().doubleValue())
                && (embedding == null || Double.isFinite(embedding.p().sumNumber().doubleValue()));
    }

    /**
     * The learner's state as a model version.
     *
     * @param version the version number to give it
     * @param info    lineage and counters; its stats are completed with the learner's own
     */
    public SmtModel snapshot(long version, ModelInfo info) {
        Map<String, Double> stats = new HashMap<>(info.stats());
        stats.put(ModelInfo.CODING_OBJECTIVE, windowObjective());
        stats.put(ModelInfo.SNR_DB, snr.mean());
        stats.put(ModelInfo.BLANK_FRAMES, (double) windowBlank);
        stats.put(ModelInfo.EMBEDDING_OBJECTIVE, embeddingObjective);
        stats.put(ModelInfo.REFITS, (double) refits);
        stats.put(MOMENTS_WEIGHT, moments.weight());
        ModelInfo completed = new ModelInfo(info.parentVersion(), info.createdAtMs(), info.framesSeen(),
                info.rejectedUpdates(), info.note(), stats);
        return new SmtModel(version, config, dictionary.toMatrix(),
                embedding == null ? null : matrix(embedding.p()), matrix(moments.secondMoment()),
                matrix(moments.mean()), completed);
    }

    /** Continues from a published model: its Phi, P, V and &lt;alpha&gt; replace the learner's. */
    public void restore(SmtModel model) {
        dictionary = Dictionary.fromMatrix(model.phi(), model.version());
        dictionaryLearner = new DictionaryLearner(dictionary, config.dictionaryRate(), deadAtomWindow);
        moments = new RunningMoments(config.dictionarySize(), MOMENT_FORGETTING);
        // S is not part of a published model: it builds up again before the next refit.
        differenceMoments = new RunningMoments(config.dictionarySize(), MOMENT_FORGETTING);
        if (model.v() != null && model.meanActivity() != null) {
            moments.restore(Matrices.doubles(model.v()), Matrices.doubles(model.meanActivity()),
                    model.info().stats().getOrDefault(MOMENTS_WEIGHT, 1.0));
        }
        embedding = model.p() == null || model.v() == null ? null
                : new OnlineEmbedding(Matrices.doubles(model.p()), moments.secondMoment(), embeddingOptions());
        embeddingObjective = model.info().stats().getOrDefault(ModelInfo.EMBEDDING_OBJECTIVE, Double.NaN);
        frames = model.info().framesSeen();
        constraintFrame = -1;
        histories.values().forEach(h -> h.codes().reset());
        resetWindow();
    }

    /** Frames learned from (including those of the model it started from). */
    public long frames() {
        return frames;
    }

    public boolean hasEmbedding() {
        return embedding != null;
    }

    private OnlineEmbedding.Options embeddingOptions() {
        // OnlineEmbedding needs gamma0 > 0; with the manifold term off (gamma0 = 0) the rate alone scales the step.
        double gamma0 = config.gamma0() > 0 ? config.gamma0() : 1.0;
        return new OnlineEmbedding.Options(gamma0, config.gamma1(), config.embeddingRate(), EMBEDDING_RIDGE);
    }

    /** 1/2 ||X - Phi A||^2 + lambda sum(A) per patch of the sample, in double (Phi A left in its reconstruction). */
    private double codingObjective() {
        Metrics.reconstruct(dictionary.phi(), sampleCodes, sampleReconstruction);
        double error = sampleX.squaredDistance(sampleReconstruction);           // ||X - Phi A||_F^2
        return (0.5 * error + config.lambda() * sampleCodes.sumNumber().doubleValue()) / sampleSize;
    }

    private static FloatMatrix matrix(INDArray a) {
        INDArray m = a.rank() == 1 ? a.reshape(a.length(), 1) : a;
        return new FloatMatrix((int) m.rows(), (int) m.columns(), m.castTo(DataType.FLOAT).dup('c').data().asFloat());
    }
}
