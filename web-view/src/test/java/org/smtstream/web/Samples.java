package org.smtstream.web;

import org.smtstream.model.wire.FrameImage;
import org.smtstream.model.wire.FrameMetrics;

/** Records as the pipeline would publish them, with values the tests can recognise. */
final class Samples {

    static final String STREAM = "cam0";
    /** Capture to processed time of every {@link #metrics} record. */
    static final long LATENCY_MS = 40;
    /** Processor time between frames of {@link #metrics}: 10 fps. */
    static final long FRAME_INTERVAL_MS = 100;

    private Samples() {
    }

    static FrameMetrics metrics(String streamId, long frameIndex, double snrAlphaDb) {
        long captured = 1_000_000 + FRAME_INTERVAL_MS * frameIndex;
        return new FrameMetrics(streamId, frameIndex, captured, captured + LATENCY_MS, 7, snrAlphaDb,
                snrAlphaDb - 3, 0.05, 25, 0.5, Double.NaN, Double.NaN, Double.NaN);
    }

    /** A picture whose values rise linearly from {@code from} (left column) to {@code to} (right). */
    static FrameImage horizontalGradient(FrameImage.Kind kind, int width, int height, float from, float to) {
        float[] pixels = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                pixels[y * width + x] = from + (to - from) * x / (width - 1);
            }
        }
        return new FrameImage(STREAM, 12, kind, width, height, pixels);
    }
}
