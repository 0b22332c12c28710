package org.smtstream.web;

import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.smtstream.model.wire.FrameImage;

/**
 * The live next-frame prediction of every stream: the processor's Phi g(2 beta_{t-1} - beta_{t-2})
 * ({@link FrameImage.Kind#PREDICTION_BETA}) scored against the frame x_t it predicts, beside two
 * controls in whitened pixels: copy the last frame, x_{t-1}, and extrapolate linearly,
 * 2 x_{t-1} - x_{t-2}. The processor sends the four pictures of one frame together (it holds the
 * patches of the frames before; this view's own windows run ahead of it by the processor's lag). The
 * offline version of the same measurement is stream-processor/EVALUATION.md, "Next-frame prediction".
 *
 * <p>All three are scored on the assembled whitened frame, the space the pictures are in:
 * SNR = 10 log10(||x_t||^2 / ||x_t - prediction||^2), per frame and pooled over every frame measured
 * since the stream started (or restarted), because one frame's SNR is noisy. A frame is measured once
 * its four pictures have arrived; a picture of a newer frame drops an incomplete older one.
 *
 * <p>Thread-safe.
 */
final class NextFramePrediction {

    /** The predictors, in the order the page shows them. */
    enum Predictor {
        /** Phi g(2 beta_{t-1} - beta_{t-2}), from the processor. */
        BETA,
        /** x_{t-1}. */
        COPY_LAST,
        /** 2 x_{t-1} - x_{t-2}. */
        PIXELS
    }

    /** The pictures of the latest measured frame: what was predicted, and each predictor's guess. */
    enum Picture {
        TARGET(FrameImage.Kind.PREDICTION_TARGET), BETA(FrameImage.Kind.PREDICTION_BETA),
        COPY_LAST(FrameImage.Kind.PREDICTION_COPY_LAST), PIXELS(FrameImage.Kind.PREDICTION_PIXELS);

        private final FrameImage.Kind kind;

        Picture(FrameImage.Kind kind) {
            this.kind = kind;
        }

        /** The picture a record of {@code kind} is, if it is one of the four. */
        static Optional<Picture> of(FrameImage.Kind kind) {
            for (Picture p : values()) {
                if (p.kind == kind) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }

        /** The name in the picture's URL, {@code next-copy-last}. */
        String urlName() {
            return "next-" + name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * The latest measured frame of a stream and the pooled figures so far.
     *
     * @param frameIndex the frame predicted, t
     * @param snrDb      each predictor's SNR on that frame (NaN when x_t is all zero)
     * @param pooledDb   each predictor's SNR pooled over {@code frames} frames
     * @param frames     frames measured
     */
    record Snapshot(long frameIndex, Map<Predictor, Double> snrDb, Map<Predictor, Double> pooledDb, long frames) {
    }

    private final Map<String, StreamPrediction> streams = new HashMap<>();

    /** One of the four prediction pictures; other kinds are ignored. */
    synchronized void onImage(FrameImage image) {
        Optional<Picture> which = Picture.of(image.kind());
        if (which.isEmpty()) {
            return;
        }
        StreamPrediction s = streams.computeIfAbsent(image.streamId(), id -> new StreamPrediction());
        if (!s.pending.isEmpty() && s.pending.values().iterator().next().frameIndex() != image.frameIndex()) {
            s.pending.clear();
        }
        s.pending.put(which.get(), image);
        if (s.pending.size() == Picture.values().length) {
            measure(s);
        }
    }

    synchronized Optional<Snapshot> snapshot(String streamId) {
        StreamPrediction s = streams.get(streamId);
        return s == null || s.latest == null ? Optional.empty() : Optional.of(s.latest);
    }

    /** A picture of the latest measured frame, all four of the same frame. */
    synchronized Optional<FrameImage> picture(String streamId, Picture which) {
        StreamPrediction s = streams.get(streamId);
        return s == null ? Optional.empty() : Optional.ofNullable(s.pictures.get(which));
    }

    /** The picture a URL name ({@link Picture#urlName}) in any case stands for. */
    static Optional<Picture> parsePicture(String urlName) {
        for (Picture p : Picture.values()) {
            if (p.urlName().equalsIgnoreCase(urlName.replace('_', '-'))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static void measure(StreamPrediction s) {
        Map<Picture, FrameImage> pictures = new EnumMap<>(s.pending);
        s.pending.clear();
        float[] x = pictures.get(Picture.TARGET).pixels();
        if (pictures.values().stream().anyMatch(p -> p.pixels().length != x.length)) {
            return;                                     // nothing to compare
        }
        long frameIndex = pictures.get(Picture.TARGET).frameIndex();
        if (s.latest != null && frameIndex == s.latest.frameIndex()) {
            return;                                     // delivered again: counted once
        }
        if (s.latest != null && frameIndex < s.latest.frameIndex()) {
            s.pooled.clear();                           // the stream restarted: its pool starts over
            s.frames = 0;
        }
        Map<Predictor, Double> snr = new EnumMap<>(Predictor.class);
        for (Predictor p : Predictor.values()) {
            double[] energies = ImageSnr.energies(x, pictures.get(Picture.valueOf(p.name())).pixels());
            snr.put(p, ImageSnr.db(energies[0], energies[1]));
            double[] pool = s.pooled.computeIfAbsent(p, k -> new double[2]);
            pool[0] += energies[0];
            pool[1] += energies[1];
        }
        s.frames++;
        Map<Predictor, Double> pooled = new EnumMap<>(Predictor.class);
        s.pooled.forEach((p, pool) -> pooled.put(p, ImageSnr.db(pool[0], pool[1])));
        s.latest = new Snapshot(frameIndex, Collections.unmodifiableMap(snr), Collections.unmodifiableMap(pooled),
                s.frames);
        s.pictures.clear();
        s.pictures.putAll(pictures);
    }

    private static final class StreamPrediction {
        final Map<Predictor, double[]> pooled = new EnumMap<>(Predictor.class);
        final Map<Picture, FrameImage> pictures = new EnumMap<>(Picture.class);
        final Map<Picture, FrameImage> pending = new EnumMap<>(Picture.class);
        Snapshot latest;
        long frames;
    }
}
