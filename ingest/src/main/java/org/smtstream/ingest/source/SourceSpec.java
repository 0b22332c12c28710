package org.smtstream.ingest.source;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import org.smtstream.ingest.Pacing;

/**
 * What a user pointed ingest at, before it is opened: a video file, an image directory or numbered
 * image sequence, a V4L2 camera, a network stream or an FFmpeg lavfi graph. {@link #parse} tells
 * them apart from the text alone (plus whether a path is a directory); {@link #open} opens the
 * matching {@link FrameSource}.
 *
 * @param kind      what the target is
 * @param target    a path, a pattern such as {@code frames/img_%04d.png}, a device, a URL or a graph
 * @param width     capture width of a camera, 0 = the camera's default
 * @param height    capture height of a camera, 0 = the camera's default
 * @param frameRate capture rate of a camera or playback rate of an image sequence, 0 = default
 */
public record SourceSpec(Kind kind, String target, int width, int height, double frameRate) {

    /** The kinds of input. */
    public enum Kind {
        /** A video file: anything FFmpeg decodes. */
        FILE,
        /** An image directory (natural file-name order) or a numbered pattern. */
        IMAGES,
        /** A Video4Linux2 device. */
        CAMERA,
        /** A network stream or remote file: rtsp://, http(s)://, rtmp://, udp://, srt://, ... */
        URL,
        /** An FFmpeg lavfi source graph, a camera stand-in. */
        LAVFI
    }

    /** Prefix of a lavfi graph in {@link #parse}: {@code lavfi:testsrc2=size=320x240:rate=10}. */
    public static final String LAVFI_PREFIX = "lavfi:";
    /** Playback rate of an image sequence when none is given. */
    public static final double DEFAULT_IMAGE_RATE = 10;

