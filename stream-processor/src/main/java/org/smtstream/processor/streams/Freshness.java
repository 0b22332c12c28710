package org.smtstream.processor.streams;

/**
 * Whether a stream's frames are still fresh enough to code, and how many were not: the freshness
 * policy of a stream whose source gave it a bound ({@link org.smtstream.model.wire.PatchHeaders#MAX_AGE_MS}).
 *
 * <p>A frame older than the bound (capture to now) is skipped, and so is every later frame until
 * the processor has caught up with the present: until a frame is at most {@value #RESUME_FRACTION}
 * of the bound old, or no younger than the frame skipped before it (the processor has reached the
 * newest frames, which arrive only as fast as ingest and Kafka deliver them). Coding then resumes
 * with consecutive frames. Skipping to the present, rather than each frame that is late, gives runs
 * of consecutive frames, so a processor that is slower than its camera still forms trajectories
 * (each run restarts one: the frame index jumps) instead of coding isolated frames. The bound is
 * measured on the wall clocks of ingest and processor, so they must agree (NTP) to well within it.
 *
 * @param staleSkipped     frames skipped so far because they were too old
 * @param catchingUp       skipping until the present is reached
 * @param lastSkippedAgeMs age of the frame skipped last, to tell when the skipped frames stop getting younger
 */
record Freshness(long staleSkipped, boolean catchingUp, long lastSkippedAgeMs) {

    /** A stream that has skipped nothing. */
    static final Freshness NONE = new Freshness(0, false, 0);
    /**
     * Coding resumes once frames are at most this share of the bound old: half the bound is left
     * for the run of frames that follows, and ingest plus Kafka normally deliver well within it.
     */
    static final double RESUME_FRACTION = 0.5;

    /**
     * The verdict on a frame {@code ageMs} old against the stream's bound {@code maxAgeMs} (0 = none):
     * the state after it. This frame is skipped exactly when the state after it is {@link #catchingUp()}.
     */
    Freshness judge(long ageMs, long maxAgeMs) {
        if (maxAgeMs <= 0) {
            return catchingUp ? new Freshness(staleSkipped, false, 0) : this;
        }
        boolean skip = catchingUp
                ? ageMs > RESUME_FRACTION * maxAgeMs && ageMs < lastSkippedAgeMs
                : ageMs > maxAgeMs;
        return skip ? new Freshness(staleSkipped + 1, true, ageMs) : new Freshness(staleSkipped, false, 0);
    }
}
