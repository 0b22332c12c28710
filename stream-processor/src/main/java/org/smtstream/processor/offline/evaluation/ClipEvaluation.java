package org.smtstream.processor.offline.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.smtstream.model.NeedlePlot;
import org.smtstream.model.Needles;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.model.TurningAngles.Mean;
import org.smtstream.processor.layer.LayerModel;
import org.smtstream.processor.math.analysis.AffinityGroups;
import org.smtstream.processor.math.analysis.NeedleComparison;
import org.smtstream.processor.math.analysis.NeedleFit;
import org.smtstream.processor.math.analysis.Unwhitening;
import org.smtstream.processor.math.coding.SparseCoder;
import org.smtstream.processor.math.embedding.Embedding;
import org.smtstream.processor.math.embedding.EmbeddingInverse;
import org.smtstream.processor.math.embedding.RunningMoments;
import org.smtstream.processor.math.linalg.Matrices;
import org.smtstream.processor.math.linalg.Metrics;
import org.smtstream.processor.math.linalg.Nd4jRuntime;
import org.smtstream.processor.offline.Clip;

/**
 * What one model does to one clip, the numbers behind {@code smt evaluate}:
 * <ul>
 *   <li>alpha of every frame by plain positive sparse coding (eq. 2.4) from A = 0, so no code borrows
 *       from its neighbours in time (eq. 3.4 would straighten partly by construction, ARCHITECTURE.md),
 *       and beta = P alpha with the model's own P; beside it, given the model's training moments, the
 *       protocol's three controls fitted to them ({@link #controls}: PCA, random and time-shuffled P);</li>
 *   <li>curvature of whitened pixels, alpha and beta at each step k, over all locations and over the
 *       moving ones, mean and histogram ({@link StraighteningProtocol#curvature}, the same measure
 *       and the same choice of moving locations as the protocol);</li>
 *   <li>SNR of Phi alpha and of Phi g(beta) pooled over the frames ({@link Reconstructions}),
 *       in whitened space and in image space (C x against C Phi alpha and C Phi g(beta), {@link ImageSpace}),
 *       pictures of both for a few frames, and the sparsity of alpha;</li>
 *   <li>SNR of Phi g(beta) against g's lambda, a fraction of each patch's lambda_max, on a grid and at
 *       the fixed lambda g used before ({@link InverseLambdaGrid});</li>
 *   <li>next-frame {@link Prediction} within each run, by copying the last frame and by linear
 *       extrapolation, in whitened pixels and through the model's P and g (the controls are scored
 *       for curvature only);</li>
 *   <li>thesis figure 3.4 at the location with the most motion: the most active alpha units and the
 *       beta units over up to 80 frames (of the longest run without a blank frame), the input patches and
 *       their reconstructions Phi g(beta);</li>
 *   <li>thesis figure 3.6B: needle fits of Phi's atoms, and how alike in length and angle an atom's
 *       top-k neighbours are in embedding space (columns of P) and in pixel space (columns of Phi);</li>
 *   <li>what figures 3.5 and 3.6A draw: the needle of every atom, and the affinity groups (top
 *       neighbours by cosine of P's columns) of a few well-fit atoms picked at random with a fixed seed,
 *       as the thesis picks them at random.</li>
 * </ul>
 * Blank frames ({@link org.smtstream.model.BlankFrame}) are counted and left out of every number: they
 * cut the clip into runs ({@link Segments}), curvature and motion are measured within runs, and the
 * SNRs and sparsity pool the frames that are not blank.
 *
 * <p>Not thread-safe (it drives ND4J on the calling thread).
 */
public final class ClipEvaluation {

    /** Seed of the random pick of figure 3.6A's atoms, so a report draws the same groups every time. */
    private static final long GROUP_SEED = 36;

