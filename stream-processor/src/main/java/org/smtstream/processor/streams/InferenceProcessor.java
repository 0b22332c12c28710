package org.smtstream.processor.streams;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.wire.FrameImage;
import org.smtstream.model.wire.FrameMetrics;
import org.smtstream.model.wire.PatchFrame;
import org.smtstream.model.wire.SparseCodes;
import org.smtstream.processor.math.OnlineSparseCoding;
import org.smtstream.processor.math.OnlineSparseCoding.FrameResult;
import org.smtstream.processor.math.PatchGrid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Codes every patch frame against the current dictionary and learns from it: per record, sparse
 * codes to {@code smt.codes}, frame metrics to {@code smt.metrics}, and (rate-limited per stream)
 * the whitened frame and its reconstruction Phi alpha to {@code smt.preview}. Frames cut with
 * another geometry than the model's, or with non-finite values, go to {@code smt.dlq} with the
 * reason in headers; processing continues.
 *
 * <p>Each instance owns one model (dictionary, coder, learner and their ND4J buffers) created in
 * {@link #init}, on the stream thread that uses it: ND4J arrays are not thread-safe (PITFALLS #2),
 * so the supplier must return a new instance every time. The model's version counts the
 * dictionary updates of this instance; with several partitions each task learns its own model
 * until the learner moves to its own single-writer task (DESIGN section 2).
 */
final class InferenceProcessor implements Processor<String, PatchFrame, Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(InferenceProcessor.class);
    private static final String METRICS_SCOPE = "smt-processor";

    private final SmtConfig config;
    private final ProcessorOptions options;
    private final PatchGrid grid;
    private final Map<String, float[]> previousCodes = new HashMap<>();
    private final PreviewLimiter previews;

    private ProcessorContext<Object, Object> context;
    private OnlineSparseCoding model;
    private Sensor framesSensor;
    private Sensor deadLetterSensor;

    InferenceProcessor(SmtConfig config, ProcessorOptions options) {
        this.config = config;
        this.options = options;
        this.grid = PatchGrid.of(config);
        this.previews = new PreviewLimiter(options.previewIntervalMs());
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.model = new OnlineSparseCoding(config, options.deadAtomWindow(), options.learning());
        String task = context.taskId().toString();
        framesSensor = context.metrics().addRateTotalSensor(METRICS_SCOPE, task, "frames", Sensor.RecordingLevel.INFO);
        deadLetterSensor = context.metrics().addRateTotalSensor(METRICS_SCOPE, task, "dead-letters",
                Sensor.RecordingLevel.INFO);
        LOG.info("Task {}: {} model, n={} N={} B={}, lambda={} eta={} {} x{}", task, config.name(),
                config.patchDim(), config.dictionarySize(), config.patchesPerFrame(), config.lambda(),
                config.dictionaryRate(), config.solver(), config.maxIterations());
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
        FrameResult result = model.process(frame.patches(), options.warmStart() ? previousCodes.get(streamId) : null);
        if (options.warmStart()) {
            previousCodes.put(streamId, result.codes());
        }
        Record<String, PatchFrame> out = record.withKey(streamId);
        context.forward(out.withValue(SparseCodes.fromDense(streamId, frame.frameIndex(), result.modelVersion(),
                config.dictionarySize(), result.codes())), SmtTopology.CODES_SINK);
        context.forward(out.withValue(metrics(frame, result)), SmtTopology.METRICS_SINK);
        if (previews.tryAcquire(streamId, context.currentSystemTimeMs())) {
            context.forward(out.withValue(image(frame, FrameImage.Kind.WHITENED, frame.patches())),
                    SmtTopology.PREVIEW_SINK);
            context.forward(out.withValue(image(frame, FrameImage.Kind.RECONSTRUCTION_ALPHA, result.reconstruction())),
                    SmtTopology.PREVIEW_SINK);
        }
        framesSensor.record();
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} frame {}: SNR {} dB, active {}, {} iterations, model v{}", streamId, frame.frameIndex(),
                    String.format("%.2f", result.snrDb()), String.format("%.4f", result.activeFraction()),
                    result.iterations(), result.modelVersion());
        }
    }

    @Override
    public void close() {
        context.metrics().removeSensor(framesSensor);
        context.metrics().removeSensor(deadLetterSensor);
        previousCodes.clear();
    }

    /** Why this frame cannot be coded by this model, or null when it can. */
    private String incompatibility(PatchFrame frame) {
        if (frame == null) {
            return "record has no value (a tombstone on the patches topic)";
        }
        if (frame.frameSize() != config.frameSize() || frame.patchSize() != config.patchSize()
                || frame.stride() != config.stride()) {
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

    private FrameMetrics metrics(PatchFrame frame, FrameResult result) {
        return new FrameMetrics(frame.streamId(), frame.frameIndex(), frame.captureTimeMs(),
                System.currentTimeMillis(),          // after the math, so latency includes inference
                result.modelVersion(), result.snrDb(), Double.NaN, result.activeFraction(), result.iterations(),
                result.objective() / config.patchesPerFrame(), Double.NaN, Double.NaN, Double.NaN);
    }

    private FrameImage image(PatchFrame frame, FrameImage.Kind kind, float[] patches) {
        return new FrameImage(frame.streamId(), frame.frameIndex(), kind, config.frameSize(), config.frameSize(),
                grid.assemble(patches));
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
        context.forward(new Record<>(key, value, record.timestamp(), DeadLetters.headers(record.headers(), reason, source)),
                SmtTopology.DLQ_SINK);
        deadLetterSensor.record();
        LOG.warn("Dead-lettered record {} of {}: {}", source == null ? "?" : source.offset(),
                source == null ? "?" : source.topic() + "-" + source.partition(), reason.getMessage());
    }
}
