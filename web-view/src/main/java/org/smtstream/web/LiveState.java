package org.smtstream.web;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.header.Headers;
import org.smtstream.model.BlankFrame;
import org.smtstream.model.PatchGeometry;
import org.smtstream.model.Topics;
import org.smtstream.model.wire.Embeddings;
import org.smtstream.model.wire.FrameImage;
import org.smtstream.model.wire.FrameMetrics;
import org.smtstream.model.wire.IngestFaults;
import org.smtstream.model.wire.PatchFrame;
import org.smtstream.model.wire.SparseCodes;
import org.smtstream.web.MetricHistory.MetricPoint;

/**
 * Everything the page shows, folded from the pipeline's records. Here: per stream a bounded history
 * of metric points, the latest picture of each kind and the counts. Beside it, each with its own
 * lock: {@link StreamProgress} (gaps, lag), {@link DeadLetterCounts}, the {@link TrajectoryStore},
 * the {@link NextFramePrediction} and the {@link ModelState}; the {@code on...} methods hand each
 * record to the parts that use it.
 * Written by one feed thread and read by the event loop and workers, so every access takes a lock;
 * readers get immutable copies.
 *
 * <p>The counts live here once and the Micrometer meters read them ({@link #bindTo}), so the page
 * and {@code /metrics} can never disagree. Tests feed it directly, without Kafka.
 */
public final class LiveState implements MeterBinder {

    /** Metric points kept per stream: a few minutes at 10 fps, enough for the chart. */
    public static final int DEFAULT_HISTORY = 2000;
    /**
     * One stream as the page sees it; {@code newPoints} are those after the reader's cursor (empty
     * for a stream the reader does not follow), {@code grid} is null until a patches frame was seen;
     * {@code blankFrames} of the {@code frames} were blank ({@link BlankFrame}: no SNR, a gap in the charts).
     */
    record StreamView(String streamId, int run, long frames, long blankFrames, long lastSeq, long lastFrameIndex,
                      long modelVersion, double fps, long latencyMs, long latencyP50Ms, long ageMs,
                      Map<FrameImage.Kind, Long> imageFrames, Map<FrameImage.Kind, ImageSnr> imageSnr,
                      List<MetricPoint> newPoints,
                      IngestFaults ingestFaults, long staleSkipped,
                      StreamProgress.Snapshot progress, PatchGeometry grid, NextFramePrediction.Snapshot prediction) {

        /** This view with the parts that live outside {@link LiveState}'s lock. */
        StreamView with(StreamProgress.Snapshot progressNow, PatchGeometry gridNow,
                        NextFramePrediction.Snapshot predictionNow) {
            return new StreamView(streamId, run, frames, blankFrames, lastSeq, lastFrameIndex, modelVersion, fps,
                    latencyMs, latencyP50Ms, ageMs, imageFrames, imageSnr, newPoints, ingestFaults, staleSkipped,
                    progressNow, gridNow, predictionNow);
        }
    }

    /** All streams plus the records that could not be read, per topic, and the dead letters. */
    record View(List<StreamView> streams, Map<String, Long> malformed, DeadLetterCounts.Snapshot deadLetters) {
    }

    private final int historyLimit;
    private final Map<String, StreamState> streams = new TreeMap<>();
    /** Meters are registered here as streams appear; {@link #bindTo} forwards them to real registries. */
    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    private final Map<String, Timer> latencyTimers = new ConcurrentHashMap<>();
    private final MalformedCounts malformed = new MalformedCounts(meters, RecordRouter.DECODED_TOPICS);
    private final StreamProgress progress = new StreamProgress(meters);
    private final DeadLetterCounts deadLetters = new DeadLetterCounts(meters);
    private final TrajectoryStore trajectories;
    private final NextFramePrediction predictions;
    private final ModelState model = new ModelState(meters);

    public LiveState() {
        this(DEFAULT_HISTORY);
    }

    public LiveState(int historyLimit) {
        this(historyLimit, new TrajectoryStore());
    }

    LiveState(int historyLimit, TrajectoryStore trajectories) {
        if (historyLimit < 2) {
            throw new IllegalArgumentException("Invalid history limit: " + historyLimit + " (at least 2 points)");
        }
        this.historyLimit = historyLimit;
        this.trajectories = trajectories;
        this.predictions = new NextFramePrediction();
        Gauge.builder("smt.web.trajectory.bytes", trajectories, TrajectoryStore::retainedBytes).baseUnit("bytes")
                .description("Memory held by the trajectory windows of every stream").register(meters);
    }