    /**
     * @param protocol       steps k, moving fraction and the tolerance of g(beta), as in the protocol
     * @param histogramBins  bins of the curvature histograms over [0, 180] degrees
     * @param figureFrames   frames of figure 3.4 (the thesis shows 80)
     * @param figureUnits    alpha units shown in figure 3.4 (80 in the thesis)
     * @param needleAtoms    best-fit atoms compared in figure 3.6B (the thesis: 500 of 4000)
     * @param needleK        neighbours per atom (the thesis: 9)
     * @param groups         affinity groups drawn in figure 3.6A (the thesis shows 16), from the best-fit atoms
     * @param groupK         neighbours per drawn group (the thesis: 40)
     * @param imageSpaceFrames frames shown in both spaces
     */
    public record Options(StraighteningProtocol.Options protocol, int histogramBins, int figureFrames, int figureUnits,
                          int needleAtoms, int needleK, int groups, int groupK,
                          int imageSpaceFrames) {

        /** The thesis's figure sizes; 18 bins of 10 degrees; three frames in both spaces; the protocol's defaults. */
        public static Options defaults() {
            return new Options(StraighteningProtocol.Options.defaults(), 18, 80, 80, 500, 9, 12, 40, 3);
        }
    }

    /**
     * What the model was learned with, from which its controls are fitted: the second moment V and the
     * mean of alpha over its training codes (the frames the model saw, never the evaluated ones when
     * those are held out).
     *
     * @param secondMoment V = E[alpha alpha^T], N x N
     * @param mean         &lt;alpha&gt;, N x 1
     */
    public record TrainingMoments(INDArray secondMoment, INDArray mean) {

        /** The moments a published model carries, or null when it has none yet. */
        public static TrainingMoments of(SmtModel model) {
            if (model.v() == null || model.meanActivity() == null) {
                return null;
            }
            return new TrainingMoments(Matrices.doubles(model.v()),
                    Matrices.doubles(model.meanActivity()));
        }

        /** The centred covariance V - mean mean^T, DOUBLE. */
        INDArray covariance() {
            return RunningMoments.covariance(secondMoment, mean);
        }
    }

    /**
     * Figures 3.5 and 3.6A: the needles of all atoms and a few affinity groups.
     *
     * @param patchSize side of an atom's patch
     * @param needles   every atom's needle, as drawn ({@link NeedleFit#drawn})
     * @param groups    the drawn groups, each atom's neighbours most similar first
     */
    public record NeedlePlots(int patchSize, Needles needles, List<NeedlePlot.Group> groups) {
    }

    /**
     * One representation's curvature.
     *
     * @param name            pixels, alpha or beta
     * @param dimension       its dimension
     * @param steps           the steps k
     * @param all             mean over all locations, per k
     * @param moving          mean over the moving locations, per k
     * @param histogramAll    bin counts over all locations, per k
     * @param histogramMoving bin counts over the moving locations, per k
     */
    public record Curves(String name, int dimension, int[] steps, Mean[] all, Mean[] moving, long[][] histogramAll,
                         long[][] histogramMoving) {

        /** Mean degrees at step k over all or the moving locations. */
        public double at(int k, boolean movingOnly) {
            for (int i = 0; i < steps.length; i++) {
                if (steps[i] == k) {
                    return (movingOnly ? moving[i] : all[i]).meanDegrees();
                }
            }
            throw new IllegalArgumentException("Step " + k + " was not measured: " + Arrays.toString(steps));
        }
    }

    /**
     * Figure 3.4's data at one location, each array [row][frame] or [frame][pixel].
     *
     * @param location       the patch location
     * @param firstFrame     index of its first frame within the clip
     * @param alphaUnits     the atoms shown, most active first
     * @param alpha          their codes, units x frames
     * @param beta           beta, f x frames
     * @param input          the whitened patches, frames x n
     * @param reconstruction Phi g(beta), frames x n
     * @param snrInverseDb   SNR of those reconstructions
     */
    public record Figure34(int location, int firstFrame, int[] alphaUnits, float[][] alpha, float[][] beta,
                           float[][] input, float[][] reconstruction, double snrInverseDb) {
    }

