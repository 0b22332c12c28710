package org.smtstream.web;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.smtstream.model.Topics;

/**
 * How far each stream has got on each per-frame topic: the newest frame index, and the frame indices
 * that never appeared between consecutive records (gaps).
 *
 * <p>Frame indices of one stream count every frame its source delivered, so a jump from 41 to 44
 * is two frames that were not published there: on {@code smt.patches}, frames ingest dropped while
 * behind a live source or lost in an outage (the patch headers say which, {@code IngestFaults});
 * on {@code smt.metrics}, also frames the processor skipped as stale or did not get through. A
 * lower index than the newest means the stream was restarted (a replay looping), which is not a gap.
 *
 * <p>Processing lag is in frames, from the pipeline's own records: the newest frame index on
 * {@code smt.patches} minus the newest on {@code smt.metrics}. (The end offset minus this viewer's
 * position would measure only the viewer.) While a restart has reached the patches but not yet the
 * metrics the difference is negative and the lag is unknown.
 */
final class StreamProgress {

    /** The per-frame topics followed. */
    static final List<String> TOPICS = List.of(Topics.PATCHES.name(), Topics.CODES.name(),
            Topics.EMBEDDINGS.name(), Topics.METRICS.name());

    /** One stream's figures; {@code newest} is -1 for a topic with no record yet. */
    record Snapshot(Map<String, Long> newest, Map<String, Long> gaps, long lagFrames) {
        static final long UNKNOWN = -1;
    }

    private final MeterRegistry meters;
    private final Map<String, Map<String, Counter>> streams = new TreeMap<>();

    StreamProgress(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Notes a record of stream {@code streamId} with {@code frameIndex} on {@code topic}. */
    void onFrame(String topic, String streamId, long frameIndex) {
        boolean newStream;
        boolean newTopic;
        synchronized (this) {
            newStream = !streams.containsKey(streamId);
            Map<String, Counter> topics = streams.computeIfAbsent(streamId, id -> new HashMap<>());
            newTopic = !topics.containsKey(topic);
            topics.computeIfAbsent(topic, t -> new Counter()).add(frameIndex);
        }
        // Registered outside the lock: a scrape reads the meters under it (see LiveState).
        if (newStream) {
            Gauge.builder("smt.web.lag.frames", this, p -> p.lag(streamId))
                    .description("Newest frame index on smt.patches minus newest on smt.metrics (NaN if unknown)")
                    .tags("stream", streamId).register(meters);
        }
        if (newTopic) {
            FunctionCounter.builder("smt.web.frame.gaps", this, p -> p.gaps(streamId, topic))
                    .description("Frame indices missing between consecutive records of a stream")
                    .tags("stream", streamId, "topic", topic).register(meters);
        }
    }

    synchronized Snapshot snapshot(String streamId) {
        Map<String, Counter> topics = streams.getOrDefault(streamId, Map.of());
        Map<String, Long> newest = new TreeMap<>();
        Map<String, Long> gaps = new TreeMap<>();
        for (String topic : TOPICS) {
            Counter c = topics.get(topic);
            newest.put(topic, c == null ? -1 : c.newest);
            gaps.put(topic, c == null ? 0 : c.gaps);
        }
        return new Snapshot(Map.copyOf(newest), Map.copyOf(gaps), lagOf(topics));
    }

    private synchronized double lag(String streamId) {
        long lag = lagOf(streams.getOrDefault(streamId, Map.of()));
        return lag == Snapshot.UNKNOWN ? Double.NaN : lag;
    }

    private synchronized double gaps(String streamId, String topic) {
        Counter c = streams.getOrDefault(streamId, Map.of()).get(topic);
        return c == null ? 0 : c.gaps;
    }

    private static long lagOf(Map<String, Counter> topics) {
        Counter patches = topics.get(Topics.PATCHES.name());
        Counter metrics = topics.get(Topics.METRICS.name());
        if (patches == null || metrics == null || patches.newest < metrics.newest) {
            return Snapshot.UNKNOWN;
        }
        return patches.newest - metrics.newest;
    }

    private static final class Counter {
        long newest = -1;
        long gaps;

        void add(long frameIndex) {
            if (newest >= 0 && frameIndex > newest + 1) {
                gaps += frameIndex - newest - 1;
            }
            if (frameIndex != newest) {
                newest = frameIndex;
            }
        }
    }
}
