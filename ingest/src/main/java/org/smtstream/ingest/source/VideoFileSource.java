package org.smtstream.ingest.source;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.ingest.IngestException;

/**
 * A video file decoded with FFmpeg ({@link FFmpegSource}), frames as 8-bit BGR.
 *
 * <p>Corrupt input does not end the stream. JavaCV drops packets the decoder rejects without
 * telling, so lost frames are counted from what can be observed: a grab that throws, a gap of more
 * than {@value #GAP_PERIODS} frame periods between consecutive timestamps (the frames in between
 * are counted), and at the end of the file the frames the container declares but that never
 * arrived. This assumes a constant frame rate, which holds for the recorded clips this source is
 * for; a variable-rate file may over-count.
 */
public final class VideoFileSource implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(VideoFileSource.class);

    /** A timestamp step longer than this many frame periods means frames were lost in between. */
    static final double GAP_PERIODS = 1.5;

    private final Path path;
    private final FFmpegSource decoder;
    /** Frames the container's header declares (nb_frames), 0 when it does not say. */
    private final long declaredFrames;
    /** Nominal frames per second, 0 when the container does not say. */
    private final double frameRate;
    private long decoded;
    /** Frames inferred lost from timestamp gaps and from the declared count; failed grabs are the decoder's. */
    private long lost;
    private long lastTimestamp = Long.MIN_VALUE;
    private boolean ended;

    private VideoFileSource(Path path, FFmpegSource decoder) {
        this.path = path;
        this.decoder = decoder;
        this.declaredFrames = decoder.declaredFrames();
        this.frameRate = decoder.frameRate();
    }

    /**
     * Opens {@code path} and starts its decoder.
     *
     * @throws IngestException with a message naming the file and the reason (no such file, a
     *                         directory, not a video FFmpeg can read, no video stream)
     */
    public static VideoFileSource open(Path path) {
        String problem = Files.isDirectory(path) ? "it is a directory"
                : !Files.exists(path) ? "no such file"
                : !Files.isReadable(path) ? "permission denied"
                : null;
        if (problem != null) {
            throw FFmpegSource.cannotOpen("video", path.toString(), problem, null);
        }
        return new VideoFileSource(path, FFmpegSource.file(path));
    }

    @Override
    public Frame grab() {
        if (ended) {
            return null;
        }
        Frame frame = decoder.grab();
        if (frame == null) {
            return end();
        }
        countGap(frame.timestamp);
        decoded++;
        return frame;
    }

    private void countGap(long timestamp) {
        if (frameRate > 0 && lastTimestamp != Long.MIN_VALUE && timestamp > lastTimestamp) {
            double periods = (timestamp - lastTimestamp) * frameRate / 1e6;
            if (periods > GAP_PERIODS) {
                long missing = Math.round(periods) - 1;
                lost += missing;
                LOG.warn("'{}': {} frame(s) lost before {} s (corrupt or undecodable data)",
                        path, missing, String.format("%.3f", timestamp / 1e6));
            }
        }
        lastTimestamp = Math.max(lastTimestamp, timestamp);
    }

    private Frame end() {
        ended = true;
        long missing = declaredFrames - decoded - skippedFrames();
        if (declaredFrames > 0 && missing > 0) {
            lost += missing;
            LOG.warn("'{}': decoded {} of the {} frames the container declares; {} more lost",
                    path, decoded, declaredFrames, missing);
        }
        if (skippedFrames() > 0) {
            LOG.warn("'{}': {} frame(s) skipped as corrupt or undecodable, {} decoded", path, skippedFrames(), decoded);
        }
        return null;
    }

    @Override
    public double frameRate() {
        return frameRate;
    }

    @Override
    public long frameCount() {
        return decoder.frameCount();
    }

    @Override
    public long skippedFrames() {
        return decoder.skippedFrames() + lost;
    }

    /** Width of the decoded frames in pixels. */
    public int width() {
        return decoder.width();
    }

    /** Height of the decoded frames in pixels. */
    public int height() {
        return decoder.height();
    }

    @Override
    public String name() {
        return path.toString();
    }

    @Override
    public void close() {
        decoder.close();
    }
}