    /**
     * @param clip             the clip's name
     * @param frames           frames evaluated
     * @param blankFrames      of those, blank ones, left out of every other number
     * @param locations        patch locations per frame
     * @param movingLocations  the moving ones, most motion first
     * @param modelVersion     the model's version
     * @param curves           pixels, alpha, beta
     * @param snrAlphaDb       SNR of Phi alpha
     * @param snrInverseDb     SNR of Phi g(beta)
     * @param snrAlphaImageDb  SNR of C Phi alpha against C x, in image space
     * @param snrInverseImageDb SNR of C Phi g(beta) against C x
     * @param imageSpace       pictures of a few frames in both spaces
     * @param inverseGrid      SNR of Phi g(beta) against g's lambda ({@link InverseLambdaGrid#measure})
     * @param activeFraction   non-zero fraction of alpha
     * @param prediction       next-frame prediction, through beta under the name "beta"
     * @param needles          figure 3.6B
     * @param needlePlots      figures 3.5 and 3.6A
     * @param figure34         figure 3.4
     * @param seconds          wall time
     */
    public record Result(String clip, int frames, int blankFrames, int locations, int[] movingLocations,
                         long modelVersion, List<Curves> curves, double snrAlphaDb, double snrInverseDb,
                         double snrAlphaImageDb, double snrInverseImageDb, ImageSpace imageSpace,
                         List<InverseLambdaGrid.Point> inverseGrid, double activeFraction,
                         Prediction.Result prediction, NeedleComparison needles, NeedlePlots needlePlots,
                         Figure34 figure34, double seconds) {

        public Curves curves(String name) {
            return curves.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
        }
    }

    private ClipEvaluation() {
    }

