package org.smtstream.web;

import java.util.Arrays;

/**
 * The last {@code capacity} frames of one representation (pixels, alpha or beta) of one stream,
 * each frame holding every patch location, so the recent path of any location can be read out.
 *
 * <p>A frame is kept as the record's own patch-major array (no copy, codes stay sparse), which
 * is the cheapest form that still answers "location i over the last W frames". Frames must come in
 * increasing index order: an index below the newest means the stream restarted, and a path across
 * a restart is not a path, so the window starts over; so it does when the patch grid changes.
 * Not thread-safe: {@link TrajectoryStore} guards it.
 */
final class FrameWindow {

    /** One frame's values per patch location. */
    interface Slices {
        int locations();

        int dim();

        /** A fresh copy of location {@code i}'s vector. */
        float[] location(int i);

        /** Bytes the retained arrays take. */
        long bytes();
    }

    /** Patch-major dense values: location i is {@code data[i * dim .. (i + 1) * dim)}. */
    record DenseSlices(int dim, float[] data) implements Slices {
        DenseSlices {
            if (dim < 1 || data.length % dim != 0) {
                throw new IllegalArgumentException(data.length + " values are not whole " + dim + "-vectors");
            }
        }

        @Override
        public int locations() {
            return data.length / dim;
        }

        @Override
        public float[] location(int i) {
            return Arrays.copyOfRange(data, i * dim, (i + 1) * dim);
        }

        @Override
        public long bytes() {
            return 4L * data.length;
        }
    }

    /** A location's path: frame indices, oldest first, and the vector at each. */
    record Path(long[] frames, float[][] points) {
    }

    private final long[] frames;
    private final Slices[] slices;
    private int size;
    /** Slot of the oldest frame. */
    private int start;

    FrameWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("Invalid window: " + capacity + " frames");
        }
        frames = new long[capacity];
        slices = new Slices[capacity];
    }

    /** Adds the newest frame; a repeated index replaces nothing (the first delivery is kept). */
    void add(long frameIndex, Slices frame) {
        if (size > 0) {
            Slices newest = slices[slot(size - 1)];
            long newestIndex = frames[slot(size - 1)];
            if (frameIndex == newestIndex) {
                return;
            }
            if (frameIndex < newestIndex || newest.locations() != frame.locations() || newest.dim() != frame.dim()) {
                clear();
            }
        }
        if (size == frames.length) {
            slices[start] = null;
            start = (start + 1) % frames.length;
            size--;
        }
        frames[slot(size)] = frameIndex;
        slices[slot(size)] = frame;
        size++;
    }

    int size() {
        return size;
    }

    int capacity() {
        return frames.length;
    }

    /** Patch locations of the newest frame, 0 when empty. */
    int locations() {
        return size == 0 ? 0 : slices[slot(size - 1)].locations();
    }

    /** Location {@code i} over the retained frames; empty when it is outside the grid. */
    Path path(int location) {
        if (location < 0 || location >= locations()) {
            return new Path(new long[0], new float[0][]);
        }
        long[] indices = new long[size];
        float[][] points = new float[size][];
        for (int k = 0; k < size; k++) {
            indices[k] = frames[slot(k)];
            points[k] = slices[slot(k)].location(location);
        }
        return new Path(indices, points);
    }

    long bytes() {
        long total = 0;
        for (int k = 0; k < size; k++) {
            total += slices[slot(k)].bytes();
        }
        return total;
    }

    /** Forgets every frame: the next one starts a new path. */
    void clear() {
        Arrays.fill(slices, null);
        size = 0;
        start = 0;
    }

    private int slot(int k) {
        return (start + k) % frames.length;
    }
}
