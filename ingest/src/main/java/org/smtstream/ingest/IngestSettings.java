package org.smtstream.ingest;

import java.nio.file.Path;

/**
 * What one {@link IngestJob} reads and how.
 *
 * @param source            the video file to read
 * @param streamId          the Kafka key of every record of this stream
 * @param pacing            how fast frames are released
 * @param loop              restart the file at its end; frame indices keep increasing
 * @param maxFrames         stop after publishing this many frames; 0 = no limit
 * @param previewIntervalMs minimum wall-clock time between two preview images; 0 = every frame
 */
public record IngestSettings(Path source, String streamId, Pacing pacing, boolean loop, long maxFrames,
                             long previewIntervalMs) {

    /** Five preview images a second are enough to watch a feed. */
    public static final long DEFAULT_PREVIEW_INTERVAL_MS = 200;

    public IngestSettings {
        if (source == null) {
            throw new IllegalArgumentException("Invalid source: null");
        }
        if (streamId == null || streamId.isBlank()) {
            throw new IllegalArgumentException("Invalid stream id: '" + streamId + "' (must not be blank)");
        }
        if (pacing == null) {
            throw new IllegalArgumentException("Invalid pacing: null");
        }
        if (maxFrames < 0) {
            throw new IllegalArgumentException("Invalid max frames: " + maxFrames + " (0 = no limit)");
        }
        if (previewIntervalMs < 0) {
            throw new IllegalArgumentException("Invalid preview interval: " + previewIntervalMs
                    + " ms (0 = every frame)");
        }
    }

    /** Native pacing, no loop, no frame limit, the default preview interval. */
    public static IngestSettings of(Path source, String streamId) {
        return new IngestSettings(source, streamId, Pacing.NATIVE, false, 0, DEFAULT_PREVIEW_INTERVAL_MS);
    }

    public IngestSettings withPacing(Pacing value) {
        return new IngestSettings(source, streamId, value, loop, maxFrames, previewIntervalMs);
    }

    public IngestSettings withLoop(boolean value) {
        return new IngestSettings(source, streamId, pacing, value, maxFrames, previewIntervalMs);
    }

    public IngestSettings withMaxFrames(long value) {
        return new IngestSettings(source, streamId, pacing, loop, value, previewIntervalMs);
    }

    public IngestSettings withPreviewIntervalMs(long value) {
        return new IngestSettings(source, streamId, pacing, loop, maxFrames, value);
    }
}
