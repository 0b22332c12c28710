package org.smtstream.ingest.source;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When to try again after a live source dropped: capped exponential backoff with jitter, and when
 * to give up. Attempt {@code n} (from 1) waits {@code initial * multiplier^(n-1)}, at most
 * {@code max}, varied by up to {@code jitter} of itself either way (and still at most {@code max}):
 * the first retries are quick, a long outage is not hammered, and several streams that dropped
 * together (one switch, one camera server) do not all knock at the same instant.
 *
 * @param initial     wait before the first attempt, &gt; 0
 * @param max         the cap on every wait, &gt;= {@code initial}
 * @param multiplier  growth of the wait from one attempt to the next, &gt;= 1
 * @param jitter      fraction of the wait drawn at random either way, in [0, 1]
 * @param maxAttempts attempts in a row before giving up, &gt;= 0 (0 = never reconnect;
 *                    {@link #NO_LIMIT} = keep trying)
 * @param giveUpAfter how long without frames before giving up; {@link Duration#ZERO} = never
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter, int maxAttempts,
                     Duration giveUpAfter) {

    /** {@link #maxAttempts()} of a policy that keeps trying. */
    public static final int NO_LIMIT = Integer.MAX_VALUE;
    /**
     * Half a second, then doubling up to 30 s, with 20 % jitter, forever: a camera that rebooted is
     * back within its boot time plus a few seconds, and one that is gone costs a try every 30 s.
     */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 2, 0.2,
            NO_LIMIT, Duration.ZERO);

    public Backoff {
        if (initial == null || initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("Invalid reconnect delay: " + show(initial) + " (must be > 0)");
        }
        if (max == null || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("Invalid maximum reconnect delay: " + show(max)
                    + " (must be >= the first delay, " + show(initial) + ")");
        }
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("Invalid backoff multiplier: " + multiplier + " (must be >= 1)");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("Invalid backoff jitter: " + jitter + " (must be in [0, 1])");
        }
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("Invalid maximum reconnects: " + maxAttempts + " (must be >= 0)");
        }
        if (giveUpAfter == null || giveUpAfter.isNegative()) {
            throw new IllegalArgumentException("Invalid reconnect give-up time: " + show(giveUpAfter) + " (0 = never)");
        }
    }

    /** A duration as a user writes it on the command line: 500 ms, 30 s. */
    private static String show(Duration d) {
        if (d == null) {
            return "null";
        }
        return d.toNanos() % 1_000_000_000L == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** This policy with a different first delay. */
    public Backoff withInitial(Duration value) {
        return new Backoff(value, max, multiplier, jitter, maxAttempts, giveUpAfter);
    }

    /** This policy with a different cap on the delay. */
    public Backoff withMax(Duration value) {
        return new Backoff(initial, value, multiplier, jitter, maxAttempts, giveUpAfter);
    }

    /** This policy with a different jitter fraction. */
    public Backoff withJitter(double value) {
        return new Backoff(initial, max, multiplier, value, maxAttempts, giveUpAfter);
    }

    /** This policy giving up after {@code value} attempts in a row ({@link #NO_LIMIT} = never). */
    public Backoff withMaxAttempts(int value) {
        return new Backoff(initial, max, multiplier, jitter, value, giveUpAfter);
    }

    /** This policy giving up after {@code value} without frames ({@link Duration#ZERO} = never). */
    public Backoff withGiveUpAfter(Duration value) {
        return new Backoff(initial, max, multiplier, jitter, maxAttempts, value);
    }

    /** The wait before attempt {@code attempt} (from 1), jittered with {@code random}. */
    public Duration delay(int attempt, RandomGenerator random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("Invalid attempt: " + attempt + " (counts from 1)");
        }
        double maxNanos = max.toNanos();
        // Past the cap the power only grows; min() also keeps it finite.
        double base = Math.min(maxNanos, initial.toNanos() * Math.pow(multiplier, Math.min(attempt - 1, 1000)));
        double jittered = base * (1 + jitter * (2 * random.nextDouble() - 1));
        return Duration.ofNanos(Math.round(Math.min(maxNanos, jittered)));
    }

    /**
     * Whether attempt {@code attempt} (from 1) may start when it would, {@code withoutFrames} after
     * the last frame: false once the attempts or the give-up time are used up.
     */
    public boolean allows(int attempt, Duration withoutFrames) {
        return attempt <= maxAttempts && (giveUpAfter.isZero() || withoutFrames.compareTo(giveUpAfter) <= 0);
    }

    /** Whether this policy reconnects at all. */
    public boolean reconnects() {
        return maxAttempts > 0;
    }
}
