package org.smtstream.deploy;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.ingest.source.SourceSpec;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.model.store.ModelRepository;
import org.smtstream.processor.layer.LayerModel;
import org.smtstream.processor.math.linalg.Nd4jRuntime;
import org.smtstream.processor.math.analysis.NeedleComparison;
import org.smtstream.processor.offline.evaluation.StraighteningProtocol;
import org.smtstream.processor.offline.Clip;
import org.smtstream.processor.offline.evaluation.ClipEvaluation;
import org.smtstream.processor.offline.report.EvaluationReport;
import org.smtstream.processor.offline.OfflineTrainer;
import org.smtstream.processor.offline.evaluation.TwoLayerSmt;
import org.smtstream.processor.offline.evaluation.UnitDiscDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code smt evaluate}: runs a clip through a model offline and writes a report with the thesis's figures. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {
            "Runs a recording through a model offline and writes a report into --out: report.json, report.md and "
                    + "PNG figures (curvature of whitened pixels, alpha and beta; SNR of Phi alpha and Phi g(beta); "
                    + "sparsity; thesis figures 3.4, 3.6B and 3.2), followed by the held-out straightening protocol "
                    + "with its controls.",
            "Without --model it first trains a model on the first --train-fraction of the clip (one pass, as "
                    + "'smt train'; stored under OUT/model) and evaluates it on the rest."})
public final class EvaluateCommand implements Callable<Integer> {

