package org.smtstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreviewThrottleTest {

    private static List<Long> passed(PreviewThrottle throttle, long... times) {
        List<Long> passed = new ArrayList<>();
        for (long t : times) {
            if (throttle.tryAcquire(t)) {
                passed.add(t);
            }
        }
        return passed;
    }

    @Test
    void shouldLetOnePreviewThroughPerInterval() {
        assertEquals(List.of(1000L, 1200L, 1450L, 1650L),
                passed(new PreviewThrottle(200), 1000, 1100, 1199, 1200, 1250, 1399, 1450, 1500, 1650));
    }

    @Test
    void shouldLetEveryFrameThroughAtIntervalZero() {
        assertEquals(List.of(5L, 5L, 6L), passed(new PreviewThrottle(0), 5, 5, 6));
    }
}
