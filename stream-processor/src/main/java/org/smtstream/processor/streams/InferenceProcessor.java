package org.smtstream.processor.streams;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.model.PatchGeometry;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.model.wire.Embeddings;
import org.smtstream.model.wire.FrameImage;
import org.smtstream.model.wire.FrameMetrics;
import org.smtstream.model.wire.LearningSample;
import org.smtstream.model.wire.PatchFrame;
import org.smtstream.model.wire.PatchHeaders;
import org.smtstream.model.wire.SparseCodes;
import org.smtstream.processor.layer.FrameInference;
import org.smtstream.processor.layer.LayerModel;
import org.smtstream.processor.math.analysis.CurvatureWindow;
import org.smtstream.processor.math.analysis.Unwhitening;

/**
 * The inference side of the SMT, one frame at a time, per stream:
 * <ol>
 *   <li>follows the newest model version in the {@link ModelRegistry} (a hot swap between records);</li>
 *   <li>reads the stream's alpha_{t-1}, alpha_{t-2} from the changelogged state store, so a restarted
 *       or rebalanced instance continues the trajectories, and codes the frame with eq. 3.4
 *       ({@link FrameInference}); a gap in frame indices restarts the trajectory;</li>
 *   <li>writes alpha to {@code smt.codes}, beta = P alpha to {@code smt.embeddings}, the frame's
 *       metrics (SNRs, curvature of pixels/alpha/beta, iterations, objective, latency) to
 *       {@code smt.metrics}, rate-limited previews to {@code smt.preview}, and the coded frame to the
 *       single learner on {@code smt.learning}.</li>
 * </ol>
 * Frames cut with another geometry than the model's, or with non-finite values, go to
 * {@code smt.dlq} with the reason in headers; processing continues. A frame older than its stream's
 * freshness bound is skipped and counted ({@link Freshness}): a live camera is followed in the
 * present, and a trajectory restarts after the frames it skipped. A blank frame
 * ({@link org.smtstream.model.BlankFrame}) is published with zero codes and NaN SNRs (how the web view
 * counts it) and goes to the learner, which counts it and learns nothing from it; it cuts the stream's
 * trajectories, so the frame after it starts a new prediction and curvature window.
 *
 * <p>The supplier returns a new instance per task, with its own ND4J buffers (ARCHITECTURE.md, trap T2).
 */