    private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.+");
    private static final Pattern NUMBERED = Pattern.compile("%(0\\d+)?d");
    private static final Pattern CAMERA_INDEX = Pattern.compile("\\d+");
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^/@]*)@");
    private static final String EXPECTED = "expected a video file, an image directory or pattern such as "
            + "frames/img_%04d.png, a camera such as /dev/video0, a URL such as rtsp://host/path, or "
            + LAVFI_PREFIX + "GRAPH";

    public SourceSpec {
        if (kind == null) {
            throw new IllegalArgumentException("Invalid input kind: null");
        }
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("Invalid input: '" + target + "' (" + EXPECTED + ")");
        }
        if (width < 0 || height < 0 || (width == 0) != (height == 0)) {
            throw new IllegalArgumentException("Invalid capture size: " + width + "x" + height
                    + " (give both width and height, or neither)");
        }
        if (width > 0 && kind != Kind.CAMERA) {
            throw new IllegalArgumentException("A capture size applies to cameras only, not to "
                    + describe(kind, target));
        }
        if (!(frameRate >= 0) || Double.isInfinite(frameRate)) {
            throw new IllegalArgumentException("Invalid frame rate: " + frameRate + " (0 = the source's own)");
        }
        if (frameRate > 0 && kind != Kind.CAMERA && kind != Kind.IMAGES) {
            throw new IllegalArgumentException("A frame rate applies to cameras and image sequences only, not to "
                    + describe(kind, target) + (kind == Kind.LAVFI ? " (set rate= in the graph)"
                    : " (use the pacing to replay faster or slower)"));
        }
    }

    /**
     * Reads what a user typed: {@code lavfi:GRAPH}; a URL ({@code scheme://...}, {@code file://}
     * meaning a file); {@code /dev/video*} or {@code /dev/v4l/...} a camera; a path containing
     * {@code %d} or {@code %0Nd} (and not naming an existing file) a numbered image sequence; an
     * existing directory an image directory; anything else a video file (whether it exists is
     * checked when it is opened).
     *
     * @throws IllegalArgumentException for blank text or an empty lavfi graph
     */
    public static SourceSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("Invalid input: '" + text + "' (" + EXPECTED + ")");
        }
        String t = text.strip();
        if (t.regionMatches(true, 0, LAVFI_PREFIX, 0, LAVFI_PREFIX.length())) {
            return lavfi(t.substring(LAVFI_PREFIX.length()));
        }
        if (URL.matcher(t).matches()) {
            return t.regionMatches(true, 0, "file://", 0, 7) ? file(Path.of(URI.create(t))) : url(t);
        }
        if (t.startsWith("/dev/video") || t.startsWith("/dev/v4l/")) {
            return camera(t);
        }
        Path path = Path.of(t);
        boolean pattern = NUMBERED.matcher(t).find() && !Files.isRegularFile(path); // "100%done.mp4" is a file
        return pattern || Files.isDirectory(path) ? images(path) : file(path);
    }

    public static SourceSpec file(Path path) {
        return new SourceSpec(Kind.FILE, path.toString(), 0, 0, 0);
    }

    /** A directory of images, or a numbered pattern such as {@code frames/img_%04d.png}. */
    public static SourceSpec images(Path directoryOrPattern) {
        return new SourceSpec(Kind.IMAGES, directoryOrPattern.toString(), 0, 0, 0);
    }

    /** A V4L2 device path, or a camera index ({@code 0} = {@code /dev/video0}). */
    public static SourceSpec camera(String device) {
        String d = device == null ? null : device.strip();
        return new SourceSpec(Kind.CAMERA, d != null && CAMERA_INDEX.matcher(d).matches() ? "/dev/video" + d : d,
                0, 0, 0);
    }

    public static SourceSpec url(String url) {
        if (url == null || !URL.matcher(url.strip()).matches()) {
            throw new IllegalArgumentException("Invalid URL: '" + url + "' (expected scheme://host/path, "
                    + "e.g. rtsp://camera.local/stream)");
        }
        return new SourceSpec(Kind.URL, url.strip(), 0, 0, 0);
    }

    /** An FFmpeg lavfi graph, with or without the {@value #LAVFI_PREFIX} prefix. */
    public static SourceSpec lavfi(String graph) {
        String g = graph == null ? null : graph.strip();
        if (g != null && g.regionMatches(true, 0, LAVFI_PREFIX, 0, LAVFI_PREFIX.length())) {
            g = g.substring(LAVFI_PREFIX.length());
        }
        if (g == null || g.isBlank()) {
            throw new IllegalArgumentException("Invalid lavfi graph: empty (expected e.g. "
                    + LAVFI_PREFIX + "testsrc2=size=320x240:rate=10)");
        }
        return new SourceSpec(Kind.LAVFI, g, 0, 0, 0);
    }

    /** This camera at {@code width} x {@code height} pixels (0 x 0 = its default). */
    public SourceSpec withCaptureSize(int w, int h) {
        return new SourceSpec(kind, target, w, h, frameRate);
    }

    /** This camera at {@code fps} frames per second, or this image sequence played at it (0 = default). */
    public SourceSpec withFrameRate(double fps) {
        return new SourceSpec(kind, target, width, height, fps);
    }

    /**
     * Opens the source.
     *
     * @param pacing how fast a lavfi graph renders (recordings are paced by the reader instead)
     * @throws org.smtstream.ingest.IngestException naming the input and why it cannot be read
     */
    public FrameSource open(Pacing pacing) {
        return switch (kind) {
            case FILE -> VideoFileSource.open(Path.of(target));
            case IMAGES -> ImageSequenceSource.open(Path.of(target), frameRate > 0 ? frameRate : DEFAULT_IMAGE_RATE);
            case CAMERA -> FFmpegSource.camera(target, width, height, frameRate);
            case URL -> FFmpegSource.stream(target);
            case LAVFI -> FFmpegSource.lavfi(target, pacing);
        };
    }

    /**
     * Whether an end of this input, once open and live, may be a lost connection rather than its real
     * end: true for a camera and a network stream, where FFmpeg reports both alike (ARCHITECTURE.md,
     * trap T8); false for a lavfi graph, which ends only when its duration is over.
     */
    public boolean endMayBeDrop() {
        return kind == Kind.CAMERA || kind == Kind.URL;
    }

    /** The target as shown in messages and logs: a URL's password is replaced by {@code ***}. */
    public String display() {
        return kind == Kind.URL ? redact(target) : target;
    }

    /** {@code rtsp://user:secret@host/x} becomes {@code rtsp://user:***@host/x}. */
    static String redact(String url) {
        var m = USER_INFO.matcher(url);
        if (!m.find()) {
            return url;
        }
        String userInfo = m.group(2);
        int colon = userInfo.indexOf(':');
        String shown = colon < 0 ? userInfo : userInfo.substring(0, colon) + ":***";
        return m.group(1) + shown + "@" + url.substring(m.end());
    }

    private static String describe(Kind kind, String target) {
        return kind.name().toLowerCase(Locale.ROOT) + " '" + (kind == Kind.URL ? redact(target) : target) + "'";
    }

    @Override
    public String toString() {
        String options = width > 0 ? " " + width + "x" + height : "";
        options += frameRate > 0 ? " at " + frameRate + " fps" : "";
        return kind.name().toLowerCase(Locale.ROOT) + " " + display() + options;
    }
}
