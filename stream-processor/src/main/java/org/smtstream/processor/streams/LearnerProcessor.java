package org.smtstream.processor.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.model.store.ModelChunks;
import org.smtstream.model.store.ModelRepository;
import org.smtstream.model.wire.LearningSample;
import org.smtstream.model.wire.ModelChunk;
import org.smtstream.processor.layer.OnlineSmtLearner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single learner: the only task of the one-partition {@code smt.learning} topic, so exactly one
 * instance of the group writes the model. It learns from every coded frame ({@link OnlineSmtLearner})
 * and every {@link ProcessorOptions#publishEvery()} frames publishes a version: its chunks to
 * {@code smt.model} inside the task's transaction, and (when a model directory is set) a snapshot
 * on disk.
 *
 * <p>Guard rails: a version whose arrays are not finite, or whose mean coding objective per patch
 * rose more than {@link ProcessorOptions#divergenceFactor()} times over the previous version's, is
 * rejected: counted (in the next version's info and the {@code rejected-updates} metric), logged
 * with its reason, and the learner goes back to the last good version.
 *
 * <p>It starts from the newest version on {@code smt.model} (the global store is restored before
 * tasks run), else from the configured initial model, else from the seeded random dictionary, so a
 * moved or restarted learner continues where the last published version left off. A newer version
 * that another writer publishes (a rollback) replaces the learner's state before its next frame. Frames learned
 * after the last publication are lost with the instance: the price of publishing in batches.
 */
final class LearnerProcessor implements Processor<String, LearningSample, String, ModelChunk> {

    private static final Logger LOG = LoggerFactory.getLogger(LearnerProcessor.class);
    private static final String METRICS_SCOPE = "smt-learner";

    private final SmtConfig config;
    private final ProcessorOptions options;
    private final ModelRegistry registry;

    private ProcessorContext<String, ModelChunk> context;
    private OnlineSmtLearner learner;
    private ModelRepository repository;
    private SmtModel lastGood;
    private long version;
    private long rejected;
    private long framesInWindow;
    private double previousWindowObjective = Double.NaN;
    private Sensor publishedSensor;
    private Sensor rejectedSensor;

    LearnerProcessor(SmtConfig config, ProcessorOptions options, ModelRegistry registry) {
        this.config = config;
        this.options = options;
        this.registry = registry;
    }

    @Override
    public void init(ProcessorContext<String, ModelChunk> context) {
        this.context = context;
        SmtModel published = registry.latest();
        SmtModel initial = options.initialModel();
        lastGood = published != null && (initial == null || published.version() >= initial.version()) ? published
                : initial;
        learner = new OnlineSmtLearner(config, lastGood, options.deadAtomWindow());
        version = lastGood == null ? 0 : lastGood.version();
        rejected = lastGood == null ? 0 : lastGood.info().rejectedUpdates();
        repository = options.modelDir() == null ? null : new ModelRepository(options.modelDir());
        String task = context.taskId().toString();
        publishedSensor = context.metrics().addRateTotalSensor(METRICS_SCOPE, task, "published-versions",
                Sensor.RecordingLevel.INFO);
        rejectedSensor = context.metrics().addRateTotalSensor(METRICS_SCOPE, task, "rejected-updates",
                Sensor.RecordingLevel.INFO);
        LOG.info("Learner on task {} starts from model v{} ({} frames learned), publishing every {} frames{}", task,
                version, learner.frames(), options.publishEvery(),
                repository == null ? "" : ", snapshots in " + options.modelDir().toAbsolutePath());
    }

    @Override
    public void process(Record<String, LearningSample> record) {
        LearningSample sample = record.value();
        if (sample == null || sample.frame().patchDim() != config.patchDim()
                || sample.frame().patchCount() != config.patchesPerFrame()
                || sample.codes().dictionarySize() != config.dictionarySize()) {
            LOG.warn("Learner skipped a sample that does not fit the model ({})", sample == null ? "no value"
                    : sample.frame().patchDim() + "-pixel patches x " + sample.frame().patchCount());
            return;
        }
        adoptForeignVersion();
        learner.learn(sample.frame().streamId(), sample.frame().frameIndex(), sample.frame().patches(),
                sample.codes().toDense());
        if (++framesInWindow >= options.publishEvery()) {
            publishOrReject(record.timestamp());
            framesInWindow = 0;
        }
    }

    /**
     * A version newer than the learner's own came from elsewhere (smt model rollback / import
     * --publish): continue from it, so that a rollback is not overwritten by the next publication.
     */
    private void adoptForeignVersion() {
        SmtModel newest = registry.latest();
        if (newest != null && newest.version() > version) {
            LOG.info("Learner continues from v{} published by another writer (it was at v{})", newest.version(),
                    version);
            learner = new OnlineSmtLearner(config, newest, options.deadAtomWindow());
            lastGood = newest;
            version = newest.version();
            framesInWindow = 0;
            previousWindowObjective = Double.NaN;
        }
    }

    private void publishOrReject(long timestamp) {
        double window = learner.windowObjective();
        String reason = !learner.isFinite() ? "the model has NaN or infinite values"
                : !Double.isFinite(window) ? "the coding objective is " + window
                : window > options.divergenceFactor() * previousWindowObjective
                ? String.format("the coding objective per patch rose from %.4g to %.4g", previousWindowObjective, window)
                : null;
        if (reason != null) {
            rejected++;
            rejectedSensor.record();
            LOG.warn("Rejected the update after v{} ({} rejected so far): {}; back to v{}", version, rejected, reason,
                    version);
            learner = new OnlineSmtLearner(config, lastGood, options.deadAtomWindow());
            return;
        }
        double constraint = learner.refreshConstraint();
        SmtModel model = learner.snapshot(version + 1, new ModelInfo(version, System.currentTimeMillis(),
                learner.frames(), rejected, "", Map.of(ModelInfo.CONSTRAINT_ERROR, constraint)));
        List<ModelChunk> chunks = ModelChunks.split(model);
        for (ModelChunk chunk : chunks) {
            context.forward(new Record<>(ModelChunks.key(chunk.index()), chunk, timestamp), SmtTopology.MODEL_SINK);
        }
        snapshot(model);
        lastGood = model;
        version = model.version();
        previousWindowObjective = window;
        learner.resetWindow();
        publishedSensor.record();
        LOG.info("Published model v{} in {} chunks: {} frames learned, coding objective {} per patch, "
                        + "embedding objective {}, |PVP^T - I| {}", version, chunks.size(), learner.frames(),
                String.format("%.4f", window),
                String.format("%.4g", model.info().stats().get(ModelInfo.EMBEDDING_OBJECTIVE)),
                String.format("%.2g", constraint));
    }

    /** Writes the snapshot unless this version is already on disk (a replay after a crash re-publishes it). */
    private void snapshot(SmtModel model) {
        if (repository == null) {
            return;
        }
        try {
            Path dir = repository.save(model);
            LOG.debug("Snapshot v{} written to {}", model.version(), dir);
        } catch (FileAlreadyExistsException e) {      // the store never overwrites a version
            LOG.info("Snapshot v{} already on disk; kept as it is", model.version());
        } catch (IOException | UncheckedIOException e) {
            LOG.error("Could not write snapshot v{} to {}: {}", model.version(), options.modelDir(), e.getMessage());
        }
    }

    @Override
    public void close() {
        if (context != null) {
            context.metrics().removeSensor(publishedSensor);
            context.metrics().removeSensor(rejectedSensor);
        }
    }
}
