package org.smtstream.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The real clip the project ships, so demos and tests run from a fresh clone: OpenCV's sample
 * {@code vtest.avi} (pedestrians walking past a static camera) transcoded to 320 x 240, 10 fps,
 * MPEG-4 part 2 in MP4, all 795 frames, about 2.2 MB. Licence: {@code clips/LICENSE-walk.txt} next
 * to it (OpenCV's licence, Apache 2.0).
 */
public final class BundledClip {

    /** Classpath resource, relative to this class. */
    public static final String RESOURCE = "clips/walk.mp4";
    public static final int FRAME_COUNT = 795;
    public static final double FRAME_RATE = 10.0;
    public static final int WIDTH = 320;
    public static final int HEIGHT = 240;

    private static Path extracted;

    private BundledClip() {
    }

    /**
     * A file holding the clip. FFmpeg reads files, not classpath streams, so the clip is copied to a
     * temporary file once per JVM (deleted at exit).
     *
     * @throws IngestException when the resource is missing or cannot be copied
     */
    public static synchronized Path path() {
        if (extracted == null || !Files.isRegularFile(extracted)) {
            extracted = extract();
        }
        return extracted;
    }

    private static Path extract() {
        try (InputStream in = BundledClip.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IngestException("The bundled clip " + RESOURCE + " is missing from the classpath");
            }
            Path file = Files.createTempFile("smt-walk-", ".mp4");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new IngestException("Cannot extract the bundled clip: " + e.getMessage(), e);
        }
    }
}
