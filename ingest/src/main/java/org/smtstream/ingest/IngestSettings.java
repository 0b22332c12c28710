package org.smtstream.ingest;

import java.nio.file.Path;
import org.smtstream.ingest.preprocess.PreprocessingOptions;
import org.smtstream.ingest.source.Backoff;
import org.smtstream.ingest.source.SourceSpec;

/**
 * What one {@link IngestJob} reads and how.
 *
 * @param input             what to read: a file, images, a camera, a URL or a lavfi graph
 * @param streamId          the Kafka key of every record of this stream
 * @param pacing            how fast a recording is replayed; a lavfi graph renders at this pace; a
 *                          camera or network stream runs at its own
 * @param loop              start the input again at its end (a file replays, a lavfi graph renders
 *                          again); frame indices keep increasing. A camera or network stream that drops
 *                          reconnects without it (see {@code reconnect})
 * @param maxFrames         stop after publishing this many frames; 0 = no limit
 * @param previewIntervalMs minimum wall-clock time between two preview images; 0 = every frame
 * @param preprocessing     whitening method and local contrast normalization
 * @param liveBufferFrames  frames a live source keeps for a publisher that is behind; older ones
 *                          are dropped and counted (see {@link org.smtstream.ingest.source.DropOldestSource})
 * @param reconnect         when a live camera or network stream that dropped is opened again, and when to
 *                          give up (see {@link org.smtstream.ingest.source.ReconnectingSource}); files and
 *                          images never reconnect
 * @param maxFrameAgeMs     the stream's freshness bound: the processor skips frames older than this,
 *                          capture to coding, until it has caught up (0 = code every frame however late;
 *                          {@link #AUTO_MAX_FRAME_AGE} = {@value #DEFAULT_LIVE_MAX_FRAME_AGE_MS} ms for a live
 *                          source, none for a recording)
 */
