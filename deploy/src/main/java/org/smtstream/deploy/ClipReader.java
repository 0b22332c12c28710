package org.smtstream.deploy;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.ingest.BundledClip;
import org.smtstream.ingest.Pacing;
import org.smtstream.ingest.preprocess.Preprocessor;
import org.smtstream.ingest.source.FrameSource;
import org.smtstream.ingest.source.SourceSpec;
import org.smtstream.model.PatchGeometry;
import org.smtstream.model.SmtConfig;
import org.smtstream.processor.offline.Clip;

/**
 * Reads a recording the way ingest prepares it for the processor (decode, gray, centre crop,
 * downsample, Fourier whitening, patches), without Kafka, into memory for offline training and
 * evaluation: 64 KiB per frame at the fast preset, 52 MB for the bundled clip.
 */
final class ClipReader {

    private static final Logger LOG = LoggerFactory.getLogger(ClipReader.class);

    private ClipReader() {
    }

    /**
     * Reads each input as one clip, in the order given, saying on {@code out} how many frames each had.
     *
     * @param inputs    sources as {@link SourceSpec#parse} takes them
     * @param maxFrames read at most this many frames of each (0 = to the end)
     */
    static List<Clip> readAll(List<String> inputs, SmtConfig config, int maxFrames, PrintWriter out) {
        List<Clip> clips = new ArrayList<>();
        for (String input : inputs) {
            Clip clip = read(SourceSpec.parse(input), config, maxFrames);
            out.println("Read " + clip.size() + " frames of " + clip.name());
            out.flush();
            clips.add(clip);
        }
        return clips;
    }

    /** The recording an offline command was given ({@link SourceSpec#parse}), or the bundled clip without one. */
    static SourceSpec orBundled(String input) {
        return input == null ? SourceSpec.file(BundledClip.path()) : SourceSpec.parse(input);
    }

    /**
     * @param input     what to read
     * @param config    frame size, whitening and patch geometry
     * @param maxFrames read at most this many frames (0 = to the end); required for live sources
     */
    static Clip read(SourceSpec input, SmtConfig config, int maxFrames) {
        Preprocessor preprocessor = new Preprocessor(config);
        PatchGeometry patcher = config.geometry();
        List<float[]> frames = new ArrayList<>();
        try (FrameSource source = input.open(Pacing.UNLIMITED)) {
            if (source.live() && maxFrames <= 0) {
                throw new IllegalArgumentException(input.display() + " is a live source: give --max-frames");
            }
            Frame frame;
            while ((maxFrames <= 0 || frames.size() < maxFrames) && (frame = source.grab()) != null) {
                frames.add(patcher.cut(preprocessor.process(frame).whitened()));
            }
            if (source.skippedFrames() > 0) {
                LOG.warn("{}: {} corrupt frames skipped", input.display(), source.skippedFrames());
            }
        }
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("No frames could be read from " + input.display());
        }
        return new Clip(input.display(), frames);
    }
}
