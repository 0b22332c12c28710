package org.smtstream.processor.streams;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.smtstream.model.ModelInfo;

/**
 * Which coded frames the single learner learns when they arrive faster than it can learn them, and
 * the counts that say so.
 *
 * <p>While the learner keeps up (a frame waited at most {@code maxLagMs} on {@code smt.learning}) it
 * learns every frame. Once a frame has waited longer, the learner is behind: it skips frames (a skip
 * costs nothing, so the backlog drains) until one has waited at most half the bound, and then
 * learns every frame again. The gap between the two bounds makes it learn runs of consecutive
 * frames rather than every other one, and only runs give second differences (a skipped frame is a
 * gap in the stream's frame indices, so no difference spans it). While behind, it still learns a
 * frame of a stream that has learned at least one frame fewer, recently, than the stream that
 * learned most: streams take turns, so a fast stream, whose frames fill the backlog, cannot crowd
 * out a slow one, and since that rule never adds to the most-learned stream, catching up still
 * drains the backlog. "Recently" is a count that fades by a factor {@code 1 - 1/RECENT_FRAMES} per
 * arrived frame, so a stream that joins late is not owed the whole history of the others.
 *
 * <p>Counts (frames arrived and learned, in total and per stream) go into every published version's
 * stats ({@link #withStats}) and continue from a version's ({@link #restore}). Not thread-safe: the
 * learner's task owns it.
 */
final class LearningSampler {

    /** Arrived frames over which a stream's recent learning fades by 1/e. */
    static final int RECENT_FRAMES = 200;

    /** Frames of one stream. */
    static final class Counts {
        private long arrived;
        private long learned;
        private double recent;      // learned frames, fading with every arrival

        long arrived() {
            return arrived;
        }

        long learned() {
            return learned;
        }

        long skipped() {
            return arrived - learned;
        }
    }

    private final long maxLagMs;
    private final Map<String, Counts> streams = new LinkedHashMap<>();
    private long arrived;
    private long learned;
    private boolean behind;

    /** @param maxLagMs how long a frame may wait on smt.learning before the learner sheds load, &gt; 0 */
    LearningSampler(long maxLagMs) {
        if (maxLagMs <= 0) {
            throw new IllegalArgumentException("Invalid learner lag bound: " + maxLagMs + " ms (must be > 0)");
        }
        this.maxLagMs = maxLagMs;
    }

    /**
     * Counts an arrived frame and decides whether to learn it.
     *
     * @param stream its stream id
     * @param lagMs  how long it waited on smt.learning
     * @return true to learn it, false to skip it
     */
    boolean admit(String stream, long lagMs) {
        Counts counts = streams.computeIfAbsent(stream, s -> new Counts());
        for (Counts c : streams.values()) {
            c.recent *= 1.0 - 1.0 / RECENT_FRAMES;
        }
        counts.arrived++;
        arrived++;
        behind = behind ? lagMs > maxLagMs / 2 : lagMs > maxLagMs;
        boolean learn = !behind || counts.recent + 1 <= mostRecent(counts);
        if (learn) {
            counts.learned++;
            counts.recent++;
            learned++;
        }
        return learn;
    }

    /** The most recent learning of the streams other than {@code except}; 0 without others. */
    private double mostRecent(Counts except) {
        double most = 0;
        for (Counts c : streams.values()) {
            if (c != except) {
                most = Math.max(most, c.recent);
            }
        }
        return most;
    }

    /** True while frames wait longer than the bound allows (and until they wait half as long). */
    boolean behind() {
        return behind;
    }

    long arrived() {
        return arrived;
    }

    long learned() {
        return learned;
    }

    /** Counts of one stream, or null if none of its frames arrived. */
    Counts stream(String stream) {
        return streams.get(stream);
    }

    /** {@code stats} with the counts added: in total, per stream, and the learned share (NaN before any). */
    Map<String, Double> withStats(Map<String, Double> stats) {
        Map<String, Double> all = new HashMap<>(stats);
        all.put(ModelInfo.FRAMES_ARRIVED, (double) arrived);
        all.put(ModelInfo.FRAMES_LEARNED, (double) learned);
        all.put(ModelInfo.LEARNED_SHARE, arrived == 0 ? Double.NaN : (double) learned / arrived);
        streams.forEach((id, c) -> {
            all.put(ModelInfo.FRAMES_ARRIVED + ModelInfo.PER_STREAM + id, (double) c.arrived);
            all.put(ModelInfo.FRAMES_LEARNED + ModelInfo.PER_STREAM + id, (double) c.learned);
        });
        return all;
    }

    /** Continues the counts of a published version's stats (none there: from zero). */
    void restore(ModelInfo info) {
        Map<String, Double> stats = info.stats();
        arrived = stats.getOrDefault(ModelInfo.FRAMES_ARRIVED, 0.0).longValue();
        learned = stats.getOrDefault(ModelInfo.FRAMES_LEARNED, 0.0).longValue();
        streams.clear();
        stats.forEach((name, value) -> {
            if (name.startsWith(ModelInfo.FRAMES_ARRIVED + ModelInfo.PER_STREAM)) {
                String id = name.substring(ModelInfo.FRAMES_ARRIVED.length() + ModelInfo.PER_STREAM.length());
                Counts c = streams.computeIfAbsent(id, s -> new Counts());
                c.arrived = value.longValue();
                c.learned = stats.getOrDefault(ModelInfo.FRAMES_LEARNED + ModelInfo.PER_STREAM + id, 0.0).longValue();
            }
        });
    }
}