    /** Held-out frames reconstructed through both layers (each costs three sparse solves and two inverses). */
    static final int HIERARCHY_FRAMES = 40;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--input", required = true, paramLabel = "CLIP",
            description = "The recording: video file, image directory or numbered pattern.")
    String input;

    @Option(names = "--model", paramLabel = "DIR",
            description = "A model directory (its newest version) or one exported version directory. Default: "
                    + "train one first.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the report is written.")
    Path out;

    @Option(names = "--train-fraction", defaultValue = "0.7", paramLabel = "F",
            description = "Without --model: the first F of the frames train, the rest are evaluated. "
                    + "Default: ${DEFAULT-VALUE}.")
    double trainFraction;

    @Option(names = "--max-frames", defaultValue = "0", paramLabel = "N",
            description = "Read at most N frames of the clip (0 = all).")
    int maxFrames;

    @Option(names = "--layers", defaultValue = "2", paramLabel = "1|2",
            description = "2: also train a second SMT layer on the pooled betas of 2 x 2 neighbouring locations (on "
                    + "the training frames) and show reconstructions from it (thesis figure 3.7D); needs the fast "
                    + "preset's geometry. Default: ${DEFAULT-VALUE}.")
    int layers;

    @Option(names = "--no-protocol",
            description = "Skip the held-out straightening protocol (about two minutes for the bundled clip).")
    boolean noProtocol;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("Invalid --train-fraction: " + trainFraction + " (must be in (0, 1))");
        }
        if (layers != 1 && layers != 2) {
            throw new IllegalArgumentException("Invalid --layers: " + layers + " (1 or 2)");
        }
        Nd4jRuntime.logBackend();
        SmtModel stored = model == null ? null : loadModel(model);
        SmtConfig config = stored != null ? stored.config() : configOptions.config();
        Clip clip = TrainCommand.read(List.of(input), config, maxFrames, console).get(0);
        SmtConfig config2 = layers == 2 ? TwoLayerSmt.layer2Config(config) : null;
        Clip evaluated = clip;
        String training;
        int trainFrames = (int) Math.floor(trainFraction * clip.size());
        if (stored == null) {
            if (trainFrames <= config.embeddingWarmup() + 2 || clip.size() - trainFrames < 9) {
                throw new IllegalArgumentException(clip.size() + " frames are too few to train on " + trainFrames
                        + " and evaluate on the rest");
            }
            OfflineTrainer.Result trained = TrainCommand.train(List.of(clip.slice(0, trainFrames)), config, null,
                    new ModelRepository(out.resolve("model")), OfflineTrainer.Options.defaults());
            stored = trained.model();
            evaluated = clip.slice(trainFrames, clip.size());
            training = String.format(Locale.ROOT, "Trained by this run (one online pass, as 'smt train') on the first "
                    + "%d frames; evaluated on the other %d (held out).", trainFrames, evaluated.size());
        } else {
            training = "Loaded from " + model + " (" + stored.info().framesSeen() + " frames learned); evaluated on "
                    + "all frames of the clip.";
        }
        ClipEvaluation.Result evaluation;
        try (ProgressBar bar = TrainCommand.bar("Evaluating", evaluated.size())) {
            evaluation = ClipEvaluation.run(evaluated, LayerModel.of(stored), config, ClipEvaluation.Options.defaults(),
                    bar::stepTo);
        }
        StraighteningProtocol.Result protocol = null;
        if (!noProtocol) {
            console.println("Running the held-out straightening protocol (ARCHITECTURE.md) on all " + clip.size()
                    + " frames ...");
            console.flush();
            protocol = StraighteningProtocol.run(matrices(clip, config), config,
                    StraighteningProtocol.Options.defaults());
        }
        EvaluationReport.Hierarchy hierarchy = config2 == null ? null
                : hierarchy(clip, trainFrames, LayerModel.of(stored), config, config2);
        NeedleComparison protocolNeedles = protocol == null ? null : ClipEvaluation.needles(new LayerModel(0,
                protocol.dictionary(), protocol.embedding()), config, ClipEvaluation.Options.defaults());
        List<EvaluationReport.Figure> figures = EvaluationReport.write(new EvaluationReport.Contents(config, training,
                evaluation, UnitDiscDemo.run(), protocol, hierarchy, protocolNeedles), out);
        ClipEvaluation.Curves pixels = evaluation.curves("pixels");
        ClipEvaluation.Curves beta = evaluation.curves("beta");
        int k = 4;
        console.printf(Locale.ROOT, "SNR Phi alpha %.2f dB, Phi g(beta) %.2f dB; active %.2f %%; curvature at k = %d on "
                        + "the moving quarter: pixels %.1f, alpha %.1f, beta %.1f deg%n", evaluation.snrAlphaDb(),
                evaluation.snrInverseDb(), 100 * evaluation.activeFraction(), k, pixels.at(k, true),
                evaluation.curves("alpha").at(k, true), beta.at(k, true));
        console.println("Report: " + out.resolve(EvaluationReport.MARKDOWN) + " (" + figures.size() + " figures)");
        console.flush();
        return 0;
    }

    /**
     * Trains layer 2 on the pooled betas of the first {@code trainFrames} frames (one online pass,
     * stored under OUT/model-layer2) and reconstructs {@value #HIERARCHY_FRAMES} frames spread over
     * the rest, showing four of them.
     */
    private EvaluationReport.Hierarchy hierarchy(Clip clip, int trainFrames, LayerModel layer1, SmtConfig config,
                                                 SmtConfig config2) throws java.io.IOException {
        Clip pooled = TwoLayerSmt.layer2Clip(clip.slice(0, trainFrames), layer1, config);
        SmtModel layer2 = TrainCommand.train(List.of(pooled), config2, null, new ModelRepository(out.resolve(
                "model-layer2")), OfflineTrainer.Options.defaults()).model();
        int rest = clip.size() - trainFrames;
        int count = Math.min(HIERARCHY_FRAMES, rest);
        List<float[]> frames = new java.util.ArrayList<>();
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) {
            indices[i] = trainFrames + (int) ((long) i * rest / count);
            frames.add(clip.frames().get(indices[i]));
        }
        TwoLayerSmt.Reconstruction r = TwoLayerSmt.reconstruct(new Clip(clip.name(), frames), layer1, config,
                LayerModel.of(layer2), config2);
        int[] shown = new int[Math.min(4, count)];
        List<float[]> input = new java.util.ArrayList<>();
        List<float[]> a1 = new java.util.ArrayList<>();
        List<float[]> b1 = new java.util.ArrayList<>();
        List<float[]> a2 = new java.util.ArrayList<>();
        for (int i = 0; i < shown.length; i++) {
            int j = i * count / shown.length;
            shown[i] = indices[j];
            input.add(frames.get(j));
            a1.add(r.fromAlpha1().get(j));
            b1.add(r.fromBeta1().get(j));
            a2.add(r.fromAlpha2().get(j));
        }
        return new EvaluationReport.Hierarchy(String.format(Locale.ROOT, "Layer 2 was trained on the first %d frames "
                + "(one online pass) and reconstructs %d frames spread over the other %d.", trainFrames, count, rest),
                config2, shown, input, new TwoLayerSmt.Reconstruction(a1, b1, a2, r.snrAlpha1Db(), r.snrBeta1Db(),
                r.snrAlpha2Db(), r.activeFraction2()));
    }

    /** A repository (its newest version) or one exported version directory. */
    static SmtModel loadModel(Path dir) throws java.io.IOException {
        if (Files.isRegularFile(dir.resolve(ModelRepository.MANIFEST_FILE))) {
            return ModelRepository.importFrom(dir);
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Model directory '" + dir + "' does not exist");
        }
        return new ModelRepository(dir).latest().orElseThrow(() ->
                new IllegalArgumentException("No model version in " + dir));
    }

    /** Frames as n x L matrices, as the protocol takes them. */
    private static List<INDArray> matrices(Clip clip, SmtConfig config) {
        return clip.frames().stream()
                .map(f -> Nd4j.create(f, new long[] {config.patchDim(), config.patchesPerFrame()}, 'f')).toList();
    }
}