final class InferenceProcessor implements Processor<String, PatchFrame, Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(InferenceProcessor.class);
    private static final String METRICS_SCOPE = "smt-processor";

    private final SmtConfig config;
    private final ProcessorOptions options;
    private final ModelRegistry registry;
    private final String storeName;
    private final PatchGeometry grid;
    private final PreviewLimiter previews;
    private final Map<String, CurvatureWindow> curvature = new HashMap<>();
    /** Per stream, the last two coded frames' patches, for the pixel controls of the prediction preview. */
    private final Map<String, RecentPatches> recentPatches = new HashMap<>();

    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, TrajectoryState> trajectories;
    private FrameInference inference;
    private Unwhitening unwhitening;
    private LayerModel model;
    private Sensor framesSensor;
    private Sensor deadLetterSensor;
    private Sensor staleSensor;

    InferenceProcessor(SmtConfig config, ProcessorOptions options, ModelRegistry registry, String storeName) {
        this.config = config;
        this.options = options;
        this.registry = registry;
        this.storeName = storeName;
        this.grid = config.geometry();
        this.previews = new PreviewLimiter(options.previewIntervalMs());
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.trajectories = context.getStateStore(storeName);
        this.inference = new FrameInference(config);
        this.unwhitening = Unwhitening.of(config);
        SmtModel start = options.initialModel();
        this.model = start == null ? LayerModel.initial(config) : LayerModel.of(start);
        String task = context.taskId().toString();
        framesSensor = context.metrics().addRateTotalSensor(METRICS_SCOPE, task, "frames", Sensor.RecordingLevel.INFO);
        deadLetterSensor = context.metrics().addRateTotalSensor(METRICS_SCOPE, task, "dead-letters",
                Sensor.RecordingLevel.INFO);
        staleSensor = context.metrics().addRateTotalSensor(METRICS_SCOPE, task, "stale-frames",
                Sensor.RecordingLevel.INFO);
        LOG.info("Task {}: {} inference, n={} N={} f={} B={}, lambda={} gamma0={}, model v{}", task, config.name(),
                config.patchDim(), config.dictionarySize(), config.embeddingDim(), config.patchesPerFrame(),
                config.lambda(), config.gamma0(), model.version());
    }

    @Override
    public void process(Record<String, PatchFrame> record) {
        PatchFrame frame = record.value();
        String problem = incompatibility(frame);
        if (problem != null) {
            deadLetter(record, new IncompatibleFrameException(problem));
            return;
        }
        String streamId = frame.streamId();
        TrajectoryState state = TrajectoryState.orEmpty(trajectories.get(streamId));
        long now = now();
        long ageMs = now - frame.captureTimeMs();
        long maxAgeMs = PatchHeaders.maxAgeMs(record.headers());
        Freshness freshness = state.freshness().judge(ageMs, now, maxAgeMs);
        if (freshness.catchingUp()) {
            skipStale(frame, state, freshness, ageMs, maxAgeMs);
            return;
        }
        followRegistry();
        boolean continues = state.continuesWith(frame.frameIndex());
        float[] previous = continues ? state.previous().toDense() : null;
        float[] beforePrevious = continues && state.beforePrevious() != null ? state.beforePrevious().toDense() : null;
        boolean invert = options.inverseEvery() > 0 && frame.frameIndex() % options.inverseEvery() == 0;
        FrameInference.Result result = inference.infer(model, frame.patches(), previous, beforePrevious, invert);

        SparseCodes codes = SparseCodes.fromDense(streamId, frame.frameIndex(), result.modelVersion(),
                config.dictionarySize(), result.codes());
        CurvatureWindow.Angles angles = CurvatureWindow.Angles.NONE;
        if (result.blank()) {
            // a cut: no prediction, and no curvature, spans a blank frame; the freshness count stays
            trajectories.put(streamId, TrajectoryState.EMPTY.with(freshness));
        } else {
            trajectories.put(streamId, state.advance(frame.frameIndex(), codes, freshness));
            angles = curvature.computeIfAbsent(streamId, s -> new CurvatureWindow(options.curvatureStep(),
                            config.patchDim(), config.dictionarySize()))
                    .push(frame.frameIndex(), frame.patches(), result.codes(), result.beta());
        }

        RecentPatches recent = recentPatches.get(streamId);
        float[][] before = recent == null ? null : recent.before(frame.frameIndex());
        if (result.blank()) {
            recentPatches.remove(streamId);
        } else {
            recentPatches.put(streamId, RecentPatches.after(recent, frame.frameIndex(), frame.patches()));
        }

        Record<String, PatchFrame> out = record.withKey(streamId);
        context.forward(out.withValue(codes), SmtTopology.CODES_SINK);
        if (result.beta() != null) {
            context.forward(out.withValue(new Embeddings(streamId, frame.frameIndex(), result.modelVersion(),
                    config.embeddingDim(), result.beta())), SmtTopology.EMBEDDINGS_SINK);
        }
        context.forward(out.withValue(metrics(frame, result, angles, freshness)), SmtTopology.METRICS_SINK);
        if (options.learning()) {
            // stamped with the time it is sent, so the learner can tell how long it waited (its lag)
            LearningSample sample = new LearningSample(frame, codes);
            long sent = context.currentSystemTimeMs();
            context.forward(out.withValue(sample).withTimestamp(sent), SmtTopology.LEARNING_SINK);
        }
        forwardPreviews(out, frame, result, Unwhitening.appliesTo(PatchHeaders.preprocessing(record.headers())),
                before);
        framesSensor.record();
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} frame {}: SNR {} dB, active {}, {} iterations, history {}, model v{}", streamId,
                    frame.frameIndex(), String.format("%.2f", result.snrAlphaDb()),
                    String.format("%.4f", result.activeFraction()), result.iterations(), result.history(),
                    result.modelVersion());
        }
    }

    @Override
    public void close() {
        context.metrics().removeSensor(framesSensor);
        context.metrics().removeSensor(deadLetterSensor);
        context.metrics().removeSensor(staleSensor);
        curvature.clear();
        recentPatches.clear();
    }

    /**
     * The present, for the age of a frame. Streams' own clock ({@code currentSystemTimeMs}) is read
     * once per poll loop and can be seconds behind after a slow batch, which would make old frames
     * look fresh; the system clock is never behind it. The later of the two is the system clock in
     * production and the test driver's mock clock in tests, which set it ahead.
     */
    private long now() {
        return Math.max(System.currentTimeMillis(), context.currentSystemTimeMs());
    }

    /** Counts a frame too old to code; the trajectory restarts at the next frame coded. */
    private void skipStale(PatchFrame frame, TrajectoryState state, Freshness after, long ageMs, long maxAgeMs) {
        trajectories.put(frame.streamId(), state.with(after));
        staleSensor.record();
        if (!state.freshness().catchingUp()) {
            // Once per catch-up, and at INFO only the first time a stream needs one.
            boolean first = after.staleSkipped() == 1;
            String message = "{} frame {}: {} ms old, over the stream's bound of {} ms; skipping to the present"
                    + (first ? " (the processor is slower than this live source; skipped frames are counted)" : "");
            Object[] args = {frame.streamId(), frame.frameIndex(), ageMs, maxAgeMs};
            if (first) {
                LOG.info(message, args);
            } else {
                LOG.debug(message, args);
            }
        }
    }

    /** Copies a newer published version into this task's arrays. */
    private void followRegistry() {
        SmtModel newest = registry.latest();
        if (newest != null && newest.version() > model.version()) {
            model = LayerModel.of(newest);
            LOG.debug("Task {} now codes with model v{}", context.taskId(), model.version());
        }
    }

    /**
     * The pictures of a frame; in image space too when the stream's preprocessing can be undone
     * ({@link Unwhitening#appliesTo}). C x goes before the reconstructions of the same frame, so a
     * reader can pair each with the C x it arrived after. With the prediction through beta go, of the
     * same frame, x_t and the two pixel controls made from {@code before} (x_{t-1}, x_{t-2}), so a reader
     * can score all three against x_t however far it lags; without both frames before (this instance
     * restarted, or a gap), none of the four.
     */
    private void forwardPreviews(Record<String, PatchFrame> out, PatchFrame frame, FrameInference.Result result,
                                 boolean unwhiten, float[][] before) {
        boolean fromBeta = result.betaReconstruction() != null;
        boolean fromAlpha = previews.tryAcquire(frame.streamId(), context.currentSystemTimeMs());
        if (fromBeta) {
            forwardPreview(out, frame, FrameImage.Kind.RECONSTRUCTION_BETA, result.betaReconstruction());
            if (result.betaPrediction() != null && before != null) {
                INDArray extrapolated = Nd4j.create(before[0]).muli(2).subi(Nd4j.create(before[1]));
                forwardPreview(out, frame, FrameImage.Kind.PREDICTION_TARGET, frame.patches());
                forwardPreview(out, frame, FrameImage.Kind.PREDICTION_COPY_LAST, before[0]);
                forwardPreview(out, frame, FrameImage.Kind.PREDICTION_PIXELS, extrapolated.data().asFloat());
                forwardPreview(out, frame, FrameImage.Kind.PREDICTION_BETA, result.betaPrediction());
            }
        }
        if (fromAlpha) {
            forwardPreview(out, frame, FrameImage.Kind.WHITENED, frame.patches());
            forwardPreview(out, frame, FrameImage.Kind.RECONSTRUCTION_ALPHA, result.reconstruction());
        }
        if (unwhiten && (fromBeta || fromAlpha)) {
            forwardUnwhitened(out, frame, FrameImage.Kind.UNWHITENED, frame.patches());
            if (fromBeta) {
                forwardUnwhitened(out, frame, FrameImage.Kind.RECONSTRUCTION_BETA_UNWHITENED,
                        result.betaReconstruction());
            }
            if (fromAlpha) {
                forwardUnwhitened(out, frame, FrameImage.Kind.RECONSTRUCTION_ALPHA_UNWHITENED, result.reconstruction());
            }
        }
    }

    private void forwardPreview(Record<String, PatchFrame> out, PatchFrame frame, FrameImage.Kind kind,
                                float[] patches) {
        context.forward(out.withValue(new FrameImage(frame.streamId(), frame.frameIndex(), kind, config.frameSize(),
                config.frameSize(), grid.assemble(patches))), SmtTopology.PREVIEW_SINK);
    }

    private void forwardUnwhitened(Record<String, PatchFrame> out, PatchFrame frame, FrameImage.Kind kind,
                                   float[] patches) {
        context.forward(out.withValue(new FrameImage(frame.streamId(), frame.frameIndex(), kind, config.frameSize(),
                config.frameSize(), unwhitening.frame(patches))), SmtTopology.PREVIEW_SINK);
    }

    /**
     * A stream's last coded frame and, when it directly followed another, that one: kept in memory only,
     * as the pixel controls are previews, and cut like the trajectories by a blank frame or a gap.
     */
    private record RecentPatches(long frameIndex, float[] last, float[] beforeLast) {

        static RecentPatches after(RecentPatches recent, long frameIndex, float[] patches) {
            boolean follows = recent != null && recent.frameIndex == frameIndex - 1;
            return new RecentPatches(frameIndex, patches, follows ? recent.last : null);
        }

        /** {x_{t-1}, x_{t-2}} for frame t, or null unless both are the two frames just before it. */
        float[][] before(long t) {
            return frameIndex == t - 1 && beforeLast != null ? new float[][] {last, beforeLast} : null;
        }
    }

    /** Why this frame cannot be coded by this model, or null when it can. */
    private String incompatibility(PatchFrame frame) {
        if (frame == null) {
            return "record has no value (a tombstone on the patches topic)";
        }
        if (!frame.geometry().equals(grid)) {
            return String.format("patch geometry (frame %d, patch %d, stride %d) does not match the model's "
                            + "(frame %d, patch %d, stride %d)", frame.frameSize(), frame.patchSize(), frame.stride(),
                    config.frameSize(), config.patchSize(), config.stride());
        }
        float[] patches = frame.patches();
        for (int k = 0; k < patches.length; k++) {
            if (!Float.isFinite(patches[k])) {
                return "patch value " + k + " is " + patches[k] + " (NaN or infinite values would corrupt the model)";
            }
        }
        return null;
    }

    private FrameMetrics metrics(PatchFrame frame, FrameInference.Result result, CurvatureWindow.Angles angles,
                                 Freshness freshness) {
        return new FrameMetrics(frame.streamId(), frame.frameIndex(), frame.captureTimeMs(),
                System.currentTimeMillis(),          // after the math, so latency includes inference
                result.modelVersion(), result.snrAlphaDb(), result.snrBetaDb(), result.activeFraction(),
                result.iterations(), result.objective() / config.patchesPerFrame(),
                angles.pixels(), angles.alpha(), angles.beta(), freshness.staleSkipped());
    }

    /**
     * Forwards the record, as the bytes it arrived as, to the dead-letter queue. The value is
     * re-encoded: the wire format is deterministic, so for a record that decoded these are the
     * original bytes.
     */
    private void deadLetter(Record<String, PatchFrame> record, IncompatibleFrameException reason) {
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        byte[] value = record.value() == null ? null : record.value().toBytes();
        var source = context.recordMetadata().orElse(null);
        context.forward(new Record<>(key, value, record.timestamp(),
                DeadLetters.headers(record.headers(), reason, source)), SmtTopology.DLQ_SINK);
        deadLetterSensor.record();
        LOG.warn("Dead-lettered record {} of {}: {}", source == null ? "?" : source.offset(),
                source == null ? "?" : source.topic() + "-" + source.partition(), reason.getMessage());
    }
}