    public int historyLimit() {
        return historyLimit;
    }

    /**
     * Adds a metrics record. A frame index below the previous one means the stream was restarted
     * (a replay from the start): the chart history starts over and {@code run} counts up.
     */
    public void onMetrics(FrameMetrics m) {
        boolean isNew;
        synchronized (this) {
            isNew = !streams.containsKey(m.streamId());
            StreamState s = stream(m.streamId());
            if (s.latest != null && m.frameIndex() < s.latest.frameIndex()) {
                s.history.clear();
                s.run++;
            }
            s.history.append(m);
            s.latest = m;
            s.frames++;
            if (BlankFrame.isBlank(m)) {
                s.blank++;
            }
            s.lastArrivalMs = System.currentTimeMillis();
        }
        if (isNew) {
            registerStreamMeters(m.streamId());
        }
        progress.onFrame(Topics.METRICS.name(), m.streamId(), m.frameIndex());
        latencyTimers.computeIfAbsent(m.streamId(), this::latencyTimer).record(Duration.ofMillis(m.latencyMs()));
    }

    /** Keeps the picture as the latest of its kind for its stream. */
    public void onImage(FrameImage image) {
        boolean isNew;
        boolean isNewKind;
        synchronized (this) {
            isNew = !streams.containsKey(image.streamId());
            StreamState s = stream(image.streamId());
            s.images.put(image.kind(), image);
            measureInImageSpace(s, image);
            isNewKind = s.imageCounts.merge(image.kind(), 1L, Long::sum) == 1L;
            s.lastArrivalMs = System.currentTimeMillis();
        }
        if (isNew) {
            registerStreamMeters(image.streamId());
        }
        if (isNewKind) {
            registerImageMeter(image.streamId(), image.kind());
        }
        predictions.onImage(image);
    }

    /** The whitened patches of a frame from a source that has lost nothing. */
    public void onPatches(PatchFrame frame) {
        onPatches(frame, IngestFaults.NONE);
    }

    /**
     * The whitened patches of a frame: the pixels' trajectories, the ingest's progress, and what
     * ingest has lost of the stream so far (the newest record's counts are the stream's).
     */
    public void onPatches(PatchFrame frame, IngestFaults faults) {
        touch(frame.streamId());
        synchronized (this) {
            stream(frame.streamId()).ingestFaults = faults;
        }
        progress.onFrame(Topics.PATCHES.name(), frame.streamId(), frame.frameIndex());
        trajectories.onPatches(frame);
    }

    public void onCodes(SparseCodes codes) {
        progress.onFrame(Topics.CODES.name(), codes.streamId(), codes.frameIndex());
        trajectories.onCodes(codes);
    }

    public void onEmbeddings(Embeddings embeddings) {
        progress.onFrame(Topics.EMBEDDINGS.name(), embeddings.streamId(), embeddings.frameIndex());
        trajectories.onEmbeddings(embeddings);
    }

    /** Counts a record of {@code smt.dlq} by the reason in its headers. */
    public void onDeadLetter(Headers headers) {
        deadLetters.onDeadLetter(headers);
    }

    /** A complete model version from {@code smt.model}. */
    void onModel(ModelSnapshot snapshot) {
        model.onModel(snapshot);
    }

    TrajectoryStore trajectories() {
        return trajectories;
    }

    ModelState model() {
        return model;
    }

    NextFramePrediction predictions() {
        return predictions;
    }

    /** Counts a record of {@code topic} that could not be decoded; the caller logs why. */
    public void onMalformed(String topic) {
        malformed.onMalformed(topic);
    }

    public synchronized Optional<FrameImage> latestImage(String streamId, FrameImage.Kind kind) {
        StreamState s = streams.get(streamId);
        return s == null ? Optional.empty() : Optional.ofNullable(s.images.get(kind));
    }

    public synchronized List<String> streamIds() {
        return List.copyOf(streams.keySet());
    }

    public long malformedCount() {
        return malformed.total();
    }

    /** Records read from {@code smt.dlq}. */
    public long deadLetterCount() {
        return deadLetters.snapshot().total();
    }

    /** Publishes the meters of every stream, present and future, to {@code registry}. */
    @Override
    public void bindTo(MeterRegistry registry) {
        meters.add(registry);
    }

