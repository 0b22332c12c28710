package org.smtstream.ingest.source;

import java.util.ArrayDeque;
import java.util.Deque;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.ingest.IngestException;

/**
 * Reads a live source on a grab thread of its own and keeps only the newest frames, so a reader
 * that falls behind a camera sees fresh frames instead of a backlog that grows in memory and in
 * latency (ARCHITECTURE.md, trap T10). Each grabbed frame is cloned into a buffer of {@code capacity} frames;
 * when the buffer is full the oldest frame is dropped. Every frame the grab thread obtains is
 * either returned by {@link #grab()} or counted in {@link #droppedFrames()}, including frames still
 * buffered when the source is closed, so grabbed = returned + dropped.
 *
 * <p>The wrapped source belongs to the grab thread from the first {@link #grab()} on: it is read
 * and closed there, never stopped from another thread, because a cross-thread stop of an FFmpeg
 * grabber blocked in a read can crash or dead-lock (ARCHITECTURE.md, trap T9). {@link #close()} asks the grab
 * thread to finish and waits up to {@value #CLOSE_WAIT_MS} ms for it, enough for the current read
 * of a camera or stream to return; a read blocked longer (a stalled stream until FFmpeg's network
 * timeout, a very slow source until its next frame) does not hold up the caller: the thread closes
 * the source itself when the read returns, and drops that last frame. {@link #cancel()} and
 * {@link #close()} also cancel the live source (safe from any thread), which ends the backoff wait
 * of a {@link ReconnectingSource}; its outage counters are read through.
 *
 * <p>The grab thread starts on the first {@link #grab()}, so nothing is dropped while the pipeline
 * behind the reader is still starting. Frames it clones live off-heap; each is closed when it is
 * dropped, replaced by the next grab, or left over at close (ARCHITECTURE.md, trap T7).
 */
