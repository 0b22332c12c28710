package org.smtstream.processor.offline;

import java.util.List;

/**
 * The whitened patches of one recording, frame by frame, in temporal order. A frame is B x n
 * values patch-major (patch i's n pixels contiguous), as ingest cuts them and as
 * {@link org.smtstream.processor.layer.FrameInference} takes them. Second differences are formed
 * within one clip only, never across two.
 *
 * @param name   what the clip was read from, for reports
 * @param frames the frames, each of the same length
 */
public record Clip(String name, List<float[]> frames) {

    public Clip {
        if (name == null || frames == null || frames.isEmpty()) {
            throw new IllegalArgumentException("A clip needs a name and at least one frame: " + name);
        }
        int length = frames.get(0).length;
        for (int t = 0; t < frames.size(); t++) {
            if (frames.get(t).length != length) {
                throw new IllegalArgumentException(name + ": frame " + t + " has " + frames.get(t).length
                        + " values, frame 0 has " + length);
            }
        }
        frames = List.copyOf(frames);
    }

    /** The frames [from, to) as a clip of their own. */
    public Clip slice(int from, int to) {
        return new Clip(name + " [" + from + ", " + to + ")", frames.subList(from, to));
    }

    public int size() {
        return frames.size();
    }
}
