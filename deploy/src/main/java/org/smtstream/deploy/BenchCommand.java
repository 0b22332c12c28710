package org.smtstream.deploy;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.smtstream.ingest.source.SourceSpec;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.model.store.FileTrees;
import org.smtstream.model.store.ModelRepository;
import org.smtstream.processor.offline.Clip;
import org.smtstream.processor.offline.FrameBench;
import org.smtstream.processor.offline.OfflineTrainer;
import org.smtstream.processor.offline.Progress;
import org.smtstream.processor.streams.ProcessorOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code smt bench}: the sparse coders of per-frame inference timed on real frames with a trained model. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
            "Trains a model on the first --train-frames frames of a recording (default: the bundled clip), one "
                    + "online pass as 'smt train', then times the sparse coding of eq. 3.4 on the frames that follow, "
                    + "in temporal order, with four coders: dense FISTA to the iteration cap from 0 and from the "
                    + "previous frame's codes, and the working-set solver (ACTIVE_SET, stopping on the duality gap) "
                    + "from each. Beside every time: the relative objective gap to the converged solution, the "
                    + "duality gap, the SNR of Phi alpha, the active fraction and the iterations, and the same run's "
                    + "SGEMM rate. Writes bench.json and bench.md.",
            "A short in-process harness (warm-up, then median and p90); the JMH suite runs from the source tree: "
                    + "mvn -pl stream-processor -Pbench test-compile exec:exec.",
            "Run with OMP_WAIT_POLICY=PASSIVE, and for a benchmark run only, without OPENBLAS_CORETYPE and "
                    + "OPENBLAS_L2_SIZE."})
public final class BenchCommand implements Callable<Integer> {

    private static final int PUBLISH_EVERY = ProcessorOptions.defaults().publishEvery();

    @Spec
    CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "Preset to time (repeatable). Default: fast and seed.")
    List<String> presets = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one configuration value of every preset, e.g. --set tolerance=0.05 (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--input", paramLabel = "CLIP",
            description = "The recording: video file, image directory or numbered pattern. Default: the bundled clip.")
    String input;

    @Option(names = "--model", paramLabel = "DIR",
            description = "Time this model (a model directory's newest version, or one exported version) instead of "
                    + "training one; its configuration replaces --preset.")
    Path model;

    @Option(names = "--train-frames", defaultValue = "100", paramLabel = "N",
            description = "Frames to train on; the measured frames follow them. Default: ${DEFAULT-VALUE}.")
    int trainFrames;

    @Option(names = "--frames", defaultValue = "20", paramLabel = "N",
            description = "Measured frames per preset. Default: ${DEFAULT-VALUE}.")
    int frames;

    @Option(names = "--warm-up", defaultValue = "3", paramLabel = "N",
            description = "Frames before measuring. Default: ${DEFAULT-VALUE}.")
    int warmUp;

    @Option(names = "--out", defaultValue = "bench", paramLabel = "DIR",
            description = "Where bench.json and bench.md go. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (frames < 1 || warmUp < 0 || trainFrames < 2) {
            throw new IllegalArgumentException("Need --frames >= 1, --warm-up >= 0 and --train-frames >= 2");
        }
        PrintWriter console = spec.commandLine().getOut();
        SourceSpec source = ClipReader.orBundled(input);
        List<FrameBench.Setup> setups = new ArrayList<>();
        if (model != null) {
            SmtModel stored = ModelRepository.open(model);
            SmtConfig config = stored.config().with(overrides);
            setups.add(new FrameBench.Setup(config, read(source, config, console), stored,
                    "v" + stored.version() + " from " + model, trainFrames));
        } else {
            List<SmtConfig> configs = new ArrayList<>();
            for (String name : presets.isEmpty() ? List.of("fast", "seed") : presets) {
                configs.add(requireEmbedding(SmtConfig.preset(name).with(overrides)));
            }
            for (SmtConfig config : configs) {
                Clip clip = read(source, config, console);
                setups.add(new FrameBench.Setup(config, clip, train(clip, config),
                        "trained here on frames [0, " + trainFrames + ")", trainFrames));
            }
        }
        FrameBench bench = FrameBench.run(setups, warmUp, frames);
        List<Path> written = bench.writeTo(out);
        console.print(bench.toMarkdown());
        console.println("Written: " + written.stream().map(Path::toString).collect(Collectors.joining(", ")));
        console.flush();
        return 0;
    }

    private Clip read(SourceSpec source, SmtConfig config, PrintWriter console) {
        Clip clip = ClipReader.read(source, config, trainFrames + warmUp + frames);
        console.println("Read " + clip.size() + " frames of " + clip.name() + " for " + config.name());
        console.flush();
        return clip;
    }

    private SmtConfig requireEmbedding(SmtConfig config) {
        if (trainFrames <= config.embeddingWarmup()) {
            throw new IllegalArgumentException("--train-frames " + trainFrames + " leaves the " + config.name()
                    + " model without an embedding: it needs more than " + config.embeddingWarmup() + " frames");
        }
        return config;
    }

    /** One online pass over the training frames, as 'smt train', into a temporary model directory. */
    private SmtModel train(Clip clip, SmtConfig config) throws IOException {
        Path directory = Files.createTempDirectory("smt-bench-model-");
        try {
            List<Clip> training = List.of(clip.slice(0, trainFrames));
            // versions every 50 frames, as the live learner publishes them
            OfflineTrainer.Options options = OfflineTrainer.Options.defaults().withCheckpointEvery(PUBLISH_EVERY);
            try (Progress.Task task = new TerminalProgress().start("Training " + config.name(),
                    OfflineTrainer.frames(training, options))) {
                return OfflineTrainer.train(training, config, null, new ModelRepository(directory), options, task)
                        .model();
            }
        } finally {
            FileTrees.deleteRecursively(directory);
        }
    }
}
