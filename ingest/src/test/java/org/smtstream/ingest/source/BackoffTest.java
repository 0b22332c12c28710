package org.smtstream.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Backoff STEADY = Backoff.DEFAULT.withInitial(Duration.ofMillis(100))
            .withMax(Duration.ofMillis(1000)).withJitter(0);

    @Test
    void shouldDoubleDelayUpToCapWithoutJitter() {
        SplittableRandom random = new SplittableRandom(1);
        long[] expected = {100, 200, 400, 800, 1000, 1000};
        for (int attempt = 1; attempt <= expected.length; attempt++) {
            assertEquals(Duration.ofMillis(expected[attempt - 1]), STEADY.delay(attempt, random), "attempt " + attempt);
        }
        assertEquals(Duration.ofMillis(1000), STEADY.delay(100_000, random), "far past the cap");
    }

    @Test
    void shouldKeepJitteredDelaysWithinBoundsAndVaryThem() {
        Backoff jittered = STEADY.withJitter(0.25);
        SplittableRandom random = new SplittableRandom(7);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            long second = jittered.delay(2, random).toNanos(); // 200 ms +- 25 %
            assertTrue(second >= 150_000_000L && second <= 250_000_000L, "attempt 2: " + second + " ns");
            long capped = jittered.delay(10, random).toNanos(); // 1000 ms - 25 %, never over the cap
            assertTrue(capped >= 750_000_000L && capped <= 1_000_000_000L, "attempt 10: " + capped + " ns");
            seen.add(second);
        }
        assertTrue(seen.size() > 900, "jitter spreads the delays: " + seen.size() + " distinct of 1000");
        assertEquals(jittered.delay(3, new SplittableRandom(3)), jittered.delay(3, new SplittableRandom(3)),
                "the same seed gives the same delay");
    }

    @Test
    void shouldAllowAttemptsUpToTheLimitAndTheGiveUpTime() {
        Backoff limited = STEADY.withMaxAttempts(3).withGiveUpAfter(Duration.ofSeconds(10));
        assertTrue(limited.allows(3, Duration.ofSeconds(9)), "third attempt within the time");
        assertFalse(limited.allows(4, Duration.ofSeconds(1)), "fourth attempt");
        assertTrue(limited.allows(1, Duration.ofSeconds(10)), "at the give-up time");
        assertFalse(limited.allows(1, Duration.ofMillis(10_001)), "past the give-up time");
        assertTrue(Backoff.DEFAULT.allows(Integer.MAX_VALUE - 1, Duration.ofDays(365)), "the default never gives up");
        assertTrue(Backoff.DEFAULT.reconnects(), "the default reconnects");
        assertFalse(STEADY.withMaxAttempts(0).reconnects(), "0 attempts: never reconnect");
    }

    @Test
    void shouldRejectInvalidPolicies() {
        assertEquals("Invalid reconnect delay: 0 s (must be > 0)", assertThrows(IllegalArgumentException.class,
                () -> STEADY.withInitial(Duration.ZERO)).getMessage());
        assertEquals("Invalid maximum reconnect delay: 50 ms (must be >= the first delay, 100 ms)",
                assertThrows(IllegalArgumentException.class, () -> STEADY.withMax(Duration.ofMillis(50))).getMessage());
        assertEquals("Invalid backoff jitter: 1.5 (must be in [0, 1])",
                assertThrows(IllegalArgumentException.class, () -> STEADY.withJitter(1.5)).getMessage());
        assertEquals("Invalid maximum reconnects: -1 (must be >= 0)",
                assertThrows(IllegalArgumentException.class, () -> STEADY.withMaxAttempts(-1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofMillis(1), Duration.ofMillis(1),
                0.5, 0, 1, Duration.ZERO), "a shrinking backoff");
    }
}