    /** As {@link #view(Map, Predicate)} with the points of every stream. */
    View view(Map<String, Long> cursors) {
        return view(cursors, id -> true);
    }

    /**
     * What a reader has not seen yet: for the streams it follows, the points after
     * {@code cursors.get(streamId)} (all retained points for a stream the reader does not know);
     * for every stream the current totals.
     */
    View view(Map<String, Long> cursors, Predicate<String> follows) {
        List<StreamView> views = new ArrayList<>();
        for (StreamView partial : streamViews(cursors, follows)) {
            // The other parts have their own locks, taken after this one is released.
            views.add(partial.with(progress.snapshot(partial.streamId()),
                    trajectories.geometry(partial.streamId()).orElse(null),
                    predictions.snapshot(partial.streamId()).orElse(null)));
        }
        return new View(List.copyOf(views), malformed.byTopic(), deadLetters.snapshot());
    }

    private synchronized List<StreamView> streamViews(Map<String, Long> cursors, Predicate<String> follows) {
        long now = System.currentTimeMillis();
        List<StreamView> views = new ArrayList<>(streams.size());
        streams.forEach((id, s) -> {
            Map<FrameImage.Kind, Long> imageFrames = new EnumMap<>(FrameImage.Kind.class);
            s.images.forEach((kind, image) -> imageFrames.put(kind, image.frameIndex()));
            List<MetricPoint> recent = s.history.last(StatusWindow.POINTS);
            views.add(new StreamView(id, s.run, s.frames, s.blank, s.history.lastSeq(),
                    s.latest == null ? -1 : s.latest.frameIndex(),
                    s.latest == null ? -1 : s.latest.modelVersion(),
                    StatusWindow.fps(recent),
                    s.latest == null ? -1 : s.latest.latencyMs(),
                    StatusWindow.medianLatencyMs(recent),
                    now - s.lastArrivalMs,
                    Collections.unmodifiableMap(imageFrames), Map.copyOf(s.imageSnr),
                    follows.test(id) ? s.history.after(cursors.getOrDefault(id, 0L)) : List.of(),
                    s.ingestFaults, s.staleSkipped(), null, null, null));
        });
        return views;
    }

    /** Makes a stream known (for the picker) before its first metrics record. */
    private void touch(String streamId) {
        boolean isNew;
        synchronized (this) {
            isNew = !streams.containsKey(streamId);
            stream(streamId);
        }
        if (isNew) {
            registerStreamMeters(streamId);
        }
    }

    private StreamState stream(String streamId) {
        return streams.computeIfAbsent(streamId, id -> new StreamState(historyLimit));
    }

    /*
     * Meters are registered outside this object's lock, so a registration (which takes the registry's
     * locks) and a scrape (which calls the gauges below, which take this lock) can never wait on each
     * other. Each meter is registered once, when its stream, kind or topic first appears.
     */

    private Timer latencyTimer(String streamId) {
        return Timer.builder("smt.web.latency").description("Capture to processed time, per frame")
                .tags("stream", streamId).publishPercentiles(0.5, 0.99).register(meters);
    }

