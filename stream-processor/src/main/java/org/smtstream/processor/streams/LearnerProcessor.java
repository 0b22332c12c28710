package org.smtstream.processor.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.model.store.ModelChunks;
import org.smtstream.model.store.ModelRepository;
import org.smtstream.model.wire.LearningSample;
import org.smtstream.model.wire.ModelChunk;
import org.smtstream.processor.layer.OnlineSmtLearner;
import org.smtstream.processor.layer.PublicationGuard;
import org.smtstream.processor.math.analysis.NeedleFit;

/**
 * The single learner: the only task of the one-partition {@code smt.learning} topic, so exactly one
 * instance of the group writes the model. It learns from the coded frames ({@link OnlineSmtLearner})
 * and whenever the frames it has learned reach a multiple of {@link ProcessorOptions#publishEvery()}
 * publishes a version (in step with the refits of P, which count the same frames; a blank frame, which
 * it counts but does not learn, does not count): its chunks to
 * {@code smt.model} inside the task's transaction, and (when a model directory is set) a snapshot
 * on disk. Frames learned since the last version are also published once no frame has reached the
 * learner for {@link #PUBLISH_WHEN_IDLE}: the end of a replay, or a pause of every stream, would
 * otherwise leave them unpublished until the window fills, and a learner that caught up by skipping
 * frames may learn fewer than a window's worth from the rest of a recording.
 *
 * <p>When frames wait on {@code smt.learning} longer than {@link ProcessorOptions#learnerMaxLagMs()}
 * (inference stamps each with the time it sent it), the learner is behind and learns a fair sample
 * across streams until it catches up ({@link LearningSampler}); every version's stats carry the frames
 * arrived and learned, in total and per stream, and the {@code skipped-frames} metric counts the rest.
 *
 * <p>Guard rail ({@link PublicationGuard}, with {@link ProcessorOptions#divergenceFactor()}): a version
 * whose arrays are not finite, or whose mean coding objective per patch rose more than that factor
 * over the previous version's, is rejected: counted (in the next version's info and the
 * {@code rejected-updates} metric), logged with its reason, and the learner goes back to the last
 * good version.
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
    /** A learner that keeps falling behind says so at most this often (each time at debug level). */
    private static final long BEHIND_LOG_INTERVAL_MS = 60_000;
    /** Quiet time after which the frames learned since the last version are published. */
    static final Duration PUBLISH_WHEN_IDLE = Duration.ofSeconds(2);

    private final SmtConfig config;
    private final ProcessorOptions options;
    private final ModelRegistry registry;

    private ProcessorContext<String, ModelChunk> context;
    private OnlineSmtLearner learner;
    private ModelRepository repository;
    private PublicationGuard guard;
    private long version;
    private long publishedFrames;   // the learner's frames at the last version it published or started from
    private long lastArrivalMs;
    private Sensor publishedSensor;
    private Sensor rejectedSensor;
    private Sensor skippedSensor;
    private LearningSampler sampler;
    private long behindLoggedMs = -BEHIND_LOG_INTERVAL_MS;

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
        SmtModel start = published != null && (initial == null || published.version() >= initial.version())
                ? published : initial;
        guard = new PublicationGuard(options.divergenceFactor(), start,
                start == null ? 0 : start.info().rejectedUpdates());
        learner = new OnlineSmtLearner(config, start, options.deadAtomWindow());
        publishedFrames = learner.frames();
        version = start == null ? 0 : start.version();
        repository = options.modelDir() == null ? null : new ModelRepository(options.modelDir());
        sampler = new LearningSampler(options.learnerMaxLagMs());
        lastArrivalMs = context.currentSystemTimeMs();
        context.schedule(PUBLISH_WHEN_IDLE.dividedBy(4), PunctuationType.WALL_CLOCK_TIME, this::publishIfIdle);
        if (start != null) {
            sampler.restore(start.info());
        }
        String task = context.taskId().toString();
        publishedSensor = context.metrics().addRateTotalSensor(METRICS_SCOPE, task, "published-versions",
                Sensor.RecordingLevel.INFO);
        rejectedSensor = context.metrics().addRateTotalSensor(METRICS_SCOPE, task, "rejected-updates",
                Sensor.RecordingLevel.INFO);
        skippedSensor = context.metrics().addRateTotalSensor(METRICS_SCOPE, task, "skipped-frames",
                Sensor.RecordingLevel.INFO);
        LOG.info("Learner on task {} starts from model v{} ({} frames learned), publishing every {} frames{}", task,
                version, learner.frames(), options.publishEvery(),
                repository == null ? "" : ", snapshots in " + options.modelDir().toAbsolutePath());
    }

    @Override
    public void process(Record<String, LearningSample> record) {
        LearningSample sample = record.value();
        lastArrivalMs = context.currentSystemTimeMs();
        if (sample == null || sample.frame().patchDim() != config.patchDim()
                || sample.frame().patchCount() != config.patchesPerFrame()
                || sample.codes().dictionarySize() != config.dictionarySize()) {
            LOG.warn("Learner skipped a sample that does not fit the model ({})", sample == null ? "no value"
                    : sample.frame().patchDim() + "-pixel patches x " + sample.frame().patchCount());
            return;
        }
        if (!admit(sample, context.currentSystemTimeMs(), record.timestamp())) {
            return;
        }
        adoptForeignVersion();
        OnlineSmtLearner.Sample learned = learner.learn(sample.frame().streamId(), sample.frame().frameIndex(),
                sample.frame().patches(), sample.codes().toDense());
        if (!learned.blank() && learner.frames() % options.publishEvery() == 0) {
            publishOrReject(record.timestamp());
        }
    }

    /** Publishes the frames learned since the last version when none has arrived for a while. */
    private void publishIfIdle(long nowMs) {
        if (learner.frames() != publishedFrames && nowMs - lastArrivalMs >= PUBLISH_WHEN_IDLE.toMillis()) {
            publishOrReject(nowMs);
        }
    }

    /** Whether to learn this frame, sent at {@code sentMs}; says so when the learner falls behind. */
    private boolean admit(LearningSample sample, long nowMs, long sentMs) {
        boolean wasBehind = sampler.behind();
        boolean learn = sampler.admit(sample.frame().streamId(), nowMs - sentMs);
        if (sampler.behind() && !wasBehind) {
            boolean quiet = nowMs - behindLoggedMs < BEHIND_LOG_INTERVAL_MS;
            String message = "Learner is behind: a frame waited {} ms on smt.learning; it learns a fair sample across "
                    + "streams until it catches up ({} of {} frames learned so far)";
            if (quiet) {
                LOG.debug(message, nowMs - sentMs, sampler.learned(), sampler.arrived());
            } else {
                LOG.info(message, nowMs - sentMs, sampler.learned(), sampler.arrived());
                behindLoggedMs = nowMs;
            }
        }
        if (!learn) {
            skippedSensor.record();
        }
        return learn;
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
            guard.adopted(newest);
            version = newest.version();
            publishedFrames = learner.frames();
        }
    }

    private void publishOrReject(long timestamp) {
        double window = learner.windowObjective();
        Optional<String> reason = guard.reject(learner);
        if (reason.isPresent()) {
            rejectedSensor.record();
            LOG.warn("Rejected the update after v{} ({} rejected so far): {}; back to v{}", version, guard.rejected(),
                    reason.get(), version);
            learner = new OnlineSmtLearner(config, guard.lastGood(), options.deadAtomWindow());
            publishedFrames = learner.frames();
            return;
        }
        double constraint = learner.refreshConstraint();
        // The needles travel with the version: the web view draws them and has no ND4J to fit them.
        SmtModel model = NeedleFit.withNeedles(learner.snapshot(version + 1, new ModelInfo(version,
                System.currentTimeMillis(), learner.frames(), guard.rejected(), "",
                sampler.withStats(Map.of(ModelInfo.CONSTRAINT_ERROR, constraint)))));
        List<ModelChunk> chunks = ModelChunks.split(model);
        for (ModelChunk chunk : chunks) {
            context.forward(new Record<>(ModelChunks.key(chunk.index()), chunk, timestamp), SmtTopology.MODEL_SINK);
        }
        snapshot(model);
        guard.accepted(model);
        version = model.version();
        publishedFrames = learner.frames();
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
            context.metrics().removeSensor(skippedSensor);
        }
    }
}
