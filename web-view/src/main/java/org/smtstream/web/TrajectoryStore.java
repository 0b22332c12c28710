package org.smtstream.web;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.smtstream.model.BlankFrame;
import org.smtstream.model.PatchGeometry;
import org.smtstream.model.wire.Embeddings;
import org.smtstream.model.wire.PatchFrame;
import org.smtstream.model.wire.SparseCodes;

/**
 * The recent frames of every patch location of every stream, in the three representations whose
 * paths the page draws: whitened pixels ({@code smt.patches}), sparse codes alpha ({@code smt.codes})
 * and embeddings beta ({@code smt.embeddings}). Streams are kept apart; locations are read out per
 * frame window (see {@link FrameWindow}).
 *
 * <p>Memory is bounded by {@code window} frames per representation and {@code maxStreams} streams.
 * At the {@code fast} preset a frame is 64 patches of 256 pixels (64 KiB), about 64 x 50 non-zero
 * codes (25 KiB) and 64 x 64 beta (16 KiB), so a 64-frame window holds about 6.6 MiB per stream and
 * 8 streams about 53 MiB; {@code seed} (36 patches of 400 pixels, f = 200) is of the same order.
 * The stream fed or read least recently is forgotten first. {@link #retainedBytes()} reports the
 * actual figure.
 *
 * <p>A blank frame ({@link BlankFrame}, recognised on {@code smt.patches}) cuts every path of its stream,
 * as it cuts inference's trajectories: the windows start over after it and its own zero codes and
 * embeddings are not kept, so no path steps to nothing and back.
 */
final class TrajectoryStore {

    /** Frames in a path: a few seconds of video, enough for a path to show its shape. */
    static final int DEFAULT_WINDOW = 64;
    static final int DEFAULT_MAX_STREAMS = 8;

    enum Representation { PIXELS, ALPHA, BETA }

    private final int window;
    private final int maxStreams;
    private final Map<String, StreamWindows> streams;

    TrajectoryStore() {
        this(DEFAULT_WINDOW, DEFAULT_MAX_STREAMS);
    }

    TrajectoryStore(int window, int maxStreams) {
        if (window < 3 || maxStreams < 1) {
            throw new IllegalArgumentException("Invalid trajectory bounds: " + window + " frames (at least 3), "
                    + maxStreams + " streams (at least 1)");
        }
        this.window = window;
        this.maxStreams = maxStreams;
        // Access order, so the least recently used stream is the eldest entry.
        this.streams = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, StreamWindows> eldest) {
                return size() > TrajectoryStore.this.maxStreams;
            }
        };
    }

    int window() {
        return window;
    }

    synchronized void onPatches(PatchFrame frame) {
        StreamWindows s = stream(frame.streamId());
        s.geometry = frame.geometry();
        if (BlankFrame.isBlank(frame.patches())) {
            s.lastBlank = frame.frameIndex();
            s.windows.values().forEach(FrameWindow::clear);
            return;
        }
        s.windows.get(Representation.PIXELS).add(frame.frameIndex(),
                new FrameWindow.DenseSlices(frame.patchDim(), frame.patches()));
    }

    synchronized void onCodes(SparseCodes codes) {
        StreamWindows s = stream(codes.streamId());
        if (codes.frameIndex() != s.lastBlank) {
            s.windows.get(Representation.ALPHA).add(codes.frameIndex(), new SparseSlices(codes));
        }
    }

    synchronized void onEmbeddings(Embeddings embeddings) {
        StreamWindows s = stream(embeddings.streamId());
        if (embeddings.frameIndex() != s.lastBlank) {
            s.windows.get(Representation.BETA).add(embeddings.frameIndex(),
                    new FrameWindow.DenseSlices(embeddings.dim(), embeddings.beta()));
        }
    }

    /** The patch grid of the stream's newest patches frame, if any was seen. */
    synchronized Optional<PatchGeometry> geometry(String streamId) {
        StreamWindows s = streams.get(streamId);
        return s == null ? Optional.empty() : Optional.ofNullable(s.geometry);
    }

    /** Location {@code location}'s recent path in one representation; empty if nothing is retained. */
    synchronized FrameWindow.Path path(String streamId, Representation representation, int location) {
        StreamWindows s = streams.get(streamId);
        return s == null ? new FrameWindow.Path(new long[0], new float[0][])
                : s.windows.get(representation).path(location);
    }

    /** Bytes held by every window of every stream. */
    synchronized long retainedBytes() {
        return streams.values().stream()
                .flatMap(s -> s.windows.values().stream())
                .mapToLong(FrameWindow::bytes)
                .sum();
    }

    synchronized int streamCount() {
        return streams.size();
    }

    private StreamWindows stream(String streamId) {
        return streams.computeIfAbsent(streamId, id -> new StreamWindows(window));
    }

    private static final class StreamWindows {
        final Map<Representation, FrameWindow> windows = new EnumMap<>(Representation.class);
        PatchGeometry geometry;
        long lastBlank = -1;

        StreamWindows(int window) {
            for (Representation r : Representation.values()) {
                windows.put(r, new FrameWindow(window));
            }
        }
    }

    /** Codes kept sparse, as they arrive; a location is made dense only when its path is read. */
    private record SparseSlices(SparseCodes codes) implements FrameWindow.Slices {
        @Override
        public int locations() {
            return codes.patchCount();
        }

        @Override
        public int dim() {
            return codes.dictionarySize();
        }

        @Override
        public float[] location(int i) {
            float[] dense = new float[codes.dictionarySize()];
            for (int k = codes.rowStart()[i]; k < codes.rowStart()[i + 1]; k++) {
                dense[codes.indices()[k]] = codes.values()[k];
            }
            return dense;
        }

        @Override
        public long bytes() {
            return 4L * (codes.rowStart().length + codes.indices().length + codes.values().length);
        }
    }
}
