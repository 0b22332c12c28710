package org.smtstream.ingest.source;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.ingest.IngestException;

/**
 * A live source that opens its input again when it drops, after a {@link Backoff} wait, until it
 * delivers frames again or the policy gives up. FFmpeg reports a lost connection as the end of the
 * input, or a grab fails (ARCHITECTURE.md, trap T8), so for a camera or a network stream an end,
 * a failed grab ({@link IngestException}) and a failed reopening all mean "try again"; for a lavfi
 * graph, which is rendered here and cannot drop, an end is the end of its duration.
 *
 * <p>Reconnecting starts only once the source has delivered a frame: an input that fails from the
 * start (a mistyped URL, a camera that gives nothing) is reported as before rather than retried
 * forever. Each attempt is logged on one line; the outages, their length and the frames they cost
 * are counted ({@link #outages()}, {@link #outageMillis()}, {@link #lostFrames()}). When the policy
 * gives up, {@link #grab()} throws an {@link IngestException} that says after how many attempts
 * and since when no frame came.
 *
 * <p>Like the sources it opens, it is read and closed on one thread; {@link #cancel()} and the
 * counters may be used from any other, and a cancel ends a backoff wait at once.
 */
public final class ReconnectingSource implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(ReconnectingSource.class);

    /** Waits out a backoff delay; returns false when the source was cancelled first. */
    @FunctionalInterface
    interface Pause {
        boolean await(Duration delay);
    }

    private final Supplier<? extends FrameSource> opener;
    private final Backoff backoff;
    private final boolean endIsDrop;
    private final String name;
    private final double frameRate;
    private final LongSupplier nanoClock;
    private final Pause pause;
    private final RandomGenerator random;
    private final CountDownLatch cancelled = new CountDownLatch(1);
    /** Volatile for {@link #cancel()}; otherwise used on the reading thread only. */
    private volatile FrameSource current;
    private long skippedInClosed;
    private boolean delivered;
    private boolean ended;
    private boolean inOutage;
    private int attempt;
    private String reason;
    private long lastFrameNanos;
    private long lastFrameWallMs;
    /* Written by the reading thread, read from any. */
    private volatile long outages;
    private volatile long outageNanos;
    private volatile long lost;

    /**
     * @param first     the open input; this object owns it from now on
     * @param opener    opens the input again (throws {@link IngestException} when it cannot)
     * @param backoff   when to try and when to give up
     * @param endIsDrop whether an end of the input may be a lost connection (a camera or a network
     *                  stream) rather than its real end (a lavfi graph with a duration)
     */
    public ReconnectingSource(FrameSource first, Supplier<? extends FrameSource> opener, Backoff backoff,
                              boolean endIsDrop) {
        this(first, opener, backoff, endIsDrop, System::nanoTime, null, RandomGenerator.getDefault());
    }

    /** With the clock, the wait and the jitter's random numbers of a test; {@code pause} null = real waits. */
    ReconnectingSource(FrameSource first, Supplier<? extends FrameSource> opener, Backoff backoff, boolean endIsDrop,
                       LongSupplier nanoClock, Pause pause, RandomGenerator random) {
        this.current = first;
        this.opener = opener;
        this.backoff = backoff;
        this.endIsDrop = endIsDrop;
        this.name = first.name();
        this.frameRate = first.frameRate();
        this.nanoClock = nanoClock;
        this.pause = pause != null ? pause : this::awaitUnlessCancelled;
        this.random = random;
    }

    @Override
    public Frame grab() {
        while (!ended && !isCancelled()) {
            if (current == null && !reopen()) {
                return null;
            }
            Frame frame = current == null ? null : grabCurrent();
            if (frame != null) {
                return delivered(frame);
            }
        }
        return null;
    }

    /**
     * The next frame of the open input; null when it ended for good ({@link #ended} set) or
     * dropped (then it is closed and an outage is under way).
     */
    private Frame grabCurrent() {
        Frame frame;
        try {
            frame = current.grab();
        } catch (IngestException e) {
            if (!mayReconnect(true)) {
                throw e;
            }
            drop(e.getMessage());
            return null;
        }
        if (frame == null) {
            if (mayReconnect(false)) {
                drop("the input ended or its connection dropped");
            } else {
                ended = true;
            }
        }
        return frame;
    }

    private boolean mayReconnect(boolean failed) {
        return delivered && backoff.reconnects() && !isCancelled() && (failed || endIsDrop);
    }

    private void drop(String why) {
        reason = why;
        closeCurrent();
        if (!inOutage) {
            inOutage = true;
            outages++;
            LOG.warn("'{}': no more frames ({}); reconnecting", name, why);
        }
    }

    /**
     * Waits for the next attempt and opens the input. False when cancelled during the wait.
     *
     * @throws IngestException when the policy gives up
     */
    private boolean reopen() {
        attempt++;
        Duration delay = backoff.delay(attempt, random);
        Duration withoutFrames = Duration.ofNanos(nanoClock.getAsLong() - lastFrameNanos);
        if (!backoff.allows(attempt, withoutFrames.plus(delay))) {
            throw giveUp(withoutFrames);
        }
        LOG.warn("'{}': reconnect attempt {} in {} ms ({}; no frame for {} s)", name, attempt, delay.toMillis(),
                reason, seconds(withoutFrames));
        if (!pause.await(delay) || isCancelled()) {
            return false;
        }
        try {
            current = opener.get();
        } catch (IngestException e) {
            reason = e.getMessage();
        }
        return true;
    }

    private IngestException giveUp(Duration withoutFrames) {
        Instant since = Instant.ofEpochMilli(lastFrameWallMs).truncatedTo(ChronoUnit.SECONDS);
        return new IngestException("Gave up reconnecting to '" + name + "' after " + attempts(attempt - 1)
                + ": no frame since " + since + " (" + seconds(withoutFrames) + " s); last failure: " + reason);
    }

    private Frame delivered(Frame frame) {
        long now = nanoClock.getAsLong();
        if (inOutage) {
            long gap = endOutage(now);
            LOG.info("'{}': reconnected after {}; {} s without frames, about {} frames lost", name,
                    attempts(attempt), seconds(Duration.ofNanos(gap)), estimateLost(gap));
        }
        attempt = 0;
        delivered = true;
        lastFrameNanos = now;
        lastFrameWallMs = System.currentTimeMillis();
        return frame;
    }

    /** Counts the outage under way as over at {@code now}; returns its length in nanoseconds. */
    private long endOutage(long now) {
        long gap = now - lastFrameNanos;
        outageNanos += gap;
        lost += estimateLost(gap);
        inOutage = false;
        return gap;
    }

    /**
     * Frames due in a gap of {@code nanos} between two delivered frames, less the one that ends it,
     * at least one; one when the rate is unknown.
     */
    private long estimateLost(long nanos) {
        return Math.max(1, Math.round(nanos / 1e9 * frameRate) - 1);
    }

    private static String attempts(int n) {
        return n == 1 ? "1 attempt" : n + " attempts";
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toNanos() / 1e9);
    }

    private boolean awaitUnlessCancelled(Duration delay) {
        try {
            return !cancelled.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean isCancelled() {
        return cancelled.getCount() == 0;
    }

    private void closeCurrent() {
        FrameSource c = current;
        if (c != null) {
            current = null;
            skippedInClosed += c.skippedFrames();
            c.close();
        }
    }

    @Override
    public long outages() {
        return outages;
    }

    @Override
    public long outageMillis() {
        return outageNanos / 1_000_000;
    }

    @Override
    public long lostFrames() {
        return lost;
    }

    /** Ends a backoff wait at once; the grab under way or the next returns null. */
    @Override
    public void cancel() {
        cancelled.countDown();
        FrameSource c = current;
        if (c != null) {
            c.cancel();
        }
    }

    @Override
    public double frameRate() {
        return frameRate;
    }

    /** Unknown (-1): a live source has no declared length. */
    @Override
    public long frameCount() {
        return -1;
    }

    @Override
    public long skippedFrames() {
        FrameSource c = current;
        return skippedInClosed + (c == null ? 0 : c.skippedFrames());
    }

    @Override
    public boolean live() {
        return true;
    }

    @Override
    public String name() {
        return name;
    }

    /** Closes the input; an outage under way (a stop or a give-up during it) counts up to now. */
    @Override
    public void close() {
        ended = true;
        closeCurrent();
        if (inOutage) {
            endOutage(nanoClock.getAsLong());
        }
    }
}