public final class DropOldestSource implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(DropOldestSource.class);

    /** How long {@link #close()} waits for the grab thread to close the source. */
    static final long CLOSE_WAIT_MS = 1000;
    /** Drops are logged when they start and then at most this often. */
    static final long DROP_LOG_INTERVAL_NANOS = 5_000_000_000L;

    private final FrameSource live;
    private final int capacity;
    private final String name;
    private final double frameRate;
    private final Object lock = new Object();
    /* Guarded by lock: the buffer, the counts and the flags up to nextDropLogNanos. */
    private final Deque<Grabbed> buffer;
    private long grabbed;
    private long dropped;
    private long skipped;
    private boolean sourceEnded;
    private boolean cancelled;
    private boolean closing;
    private RuntimeException failure;
    private long nextDropLogNanos;
    /** Reader side only. */
    private Thread grabThread;
    private Grabbed current;
    /** Dropped + lost up to {@link #current}, taken with it. */
    private long missedAtCurrent;
    private boolean closed;

    /** A cloned frame, the wall-clock time it was grabbed, and the frames the source had lost by then. */
    private record Grabbed(Frame frame, long captureTimeMs, long lostBefore) {
    }

    /**
     * @param live     an open live source; this object owns it from now on and closes it
     * @param capacity frames kept for a reader that is behind, &gt;= 1 (1 = only the newest)
     */
    public DropOldestSource(FrameSource live, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("Invalid live buffer: " + capacity + " frames (must be >= 1)");
        }
        this.live = live;
        this.capacity = capacity;
        this.buffer = new ArrayDeque<>(capacity);
        // Read now: afterwards the source belongs to the grab thread.
        this.name = live.name();
        this.frameRate = live.frameRate();
    }

    @Override
    public Frame grab() {
        releaseCurrent();
        if (closed) {
            return null;
        }
        if (grabThread == null) {
            grabThread = new Thread(this::grabLoop, "smt-grab-" + name);
            grabThread.setDaemon(true); // a read stuck in FFmpeg must not keep the JVM alive
            grabThread.start();
        }
        synchronized (lock) {
            while (buffer.isEmpty() && !sourceEnded && !cancelled) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            if (cancelled) {
                return null;
            }
            if (!buffer.isEmpty()) {
                current = buffer.removeFirst();
                // Every drop so far was of a frame older than this one: drops evict the oldest.
                missedAtCurrent = dropped + current.lostBefore();
                return current.frame();
            }
            if (failure != null) {
                throw failure;
            }
            return null;
        }
    }

    private void grabLoop() {
        try {
            while (!isClosing()) {
                Frame frame = live.grab();
                long captureTimeMs = System.currentTimeMillis();
                if (frame == null) {
                    break;
                }
                offer(new Grabbed(frame.clone(), captureTimeMs, live.lostFrames()), live.skippedFrames());
            }
        } catch (RuntimeException e) {
            synchronized (lock) {
                failure = e instanceof IngestException ? e
                        : new IngestException("Reading '" + name + "' failed: " + e.getMessage(), e);
            }
        } finally {
            long finalSkipped = live.skippedFrames();
            live.close();
            synchronized (lock) {
                skipped = finalSkipped;
                sourceEnded = true;
                lock.notifyAll();
            }
        }
    }

    private void offer(Grabbed frame, long skippedSoFar) {
        long droppedNow = -1;
        long grabbedNow;
        synchronized (lock) {
            grabbed++;
            skipped = skippedSoFar;
            if (closing) {
                frame.frame().close();
                dropped++;
                return;
            }
            if (buffer.size() == capacity) {
                buffer.removeFirst().frame().close();
                dropped++;
                long now = System.nanoTime();
                if (dropped == 1 || now - nextDropLogNanos >= 0) {
                    nextDropLogNanos = now + DROP_LOG_INTERVAL_NANOS;
                    droppedNow = dropped;
                }
            }
            buffer.addLast(frame);
            grabbedNow = grabbed;
            lock.notifyAll();
        }
        if (droppedNow > 0) {
            LOG.warn("'{}': {} of {} frames dropped so far: publishing is slower than the source, "
                    + "so the oldest waiting frames are dropped", name, droppedNow, grabbedNow);
        }
    }

    private boolean isClosing() {
        synchronized (lock) {
            return closing;
        }
    }

    private void releaseCurrent() {
        if (current != null) {
            current.frame().close();
            current = null;
        }
    }

    /** Frames obtained from the live source so far: returned + dropped + still buffered. */
    public long grabbedFrames() {
        synchronized (lock) {
            return grabbed;
        }
    }

    @Override
    public long droppedFrames() {
        synchronized (lock) {
            return dropped;
        }
    }

    /**
     * Dropped and lost frames up to the frame last returned, as they stood when it was taken from
     * the buffer: later drops are of newer frames, so they count before the next one.
     */
    @Override
    public long missedFrames() {
        return missedAtCurrent;
    }

    @Override
    public long outages() {
        return live.outages();
    }

    @Override
    public long outageMillis() {
        return live.outageMillis();
    }

    @Override
    public long lostFrames() {
        return live.lostFrames();
    }

    @Override
    public long lastCaptureTimeMs() {
        return current == null ? -1 : current.captureTimeMs();
    }

    /** Wakes the reader, and the grab thread if the source waits to reconnect ({@link ReconnectingSource}). */
    @Override
    public void cancel() {
        synchronized (lock) {
            cancelled = true;
            lock.notifyAll();
        }
        live.cancel();
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
        synchronized (lock) {
            return skipped;
        }
    }

    @Override
    public boolean live() {
        return true;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Stops the grab thread and releases every buffered frame, counting those as dropped. Called on
     * the reader's thread; the frame last returned becomes invalid.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        releaseCurrent();
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        live.cancel(); // a source waiting to reconnect stops waiting
        if (grabThread == null) {
            live.close();
        } else {
            awaitGrabThread();
        }
        synchronized (lock) {
            dropped += buffer.size();
            buffer.forEach(g -> g.frame().close());
            buffer.clear();
        }
    }

    private void awaitGrabThread() {
        try {
            grabThread.join(CLOSE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (grabThread.isAlive()) {
            LOG.info("'{}': still waiting for a frame after {} ms; the source is closed when the read returns "
                    + "or times out", name, CLOSE_WAIT_MS);
        }
    }
}