    private void registerStreamMeters(String streamId) {
        FunctionCounter.builder("smt.web.frames.seen", this, st -> st.read(streamId, s -> s.frames))
                .description("Metrics records seen (one per processed frame)").tags("stream", streamId)
                .register(meters);
        FunctionCounter.builder("smt.web.frames.blank", this, st -> st.read(streamId, s -> s.blank))
                .description("Of those, blank frames (nothing in them, so no SNR)").tags("stream", streamId)
                .register(meters);
        gauge("smt.web.snr.alpha.db", "Latest SNR of Phi alpha", streamId, FrameMetrics::snrAlphaDb);
        gauge("smt.web.snr.beta.db", "Latest SNR of Phi g(beta)", streamId, FrameMetrics::snrBetaDb);
        gauge("smt.web.active.fraction", "Latest fraction of non-zero codes", streamId,
                FrameMetrics::activeFraction);
        gauge("smt.web.iterations", "Latest sparse-coder iterations", streamId, FrameMetrics::iterations);
        gauge("smt.web.latency.last.ms", "Latest capture-to-processed latency", streamId,
                FrameMetrics::latencyMs);
        gauge("smt.web.model.version", "Model version of the latest frame", streamId,
                FrameMetrics::modelVersion);
        gauge("smt.web.frame.index", "Latest frame index", streamId, FrameMetrics::frameIndex);
        faultCounter("smt.web.ingest.frames.dropped", "Frames a live source delivered while ingest was behind, "
                + "dropped oldest first", streamId, f -> f.ingestFaults.dropped());
        faultCounter("smt.web.ingest.frames.corrupt", "Frames ingest could not decode", streamId,
                f -> f.ingestFaults.corrupt());
        faultCounter("smt.web.ingest.frames.lost", "Frames estimated lost while the source was away", streamId,
                f -> f.ingestFaults.lost());
        faultCounter("smt.web.ingest.outages", "Times the live source went away and was reconnected", streamId,
                f -> f.ingestFaults.outages());
        faultCounter("smt.web.ingest.outage.seconds", "Time without the live source, in all outages", streamId,
                f -> f.ingestFaults.outageMs() / 1000.0);
        faultCounter("smt.web.frames.stale", "Frames the processor skipped as older than the stream's bound",
                streamId, StreamState::staleSkipped);
        learningGauge("arrived", "Frames of this stream that reached the learner, up to the newest model version",
                streamId, ModelSnapshot.FRAMES_ARRIVED);
        learningGauge("learned", "Of those, frames the learner learned", streamId, ModelSnapshot.FRAMES_LEARNED);
    }

    private void learningGauge(String what, String description, String streamId, String stat) {
        String name = stat + ModelSnapshot.PER_STREAM + streamId;
        Gauge.builder("smt.learning.stream.frames." + what, model, m -> m.stat(name))
                .description(description).tags("stream", streamId).register(meters);
    }

    private void gauge(String name, String description, String streamId,
                       ToDoubleFunction<FrameMetrics> value) {
        Gauge.builder(name, this, st -> st.read(streamId, s -> s.latest == null ? Double.NaN
                        : value.applyAsDouble(s.latest)))
                .description(description).tags("stream", streamId).register(meters);
    }

    private void faultCounter(String name, String description, String streamId, ToDoubleFunction<StreamState> count) {
        FunctionCounter.builder(name, this, st -> st.read(streamId, count)).description(description)
                .tags("stream", streamId).register(meters);
    }

    private void registerImageMeter(String streamId, FrameImage.Kind kind) {
        FunctionCounter.builder("smt.web.images.seen", this,
                        st -> st.read(streamId, s -> s.imageCounts.getOrDefault(kind, 0L)))
                .description("Preview pictures seen").tags("stream", streamId, "kind", kind.name())
                .register(meters);
    }

    /**
     * The SNR of an image-space reconstruction against C x of its frame, which the processor sends
     * just before it; a reconstruction without its C x (lost, or another frame) keeps the last SNR.
     */
    private static void measureInImageSpace(StreamState s, FrameImage image) {
        if (image.kind() != FrameImage.Kind.RECONSTRUCTION_ALPHA_UNWHITENED
                && image.kind() != FrameImage.Kind.RECONSTRUCTION_BETA_UNWHITENED) {
            return;
        }
        FrameImage reference = s.images.get(FrameImage.Kind.UNWHITENED);
        if (reference != null && reference.frameIndex() == image.frameIndex()
                && reference.pixels().length == image.pixels().length) {
            s.imageSnr.put(image.kind(), ImageSnr.of(reference, image));
        }
    }

    private synchronized double read(String streamId, ToDoubleFunction<StreamState> value) {
        StreamState s = streams.get(streamId);
        return s == null ? Double.NaN : value.applyAsDouble(s);
    }

    private static final class StreamState {
        final MetricHistory history;
        final Map<FrameImage.Kind, FrameImage> images = new EnumMap<>(FrameImage.Kind.class);
        final Map<FrameImage.Kind, Long> imageCounts = new EnumMap<>(FrameImage.Kind.class);
        final Map<FrameImage.Kind, ImageSnr> imageSnr = new EnumMap<>(FrameImage.Kind.class);
        FrameMetrics latest;
        IngestFaults ingestFaults = IngestFaults.NONE;
        long frames;
        long blank;
        int run;
        long lastArrivalMs = System.currentTimeMillis();

        StreamState(int historyLimit) {
            history = new MetricHistory(historyLimit);
        }

        long staleSkipped() {
            return latest == null ? 0 : latest.staleSkipped();
        }
    }
}