public record IngestSettings(SourceSpec input, String streamId, Pacing pacing, boolean loop, long maxFrames,
                             long previewIntervalMs, PreprocessingOptions preprocessing, int liveBufferFrames,
                             Backoff reconnect, long maxFrameAgeMs) {

    /** Five preview images a second are enough to watch a feed. */
    public static final long DEFAULT_PREVIEW_INTERVAL_MS = 200;
    /**
     * Two frames: the one being published may be followed by one that arrived meanwhile, so a
     * publisher that keeps up on average loses nothing to jitter, yet latency stays under two frames.
     */
    public static final int DEFAULT_LIVE_BUFFER_FRAMES = 2;
    /** {@code maxFrameAgeMs} that lets the source decide: live sources get a bound, recordings none. */
    public static final long AUTO_MAX_FRAME_AGE = -1;
    /**
     * A live view more than a second behind its camera is no longer live. Half of it is left for a
     * run of consecutive frames after each catch-up, so a processor at a third of the camera's rate
     * still codes runs of about eight (the trajectories need three).
     */
    public static final long DEFAULT_LIVE_MAX_FRAME_AGE_MS = 1000;

    public IngestSettings {
        if (input == null) {
            throw new IllegalArgumentException("Invalid input: null");
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
        if (preprocessing == null) {
            throw new IllegalArgumentException("Invalid preprocessing options: null");
        }
        if (liveBufferFrames < 1) {
            throw new IllegalArgumentException("Invalid live buffer: " + liveBufferFrames + " frames (must be >= 1)");
        }
        if (reconnect == null) {
            throw new IllegalArgumentException("Invalid reconnect policy: null");
        }
        if (maxFrameAgeMs < AUTO_MAX_FRAME_AGE) {
            throw new IllegalArgumentException("Invalid max frame age: " + maxFrameAgeMs
                    + " ms (0 = code every frame; none given = 1 s for live sources, no bound for recordings)");
        }
    }

    /** The freshness bound of this stream once its source is open: {@code live} tells what AUTO means. */
    public long maxFrameAgeMs(boolean live) {
        if (maxFrameAgeMs != AUTO_MAX_FRAME_AGE) {
            return maxFrameAgeMs;
        }
        return live ? DEFAULT_LIVE_MAX_FRAME_AGE_MS : 0;
    }

    /** A video file with the default preprocessing and live buffer: the settings of the first releases. */
    public IngestSettings(Path source, String streamId, Pacing pacing, boolean loop, long maxFrames,
                          long previewIntervalMs) {
        this(source == null ? null : SourceSpec.file(source), streamId, pacing, loop, maxFrames, previewIntervalMs,
                PreprocessingOptions.DEFAULT, DEFAULT_LIVE_BUFFER_FRAMES, Backoff.DEFAULT, AUTO_MAX_FRAME_AGE);
    }

    /** A video file at native pacing, no loop, no frame limit, the default preview interval. */
    public static IngestSettings of(Path source, String streamId) {
        return of(source == null ? null : SourceSpec.file(source), streamId);
    }

    /** Any input at native pacing, no loop, no frame limit, default preview interval and preprocessing. */
    public static IngestSettings of(SourceSpec input, String streamId) {
        return new IngestSettings(input, streamId, Pacing.NATIVE, false, 0, DEFAULT_PREVIEW_INTERVAL_MS,
                PreprocessingOptions.DEFAULT, DEFAULT_LIVE_BUFFER_FRAMES, Backoff.DEFAULT, AUTO_MAX_FRAME_AGE);
    }

    /**
     * The file this job reads, for callers that only handle files.
     *
     * @throws IllegalStateException when the input is not a video file; use {@link #input()}
     */
    public Path source() {
        if (input.kind() != SourceSpec.Kind.FILE) {
            throw new IllegalStateException("The input is not a video file: " + input);
        }
        return Path.of(input.target());
    }

    public IngestSettings withInput(SourceSpec value) {
        return new IngestSettings(value, streamId, pacing, loop, maxFrames, previewIntervalMs, preprocessing,
                liveBufferFrames, reconnect, maxFrameAgeMs);
    }

    public IngestSettings withStreamId(String value) {
        return new IngestSettings(input, value, pacing, loop, maxFrames, previewIntervalMs, preprocessing,
                liveBufferFrames, reconnect, maxFrameAgeMs);
    }

    public IngestSettings withPacing(Pacing value) {
        return new IngestSettings(input, streamId, value, loop, maxFrames, previewIntervalMs, preprocessing,
                liveBufferFrames, reconnect, maxFrameAgeMs);
    }

    public IngestSettings withLoop(boolean value) {
        return new IngestSettings(input, streamId, pacing, value, maxFrames, previewIntervalMs, preprocessing,
                liveBufferFrames, reconnect, maxFrameAgeMs);
    }

    public IngestSettings withMaxFrames(long value) {
        return new IngestSettings(input, streamId, pacing, loop, value, previewIntervalMs, preprocessing,
                liveBufferFrames, reconnect, maxFrameAgeMs);
    }

    public IngestSettings withPreviewIntervalMs(long value) {
        return new IngestSettings(input, streamId, pacing, loop, maxFrames, value, preprocessing, liveBufferFrames,
                reconnect, maxFrameAgeMs);
    }

    public IngestSettings withPreprocessing(PreprocessingOptions value) {
        return new IngestSettings(input, streamId, pacing, loop, maxFrames, previewIntervalMs, value, liveBufferFrames,
                reconnect, maxFrameAgeMs);
    }

    public IngestSettings withLiveBufferFrames(int value) {
        return new IngestSettings(input, streamId, pacing, loop, maxFrames, previewIntervalMs, preprocessing, value,
                reconnect, maxFrameAgeMs);
    }

    public IngestSettings withReconnect(Backoff value) {
        return new IngestSettings(input, streamId, pacing, loop, maxFrames, previewIntervalMs, preprocessing,
                liveBufferFrames, value, maxFrameAgeMs);
    }

    public IngestSettings withMaxFrameAgeMs(long value) {
        return new IngestSettings(input, streamId, pacing, loop, maxFrames, previewIntervalMs, preprocessing,
                liveBufferFrames, reconnect, value);
    }
}
