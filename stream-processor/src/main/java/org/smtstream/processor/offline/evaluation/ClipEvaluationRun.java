package org.smtstream.processor.offline.evaluation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.model.store.ModelRepository;
import org.smtstream.processor.layer.LayerModel;
import org.smtstream.processor.math.analysis.NeedleComparison;
import org.smtstream.processor.math.linalg.Nd4jRuntime;
import org.smtstream.processor.offline.Clip;
import org.smtstream.processor.offline.OfflineTrainer;
import org.smtstream.processor.offline.Progress;
import org.smtstream.processor.offline.evaluation.Prediction.Predictor;

/**
 * The evaluation of one recording, everything its report shows:
 * <ol>
 *   <li>the model: a given one, evaluated on every frame; or, without one, a model trained by one
 *       online pass ({@link OfflineTrainer}, stored under {@code OUT/model}) on the first
 *       {@link Options#trainFraction()} of the frames and evaluated on the rest, held out;</li>
 *   <li>{@link ClipEvaluation} of that model, and the unit-disc demonstration;</li>
 *   <li>optionally the held-out {@link StraighteningProtocol} on the whole clip, with figure 3.6B for
 *       its Phi and P;</li>
 *   <li>optionally a second layer ({@link TwoLayerSmt}) trained on the pooled betas of the training
 *       frames (stored under {@code OUT/model-layer2}), reconstructing {@value #HIERARCHY_FRAMES}
 *       frames spread over the others (figure 3.7D).</li>
 * </ol>
 * Not thread-safe (it drives ND4J on the calling thread).
 */
public final class ClipEvaluationRun {

    /** Held-out frames reconstructed through both layers (each costs three sparse solves and two inverses). */
    public static final int HIERARCHY_FRAMES = 40;
    /** Of those, the frames the figure shows. */
    static final int HIERARCHY_SHOWN = 4;

    private static final Logger LOG = LoggerFactory.getLogger(ClipEvaluationRun.class);

    /**
     * @param model         a model directory (its newest version) or one exported version, or null to train one
     * @param config        the configuration without a model (a model brings its own)
     * @param trainFraction the first fraction of the frames that train (the model, when none is given, and
     *                      layer 2), in (0, 1)
     * @param layers        1, or 2 for the second layer
     * @param protocol      run the held-out straightening protocol
     * @param out           where trained models are stored
     */
    public record Options(Path model, SmtConfig config, double trainFraction, int layers, boolean protocol,
                          Path out) {
        public Options {
            if (!(trainFraction > 0 && trainFraction < 1)) {
                throw new IllegalArgumentException("Invalid train fraction: " + trainFraction + " (must be in (0, 1))");
            }
            if (layers != 1 && layers != 2) {
                throw new IllegalArgumentException("Invalid number of layers: " + layers + " (1 or 2)");
            }
            if (config == null || out == null) {
                throw new IllegalArgumentException("An evaluation needs a configuration and an output directory");
            }
        }
    }

    /**
     * Everything the report shows.
     *
     * @param config     the model's configuration
     * @param training   how the model came about, one sentence (e.g. which frames trained it)
     * @param evaluation the model on the clip
     * @param disc       the unit-disc demonstration
     * @param protocol   the held-out protocol on the same clip, or null when not run
     * @param hierarchy  the two-layer model's reconstructions, or null when not run
     * @param protocolNeedles figure 3.6B for the protocol's Phi and P (eq. 3.3), or null when not run
     * @param trainingLambdaFraction the fraction of lambda_max for g that the training frames pick
     *                   ({@link InverseLambdaGrid#choose}), NaN when the model was given
     */
    public record Result(SmtConfig config, String training, ClipEvaluation.Result evaluation, UnitDiscDemo disc,
                         StraighteningProtocol.Result protocol, Hierarchy hierarchy,
                         NeedleComparison protocolNeedles, double trainingLambdaFraction) {

        /**
         * The headline: SNRs, sparsity, the curvature at step {@code k} and the next-frame prediction on
         * the moving locations.
         */
        public String summary(int k) {
            Prediction.Result p = evaluation.prediction();
            return String.format(Locale.ROOT, "SNR Phi alpha %.2f dB, Phi g(beta) %.2f dB (in image space %.2f and "
                            + "%.2f dB); active %.2f %%; curvature "
                            + "at k = %d on the moving quarter: pixels %.1f, alpha %.1f, beta %.1f deg; next frame "
                            + "predicted there by extrapolating beta %.2f dB, copying the last frame %.2f dB, "
                            + "extrapolating pixels %.2f dB",
                    evaluation.snrAlphaDb(), evaluation.snrInverseDb(), evaluation.snrAlphaImageDb(),
                    evaluation.snrInverseImageDb(), 100 * evaluation.activeFraction(), k,
                    evaluation.curves("pixels").at(k, true), evaluation.curves("alpha").at(k, true),
                    evaluation.curves("beta").at(k, true), p.row("beta", Predictor.EXTRAPOLATION).movingDb(),
                    p.row(Prediction.PIXELS, Predictor.COPY_LAST).movingDb(),
                    p.row(Prediction.PIXELS, Predictor.EXTRAPOLATION).movingDb());
        }
    }

