package org.smtstream.ingest.source;

import org.bytedeco.javacv.Frame;

/**
 * A sequence of video frames: a file, an image sequence, a camera, a network stream or an FFmpeg
 * test source ({@link SourceSpec} opens the right one). Not thread-safe: one thread grabs, and
 * {@link #close()} is called from that same thread; only {@link #cancel()} may come from another.
 */
public interface FrameSource extends AutoCloseable {

    /**
     * The next decoded frame, or {@code null} at the end of the source. The frame and its buffers
     * belong to the source and stay valid only until the next {@code grab()} or {@link #close()}:
     * {@code clone()} what you keep and close the clone. {@link Frame#timestamp} is the
     * presentation time in microseconds from the start of the source.
     */
    Frame grab();

    /** Nominal frames per second of the source (used for pacing when timestamps are unusable). */
    double frameRate();

    /** Frames the source declares, or -1 when it cannot tell (live sources, some containers). */
    long frameCount();

    /** Frames lost so far because they were corrupt or could not be decoded. */
    long skippedFrames();

    /** What the source reads, for messages and logs (a path, a URL without its password, a device). */
    String name();

    /**
     * True for a source that produces frames on its own clock (a camera, a network stream, a
     * lavfi source): it is not paced by the reader, and frames the reader is too slow for are
     * dropped ({@link DropOldestSource}) rather than queued. False for recordings.
     */
    default boolean live() {
        return false;
    }

    /** Frames discarded because the reader fell behind a live source (0 for recordings). */
    default long droppedFrames() {
        return 0;
    }

    /**
     * Times this source was lost after it had delivered frames and reconnecting began
     * ({@link ReconnectingSource}); 0 for sources that do not reconnect. Safe from any thread.
     */
    default long outages() {
        return 0;
    }

    /**
     * Total time without frames in the outages that have ended, in milliseconds: from the last frame
     * before each outage to the first one after it, or to the close for an outage that ends the run.
     * Safe from any thread.
     */
    default long outageMillis() {
        return 0;
    }

    /**
     * Frames the source would have delivered during the outages that have ended, estimated from
     * their length and the nominal frame rate (at least one per outage). Safe from any thread.
     */
    default long lostFrames() {
        return 0;
    }

    /**
     * Frames missing before the frame last returned by {@link #grab()}: dropped because the reader
     * fell behind, plus lost in outages, counted up to that frame (not the drops that came after it).
     * Frame indices advance by it, so that a gap in the indices marks a gap in the pictures.
     */
    default long missedFrames() {
        return droppedFrames() + lostFrames();
    }

    /**
     * Wall-clock time (epoch ms) at which the frame last returned by {@link #grab()} was captured,
     * or -1 when the source does not know: a recording is stamped when the reader releases it.
     */
    default long lastCaptureTimeMs() {
        return -1;
    }

    /**
     * Makes a {@link #grab()} that is waiting for a live frame on another thread return
     * {@code null} soon; later grabs return {@code null} too. Safe from any thread. Sources whose
     * grab only decodes (files, images) ignore it: their grab never waits long.
     */
    default void cancel() {
        // Nothing waits in a recording's grab beyond decoding one frame.
    }

    /** Releases the decoder and its native memory; frames returned earlier become invalid. */
    @Override
    void close();
}