    /**
     * Evaluates.
     *
     * @param clip     frames to evaluate (B x n patch-major each), at least 2 k + 1 for the largest step
     * @param model    Phi and P (P is required)
     * @param moments  what the model was learned with, for the controls beside its beta; null: no controls
     * @param config   the model's configuration
     * @param options  what to measure
     * @param progress called with the frames coded so far
     */
    public static Result run(Clip clip, LayerModel model, TrainingMoments moments, SmtConfig config, Options options,
                             LongConsumer progress) {
        if (model.embedding() == null) {
            throw new IllegalArgumentException("Model v" + model.version() + " has no embedding P yet: train on more "
                    + "than " + config.embeddingWarmup() + " frames first");
        }
        Nd4jRuntime.useFloatByDefault();
        long started = System.nanoTime();
        int n = config.patchDim();
        int locations = config.patchesPerFrame();
        SparseCoder coder = SparseCoder.of(config);
        List<INDArray> frames = clip.frames().stream()
                .map(f -> Nd4j.create(f, new long[] {n, locations}, 'f')).toList();
        boolean[] blank = Segments.blank(frames);
        List<int[]> runs = Segments.runs(blank);
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("Every frame of " + clip.name() + " is blank: nothing to evaluate");
        }
        List<List<INDArray>> pixels = Segments.split(frames, blank);
        List<List<INDArray>> alpha = new ArrayList<>();
        Map<String, Embedding> embeddings = new LinkedHashMap<>();
        embeddings.put("beta", model.embedding());
        if (moments != null) {
            embeddings.putAll(controls(moments, config.embeddingDim(), options.protocol()));
        }
        Map<String, List<List<INDArray>>> embedded = new LinkedHashMap<>();
        embeddings.keySet().forEach(name -> embedded.put(name, new ArrayList<>()));
        double active = 0;
        int coded = 0;
        for (int[] run : runs) {
            List<INDArray> codes = new ArrayList<>();
            for (int t = run[0]; t < run[1]; t++) {
                INDArray a = Nd4j.create(DataType.FLOAT, new long[] {config.dictionarySize(), locations}, 'f');
                coder.encode(model.dictionary(), frames.get(t), a, false);
                active += Metrics.activeFraction(a);
                codes.add(a);
                progress.accept(t + 1);
            }
            coded += codes.size();
            alpha.add(codes);
            embeddings.forEach((name, p) -> embedded.get(name).add(p.embedAll(codes)));
        }
        progress.accept(clip.size());
        StraighteningProtocol.Options protocol = options.protocol();
        int[] moving = StraighteningProtocol.movingLocations(pixels, protocol.movingFraction());
        boolean[] isMoving = new boolean[locations];
        for (int b : moving) {
            isMoving[b] = true;
        }
        List<Curves> curves = new ArrayList<>(List.of(curves("pixels", pixels, isMoving, options),
                curves("alpha", alpha, isMoving, options)));
        embedded.forEach((name, runsOfName) -> curves.add(curves(name, runsOfName, isMoving, options)));
        List<List<INDArray>> beta = embedded.get("beta");
        EmbeddingInverse inverse = EmbeddingInverse.of(config, protocol.inverseTolerance());
        Reconstructions reconstructions = Reconstructions.of(pixels, alpha, model.dictionary(), model.embedding(),
                inverse, Unwhitening.of(config));
        List<InverseLambdaGrid.Point> grid = InverseLambdaGrid.measure(Segments.joined(pixels),
                Segments.joined(alpha), moving, model.dictionary(), model.embedding(), config,
                protocol.inverseTolerance());
        ImageSpace pictures = ImageSpace.pictures(Segments.joined(pixels), Segments.joined(alpha),
                Segments.joined(reconstructions.throughBeta()), model, config, options.imageSpaceFrames());
        Prediction.Result prediction = Prediction.measure(pixels, alpha, model.dictionary(),
                Map.of("beta", model.embedding()), Map.of("beta", reconstructions.throughBeta()), inverse, isMoving);
        NeedleFit.Needle[] fitted = NeedleFit.fit(model.dictionary().phi(), config.patchSize(),
                NeedleFit.Energy.ENVELOPE);
        NeedleComparison needles = compare(model, fitted, config, options);
        NeedlePlots plots = needlePlots(model, fitted, config, options);
        int longest = IntStream.range(0, runs.size()).boxed()
                .max(Comparator.comparingInt((Integer i) -> runs.get(i)[1] - runs.get(i)[0])
                        .thenComparingInt(i -> -i)).orElseThrow();
        Figure34 figure = figure34(pixels.get(longest), alpha.get(longest), beta.get(longest),
                reconstructions.throughBeta().get(longest), runs.get(longest)[0], moving[0], options);
        return new Result(clip.name(), clip.size(), Segments.count(blank), locations, moving, model.version(),
                List.copyOf(curves), reconstructions.alphaDb(), reconstructions.inverseDb(),
                reconstructions.alphaImageDb(), reconstructions.inverseImageDb(), pictures, grid,
                active / coded, prediction, needles, plots, figure, (System.nanoTime() - started) / 1e9);
    }

    /**
     * The protocol's three controls ({@link StraighteningProtocol#controls}) beside the model's P, from
     * its training moments, on the atoms active in them. The shuffled control is taken at its limit: for
     * frames in random order the second differences x_{t+1} - 2 x_t + x_{t-1} of independent frames have
     * S = 6 C (C the centred covariance), and eq. 3.3's P does not depend on the scale of S.
     */
    static Map<String, Embedding> controls(TrainingMoments moments, int f, StraighteningProtocol.Options options) {
        int size = (int) moments.secondMoment().rows();
        int[] active = StraighteningProtocol.activeAtoms(moments.secondMoment());
        if (active.length < f) {
            throw new IllegalArgumentException("Only " + active.length + " atoms were active in the model's training "
                    + "codes, fewer than f = " + f + ": no controls can be fitted");
        }
        INDArray v = StraighteningProtocol.restrict(moments.secondMoment(), active);
        INDArray covariance = StraighteningProtocol.restrict(moments.covariance(), active);
        Map<String, Embedding> controls = new LinkedHashMap<>();
        StraighteningProtocol.controls(v, covariance, covariance, f, options).forEach((r, p) -> controls.put(
                StraighteningProtocol.predictionName(r),
                Embedding.of(StraighteningProtocol.expand(p, active, size), 0)));
        return controls;
    }

    private static Curves curves(String name, List<List<INDArray>> runs, boolean[] moving, Options options) {
        int[] steps = options.protocol().steps();
        Mean[] all = new Mean[steps.length];
        Mean[] mov = new Mean[steps.length];
        long[][] histAll = new long[steps.length][options.histogramBins()];
        long[][] histMoving = new long[steps.length][options.histogramBins()];
        for (int i = 0; i < steps.length; i++) {
            Mean[] pooled = StraighteningProtocol.curvatureOfRuns(runs, steps[i], moving, histAll[i], histMoving[i]);
            all[i] = pooled[0];
            mov[i] = pooled[1];
        }
        return new Curves(name, (int) runs.get(0).get(0).rows(), steps, all, mov, histAll, histMoving);
    }

    /** Figure 3.6B on the best-fit atoms (envelope-weighted needles, spectral orientation, as in the thesis). */
    public static NeedleComparison needles(LayerModel model, SmtConfig config, Options options) {
        return compare(model, NeedleFit.fit(model.dictionary().phi(), config.patchSize(), NeedleFit.Energy.ENVELOPE),
                config, options);
    }

    private static NeedleComparison compare(LayerModel model, NeedleFit.Needle[] fitted, SmtConfig config,
                                            Options options) {
        int[] set = NeedleComparison.bestFit(fitted, bestFitCount(config, options));
        return NeedleComparison.compare(model.embedding().p(), model.dictionary().phi(), fitted, set,
                options.needleK(), NeedleComparison.Orientation.SPECTRAL);
    }

    private static int bestFitCount(SmtConfig config, Options options) {
        return Math.min(options.needleAtoms(), config.dictionarySize() / 2);
    }

    /** Every needle, and the groups of atoms drawn at random (fixed seed) from the best-fit set of figure 3.6B. */
    static NeedlePlots needlePlots(LayerModel model, NeedleFit.Needle[] fitted, SmtConfig config, Options options) {
        int[] candidates = NeedleComparison.bestFit(fitted, bestFitCount(config, options));
        int k = Math.min(options.groupK(), config.dictionarySize() - 1);
        AffinityGroups all = AffinityGroups.of(model.embedding().p(), k);
        List<Integer> order = new ArrayList<>(IntStream.of(candidates).boxed().toList());
        Collections.shuffle(order, new Random(GROUP_SEED));
        List<NeedlePlot.Group> groups = order.stream().limit(options.groups())
                .map(atom -> new NeedlePlot.Group(atom, all.neighbours()[atom], all.similarities()[atom])).toList();
        return new NeedlePlots(config.patchSize(), NeedleFit.drawn(fitted), groups);
    }

    private static Figure34 figure34(List<INDArray> pixels, List<INDArray> alpha, List<INDArray> beta,
                                     List<INDArray> throughBeta, int firstFrame, int location, Options options) {
        int frames = Math.min(options.figureFrames(), pixels.size());
        INDArray x = column(pixels, location, frames);        // n x T
        INDArray a = column(alpha, location, frames);         // N x T
        INDArray b = column(beta, location, frames);          // f x T
        double[] activity = a.castTo(DataType.DOUBLE).sum(1).toDoubleVector();
        int[] units = IntStream.range(0, activity.length).boxed()
                .sorted(Comparator.comparingDouble((Integer j) -> -activity[j]).thenComparingInt(j -> j))
                .limit(Math.min(options.figureUnits(), activity.length)).mapToInt(Integer::intValue).toArray();
        INDArray reconstruction = column(throughBeta, location, frames);   // Phi g(beta), n x T
        return new Figure34(location, firstFrame, units, a.getRows(units).toFloatMatrix(), b.toFloatMatrix(),
                x.transpose().toFloatMatrix(), reconstruction.transpose().toFloatMatrix(),
                Metrics.snrDb(x, reconstruction));
    }

    /** Column {@code location} of the first {@code frames} frames, side by side (d x frames, FLOAT, 'f'). */
    private static INDArray column(List<INDArray> sequence, int location, int frames) {
        INDArray[] columns = new INDArray[frames];
        for (int t = 0; t < frames; t++) {
            columns[t] = sequence.get(t).get(NDArrayIndex.all(), NDArrayIndex.point(location))
                    .reshape(sequence.get(t).rows(), 1);
        }
        return Nd4j.hstack(columns).dup('f');
    }
}
