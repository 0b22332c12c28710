package org.smtstream.ingest.source;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.ingest.IngestException;

/**
 * Still images played as a video, decoded with OpenCV as 8-bit BGR (grayscale and 16-bit files are
 * converted). Either every image of a directory, in natural name order ({@code img2} before
 * {@code img10}), or the files matching a numbered pattern such as {@code frames/img_%04d.png}
 * ({@code %d} or {@code %0Nd}, as in FFmpeg and printf), in numeric order. Images may differ in
 * size; the preprocessor crops each to its own centre square.
 *
 * <p>Frame {@code i} of the listing has the timestamp {@code i / fps} seconds, so pacing replays the
 * sequence at {@code fps}. A file that does not decode is skipped, counted and logged; its slot in
 * time stays empty.
 */
public final class ImageSequenceSource implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(ImageSequenceSource.class);

    /** File name extensions OpenCV's imread decodes in this build. */
    static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "tif", "tiff", "pgm", "ppm",
            "pbm", "pnm", "webp", "jp2");
    private static final Pattern PLACEHOLDER = Pattern.compile("%(0(\\d+))?d");

    private final String name;
    private final List<Path> files;
    private final double frameRate;
    /** Converters cache their output; one per source, used on the grabbing thread only (ARCHITECTURE.md, trap T7). */
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    /** The decoded image behind the frame last returned; released on the next grab or on close. */
    private Mat current;
    private int next;
    private long skipped;

    private ImageSequenceSource(String name, List<Path> files, double frameRate) {
        this.name = name;
        this.files = files;
        this.frameRate = frameRate;
    }

    /**
     * Lists the images of a directory or pattern; nothing is decoded yet.
     *
     * @param fps playback rate, &gt; 0
     * @throws IngestException when there is no such directory or no image in it, or no file
     *                         matches the pattern
     */
    public static ImageSequenceSource open(Path directoryOrPattern, double fps) {
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("Invalid frame rate: " + fps + " (must be > 0)");
        }
        Matcher placeholder = PLACEHOLDER.matcher(directoryOrPattern.getFileName() == null ? ""
                : directoryOrPattern.getFileName().toString());
        List<Path> files = placeholder.find() ? matching(directoryOrPattern, placeholder)
                : inDirectory(directoryOrPattern);
        LOG.debug("Image sequence '{}': {} files at {} fps", directoryOrPattern, files.size(), fps);
        return new ImageSequenceSource(directoryOrPattern.toString(), files, fps);
    }

    private static List<Path> inDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw cannotOpen(dir, Files.exists(dir) ? "not a directory" : "no such directory");
        }
        List<Path> images = list(dir).filter(p -> EXTENSIONS.contains(extension(p))).sorted(NATURAL_ORDER).toList();
        if (images.isEmpty()) {
            String expected = String.join(", .", EXTENSIONS.stream().sorted().toList());
            throw cannotOpen(dir, "no image files in it (expected ." + expected + ")");
        }
        return images;
    }

    /** Files named like the pattern, in the order of their numbers. */
    private static List<Path> matching(Path pattern, Matcher placeholder) {
        Path parent = pattern.toAbsolutePath().getParent();
        String fileName = pattern.getFileName().toString();
        String digits = placeholder.group(2) == null ? "\\d+" : "\\d{" + Integer.parseInt(placeholder.group(2)) + ",}";
        Pattern regex = Pattern.compile(Pattern.quote(fileName.substring(0, placeholder.start())) + "(" + digits + ")"
                + Pattern.quote(fileName.substring(placeholder.end())));
        if (!Files.isDirectory(parent)) {
            throw cannotOpen(pattern, "no such directory '" + parent + "'");
        }
        List<Path> files = list(parent)
                .filter(p -> regex.matcher(p.getFileName().toString()).matches())
                .sorted(Comparator.comparing(p -> numberIn(p, regex)))
                .toList();
        if (files.isEmpty()) {
            throw cannotOpen(pattern, "no file matches the pattern");
        }
        return files;
    }

    private static BigInteger numberIn(Path file, Pattern regex) {
        Matcher m = regex.matcher(file.getFileName().toString());
        m.matches();
        return new BigInteger(m.group(1));
    }

    private static Stream<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isRegularFile).toList().stream();
        } catch (IOException e) {
            throw cannotOpen(dir, "cannot list it: " + e.getMessage());
        }
    }

    private static String extension(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Compares file names so that runs of digits compare as numbers: {@code a2 < a10 < b1}. */
    static final Comparator<Path> NATURAL_ORDER = (a, b) -> compareNatural(a.getFileName().toString(),
            b.getFileName().toString());

    static int compareNatural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int endA = digitsEnd(a, i);
                int endB = digitsEnd(b, j);
                // BigInteger: a run of digits may be longer than a long holds (timestamps in names).
                int byValue = new BigInteger(a.substring(i, endA)).compareTo(new BigInteger(b.substring(j, endB)));
                if (byValue != 0) {
                    return byValue;
                }
                i = endA;
                j = endB;
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        int byLength = Integer.compare(a.length() - i, b.length() - j);
        return byLength != 0 ? byLength : a.compareTo(b);
    }

    private static int digitsEnd(String s, int from) {
        int end = from;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        return end;
    }

    @Override
    public Frame grab() {
        while (next < files.size()) {
            int index = next++;
            Path file = files.get(index);
            Mat image = decode(file);
            if (image == null) {
                skipped++;
                continue;
            }
            Frame frame = converter.convert(image);
            releaseCurrent();
            current = image;
            frame.timestamp = Math.round(index * 1e6 / frameRate);
            return frame;
        }
        return null;
    }

    private static Mat decode(Path file) {
        try {
            Mat image = imread(file.toString(), IMREAD_COLOR);
            if (image != null && !image.empty()) {
                return image;
            }
            if (image != null) {
                image.close();
            }
            LOG.warn("'{}': skipping an image that does not decode", file);
        } catch (RuntimeException e) {
            LOG.warn("'{}': skipping an image that does not decode: {}", file, e.getMessage());
        }
        return null;
    }

    private void releaseCurrent() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @Override
    public double frameRate() {
        return frameRate;
    }

    @Override
    public long frameCount() {
        return files.size();
    }

    @Override
    public long skippedFrames() {
        return skipped;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        releaseCurrent();
        converter.close();
    }

    private static IngestException cannotOpen(Path target, String reason) {
        return new IngestException("Cannot open images '" + target + "': " + reason);
    }
}
