package org.smtstream.ingest.source;

import java.util.function.Supplier;
import org.bytedeco.javacv.Frame;

/**
 * Replays a source forever: at its end it is closed and opened again. Timestamps start over on
 * each pass; skipped frames add up over all passes. A pass that yields no frame at all ends the
 * replay, so an empty or unreadable file cannot spin. Around a network stream this reconnects
 * when the stream ends or the connection drops (FFmpeg reports both as the end, ARCHITECTURE.md, trap T8).
 */
public final class LoopingSource implements FrameSource {

    private final Supplier<? extends FrameSource> opener;
    private FrameSource current;
    private long framesThisPass;
    private long skippedInEarlierPasses;

    /** Opens the first pass now, so a bad source fails here. */
    public LoopingSource(Supplier<? extends FrameSource> opener) {
        this.opener = opener;
        this.current = opener.get();
    }

    @Override
    public Frame grab() {
        Frame frame = current.grab();
        if (frame == null && framesThisPass > 0) {
            skippedInEarlierPasses += current.skippedFrames();
            current.close();
            current = null; // if reopening throws, close() must not close the finished pass again
            current = opener.get();
            framesThisPass = 0;
            frame = current.grab();
        }
        if (frame != null) {
            framesThisPass++;
        }
        return frame;
    }

    @Override
    public double frameRate() {
        return current.frameRate();
    }

    /** Unknown (-1): a loop has no end. */
    @Override
    public long frameCount() {
        return -1;
    }

    @Override
    public long skippedFrames() {
        return skippedInEarlierPasses + (current == null ? 0 : current.skippedFrames());
    }

    @Override
    public boolean live() {
        return current != null && current.live();
    }

    @Override
    public String name() {
        return current == null ? "loop" : current.name() + " (loop)";
    }

    @Override
    public void close() {
        if (current != null) {
            skippedInEarlierPasses += current.skippedFrames();
            current.close();
            current = null;
        }
    }
}
