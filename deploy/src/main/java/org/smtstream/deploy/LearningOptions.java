package org.smtstream.deploy;

import java.io.IOException;
import java.nio.file.Path;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.model.store.ModelRepository;
import org.smtstream.processor.streams.ProcessorOptions;
import picocli.CommandLine.Option;

/** How the processor learns and where its models come from and go: shared by demo and process. */
public final class LearningOptions {

    @Option(names = "--model", paramLabel = "DIR",
            description = "Start from this model: a version directory written by 'smt model export' or by the "
                    + "learner's snapshots (manifest.json + NPY arrays). A newer version on smt.model wins.")
    Path model;

    @Option(names = "--model-dir", paramLabel = "DIR",
            description = "Write a snapshot of every published model version here (NPY + manifest.json); "
                    + "list them with 'smt model list --model-dir DIR'.")
    Path modelDir;

    @Option(names = "--publish-every", defaultValue = "50", paramLabel = "FRAMES",
            description = "Frames learned between two published model versions. Default: ${DEFAULT-VALUE}.")
    int publishEvery;

    @Option(names = "--no-learning", description = "Inference only: follow the versions on smt.model, learn nothing.")
    boolean noLearning;

    @Option(names = "--learner-max-lag", defaultValue = "5000", paramLabel = "MS",
            description = "How long a coded frame may wait for the learner; beyond it the learner learns a fair sample "
                    + "of the frames across streams until it catches up, and counts what it skipped. "
                    + "Default: ${DEFAULT-VALUE}.")
    long learnerMaxLagMs;

    /** The processor options these flags describe, for a configuration the start model must match. */
    ProcessorOptions processorOptions(SmtConfig config) throws IOException {
        ProcessorOptions options = ProcessorOptions.defaults().withPublishEvery(publishEvery)
                .withLearning(!noLearning).withModelDir(modelDir).withLearnerMaxLagMs(learnerMaxLagMs);
        if (model == null) {
            return options;
        }
        SmtModel start = ModelRepository.importFrom(model);
        if (start.phi().rows() != config.patchDim() || start.phi().cols() != config.dictionarySize()) {
            throw new IllegalArgumentException("Model " + model + " has a " + start.phi().rows() + " x "
                    + start.phi().cols() + " dictionary but preset " + config.name() + " needs "
                    + config.patchDim() + " x " + config.dictionarySize() + " (choose the matching --preset)");
        }
        return options.withInitialModel(start);
    }
}