    /**
     * Figure 3.7D's data.
     *
     * @param training       how layer 2 was trained, one sentence
     * @param config2        layer 2's configuration
     * @param frames         the reconstructed frames' indices within the clip
     * @param input          those frames' whitened patches
     * @param reconstruction their reconstructions and SNRs (over every reconstructed frame)
     */
    public record Hierarchy(String training, SmtConfig config2, int[] frames, List<float[]> input,
                            TwoLayerSmt.Reconstruction reconstruction) {
    }

    private ClipEvaluationRun() {
    }

    /**
     * Runs the evaluation.
     *
     * @param options  the model or how to train one, and what to run
     * @param clip     reads the recording for the configuration in use
     * @param progress shows training and evaluation under way
     */
    public static Result run(Options options, Function<SmtConfig, Clip> clip, Progress progress) throws IOException {
        Nd4jRuntime.logBackend();
        SmtModel given = options.model() == null ? null : ModelRepository.open(options.model());
        SmtConfig config = given != null ? given.config() : options.config();
        SmtConfig config2 = options.layers() == 2 ? TwoLayerSmt.layer2Config(config) : null;
        Clip frames = clip.apply(config);
        int trainFrames = trainFrames(frames.size(), options.trainFraction());
        SmtModel model = given;
        Clip evaluated = frames;
        String training;
        if (given == null) {
            requireEnoughToTrain(frames.size(), trainFrames, config);
            model = train(frames.slice(0, trainFrames), config, options.out().resolve("model"), progress);
            evaluated = frames.slice(trainFrames, frames.size());
            training = String.format(Locale.ROOT, "Trained by this run (one online pass, as 'smt train') on the first "
                    + "%d frames; evaluated on the other %d (held out).", trainFrames, evaluated.size());
        } else {
            training = "Loaded from " + options.model() + " (" + given.info().framesSeen() + " frames learned); "
                    + "evaluated on all frames of the clip.";
        }
        LayerModel layer1 = LayerModel.of(model);
        double trainingLambdaFraction = given != null ? Double.NaN
                : InverseLambdaGrid.choose(matrices(frames.slice(0, trainFrames), config), layer1.dictionary(),
                        layer1.embedding(), config, StraighteningProtocol.Options.defaults().inverseTolerance());
        ClipEvaluation.Result evaluation;
        try (Progress.Task task = progress.start("Evaluating", evaluated.size())) {
            evaluation = ClipEvaluation.run(evaluated, layer1, ClipEvaluation.TrainingMoments.of(model), config,
                    ClipEvaluation.Options.defaults(), task);
        }
        StraighteningProtocol.Result protocol = options.protocol() ? protocol(frames, config) : null;
        Hierarchy hierarchy = config2 == null ? null
                : hierarchy(frames, trainFrames, layer1, config, config2, options.out(), progress);
        NeedleComparison protocolNeedles = protocol == null ? null : ClipEvaluation.needles(new LayerModel(0,
                protocol.dictionary(), protocol.embedding()), config, ClipEvaluation.Options.defaults());
        return new Result(config, training, evaluation, UnitDiscDemo.run(), protocol, hierarchy, protocolNeedles,
                trainingLambdaFraction);
    }

