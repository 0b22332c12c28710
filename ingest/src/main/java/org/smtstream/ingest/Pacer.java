package org.smtstream.ingest;

/**
 * Schedules frames at the source's pace, scaled by a speed factor. The schedule follows the
 * frames' presentation timestamps; where a timestamp does not move forward (a looped file starting
 * over, a broken timestamp) the nominal frame period stands in, so media time never runs backwards. When
 * the consumer of the schedule falls more than {@link #MAX_LAG_NANOS} behind, the schedule restarts
 * from now instead of releasing the backlog in a burst.
 */
final class Pacer {

    static final long MAX_LAG_NANOS = 1_000_000_000L;

    private final double speed;
    private final long nominalPeriodMicros;
    private boolean started;
    private long originNanos;
    private long mediaMicros;
    private long lastTimestampMicros;

    /**
     * @param pacing    the speed factor; unlimited pacing never waits
     * @param frameRate the source's nominal rate in frames per second (0 when unknown: 10 is assumed)
     */
    Pacer(Pacing pacing, double frameRate) {
        this.speed = pacing.speed();
        this.nominalPeriodMicros = Math.round(1e6 / (frameRate > 0 && Double.isFinite(frameRate) ? frameRate : 10));
    }

    /**
     * How long to wait before releasing the frame with presentation time {@code timestampMicros}
     * when the monotonic clock reads {@code nowNanos}; 0 when it is due.
     */
    long delayNanos(long timestampMicros, long nowNanos) {
        if (Double.isInfinite(speed)) {
            return 0;
        }
        if (!started) {
            started = true;
            originNanos = nowNanos;
        } else {
            mediaMicros += timestampMicros > lastTimestampMicros
                    ? timestampMicros - lastTimestampMicros : nominalPeriodMicros;
        }
        lastTimestampMicros = timestampMicros;
        long dueNanos = originNanos + Math.round(mediaMicros * 1000 / speed);
        if (nowNanos - dueNanos > MAX_LAG_NANOS) {
            originNanos += nowNanos - dueNanos;
            dueNanos = nowNanos;
        }
        return Math.max(0, dueNanos - nowNanos);
    }
}
