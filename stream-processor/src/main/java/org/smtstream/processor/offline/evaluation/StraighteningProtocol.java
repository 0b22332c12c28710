package org.smtstream.processor.offline.evaluation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.model.Json;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.TurningAngles;
import org.smtstream.model.TurningAngles.Mean;
import org.smtstream.processor.math.analysis.Curvature;
import org.smtstream.processor.math.coding.Dictionary;
import org.smtstream.processor.math.coding.DictionaryLearner;
import org.smtstream.processor.math.coding.SparseCoder;
import org.smtstream.processor.math.embedding.AnalyticEmbedding;
import org.smtstream.processor.math.embedding.CodeHistory;
import org.smtstream.processor.math.embedding.Embedding;
import org.smtstream.processor.math.embedding.EmbeddingInverse;
import org.smtstream.processor.math.embedding.OnlineEmbedding;
import org.smtstream.processor.math.embedding.RunningMoments;
import org.smtstream.processor.math.linalg.Metrics;
import org.smtstream.processor.math.linalg.Nd4jRuntime;
import org.smtstream.processor.math.linalg.Scratch;
import org.smtstream.processor.math.linalg.SymmetricEigen;

/**
 * The straightening measurement of ARCHITECTURE.md ("Measuring straightening") on one clip's
 * whitened patches:
 * <ol>
 *   <li>Split: the first {@code trainFraction} of the frames train, the rest are held out.</li>
 *   <li>Phi: online dictionary learning ({@link SparseCoder} + {@link DictionaryLearner}, one frame's
 *       L patches per step, codes from A = 0) over the training frames in temporal order,
 *       {@code passes} times, starting from {@link Dictionary#random} with the config's seed.</li>
 *   <li>Codes alpha of every frame under the final Phi (no learning, each frame coded from A = 0,
 *       so no code borrows anything from its neighbours in time).</li>
 *   <li>On the training codes: V = E[alpha alpha^T] ({@link RunningMoments}) and S = E[d d^T] over
 *       the second differences d of each location's own sequence ({@link CodeHistory}: never across
 *       locations). P = {@link AnalyticEmbedding#fit} (eq. 3.3), f = {@link SmtConfig#embeddingDim()}.</li>
 *   <li>Three controls from the same alpha, the same V and the same f, each with P V_reg P^T = I:
 *       PCA (the top-f eigenvectors of the centred covariance of alpha, orthonormalized against V),
 *       a random P ({@link OnlineEmbedding#randomFeasible}), and P fitted by eq. 3.3 on the second
 *       differences of the training codes taken in a shuffled frame order.</li>
 *   <li>On the held-out frames: curvature ({@link Curvature}) at each step k, pooled over all
 *       locations and over the {@code movingFraction} of locations with the most pixel motion (mean
 *       squared temporal difference of the whitened patch over the held-out frames), for whitened
 *       pixels, alpha, beta = P alpha and the three controls; and the SNR of Phi alpha and of
 *       Phi g(beta) ({@link EmbeddingInverse}, eq. 3.1), pooled over the held-out frames.</li>
 *   <li>On the held-out frames: {@link Prediction} of each frame from the two before it, by copying
 *       the last one, by linear extrapolation in whitened pixels, and by Phi g(2 beta_t - beta_{t-1})
 *       for beta and each control.</li>
 * </ol>
 * Atoms that are never active in the training codes have a zero row and column in V and S; eq. 3.3
 * would put P's rows on them (zero objective at any scale the ridge allows) and embed nothing. All
 * four embeddings are therefore fitted on the atoms active in training (the support of V's diagonal),
 * and their other columns are 0 (ARCHITECTURE.md, trap T22).
 *
 * <p>Cost at the fast preset (n = 256, N = 1024, 64 locations, 795 frames): one FISTA solve per
 * frame and pass plus one per frame for the final codes, three N x N second moments over the training
 * codes (V, S, shuffled S), two N x N eigen-decompositions per fitted P and one for PCA, and the
 * held-out inverse g(beta) (measured times in stream-processor/STRAIGHTENING.md, "Cost"), and eight
 * more held-out inverses of the same size for the prediction (two per embedding). Memory:
 * the codes of every frame, N x L FLOAT each (0.2 GB).
 *
 * <p>Not thread-safe (it drives ND4J on the calling thread).
 */
