package org.smtstream.web;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.smtstream.model.PatchGeometry;
import org.smtstream.model.wire.FrameImage;

/**
 * The live next-frame prediction of every stream: the processor's Phi g(2 beta_{t-1} - beta_{t-2})
 * ({@link FrameImage.Kind#PREDICTION_BETA}) scored against the frame x_t it predicts, beside two
 * controls made here from the whitened patches the {@link TrajectoryStore} keeps: copy the last
 * frame, x_{t-1}, and extrapolate pixels linearly, 2 x_{t-1} - x_{t-2}. The offline version of the
 * same measurement is stream-processor/EVALUATION.md, "Next-frame prediction".
 *
 * <p>All three are scored on the assembled whitened frame, the space the processor's picture is in:
 * SNR = 10 log10(||x_t||^2 / ||x_t - prediction||^2), per frame and pooled over every frame measured
 * since the stream started (or restarted), because one frame's SNR is noisy. The prediction arrives
 * on {@code smt.preview} and the patches on {@code smt.patches}, in either order: a prediction waits
 * until x_t, x_{t-1} and x_{t-2} are all held, and one that never can be (a blank frame or a gap in
 * between) is replaced by the next.
 *
 * <p>Thread-safe; it takes the store's lock inside its own, and the store never calls back.
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
        TARGET, BETA, COPY_LAST, PIXELS;

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

    private final TrajectoryStore pixels;
    private final Map<String, StreamPrediction> streams = new HashMap<>();

    NextFramePrediction(TrajectoryStore pixels) {
        this.pixels = pixels;
    }

    /** A {@link FrameImage.Kind#PREDICTION_BETA} picture; other kinds are ignored. */
    synchronized void onImage(FrameImage image) {
        if (image.kind() != FrameImage.Kind.PREDICTION_BETA) {
            return;
        }
        streams.computeIfAbsent(image.streamId(), id -> new StreamPrediction()).pending = image;
        measure(image.streamId());
    }

    /** New patches of a stream may be the x_t a waiting prediction needs. */
    synchronized void onPatches(String streamId) {
        measure(streamId);
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

    private void measure(String streamId) {
        StreamPrediction s = streams.get(streamId);
        if (s == null || s.pending == null) {
            return;
        }
        FrameImage predicted = s.pending;
        Optional<TrajectoryStore.PixelFrames> held = pixels.pixelFrames(streamId, predicted.frameIndex(), 3);
        if (held.isEmpty()) {
            return;
        }
        PatchGeometry grid = held.get().geometry();
        if (predicted.width() != grid.frameSize() || predicted.height() != grid.frameSize()) {
            s.pending = null;              // cut on another grid than the picture's: nothing to compare
            return;
        }
        float[][] patches = held.get().patches();        // x_{t-2}, x_{t-1}, x_t
        float[] extrapolated = new float[patches[1].length];
        for (int k = 0; k < extrapolated.length; k++) {
            extrapolated[k] = 2 * patches[1][k] - patches[0][k];
        }
        Map<Picture, FrameImage> pictures = new EnumMap<>(Picture.class);
        pictures.put(Picture.TARGET, picture(predicted, grid.assemble(patches[2]), FrameImage.Kind.WHITENED));
        pictures.put(Picture.BETA, predicted);
        pictures.put(Picture.COPY_LAST, picture(predicted, grid.assemble(patches[1]), FrameImage.Kind.WHITENED));
        pictures.put(Picture.PIXELS, picture(predicted, grid.assemble(extrapolated), FrameImage.Kind.WHITENED));
        if (s.latest != null && predicted.frameIndex() < s.latest.frameIndex()) {
            s.pooled.clear();                       // the stream restarted: its pool starts over
            s.frames = 0;
        }
        Map<Predictor, Double> snr = new EnumMap<>(Predictor.class);
        float[] x = pictures.get(Picture.TARGET).pixels();
        for (Predictor p : Predictor.values()) {
            double[] energies = energies(x, pictures.get(Picture.valueOf(p.name())).pixels());
            snr.put(p, snrDb(energies[0], energies[1]));
            double[] pool = s.pooled.computeIfAbsent(p, k -> new double[2]);
            pool[0] += energies[0];
            pool[1] += energies[1];
        }
        s.frames++;
        Map<Predictor, Double> pooled = new EnumMap<>(Predictor.class);
        s.pooled.forEach((p, pool) -> pooled.put(p, snrDb(pool[0], pool[1])));
        s.latest = new Snapshot(predicted.frameIndex(), Map.copyOf(snr), Map.copyOf(pooled), s.frames);
        s.pictures.clear();
        s.pictures.putAll(pictures);
        s.pending = null;
    }

    private static FrameImage picture(FrameImage like, float[] pixels, FrameImage.Kind kind) {
        return new FrameImage(like.streamId(), like.frameIndex(), kind, like.width(), like.height(), pixels);
    }

    /** ||x||^2 and ||x - y||^2, in double. */
    static double[] energies(float[] x, float[] y) {
        double signal = 0;
        double error = 0;
        for (int k = 0; k < x.length; k++) {
            double d = (double) x[k] - y[k];
            signal += (double) x[k] * x[k];
            error += d * d;
        }
        return new double[] {signal, error};
    }

    /** 10 log10(signal / error): +infinity for an exact prediction, NaN for nothing to predict. */
    static double snrDb(double signal, double error) {
        return signal == 0 ? Double.NaN : 10 * Math.log10(signal / error);
    }

    private static final class StreamPrediction {
        final Map<Predictor, double[]> pooled = new EnumMap<>(Predictor.class);
        final Map<Picture, FrameImage> pictures = new EnumMap<>(Picture.class);
        FrameImage pending;
        Snapshot latest;
        long frames;
    }
}
