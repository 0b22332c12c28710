package org.smtstream.ingest.source;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.ingest.IngestException;
import org.smtstream.ingest.Pacing;

/**
 * Frames decoded by FFmpeg ({@link FFmpegFrameGrabber}) as 8-bit BGR, from a camera, a network
 * stream or a lavfi test source; {@link VideoFileSource} uses it for files. A frame that fails to
 * decode is skipped and counted, not fatal; after {@value #MAX_CONSECUTIVE_ERRORS} failures in a
 * row the input is treated as ended.
 *
 * <p>Each factory method opens and starts its input, or throws one {@link IngestException} that
 * names the input and FFmpeg's reason in words ("Connection refused"), so a user sees why at once.
 * FFmpeg's own log goes to DEBUG ({@link FFmpegLog}).
 */
public final class FFmpegSource implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(FFmpegSource.class);

    /** After this many failed grabs in a row the rest of the input is treated as unreadable. */
    static final int MAX_CONSECUTIVE_ERRORS = 100;
    /**
     * How long a network open or read may wait for data. FFmpeg's default is forever, and since
     * FFmpeg 5 the old {@code stimeout} is silently ignored (ARCHITECTURE.md, trap T8): {@code timeout} and
     * {@code rw_timeout} in microseconds are the options that work.
     */
    public static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Decoder threads of a live input: half the cores. FFmpeg's default (one per core) makes each
     * stream's decoder compete with preprocessing and with the other streams (ARCHITECTURE.md, trap T10).
     */
    static final int LIVE_DECODER_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    /** Longest pause FFmpeg's realtime filter makes between two frames of a lavfi graph, in seconds. */
    static final int REALTIME_LIMIT_S = 3600;
    /** Raw YUYV over USB 2 limits most webcams to a few fps at 640x480 and above (ARCHITECTURE.md, trap T11). */
    static final String CAMERA_INPUT_FORMAT = "mjpeg";

    private final String name;
    private final FFmpegFrameGrabber grabber;
    /** Set once by the factory method, before the source is handed out. */
    private boolean live;
    private long skipped;
    private boolean ended;

    private FFmpegSource(String name, FFmpegFrameGrabber grabber) {
        this.name = name;
        this.grabber = grabber;
    }

    /**
     * A Video4Linux2 camera. A missing device path is reported without asking FFmpeg: probing for a
     * camera can take seconds, a file check does not. MJPEG is requested first; a camera that does
     * not offer it is opened again in its default format. Only one process can stream a device.
     *
     * @param device    a device path such as {@code /dev/video0}
     * @param width     capture width, 0 = the camera's default (with height)
     * @param height    capture height, 0 = the camera's default
     * @param frameRate capture rate in frames per second, 0 = the camera's default
     */
    public static FFmpegSource camera(String device, int width, int height, double frameRate) {
        Path path = Path.of(device);
        if (!Files.exists(path)) {
            throw cannotOpen("camera", device, "no such device", null);
        }
        if (!Files.isReadable(path)) {
            throw cannotOpen("camera", device, "permission denied (is the user in the 'video' group?)", null);
        }
        FFmpegSource camera;
        Consumer<FFmpegFrameGrabber> common = g -> {
            g.setFormat("video4linux2");
            if (width > 0 && height > 0) {
                g.setImageWidth(width);
                g.setImageHeight(height);
            }
            if (frameRate > 0) {
                g.setFrameRate(frameRate);
            }
            liveOptions(g);
        };
        try {
            camera = start("camera", device, device, true, g -> {
                common.accept(g);
                g.setOption("input_format", CAMERA_INPUT_FORMAT);
            });
        } catch (IngestException e) {
            LOG.info("Camera '{}' did not open with {} ({}); trying its default format", device,
                    CAMERA_INPUT_FORMAT, e.getMessage());
            camera = start("camera", device, device, true, common);
        }
        camera.live = true;
        return camera;
    }

    /**
     * A network stream (RTSP, RTMP, HTTP, UDP, SRT, ...) with {@link #NETWORK_TIMEOUT} on opening
     * and on every read, and RTSP over TCP (over UDP, lost packets tear frames apart). Streaming
     * protocols (everything but HTTP(S) and FTP) are live; an HTTP(S) or FTP URL is live only when
     * FFmpeg finds no duration, so a recording served over HTTP is replayed like a file.
     *
     * @param url what FFmpeg opens; messages and logs show it without its password
     */
    public static FFmpegSource stream(String url) {
        String display = SourceSpec.redact(url);
        String scheme = url.substring(0, Math.max(0, url.indexOf(':'))).toLowerCase(Locale.ROOT);
        boolean fileLike = scheme.equals("http") || scheme.equals("https") || scheme.equals("ftp");
        String micros = Long.toString(NETWORK_TIMEOUT.toNanos() / 1000);
        FFmpegSource source = start("stream", url, display, true, g -> {
            g.setOption("timeout", micros);
            g.setOption("rw_timeout", micros);
            if (scheme.startsWith("rtsp")) {
                g.setOption("rtsp_transport", "tcp");
            }
            if (!fileLike) {
                liveOptions(g);
            }
        });
        source.live = !fileLike || source.grabber.getLengthInTime() <= 0;
        return source;
    }

    /**
     * An FFmpeg lavfi source graph, e.g. {@code testsrc2=size=320x240:rate=10} or
     * {@code mandelbrot}: a camera stand-in that needs no device. FFmpeg renders such graphs as fast
     * as they are read, so unless {@code pacing} is unlimited FFmpeg's {@code realtime} filter is
     * appended to make it deliver frames at its rate (times the pacing speed), like a camera.
     */
    public static FFmpegSource lavfi(String graph, Pacing pacing) {
        // realtime treats a pause over its limit (default 2 s) as a timestamp jump and does not wait,
        // so a slow graph (rate=0.2) would flood; a graph's timestamps are regular, so lift the limit.
        String speed = pacing.speed() == 1.0 ? "" : ":speed=" + pacing.speed();
        String paced = pacing.unlimited() ? graph : graph + ",realtime=limit=" + REALTIME_LIMIT_S + speed;
        // No stream probing: the graph declares size and rate, and probing would render frames.
        FFmpegSource source = start("lavfi source", paced, graph, false, g -> {
            g.setFormat("lavfi");
            g.setVideoOption("threads", Integer.toString(LIVE_DECODER_THREADS));
        });
        source.live = true;
        return source;
    }

    /** A file; {@link VideoFileSource} checks the path and words the failure first. */
    static FFmpegSource file(Path path) {
        return start("video", path.toString(), path.toString(), true, g -> { });
    }

    private static void liveOptions(FFmpegFrameGrabber g) {
        g.setOption("fflags", "nobuffer");
        g.setVideoOption("threads", Integer.toString(LIVE_DECODER_THREADS));
    }

    /**
     * Starts a grabber on {@code target}. Stream probing (avformat_find_stream_info) is kept for
     * cameras and URLs: without it an MJPEG camera's pixel format or an RTSP stream's size may be
     * unknown until the first frame; its duration is bounded by the timeouts.
     */
    private static FFmpegSource start(String kind, String target, String display, boolean probe,
                                      Consumer<FFmpegFrameGrabber> configure) {
        FFmpegLog.install();
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(target);
        configure.accept(grabber);
        try {
            grabber.start(probe);
        } catch (FrameGrabber.Exception e) {
            closeQuietly(grabber, display);
            throw cannotOpen(kind, display, reason(kind, e), e);
        }
        if (grabber.getVideoStream() < 0 || grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
            closeQuietly(grabber, display);
            throw cannotOpen(kind, display, "it has no video stream", null);
        }
        LOG.debug("Opened {} '{}': {}x{} {} at {} fps", kind, display, grabber.getImageWidth(),
                grabber.getImageHeight(), grabber.getVideoCodecName(), grabber.getFrameRate());
        return new FFmpegSource(display, grabber);
    }

    private static String reason(String kind, FrameGrabber.Exception e) {
        if (kind.equals("video")) {
            return "not a video FFmpeg can read";
        }
        String words = FFmpegLog.describeError(e.getMessage());
        if (kind.equals("lavfi source")) {
            return (words != null ? words : "FFmpeg rejected it")
                    + " (expected a filter graph such as testsrc2=size=320x240:rate=10)";
        }
        return words != null ? words : "FFmpeg cannot read it";
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
                    LOG.warn("'{}': {} failed grabs in a row, treating the rest as unreadable: {}",
                            name, failures, e.getMessage());
                    ended = true;
                    return null;
                }
                LOG.warn("'{}': skipping a frame that failed to decode: {}", name, e.getMessage());
                continue;
            }
            if (frame == null) {
                // For a network stream this is the end or a lost connection; FFmpeg does not tell which.
                ended = true;
            }
            return frame;
        }
        return null;
    }

    @Override
    public double frameRate() {
        double fps = grabber.getFrameRate();
        return fps > 0 && Double.isFinite(fps) ? fps : 0;
    }

    /** Frames the container's header declares (nb_frames), 0 when it does not say. */
    long declaredFrames() {
        return Math.max(0, grabber.getFormatContext().streams(grabber.getVideoStream()).nb_frames());
    }

    @Override
    public long frameCount() {
        if (live) {
            return -1;
        }
        long declared = declaredFrames();
        int frames = grabber.getLengthInVideoFrames();
        return declared > 0 ? declared : frames > 0 ? frames : -1;
    }

    @Override
    public long skippedFrames() {
        return skipped;
    }

    @Override
    public boolean live() {
        return live;
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
        return name;
    }

    @Override
    public void close() {
        closeQuietly(grabber, name);
    }

    private static void closeQuietly(FFmpegFrameGrabber grabber, String name) {
        try {
            grabber.close();
        } catch (FrameGrabber.Exception e) {
            LOG.warn("'{}': closing the decoder failed: {}", name, e.getMessage());
        }
    }

    static IngestException cannotOpen(String kind, String target, String reason, Throwable cause) {
        return new IngestException("Cannot open " + kind + " '" + target + "': " + reason, cause);
    }
}