public final class StraighteningProtocol {

    private static final Logger LOG = LoggerFactory.getLogger(StraighteningProtocol.class);
    /** Locations per vectorized curvature pass (bounds the d x (T L) double matrix of alpha). */
    private static final int CURVATURE_CHUNK = 16;

    /** The six representations compared on the held-out frames. */
    public enum Representation {
        PIXELS("whitened pixels"),
        ALPHA("alpha (sparse code)"),
        BETA("beta = P alpha (SMT, eq. 3.3)"),
        PCA("control: PCA of alpha"),
        RANDOM("control: random P"),
        SHUFFLED("control: P fitted on shuffled time");

        private final String label;

        Representation(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * @param trainFraction     fraction of the frames (from the start) that train Phi and P, in (0, 1)
     * @param passes            passes of online dictionary learning over the training frames, &gt;= 1
     * @param steps             temporal steps k of the curvature, each &gt;= 1
     * @param movingFraction    fraction of locations with the most pixel motion, in (0, 1]
     * @param ridge             relative ridge on V (as {@link AnalyticEmbedding.Options#ridge()}) for every P
     * @param inverseTolerance  relative-change stopping threshold of g(beta) (its lambda and iteration cap
     *                          are the configuration's)
     * @param deadAtomWindow    dictionary steps without activity before an atom is re-seeded
     * @param controlSeed       seed of the random control and of the shuffled frame order
     */
    public record Options(double trainFraction, int passes, int[] steps, double movingFraction, double ridge,
                          double inverseTolerance, int deadAtomWindow, long controlSeed) {
        public Options {
            if (!(trainFraction > 0 && trainFraction < 1)) {
                throw new IllegalArgumentException("Invalid train fraction: " + trainFraction + " (must be in (0, 1))");
            }
            if (passes < 1) {
                throw new IllegalArgumentException("Invalid passes: " + passes);
            }
            if (steps == null || steps.length == 0 || Arrays.stream(steps).anyMatch(k -> k < 1)) {
                throw new IllegalArgumentException("Invalid curvature steps: " + Arrays.toString(steps));
            }
            if (!(movingFraction > 0 && movingFraction <= 1)) {
                throw new IllegalArgumentException("Invalid moving fraction: " + movingFraction);
            }
            if (!(ridge >= 0) || !Double.isFinite(ridge)) {
                throw new IllegalArgumentException("Invalid ridge: " + ridge);
            }
            if (!(inverseTolerance >= 0) || !Double.isFinite(inverseTolerance)) {
                throw new IllegalArgumentException("Invalid inverse tolerance: " + inverseTolerance);
            }
            if (deadAtomWindow < 1) {
                throw new IllegalArgumentException("Invalid dead-atom window: " + deadAtomWindow);
            }
            steps = steps.clone();
        }

        /**
         * As in ARCHITECTURE.md ("Measuring straightening"): 70 % train, k = 1, 2, 4, the moving
         * quarter. One pass of dictionary learning over the training frames (a second pass straightens
         * beta a little more but takes longer and leaves Phi g(beta) much less of the image; see
         * stream-processor/STRAIGHTENING.md). Ridge 1e-6 (as
         * {@link AnalyticEmbedding.Options#defaults()}). g(beta) to a tolerance of 1e-4.
         */
        public static Options defaults() {
            return new Options(0.7, 1, new int[] {1, 2, 4}, 0.25, 1e-6, 1e-4, 50, 7L);
        }

        /** These options with another control seed. */
        public Options withControlSeed(long seed) {
            return new Options(trainFraction, passes, steps, movingFraction, ridge, inverseTolerance, deadAtomWindow,
                    seed);
        }

        /** These options with another number of dictionary passes. */
        public Options withPasses(int count) {
            return new Options(trainFraction, count, steps, movingFraction, ridge, inverseTolerance, deadAtomWindow,
                    controlSeed);
        }

        @Override
        public int[] steps() {
            return steps.clone();
        }
    }

    /**
     * One representation's curvature on the held-out frames.
     *
     * @param representation which one
     * @param dimension      its dimension d (n, N or f)
     * @param steps          the steps k, in the order of the two arrays
     * @param all            curvature over all locations, per k
     * @param moving         curvature over the moving locations, per k
     * @param trainObjective tr(P S P^T) on the training S = E[d d^T] for the four embeddings (what eq. 3.3
     *                       minimizes under P V_reg P^T = I; beta's is the smallest by construction), NaN
     *                       for pixels and alpha
     * @param constraintResidual max |P V_reg P^T - I| for the four embeddings, NaN otherwise
     */
    public record Row(Representation representation, int dimension, int[] steps, Mean[] all, Mean[] moving,
                      double trainObjective, double constraintResidual) {

        /** The curvature at step k over all locations (or over the moving ones). */
        public Mean at(int k, boolean movingOnly) {
            for (int i = 0; i < steps.length; i++) {
                if (steps[i] == k) {
                    return movingOnly ? moving[i] : all[i];
                }
            }
            throw new IllegalArgumentException("Step " + k + " was not measured (steps " + Arrays.toString(steps)
                    + ")");
        }
    }

    /**
     * The measurement.
     *
     * @param configName       preset the config came from
     * @param config           the SMT configuration (geometry of the codes, lambda, N, f, rates, seed)
     * @param options          the protocol options
     * @param frames           frames given
     * @param blankFrames      of those, blank ones ({@link org.smtstream.model.BlankFrame}): not learned from,
     *                         cuts in the moments' second differences and in the held-out trajectories, left
     *                         out of the SNRs and the sparsity
     * @param trainFrames      frames that trained Phi and P (the first ones)
     * @param testFrames       held-out frames (the rest)
     * @param locations        L, patch locations per frame
     * @param movingLocations  indices of the moving locations, most motion first
     * @param activeAtoms      atoms active at least once in the training codes (the embeddings' support)
     * @param testActiveFraction non-zero fraction of the held-out codes
     * @param snrAlphaDb       SNR of Phi alpha on the held-out frames, dB
     * @param snrInverseDb     SNR of Phi g(beta) on the held-out frames, dB
     * @param inverseIterationsMean mean FISTA iterations of g(beta) per batch of held-out frames
     * @param rows             one per {@link Representation}, in its order
     * @param prediction       next-frame prediction on the held-out frames, through beta and each control
     *                         under the names of {@link #predictionName}
     * @param seconds          wall time of the phases: learn, code, moments, fit, curvature, reconstruct,
     *                         predict
     * @param dictionary       the learned Phi
     * @param embedding        beta's P (eq. 3.3), f x N, zero on atoms never active in training
     */
    public record Result(String configName, SmtConfig config, Options options, int frames, int blankFrames,
                         int trainFrames,
                         int testFrames, int locations, int[] movingLocations, int activeAtoms,
                         double testActiveFraction, double snrAlphaDb, double snrInverseDb,
                         double inverseIterationsMean, List<Row> rows, Prediction.Result prediction,
                         Map<String, Double> seconds,
                         Dictionary dictionary, Embedding embedding) {

        /** The row of one representation. */
        public Row row(Representation representation) {
            return rows.stream().filter(r -> r.representation() == representation).findFirst().orElseThrow();
        }

        /** Mean curvature in degrees of a representation at step k, over all or the moving locations. */
        public double curvature(Representation representation, int k, boolean movingOnly) {
            return row(representation).at(k, movingOnly).meanDegrees();
        }

        /** The result as a Markdown table (curvature in degrees) with the setup and the SNRs below it. */
        public String toMarkdown() {
            int[] steps = options.steps();
            StringBuilder md = new StringBuilder();
            md.append("| representation | d |");
            for (int k : steps) {
                md.append(" k=").append(k).append(" all |");
            }
            for (int k : steps) {
                md.append(" k=").append(k).append(" moving |");
            }
            md.append('\n').append("|---|---:|");
            md.append("---:|".repeat(2 * steps.length)).append('\n');
            for (Row row : rows) {
                md.append("| ").append(row.representation().label()).append(" | ").append(row.dimension()).append(" |");
                for (Mean a : row.all()) {
                    md.append(' ').append(format(a.meanDegrees(), 1)).append(" |");
                }
                for (Mean a : row.moving()) {
                    md.append(' ').append(format(a.meanDegrees(), 1)).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
            md.append("SNR on held-out frames: Phi alpha ").append(format(snrAlphaDb, 2)).append(" dB, Phi g(beta) ")
                    .append(format(snrInverseDb, 2)).append(" dB (g: lambda ").append(config.inverseLambdaFraction())
                    .append(" of lambda_max, ").append(format(inverseIterationsMean, 0))
                    .append(" iterations per batch of ")
                    .append(Reconstructions.BATCH_FRAMES).append(" frames).\n");
            md.append("Setup: ").append(configName).append(" preset, n = ").append(config.patchDim())
                    .append(", N = ").append(config.dictionarySize()).append(", f = ").append(config.embeddingDim())
                    .append(", lambda = ").append(config.lambda()).append("; ").append(frames).append(" frames (")
                    .append(blankFrames).append(" blank), ")
                    .append(trainFrames).append(" train / ").append(testFrames).append(" held out, ")
                    .append(locations).append(" locations (").append(movingLocations.length).append(" moving); ")
                    .append(options.passes()).append(" dictionary pass(es); ").append(activeAtoms)
                    .append(" atoms active in training; ridge ").append(options.ridge()).append("; seeds ")
                    .append(config.randomSeed()).append(" (Phi) / ").append(options.controlSeed())
                    .append(" (controls).\n");
            md.append("Fitted on training S: tr(P S P^T) beta ")
                    .append(format(row(Representation.BETA).trainObjective(), 4))
                    .append(", PCA ").append(format(row(Representation.PCA).trainObjective(), 4))
                    .append(", random ").append(format(row(Representation.RANDOM).trainObjective(), 4))
                    .append(", shuffled ").append(format(row(Representation.SHUFFLED).trainObjective(), 4))
                    .append(".\n");
            md.append('\n').append(prediction.toMarkdown());
            return md.toString();
        }

        /** The result as JSON, for a file (see {@link #toJsonTree()}). */
        public String toJson() {
            return Json.writePretty(toJsonTree());
        }

        /** The result as a JSON tree: the setup, the SNRs, the phases' seconds and one entry per row. */
        public ObjectNode toJsonTree() {
            ObjectNode j = Json.object()
                    .put("preset", configName)
                    .put("n", config.patchDim()).put("N", config.dictionarySize()).put("f", config.embeddingDim())
                    .put("lambda", config.lambda()).put("dictionaryRate", config.dictionaryRate())
                    .put("phiSeed", config.randomSeed())
                    .put("trainFraction", options.trainFraction()).put("passes", options.passes())
                    .put("ridge", options.ridge()).put("inverseLambdaFraction", config.inverseLambdaFraction())
                    .put("controlSeed", options.controlSeed())
                    .put("frames", frames).put("blankFrames", blankFrames).put("trainFrames", trainFrames)
                    .put("testFrames", testFrames)
                    .put("locations", locations);
            j.set("movingLocations", Json.tree(movingLocations));
            j.put("activeAtoms", activeAtoms)
                    .put("testActiveFraction", testActiveFraction)
                    .put("snrAlphaDb", snrAlphaDb)
                    .put("snrInverseDb", snrInverseDb)
                    .put("inverseIterationsMean", inverseIterationsMean);
            j.set("seconds", Json.tree(seconds));
            ArrayNode rowNodes = j.putArray("rows");
            rows.forEach(row -> rowNodes.add(rowJson(row)));
            j.set("prediction", prediction.toJsonTree());
            return j;
        }

        private static ObjectNode rowJson(Row row) {
            ObjectNode r = Json.object()
                    .put("representation", row.representation().name().toLowerCase(Locale.ROOT))
                    .put("dimension", row.dimension())
                    .put("trainObjective", row.trainObjective())
                    .put("constraintResidual", row.constraintResidual());
            ArrayNode curvature = r.putArray("curvature");
            int[] steps = row.steps();
            for (int i = 0; i < steps.length; i++) {
                curvature.addObject().put("k", steps[i])
                        .put("all", row.all()[i].meanDegrees())
                        .put("allPairs", row.all()[i].pairs())
                        .put("allSkipped", row.all()[i].skipped())
                        .put("moving", row.moving()[i].meanDegrees())
                        .put("movingPairs", row.moving()[i].pairs())
                        .put("movingSkipped", row.moving()[i].skipped());
            }
            return r;
        }

        private static String format(double v, int decimals) {
            return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "n/a";
        }
    }

    private StraighteningProtocol() {
    }

    /**
     * Runs the protocol.
     *
     * @param frames  whitened patches of one clip in temporal order: frame t is n x L FLOAT, column b
     *                the patch at location b (the same location in every frame); not modified
     * @param config  n = patchDim, N, f, sparse-coding and dictionary settings, Phi's seed
     * @param options split, passes, steps, controls
     */
    public static Result run(List<INDArray> frames, SmtConfig config, Options options) {
        Nd4jRuntime.useFloatByDefault();
        int total = frames.size();
        int n = config.patchDim();
        int size = config.dictionarySize();
        int f = config.embeddingDim();
        if (total < 6) {
            throw new IllegalArgumentException("Need at least 6 frames, got " + total);
        }
        int locations = frames.get(0).columns();
        for (int t = 0; t < total; t++) {
            INDArray x = frames.get(t);
            if (x.rank() != 2 || x.rows() != n || x.columns() != locations || x.dataType() != DataType.FLOAT) {
                throw new IllegalArgumentException("Frame " + t + " has shape " + Arrays.toString(x.shape()) + " "
                        + x.dataType() + ", expected FLOAT [" + n + ", " + locations + "]");
            }
        }
        int trainCount = (int) Math.floor(options.trainFraction() * total);
        int testCount = total - trainCount;
        int maxStep = Arrays.stream(options.steps()).max().orElseThrow();
        if (trainCount < 3 || testCount < 2 * maxStep + 1) {
            throw new IllegalArgumentException(total + " frames split into " + trainCount + " train / " + testCount
                    + " held out: too few for second differences and step " + maxStep);
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
        boolean[] blank = Segments.blank(frames);

        // 1-2. Phi, online, on the training frames
        long start = System.nanoTime();
        Dictionary dictionary = Dictionary.random(n, size, config.randomSeed());
        SparseCoder coder = SparseCoder.of(config);
        DictionaryLearner learner = new DictionaryLearner(dictionary, config.dictionaryRate(),
                options.deadAtomWindow());
        INDArray codes = Scratch.buffer(size, locations);
        for (int pass = 0; pass < options.passes(); pass++) {
            int reseeded = 0;
            for (int t = 0; t < trainCount; t++) {
                if (blank[t]) {
                    continue;
                }
                coder.encode(dictionary, frames.get(t), codes, false);
                reseeded += learner.update(frames.get(t), codes).reseededAtoms();
            }
            LOG.info("Dictionary pass {}/{} over {} training frames: {} atoms re-seeded", pass + 1, options.passes(),
                    trainCount, reseeded);
        }
        seconds.put("learn", elapsed(start));

        // 3. codes of every frame under the final Phi
        start = System.nanoTime();
        List<INDArray> alpha = new ArrayList<>(total);
        for (int t = 0; t < total; t++) {
            coder.encode(dictionary, frames.get(t), codes, false);
            alpha.add(codes.dup('f'));
        }
        seconds.put("code", elapsed(start));

        // 4-5. V, S (within each location), P and the controls, on the atoms active in training
        start = System.nanoTime();
        RunningMoments v = RunningMoments.exact(size);
        for (int t = 0; t < trainCount; t++) {
            if (!blank[t]) {
                v.update(alpha.get(t));
            }
        }
        int[] active = activeAtoms(v.secondMoment());
        if (active.length < f) {
            throw new IllegalStateException("Only " + active.length
                    + " atoms are active in the training codes, fewer than f = " + f);
        }
        int[] order = IntStream.range(0, trainCount).toArray();
        int[] shuffled = shuffle(order, options.controlSeed());
        INDArray s = differenceMoments(alpha, blank, order, size, locations);
        INDArray sShuffled = differenceMoments(alpha, blank, shuffled, size, locations);
        INDArray vActive = restrict(v.secondMoment(), active);
        INDArray sActive = restrict(s, active);
        INDArray vReg = AnalyticEmbedding.regularize(vActive, options.ridge());
        seconds.put("moments", elapsed(start));
        start = System.nanoTime();
        AnalyticEmbedding.Options fitOptions = new AnalyticEmbedding.Options(options.ridge(), 0);

        Map<Representation, INDArray> embeddings = new EnumMap<>(Representation.class);
        embeddings.put(Representation.BETA, AnalyticEmbedding.fit(vActive, sActive, f, fitOptions).p());
        embeddings.putAll(controls(vActive, restrict(v.covariance(), active), restrict(sShuffled, active), f,
                options));
        Map<Representation, Double> objectives = new EnumMap<>(Representation.class);
        Map<Representation, Double> residuals = new EnumMap<>(Representation.class);
        Map<Representation, Embedding> full = new EnumMap<>(Representation.class);
        for (Map.Entry<Representation, INDArray> e : embeddings.entrySet()) {
            objectives.put(e.getKey(), AnalyticEmbedding.objective(e.getValue(), sActive));
            residuals.put(e.getKey(), AnalyticEmbedding.constraintResidual(e.getValue(), vReg));
            full.put(e.getKey(), Embedding.of(expand(e.getValue(), active, size), 0));
        }
        seconds.put("fit", elapsed(start));
        LOG.info("Embeddings on {} active atoms: tr(P S P^T) {}; max |P V P^T - I| {}", active.length, objectives,
                residuals);

        // 6. held-out evaluation
        start = System.nanoTime();
        List<INDArray> testPixels = frames.subList(trainCount, total);
        List<INDArray> testCodes = alpha.subList(trainCount, total);
        boolean[] testBlank = Arrays.copyOfRange(blank, trainCount, total);
        if (Segments.count(testBlank) == testCount) {
            throw new IllegalArgumentException("All " + testCount + " held-out frames are blank: nothing to measure");
        }
        int[] moving = movingLocations(Segments.split(testPixels, testBlank), options.movingFraction());
        boolean[] isMoving = new boolean[locations];
        for (int b : moving) {
            isMoving[b] = true;
        }
        Map<Representation, List<INDArray>> sequences = new EnumMap<>(Representation.class);
        sequences.put(Representation.PIXELS, testPixels);
        sequences.put(Representation.ALPHA, testCodes);
        for (Representation r : List.of(Representation.BETA, Representation.PCA, Representation.RANDOM,
                Representation.SHUFFLED)) {
            Embedding embedding = full.get(r);
            List<INDArray> embedded = new ArrayList<>(testCount);
            for (INDArray a : testCodes) {
                embedded.add(embedding.embed(a, Nd4j.create(DataType.FLOAT, new long[] {f, locations}, 'f')));
            }
            sequences.put(r, embedded);
        }
        int[] steps = options.steps();
        List<Row> rows = new ArrayList<>();
        for (Representation r : Representation.values()) {
            List<INDArray> seq = sequences.get(r);
            Mean[] all = new Mean[steps.length];
            Mean[] mov = new Mean[steps.length];
            for (int i = 0; i < steps.length; i++) {
                Mean[] pooled = curvatureOfRuns(Segments.split(seq, testBlank), steps[i], isMoving, null, null);
                all[i] = pooled[0];
                mov[i] = pooled[1];
            }
            rows.add(new Row(r, (int) seq.get(0).rows(), steps, all, mov,
                    objectives.getOrDefault(r, Double.NaN), residuals.getOrDefault(r, Double.NaN)));
        }
        seconds.put("curvature", elapsed(start));
        start = System.nanoTime();
        List<List<INDArray>> shownPixels = Segments.split(testPixels, testBlank);
        List<List<INDArray>> shownCodes = Segments.split(testCodes, testBlank);
        EmbeddingInverse inverse = EmbeddingInverse.of(config, options.inverseTolerance());
        Reconstructions reconstructions = Reconstructions.of(shownPixels, shownCodes, dictionary,
                full.get(Representation.BETA), inverse);
        seconds.put("reconstruct", elapsed(start));
        start = System.nanoTime();
        Map<String, Embedding> predictors = new LinkedHashMap<>();
        full.forEach((r, p) -> predictors.put(predictionName(r), p));
        Prediction.Result prediction = Prediction.measure(shownPixels, shownCodes, dictionary, predictors,
                Map.of(predictionName(Representation.BETA), reconstructions.throughBeta()), inverse, isMoving);
        seconds.put("predict", elapsed(start));

        List<INDArray> shownFrames = Segments.joined(shownCodes);
        double activeFraction = 0;
        for (INDArray a : shownFrames) {
            activeFraction += Metrics.activeFraction(a) / shownFrames.size();
        }
        return new Result(config.name(), config, options, total, Segments.count(blank), trainCount, testCount,
                locations, moving, active.length, activeFraction, reconstructions.alphaDb(),
                reconstructions.inverseDb(), reconstructions.inverseIterations(), List.copyOf(rows), prediction,
                Collections.unmodifiableMap(seconds), dictionary, full.get(Representation.BETA));
    }

    /** The name of an embedding's row in {@link Result#prediction()}: its representation's, in lower case. */
    public static String predictionName(Representation representation) {
        return representation.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Pooled curvature at step k over all locations and over the marked ones.
     *
     * @param frames T frames, each d x L
     * @return {all, moving}
     */
    static Mean[] curvature(List<INDArray> frames, int k, boolean[] moving) {
        return curvature(frames, k, moving, null, null);
    }

    /**
     * Pooled curvature at step k over all locations and over the marked ones, also counting every
     * angle into histograms of equal bins over [0, 180] degrees (the distribution behind the means).
     *
     * @param frames          T frames, each d x L; not modified
     * @param moving          per location, whether it counts as moving
     * @param histogramAll    bin counts over all locations, added to; null to skip
     * @param histogramMoving bin counts over the moving locations, added to; null to skip
     * @return {all, moving}
     */
    public static Mean[] curvature(List<INDArray> frames, int k, boolean[] moving, long[] histogramAll,
                                   long[] histogramMoving) {
        int locations = frames.get(0).columns();
        int length = frames.size();
        TurningAngles.Pool all = new TurningAngles.Pool();
        TurningAngles.Pool movingOnly = new TurningAngles.Pool();
        for (int from = 0; from < locations; from += CURVATURE_CHUNK) {
            int to = Math.min(locations, from + CURVATURE_CHUNK);
            int width = to - from;
            INDArray[] parts = new INDArray[length];
            for (int t = 0; t < length; t++) {
                parts[t] = frames.get(t).get(NDArrayIndex.all(), NDArrayIndex.interval(from, to))
                        .castTo(DataType.DOUBLE);
            }
            double[] angles = Curvature.anglesDegrees(Nd4j.hstack(parts), width, k).toDoubleVector();
            for (int i = 0; i < angles.length; i++) {           // pair (t, b) at t * width + b
                all.add(angles[i]);
                count(histogramAll, angles[i]);
                if (moving[from + i % width]) {
                    movingOnly.add(angles[i]);
                    count(histogramMoving, angles[i]);
                }
            }
        }
        return new Mean[] {all.mean(), movingOnly.mean()};
    }

    /**
     * Pooled curvature at step k within each run of frames (no pair of differences spans two runs),
     * pooled over the runs; histograms as {@link #curvature(List, int, boolean[], long[], long[])}.
     *
     * @return {all, moving}
     */
    public static Mean[] curvatureOfRuns(List<List<INDArray>> runs, int k, boolean[] moving, long[] histogramAll,
                                         long[] histogramMoving) {
        Mean all = Mean.EMPTY;
        Mean movingOnly = Mean.EMPTY;
        for (List<INDArray> run : runs) {
            if (run.size() < 2 * k + 1) {
                continue;                  // too short for a pair of differences at this step
            }
            Mean[] pooled = curvature(run, k, moving, histogramAll, histogramMoving);
            all = all.merge(pooled[0]);
            movingOnly = movingOnly.merge(pooled[1]);
        }
        return new Mean[] {all, movingOnly};
    }

    /** Adds one angle in [0, 180] degrees to its bin (180 falls into the last); a skipped pair (NaN) to none. */
    private static void count(long[] histogram, double degrees) {
        if (histogram != null && !Double.isNaN(degrees)) {
            int bin = (int) (degrees / 180.0 * histogram.length);
            histogram[Math.max(0, Math.min(histogram.length - 1, bin))]++;
        }
    }

    /**
     * The locations with the most pixel motion: ||x_{t+1} - x_t||^2 per location summed over the
     * steps within each run of frames (never from one run to the next), the top ceil(fraction L), most
     * motion first (ties by index).
     */
    public static int[] movingLocations(List<List<INDArray>> runs, double fraction) {
        int locations = runs.get(0).get(0).columns();
        double[] energy = new double[locations];
        for (List<INDArray> frames : runs) {
            for (int t = 1; t < frames.size(); t++) {
                INDArray d = frames.get(t).castTo(DataType.DOUBLE).subi(frames.get(t - 1).castTo(DataType.DOUBLE));
                double[] column = d.muli(d).sum(0).toDoubleVector();
                for (int b = 0; b < locations; b++) {
                    energy[b] += column[b];
                }
            }
        }
        int count = Math.max(1, (int) Math.ceil(fraction * locations));
        return IntStream.range(0, locations).boxed()
                .sorted((a, b) -> a.equals(b) ? 0 : energy[a] != energy[b] ? Double.compare(energy[b], energy[a])
                        : Integer.compare(a, b))
                .limit(count).mapToInt(Integer::intValue).toArray();
    }

    /**
     * S = E[d d^T] over the second differences of each location's sequence, with the frames taken in
     * the given order (N x N DOUBLE); a blank frame is left out and no difference spans it.
     */
    static INDArray differenceMoments(List<INDArray> codes, boolean[] blank, int[] order, int size, int locations) {
        CodeHistory history = new CodeHistory(size, locations);
        RunningMoments moments = RunningMoments.exact(size);
        INDArray d = Scratch.buffer(size, locations);
        for (int t : order) {
            if (blank[t]) {
                history.reset();
            } else if (history.push(codes.get(t), d)) {
                moments.update(d);
            }
        }
        return moments.secondMoment().dup('f');
    }

    /** Indices j with V_jj &gt; 0. */
    static int[] activeAtoms(INDArray v) {
        double[] diagonal = Nd4j.diag(v.castTo(DataType.DOUBLE)).toDoubleVector();
        return IntStream.range(0, diagonal.length).filter(j -> diagonal[j] > 0).toArray();
    }

    /** The principal sub-matrix m[idx, idx], DOUBLE. */
    static INDArray restrict(INDArray m, int[] idx) {
        INDArray d = m.castTo(DataType.DOUBLE);
        INDArray rows = d.getRows(idx);
        return rows.getColumns(idx).dup('f');
    }

    /** P (f x |idx|) placed in the columns idx of an f x N zero matrix (DOUBLE). */
    static INDArray expand(INDArray p, int[] idx, int size) {
        INDArray out = Nd4j.create(DataType.DOUBLE, new long[] {p.rows(), size}, 'f');
        for (int c = 0; c < idx.length; c++) {
            out.putColumn(idx[c], p.getColumn(c));
        }
        return out;
    }

    /**
     * The three controls of a P learned under V, on the same atoms (principal sub-matrices, DOUBLE):
     * the PCA of alpha, a random P and P fitted by eq. 3.3 on the second differences of shuffled
     * frames, each f x |atoms| and feasible (P V_reg P^T = I).
     *
     * @param v          V = E[alpha alpha^T]
     * @param covariance the centred covariance of alpha
     * @param shuffled   S of the second differences in a shuffled frame order
     */
    static Map<Representation, INDArray> controls(INDArray v, INDArray covariance, INDArray shuffled, int f,
                                                  Options options) {
        Map<Representation, INDArray> controls = new EnumMap<>(Representation.class);
        controls.put(Representation.PCA, pca(covariance, AnalyticEmbedding.regularize(v, options.ridge()), f));
        controls.put(Representation.RANDOM, OnlineEmbedding.randomFeasible(f, v, options.ridge(),
                options.controlSeed()));
        controls.put(Representation.SHUFFLED, AnalyticEmbedding.fit(v, shuffled, f,
                new AnalyticEmbedding.Options(options.ridge(), 0)).p());
        return controls;
    }

    /** The PCA control: the top-f eigenvectors of the centred covariance as rows, orthonormalized against V_reg. */
    static INDArray pca(INDArray covariance, INDArray vReg, int f) {
        SymmetricEigen.Decomposition eigen = SymmetricEigen.of(covariance);
        int m = eigen.size();
        INDArray top = eigen.vectors().get(NDArrayIndex.all(), NDArrayIndex.interval(m - f, m));   // ascending order
        return AnalyticEmbedding.orthonormalize(top.transpose().dup('f'), vReg);
    }

    /** A seeded Fisher-Yates permutation of {@code order} (a copy). */
    static int[] shuffle(int[] order, long seed) {
        int[] out = order.clone();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = out.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = out[i];
            out[i] = out[j];
            out[j] = tmp;
        }
        return out;
    }

    private static double elapsed(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