    /** One online pass over {@code clip} from the seeded random dictionary, stored in {@code dir}; the last version. */
    private static SmtModel train(Clip clip, SmtConfig config, Path dir, Progress progress) throws IOException {
        OfflineTrainer.Options options = OfflineTrainer.Options.defaults();
        try (Progress.Task task = progress.start("Training", OfflineTrainer.frames(List.of(clip), options))) {
            return OfflineTrainer.train(List.of(clip), config, null, new ModelRepository(dir), options, task).model();
        }
    }

    /** The split: the first floor({@code fraction} x {@code frames}) frames train, the rest are held out. */
    static int trainFrames(int frames, double fraction) {
        return (int) Math.floor(fraction * frames);
    }

    /** A model needs P (more than the warm-up) and the held-out part enough frames for curvature at k = 4. */
    static void requireEnoughToTrain(int frames, int trainFrames, SmtConfig config) {
        if (trainFrames <= config.embeddingWarmup() + 2 || frames - trainFrames < 9) {
            throw new IllegalArgumentException(frames + " frames are too few to train on " + trainFrames
                    + " and evaluate on the rest");
        }
    }

    private static StraighteningProtocol.Result protocol(Clip clip, SmtConfig config) {
        LOG.info("Running the held-out straightening protocol on all {} frames ...", clip.size());
        return StraighteningProtocol.run(matrices(clip, config), config, StraighteningProtocol.Options.defaults());
    }

    /** The clip's frames as n x L matrices. */
    private static List<INDArray> matrices(Clip clip, SmtConfig config) {
        return clip.frames().stream()
                .map(f -> Nd4j.create(f, new long[] {config.patchDim(), config.patchesPerFrame()}, 'f')).toList();
    }

    /**
     * Trains layer 2 on the pooled betas of the first {@code trainFrames} frames (one online pass,
     * stored under OUT/model-layer2) and reconstructs {@value #HIERARCHY_FRAMES} frames spread over
     * the rest, showing {@value #HIERARCHY_SHOWN} of them.
     */
    private static Hierarchy hierarchy(Clip clip, int trainFrames, LayerModel layer1, SmtConfig config,
                                       SmtConfig config2, Path out, Progress progress) throws IOException {
        Clip pooled = TwoLayerSmt.layer2Clip(clip.slice(0, trainFrames), layer1, config);
        SmtModel layer2 = train(pooled, config2, out.resolve("model-layer2"), progress);
        int rest = clip.size() - trainFrames;
        int[] indices = spread(trainFrames, rest, Math.min(HIERARCHY_FRAMES, rest));
        List<float[]> frames = new ArrayList<>();
        for (int index : indices) {
            frames.add(clip.frames().get(index));
        }
        TwoLayerSmt.Reconstruction r = TwoLayerSmt.reconstruct(new Clip(clip.name(), frames), layer1, config,
                LayerModel.of(layer2), config2);
        int[] shown = spread(0, indices.length, Math.min(HIERARCHY_SHOWN, indices.length));
        int[] shownFrames = new int[shown.length];
        List<float[]> input = new ArrayList<>();
        List<float[]> a1 = new ArrayList<>();
        List<float[]> b1 = new ArrayList<>();
        List<float[]> a2 = new ArrayList<>();
        for (int i = 0; i < shown.length; i++) {
            int j = shown[i];
            shownFrames[i] = indices[j];
            input.add(frames.get(j));
            a1.add(r.fromAlpha1().get(j));
            b1.add(r.fromBeta1().get(j));
            a2.add(r.fromAlpha2().get(j));
        }
        return new Hierarchy(String.format(Locale.ROOT, "Layer 2 was trained on the first %d frames (one online "
                + "pass) and reconstructs %d frames spread over the other %d.", trainFrames, indices.length, rest),
                config2, shownFrames, input, new TwoLayerSmt.Reconstruction(a1, b1, a2, r.snrAlpha1Db(),
                r.snrBeta1Db(), r.snrAlpha2Db(), r.activeFraction2()));
    }

    /** {@code count} indices spread evenly over [from, from + length), the first at {@code from}. */
    static int[] spread(int from, int length, int count) {
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) {
            indices[i] = from + (int) ((long) i * length / count);
        }
        return indices;
    }
}
