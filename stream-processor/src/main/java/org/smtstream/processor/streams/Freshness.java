package org.smtstream.processor.streams;

/**
 * Whether a stream's frames are still fresh enough to code, and how many were not: the freshness
 * policy of a stream whose source gave it a bound ({@link org.smtstream.model.wire.PatchHeaders#MAX_AGE_MS}).
 *
 * <p>A frame older than the bound (capture to now) is skipped, and so is every later frame until
 * the processor has caught up with the present: until a frame is at most {@value #RESUME_FRACTION}
 * of the bound old, or until it has been catching up for as long as the bound. Skipping takes next
 * to nothing, so by then it has reached the newest frames, and those are older than the fraction
 * only because ingest and Kafka take that long to deliver them. Coding then resumes with
 * consecutive frames. Skipping to the present, rather than each frame that is late, gives runs of
 * consecutive frames, so a processor that is slower than its camera still forms trajectories (each
 * run starts one: the frame index jumps) instead of coding isolated frames. The bound is measured
 * on the wall clocks of ingest and processor, so they must agree (NTP) to well within it.
 *
 * @param staleSkipped     frames skipped so far because they were too old
 * @param catchingUp       skipping until the present is reached; after a verdict, true exactly when
 *                         that frame is skipped
 * @param catchUpSinceMs   wall-clock time the current catch-up began (0 when not catching up)
 */
record Freshness(long staleSkipped, boolean catchingUp, long catchUpSinceMs) {

    /** A stream that has skipped nothing. */
    static final Freshness NONE = new Freshness(0, false, 0);
    /**
     * Coding resumes once frames are at most this share of the bound old: half the bound is left
     * for the run of frames that follows, and ingest plus Kafka normally deliver well within it.
     */
    static final double RESUME_FRACTION = 0.5;

    /**
     * The verdict on a frame {@code ageMs} old at wall-clock time {@code nowMs}, against the
     * stream's bound {@code maxAgeMs} (0 = none): the state after it. The frame is skipped exactly
     * when the state after it is {@link #catchingUp()}.
     */
    Freshness judge(long ageMs, long nowMs, long maxAgeMs) {
        boolean skip;
        if (maxAgeMs <= 0) {
            skip = false;
        } else if (catchingUp) {
            skip = ageMs > RESUME_FRACTION * maxAgeMs && nowMs - catchUpSinceMs < maxAgeMs;
        } else {
            skip = ageMs > maxAgeMs;
        }
        if (!skip) {
            return catchingUp ? new Freshness(staleSkipped, false, 0) : this;
        }
        return new Freshness(staleSkipped + 1, true, catchingUp ? catchUpSinceMs : nowMs);
    }
}
