package org.smtstream.web;

import java.util.Map;
import org.smtstream.model.FloatMatrix;
import org.smtstream.model.Needles;
import org.smtstream.model.wire.Embeddings;
import org.smtstream.model.wire.FrameImage;
import org.smtstream.model.wire.FrameMetrics;
import org.smtstream.model.wire.PatchFrame;
import org.smtstream.model.wire.SparseCodes;

/** Records as the pipeline would publish them, with values the tests can recognise. */
final class Samples {

    static final String STREAM = "cam0";
    /** Capture to processed time of every {@link #metrics} record. */
    static final long LATENCY_MS = 40;
    /** Processor time between frames of {@link #metrics}: 10 fps. */
    static final long FRAME_INTERVAL_MS = 100;

    /** Geometry of the per-frame samples: 8 x 8 frames of 4 x 4 patches, stride 4, so 2 x 2 = 4 locations. */
    static final int FRAME_SIZE = 8;
    static final int PATCH_SIZE = 4;
    static final int LOCATIONS = 4;
    static final int PATCH_DIM = PATCH_SIZE * PATCH_SIZE;
    static final int ATOMS = 6;
    static final int EMBEDDING_DIM = 3;

    private Samples() {
    }

    static FrameMetrics metrics(String streamId, long frameIndex, double snrAlphaDb) {
        long captured = 1_000_000 + FRAME_INTERVAL_MS * frameIndex;
        return new FrameMetrics(streamId, frameIndex, captured, captured + LATENCY_MS, 7, snrAlphaDb,
                snrAlphaDb - 3, 0.05, 25, 0.5, Double.NaN, Double.NaN, Double.NaN, 0);
    }

    /** A picture whose values rise linearly from {@code from} (left column) to {@code to} (right). */
    static FrameImage horizontalGradient(FrameImage.Kind kind, int width, int height, float from, float to) {
        float[] pixels = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                pixels[y * width + x] = from + (to - from) * x / (width - 1);
            }
        }
        return new FrameImage(STREAM, 12, kind, width, height, pixels);
    }

    /**
     * Whitened patches whose values name where they come from: every pixel of location i in frame t
     * is {@code 1000 * i + t} plus a small ramp over the pixel, so a mixed-up window shows.
     */
    static PatchFrame patches(String streamId, long frameIndex) {
        float[] values = new float[LOCATIONS * PATCH_DIM];
        for (int i = 0; i < LOCATIONS; i++) {
            for (int k = 0; k < PATCH_DIM; k++) {
                values[i * PATCH_DIM + k] = pixel(i, frameIndex, k);
            }
        }
        return new PatchFrame(streamId, frameIndex, 0, FRAME_SIZE, PATCH_SIZE, PATCH_SIZE, values);
    }

    static float pixel(int location, long frameIndex, int k) {
        return 1000f * location + frameIndex + 0.01f * k;
    }

    /** Location i uses atom i % ATOMS with value t + 1 (frame t), and nothing else. */
    static SparseCodes codes(String streamId, long frameIndex) {
        float[] dense = new float[LOCATIONS * ATOMS];
        for (int i = 0; i < LOCATIONS; i++) {
            dense[i * ATOMS + i % ATOMS] = frameIndex + 1;
        }
        return SparseCodes.fromDense(streamId, frameIndex, 7, ATOMS, dense);
    }

    /** Location i's beta is (i, t, -t) at frame t. */
    static Embeddings embeddings(String streamId, long frameIndex) {
        float[] beta = new float[LOCATIONS * EMBEDDING_DIM];
        for (int i = 0; i < LOCATIONS; i++) {
            beta[i * EMBEDDING_DIM] = i;
            beta[i * EMBEDDING_DIM + 1] = frameIndex;
            beta[i * EMBEDDING_DIM + 2] = -frameIndex;
        }
        return new Embeddings(streamId, frameIndex, 7, EMBEDDING_DIM, beta);
    }

    /**
     * A model version with a recognisable dictionary (atom j is the patch whose pixel j is 1, the rest
     * 0) and an embedding in which atoms 0 and 1 point the same way, 2 nearly so, the others elsewhere;
     * its learner learned 100 frames per version of the 125 per version that reached it, all of {@link #STREAM}.
     */
    /** Atom j's needle is centred on its one lit pixel j, at 30 j degrees, 2 pixels long; atom 5 has none. */
    static Needles needles() {
        double[] row = new double[ATOMS];
        double[] col = new double[ATOMS];
        double[] angle = new double[ATOMS];
        double[] length = new double[ATOMS];
        double[] quality = new double[ATOMS];
        for (int j = 0; j < ATOMS - 1; j++) {
            row[j] = j / PATCH_SIZE;
            col[j] = j % PATCH_SIZE;
            angle[j] = 30 * j;
            length[j] = 2;
            quality[j] = 0.9;
        }
        return Needles.of(row, col, angle, length, quality);
    }

    static ModelSnapshot model(long version) {
        int n = PATCH_DIM;
        float[] phi = new float[n * ATOMS];
        for (int j = 0; j < ATOMS; j++) {
            phi[j * ATOMS + j] = 1;
        }
        float[] p = {
            1, 2, 1, 0, 0, -1,
            0, 0, 0.2f, 1, 0, 0,
            0, 0, 0, 0, 1, 0};
        float[] activity = {0.5f, 0.1f, 0.1f, 0.9f, 0.2f, 0.05f};
        return new ModelSnapshot(version, PATCH_SIZE, new FloatMatrix(n, ATOMS, phi),
                new FloatMatrix(EMBEDDING_DIM, ATOMS, p), activity, needles(), version - 1,
                1_700_000_000_000L + version, 100 * version, 2, "", Map.of(ModelSnapshot.SNR_DB, 10.0 + version,
                        ModelSnapshot.EMBEDDING_OBJECTIVE, 0.25, ModelSnapshot.CONSTRAINT_ERROR, 1e-3,
                        ModelSnapshot.FRAMES_ARRIVED, 125.0 * version, ModelSnapshot.FRAMES_LEARNED, 100.0 * version,
                        ModelSnapshot.LEARNED_SHARE, 0.8,
                        ModelSnapshot.FRAMES_ARRIVED + ModelSnapshot.PER_STREAM + STREAM, 125.0 * version,
                        ModelSnapshot.FRAMES_LEARNED + ModelSnapshot.PER_STREAM + STREAM, 100.0 * version));
    }
}
