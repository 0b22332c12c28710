package org.smtstream.web;

import java.util.ArrayList;
import java.util.List;
import org.smtstream.model.wire.FrameMetrics;

/**
 * The last {@code capacity} metric points of one stream, each numbered by a sequence that never
 * repeats (not even across {@link #clear()}), so a reader can ask for "everything after what I
 * have" without copying the whole history. Not thread-safe: {@link LiveState} guards it.
 */
final class MetricHistory {

    /** One chart point; NaN where the processor did not compute a quantity. */
    record MetricPoint(long seq, long frameIndex, long processedTimeMs, double snrAlphaDb, double snrBetaDb,
                       double activeFraction, int iterations, long latencyMs, double objective,
                       double curvaturePixels, double curvatureAlpha, double curvatureBeta) {
    }

    private final MetricPoint[] ring;
    private long nextSeq = 1;
    private int size;

    MetricHistory(int capacity) {
        ring = new MetricPoint[capacity];
    }

    void append(FrameMetrics m) {
        long seq = nextSeq++;
        ring[slot(seq)] = new MetricPoint(seq, m.frameIndex(), m.processedTimeMs(), m.snrAlphaDb(),
                m.snrBetaDb(), m.activeFraction(), m.iterations(), m.latencyMs(), m.objective(),
                m.curvaturePixels(), m.curvatureAlpha(), m.curvatureBeta());
        size = Math.min(size + 1, ring.length);
    }

    /** Forgets the points but not the sequence, so cursors held by readers stay valid. */
    void clear() {
        size = 0;
    }

    /** Sequence number of the newest point ever appended; 0 before the first. */
    long lastSeq() {
        return nextSeq - 1;
    }

    /** Retained points with a sequence above {@code seq}, oldest first. */
    List<MetricPoint> after(long seq) {
        long from = Math.max(seq + 1, nextSeq - size);
        List<MetricPoint> points = new ArrayList<>((int) Math.max(0, nextSeq - from));
        for (long s = from; s < nextSeq; s++) {
            points.add(ring[slot(s)]);
        }
        return points;
    }

    /** The newest {@code n} retained points (fewer if fewer are retained), oldest first. */
    List<MetricPoint> last(int n) {
        return after(nextSeq - 1 - n);
    }

    private int slot(long seq) {
        return (int) (seq % ring.length);
    }
}
