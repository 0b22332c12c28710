package org.smtstream.deploy;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.smtstream.model.store.ModelRepository;
import org.smtstream.processor.offline.OfflineTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code smt train}: learns a model from recordings without Kafka, with checkpoints in the model store. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {
            "Learns an SMT model (dictionary Phi, embedding P, covariance V) from recordings, offline: each clip's "
                    + "frames in order, coded and learned exactly as the stream processor does live.",
            "Checkpoints are stored as new versions in the model directory ('smt model list' shows them); "
                    + "use one with 'smt demo|process --model' or 'smt evaluate --model'."})
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--input", required = true, paramLabel = "CLIP",
            description = "A recording to learn from: video file, image directory or numbered pattern (repeatable; "
                    + "clips are visited in the order given, second differences never span two clips).")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--model-dir", defaultValue = ModelCommand.DEFAULT_MODEL_DIR, paramLabel = "DIR",
            description = "Where checkpoints are stored as versions. Default: ${DEFAULT-VALUE}.")
    Path modelDir;

    @Option(names = "--passes", defaultValue = "1", paramLabel = "N",
            description = "Passes over all clips. Default: ${DEFAULT-VALUE}.")
    int passes;

    @Option(names = "--checkpoint-every", defaultValue = "200", paramLabel = "F",
            description = "Store a version every F frames, and after the last one. Default: ${DEFAULT-VALUE}.")
    int checkpointEvery;

    @Option(names = "--max-frames", defaultValue = "0", paramLabel = "N",
            description = "Read at most N frames of each clip (0 = all).")
    int maxFrames;

    @Option(names = "--resume",
            description = "Continue from the newest version in the model directory instead of a random dictionary.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        OfflineTrainer.Options options = OfflineTrainer.Options.defaults().withPasses(passes)
                .withCheckpointEvery(checkpointEvery);
        OfflineTrainer.Result result = OfflineTrainer.train(
                config -> ClipReader.readAll(inputs, config, maxFrames, out), configOptions.config(),
                new ModelRepository(modelDir), resume, options, new TerminalProgress());
        out.printf(Locale.ROOT, "%8s  %12s  %16s  %16s  %6s%n", "version", "frames seen", "SNR (learner)",
                "SNR (inference)", "blank");
        for (OfflineTrainer.Checkpoint c : result.checkpoints()) {
            out.printf(Locale.ROOT, "%8s  %12d  %13.2f dB  %13.2f dB  %6d%n", "v" + c.version(), c.framesSeen(),
                    c.snrDb(), c.inferenceSnrDb(), c.blankFrames());
        }
        out.printf(Locale.ROOT, "Trained on %d frames in %.0f s; %d checkpoints in %s%s%n", result.frames(),
                result.seconds(), result.checkpoints().size(), modelDir,
                result.rejected() > 0 ? " (" + result.rejected() + " rejected by the guard rail)" : "");
        out.flush();
        return 0;
    }
}
