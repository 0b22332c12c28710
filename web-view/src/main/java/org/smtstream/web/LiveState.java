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
import java.util.function.ToDoubleFunction;
import org.smtstream.model.Topics;
import org.smtstream.model.wire.FrameImage;
import org.smtstream.model.wire.FrameMetrics;
import org.smtstream.web.MetricHistory.MetricPoint;

/**
 * Everything the page shows, folded from the pipeline's records: per stream a bounded history of
 * metric points, the latest picture of each kind and the counts. Written by one feed thread and read
 * by the event loop, so every access takes this object's lock; readers get immutable copies.
 *
 * <p>The counts live here once and the Micrometer meters read them ({@link #bindTo}), so the page
 * and {@code /metrics} can never disagree. Tests feed it directly, without Kafka.
 */
public final class LiveState implements MeterBinder {

    /** Metric points kept per stream: a few minutes at 10 fps, enough for the chart. */
    public static final int DEFAULT_HISTORY = 2000;
    /** Points the frame rate is averaged over. */
    private static final int FPS_WINDOW = 30;

    /** One stream as the page sees it; {@code newPoints} are those after the reader's cursor. */
    record StreamView(String streamId, int run, long frames, long lastSeq, long lastFrameIndex, long modelVersion,
                      double fps, long latencyMs, long ageMs, Map<FrameImage.Kind, Long> imageFrames,
                      List<MetricPoint> newPoints) {
    }

    /** All streams plus the records that could not be read, per topic. */
    record View(List<StreamView> streams, Map<String, Long> malformed) {
    }

    private final int historyLimit;
    private final Map<String, StreamState> streams = new TreeMap<>();
    private final Map<String, Long> malformed = new TreeMap<>();
    /** Meters are registered here as streams appear; {@link #bindTo} forwards them to real registries. */
    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    private final Map<String, Timer> latencyTimers = new ConcurrentHashMap<>();

    public LiveState() {
        this(DEFAULT_HISTORY);
    }

    public LiveState(int historyLimit) {
        if (historyLimit < 2) {
            throw new IllegalArgumentException("Invalid history limit: " + historyLimit + " (at least 2 points)");
        }
        this.historyLimit = historyLimit;
        // The topics the feed reads show a zero count from the start, not only after a first failure.
        for (String topic : List.of(Topics.METRICS.name(), Topics.PREVIEW.name())) {
            malformed.put(topic, 0L);
            registerMalformedMeter(topic);
        }
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
            s.lastArrivalMs = System.currentTimeMillis();
        }
        if (isNew) {
            registerStreamMeters(m.streamId());
        }
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
            isNewKind = s.imageCounts.merge(image.kind(), 1L, Long::sum) == 1L;
            s.lastArrivalMs = System.currentTimeMillis();
        }
        if (isNew) {
            registerStreamMeters(image.streamId());
        }
        if (isNewKind) {
            registerImageMeter(image.streamId(), image.kind());
        }
    }

    /** Counts a record of {@code topic} that could not be decoded; the caller logs why. */
    public void onMalformed(String topic) {
        boolean isNew;
        synchronized (this) {
            isNew = !malformed.containsKey(topic);
            malformed.merge(topic, 1L, Long::sum);
        }
        if (isNew) {
            registerMalformedMeter(topic);
        }
    }

    public synchronized Optional<FrameImage> latestImage(String streamId, FrameImage.Kind kind) {
        StreamState s = streams.get(streamId);
        return s == null ? Optional.empty() : Optional.ofNullable(s.images.get(kind));
    }

    public synchronized List<String> streamIds() {
        return List.copyOf(streams.keySet());
    }

    public synchronized long malformedCount() {
        return malformed.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Publishes the meters of every stream, present and future, to {@code registry}. */
    @Override
    public void bindTo(MeterRegistry registry) {
        meters.add(registry);
    }

    /**
     * What a reader has not seen yet: per stream the points after {@code cursors.get(streamId)}
     * (all retained points for a stream the reader does not know) plus the current totals.
     */
    synchronized View view(Map<String, Long> cursors) {
        long now = System.currentTimeMillis();
        List<StreamView> views = new ArrayList<>(streams.size());
        streams.forEach((id, s) -> {
            Map<FrameImage.Kind, Long> imageFrames = new EnumMap<>(FrameImage.Kind.class);
            s.images.forEach((kind, image) -> imageFrames.put(kind, image.frameIndex()));
            views.add(new StreamView(id, s.run, s.frames, s.history.lastSeq(),
                    s.latest == null ? -1 : s.latest.frameIndex(),
                    s.latest == null ? -1 : s.latest.modelVersion(),
                    fps(s.history.last(FPS_WINDOW)),
                    s.latest == null ? -1 : s.latest.latencyMs(),
                    now - s.lastArrivalMs,
                    Collections.unmodifiableMap(imageFrames),
                    s.history.after(cursors.getOrDefault(id, 0L))));
        });
        return new View(List.copyOf(views), Map.copyOf(malformed));
    }

    /** Frames per second by the processor's clock, so catching up on old records does not inflate it. */
    private static double fps(List<MetricPoint> recent) {
        if (recent.size() < 2) {
            return Double.NaN;
        }
        long spanMs = recent.get(recent.size() - 1).processedTimeMs() - recent.get(0).processedTimeMs();
        return spanMs <= 0 ? Double.NaN : (recent.size() - 1) * 1000.0 / spanMs;
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
                .description("Metrics records seen (one per processed frame)").tags("stream", streamId).register(meters);
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
    }

    private void gauge(String name, String description, String streamId,
                       ToDoubleFunction<FrameMetrics> value) {
        Gauge.builder(name, this, st -> st.read(streamId, s -> s.latest == null ? Double.NaN
                        : value.applyAsDouble(s.latest)))
                .description(description).tags("stream", streamId).register(meters);
    }

    private void registerImageMeter(String streamId, FrameImage.Kind kind) {
        FunctionCounter.builder("smt.web.images.seen", this,
                        st -> st.read(streamId, s -> s.imageCounts.getOrDefault(kind, 0L)))
                .description("Preview pictures seen").tags("stream", streamId, "kind", kind.name())
                .register(meters);
    }

    private void registerMalformedMeter(String topic) {
        FunctionCounter.builder("smt.web.records.malformed", this,
                        st -> st.readMalformed(topic))
                .description("Records skipped because they could not be decoded").tags("topic", topic)
                .register(meters);
    }

    private synchronized double read(String streamId, ToDoubleFunction<StreamState> value) {
        StreamState s = streams.get(streamId);
        return s == null ? Double.NaN : value.applyAsDouble(s);
    }

    private synchronized double readMalformed(String topic) {
        return malformed.getOrDefault(topic, 0L);
    }

    private static final class StreamState {
        final MetricHistory history;
        final Map<FrameImage.Kind, FrameImage> images = new EnumMap<>(FrameImage.Kind.class);
        final Map<FrameImage.Kind, Long> imageCounts = new EnumMap<>(FrameImage.Kind.class);
        FrameMetrics latest;
        long frames;
        int run;
        long lastArrivalMs;

        StreamState(int historyLimit) {
            history = new MetricHistory(historyLimit);
        }
    }
}
