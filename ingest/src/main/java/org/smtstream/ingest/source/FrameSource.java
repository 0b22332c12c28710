package org.smtstream.ingest.source;

import org.bytedeco.javacv.Frame;

/**
 * A sequence of video frames: a file now, cameras, streams and image folders later. Not
 * thread-safe: one thread grabs, and {@link #close()} is called from that same thread.
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

    /** What the source reads, for messages and logs (a path, a URL, a device). */
    String name();

    /** Releases the decoder and its native memory; frames returned earlier become invalid. */
    @Override
    void close();
}
