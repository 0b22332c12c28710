package org.smtstream.deploy;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.smtstream.model.SmtConfig;
import org.smtstream.processor.offline.Clip;
import org.smtstream.processor.offline.evaluation.ClipEvaluationRun;
import org.smtstream.processor.offline.report.EvaluationReport;
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
                    + "sparsity; next-frame prediction SNR through beta against copying the last frame and "
                    + "extrapolating pixels; thesis figures 3.4, 3.6B and 3.2), followed by the held-out "
                    + "straightening protocol with its controls.",
            "Without --model it first trains a model on the first --train-fraction of the clip (one pass, as "
                    + "'smt train'; stored under OUT/model) and evaluates it on the rest."})
public final class EvaluateCommand implements Callable<Integer> {

    /** The step k of the curvature in the summary line. */
    private static final int SUMMARY_STEP = 4;

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
            description = "Skip the held-out straightening protocol (about three minutes for the bundled clip "
                    + "on 2 cores, a third of it the next-frame prediction).")
    boolean noProtocol;

    @Override
    public Integer call() throws Exception {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("Invalid --train-fraction: " + trainFraction + " (must be in (0, 1))");
        }
        if (layers != 1 && layers != 2) {
            throw new IllegalArgumentException("Invalid --layers: " + layers + " (1 or 2)");
        }
        PrintWriter console = spec.commandLine().getOut();
        ClipEvaluationRun.Options options = new ClipEvaluationRun.Options(model, configOptions.config(),
                trainFraction, layers, !noProtocol, out);
        Function<SmtConfig, Clip> clip =
                config -> ClipReader.readAll(List.of(input), config, maxFrames, console).get(0);
        ClipEvaluationRun.Result result = ClipEvaluationRun.run(options, clip, new TerminalProgress());
        List<EvaluationReport.Figure> figures = EvaluationReport.write(result, out);
        console.println(result.summary(SUMMARY_STEP));
        console.println("Report: " + out.resolve(EvaluationReport.MARKDOWN) + " (" + figures.size() + " figures)");
        console.flush();
        return 0;
    }
}
