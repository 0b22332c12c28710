package org.smtstream.ingest.source;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_INFO;
import static org.bytedeco.ffmpeg.global.avutil.av_log_get_level;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.smtstream.ingest.IngestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A video file decoded with FFmpeg ({@link FFmpegFrameGrabber}), frames as 8-bit BGR.
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
    /** After this many failed grabs in a row the rest of the file is treated as unreadable. */
    static final int MAX_CONSECUTIVE_ERRORS = 100;

    static {
        // FFmpeg prints a banner per opened file at its default level; keep its errors only,
        // unless the application chose a level of its own.
        if (av_log_get_level() == AV_LOG_INFO) {
            av_log_set_level(AV_LOG_ERROR);
        }
    }

    private final Path path;
    private final FFmpegFrameGrabber grabber;
    /** Frames the container's header declares (nb_frames), 0 when it does not say. */
    private final long declaredFrames;
    /** Nominal frames per second, 0 when the container does not say. */
    private final double frameRate;
    private long decoded;
    private long skipped;
    private long lastTimestamp = Long.MIN_VALUE;
    private boolean ended;

    private VideoFileSource(Path path, FFmpegFrameGrabber grabber) {
        this.path = path;
        this.grabber = grabber;
        this.declaredFrames = Math.max(0,
                grabber.getFormatContext().streams(grabber.getVideoStream()).nb_frames());
        double fps = grabber.getFrameRate();
        this.frameRate = fps > 0 && Double.isFinite(fps) ? fps : 0;
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
            throw cannotOpen(path, problem, null);
        }
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(path.toFile());
        try {
            grabber.start();
        } catch (FrameGrabber.Exception e) {
            closeQuietly(grabber, path);
            throw cannotOpen(path, "not a video FFmpeg can read", e);
        }
        if (grabber.getVideoStream() < 0 || grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
            closeQuietly(grabber, path);
            throw cannotOpen(path, "it has no video stream", null);
        }
        LOG.debug("Opened '{}': {}x{} {} at {} fps, {} frames declared", path, grabber.getImageWidth(),
                grabber.getImageHeight(), grabber.getVideoCodecName(), grabber.getFrameRate(),
                grabber.getLengthInVideoFrames());
        return new VideoFileSource(path, grabber);
    }

    @Override
    public Frame grab() {
        int failures = 0;
        while (!ended) {
            Frame frame;
            try {
                frame = grabber.grabImage();
            } catch (FrameGrabber.Exception e) {
                skipped++;
                if (++failures >= MAX_CONSECUTIVE_ERRORS) {
                    LOG.warn("'{}': {} failed grabs in a row, treating the rest of the file as unreadable: {}",
                            path, failures, e.getMessage());
                    return end();
                }
                LOG.warn("'{}': skipping a frame that failed to decode: {}", path, e.getMessage());
                continue;
            }
            if (frame == null) {
                return end();
            }
            countGap(frame.timestamp);
            decoded++;
            return frame;
        }
        return null;
    }

    private void countGap(long timestamp) {
        if (frameRate > 0 && lastTimestamp != Long.MIN_VALUE && timestamp > lastTimestamp) {
            double periods = (timestamp - lastTimestamp) * frameRate / 1e6;
            if (periods > GAP_PERIODS) {
                long lost = Math.round(periods) - 1;
                skipped += lost;
                LOG.warn("'{}': {} frame(s) lost before {} s (corrupt or undecodable data)",
                        path, lost, String.format("%.3f", timestamp / 1e6));
            }
        }
        lastTimestamp = Math.max(lastTimestamp, timestamp);
    }

    private Frame end() {
        if (!ended) {
            ended = true;
            long missing = declaredFrames - decoded - skipped;
            if (declaredFrames > 0 && missing > 0) {
                skipped += missing;
                LOG.warn("'{}': decoded {} of the {} frames the container declares; {} more lost",
                        path, decoded, declaredFrames, missing);
            }
            if (skipped > 0) {
                LOG.warn("'{}': {} frame(s) skipped as corrupt or undecodable, {} decoded", path, skipped, decoded);
            }
        }
        return null;
    }

    @Override
    public double frameRate() {
        return frameRate;
    }

    @Override
    public long frameCount() {
        int frames = grabber.getLengthInVideoFrames();
        return declaredFrames > 0 ? declaredFrames : frames > 0 ? frames : -1;
    }

    @Override
    public long skippedFrames() {
        return skipped;
    }

    /** Width of the decoded frames in pixels. */
    public int width() {
        return grabber.getImageWidth();
    }

    /** Height of the decoded frames in pixels. */
    public int height() {
        return grabber.getImageHeight();
    }

    @Override
    public String name() {
        return path.toString();
    }

    @Override
    public void close() {
        closeQuietly(grabber, path);
    }

    private static void closeQuietly(FFmpegFrameGrabber grabber, Path path) {
        try {
            grabber.close();
        } catch (FrameGrabber.Exception e) {
            LOG.warn("'{}': closing the decoder failed: {}", path, e.getMessage());
        }
    }

    private static IngestException cannotOpen(Path path, String reason, Throwable cause) {
        return new IngestException("Cannot open video '" + path + "': " + reason, cause);
    }
}
