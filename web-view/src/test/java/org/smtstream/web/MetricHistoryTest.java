package org.smtstream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.smtstream.web.MetricHistory.MetricPoint;

class MetricHistoryTest {

    private static List<Long> frames(List<MetricPoint> points) {
        return points.stream().map(MetricPoint::frameIndex).toList();
    }

    @Test
    void shouldKeepOnlyTheNewestPoints() {
        MetricHistory history = new MetricHistory(3);
        for (long f = 0; f < 5; f++) {
            history.append(Samples.metrics("s", f, 10));
        }

        assertEquals(List.of(2L, 3L, 4L), frames(history.after(0)));
        assertEquals(5, history.lastSeq());
    }

    @Test
    void shouldReturnOnlyPointsAfterCursor() {
        MetricHistory history = new MetricHistory(10);
        for (long f = 0; f < 4; f++) {
            history.append(Samples.metrics("s", f, 10));
        }

        assertEquals(List.of(2L, 3L), frames(history.after(2)));
        assertEquals(List.of(), frames(history.after(history.lastSeq())));
        assertEquals(List.of(1L, 2L, 3L), frames(history.last(3)));
    }

    @Test
    void shouldKeepSequenceAcrossClear() {
        MetricHistory history = new MetricHistory(10);
        history.append(Samples.metrics("s", 7, 10));
        long cursor = history.lastSeq();

        history.clear();
        history.append(Samples.metrics("s", 0, 10));

        assertEquals(List.of(0L), frames(history.after(cursor)));
        assertEquals(List.of(0L), frames(history.after(0)));
    }
}
