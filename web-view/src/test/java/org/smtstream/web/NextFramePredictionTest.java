package org.smtstream.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.smtstream.model.PatchGeometry;
import org.smtstream.model.wire.FrameImage;
import org.smtstream.model.wire.FrameImage.Kind;
import org.smtstream.model.wire.PatchFrame;
import org.smtstream.web.NextFramePrediction.Picture;
import org.smtstream.web.NextFramePrediction.Predictor;
import org.smtstream.web.NextFramePrediction.Snapshot;

class NextFramePredictionTest {

    private static final PatchGeometry GRID = new PatchGeometry(Samples.FRAME_SIZE, Samples.PATCH_SIZE,
            Samples.PATCH_SIZE);
    private static final int VALUES = Samples.LOCATIONS * Samples.PATCH_DIM;

    private final TrajectoryStore store = new TrajectoryStore();
    private final NextFramePrediction predictions = new NextFramePrediction(store);

    /** Small integers, so 2 x_{t-1} - x_{t-2} is exact in float: x_t = base + speed * t. */
    private static PatchFrame moving(long t, int speed) {
        float[] values = new float[VALUES];
        for (int k = 0; k < values.length; k++) {
            values[k] = (k * 7) % 13 - 6 + speed * t * ((k % 3) - 1);
        }
        return new PatchFrame(Samples.STREAM, t, 0, Samples.FRAME_SIZE, Samples.PATCH_SIZE, Samples.PATCH_SIZE,
                values);
    }

    private static FrameImage prediction(long t, float[] pixels) {
        return new FrameImage(Samples.STREAM, t, Kind.PREDICTION_BETA, Samples.FRAME_SIZE, Samples.FRAME_SIZE,
                pixels);
    }

    /** The SNR in double from first principles, for the assembled frames. */
    private static double snr(float[] x, float[] y) {
        double signal = 0;
        double error = 0;
        for (int k = 0; k < x.length; k++) {
            signal += x[k] * (double) x[k];
            error += (x[k] - (double) y[k]) * (x[k] - (double) y[k]);
        }
        return 10 * Math.log10(signal / error);
    }

    private void feed(PatchFrame frame) {
        store.onPatches(frame);
        predictions.onPatches(frame.streamId());
    }

    @Test
    void onExactLinearMotionPixelExtrapolationIsExactAndCopyLastIsNot() {
        for (long t = 0; t < 3; t++) {
            feed(moving(t, 2));
        }
        float[] x3 = GRID.assemble(moving(3, 2).patches());
        float[] x2 = GRID.assemble(moving(2, 2).patches());
        float[] guess = GRID.assemble(moving(1, 2).patches());        // through beta: as if two frames late
        predictions.onImage(prediction(3, guess));
        assertTrue(predictions.snapshot(Samples.STREAM).isEmpty(), "x_3 not yet seen: the prediction waits");

        feed(moving(3, 2));
        Snapshot s = predictions.snapshot(Samples.STREAM).orElseThrow();
        assertEquals(3, s.frameIndex());
        assertEquals(1, s.frames());
        assertEquals(Double.POSITIVE_INFINITY, s.snrDb().get(Predictor.PIXELS), "2 x_2 - x_1 = x_3 exactly");
        assertEquals(snr(x3, x2), s.snrDb().get(Predictor.COPY_LAST), 1e-9);
        assertTrue(Double.isFinite(s.snrDb().get(Predictor.COPY_LAST)), "copy-last misses the motion");
        assertEquals(snr(x3, guess), s.snrDb().get(Predictor.BETA), 1e-9);
        assertEquals(s.snrDb(), s.pooledDb(), "one frame: the pool is that frame");
        assertArrayEquals(x3, predictions.picture(Samples.STREAM, Picture.TARGET).orElseThrow().pixels());
        assertArrayEquals(x2, predictions.picture(Samples.STREAM, Picture.COPY_LAST).orElseThrow().pixels());
        assertArrayEquals(x3, predictions.picture(Samples.STREAM, Picture.PIXELS).orElseThrow().pixels());
        assertArrayEquals(guess, predictions.picture(Samples.STREAM, Picture.BETA).orElseThrow().pixels());
    }

    @Test
    void onAStaticSceneCopyLastIsExactAndThePoolSumsEnergiesOverFrames() {
        for (long t = 0; t < 5; t++) {
            feed(moving(t, 0));
        }
        float[] x = GRID.assemble(moving(0, 0).patches());
        float[] off3 = x.clone();
        off3[5] += 1;
        float[] off4 = x.clone();
        off4[9] -= 3;
        off4[10] += 2;
        predictions.onImage(prediction(3, off3));
        predictions.onImage(prediction(4, off4));
        Snapshot s = predictions.snapshot(Samples.STREAM).orElseThrow();
        assertEquals(4, s.frameIndex());
        assertEquals(2, s.frames());
        assertEquals(Double.POSITIVE_INFINITY, s.snrDb().get(Predictor.COPY_LAST));
        assertEquals(Double.POSITIVE_INFINITY, s.pooledDb().get(Predictor.COPY_LAST));
        double signal = 0;
        for (float v : x) {
            signal += v * (double) v;
        }
        assertEquals(snr(x, off4), s.snrDb().get(Predictor.BETA), 1e-9);
        assertEquals(10 * Math.log10(2 * signal / (1 + 9 + 4)), s.pooledDb().get(Predictor.BETA), 1e-9,
                "pooled: both frames' energies summed before the ratio");
    }

    @Test
    void aBlankFrameBetweenLeavesNothingToMeasureAndTheNextPredictionReplacesIt() {
        feed(moving(0, 1));
        feed(new PatchFrame(Samples.STREAM, 1, 0, Samples.FRAME_SIZE, Samples.PATCH_SIZE, Samples.PATCH_SIZE,
                new float[VALUES]));
        feed(moving(2, 1));
        predictions.onImage(prediction(2, new float[VALUES]));
        assertEquals(Optional.empty(), predictions.snapshot(Samples.STREAM), "x_1 was blank: no x_{t-1}");
        feed(moving(3, 1));
        feed(moving(4, 1));
        assertEquals(Optional.empty(), predictions.snapshot(Samples.STREAM), "frame 2 can never be measured");
        predictions.onImage(prediction(4, new float[VALUES]));
        Snapshot s = predictions.snapshot(Samples.STREAM).orElseThrow();
        assertEquals(4, s.frameIndex());
        assertEquals(1, s.frames());
        assertEquals(0.0, s.snrDb().get(Predictor.BETA), 1e-12, "predicting zero: the error is the signal");
    }

    @Test
    void theStateJsonCarriesEachPredictorsSnrAndPool() {
        LiveState state = new LiveState(100);
        for (long t = 0; t < 3; t++) {
            state.onPatches(moving(t, 2));
        }
        float[] x1 = GRID.assemble(moving(1, 2).patches());
        state.onImage(prediction(2, x1));
        JsonObject stream = new JsonObject(StateJson.encode(state.view(Map.of()), Samples.STREAM, Optional.empty(),
                List.of())).getJsonArray("streams").getJsonObject(0);
        JsonObject prediction = stream.getJsonObject("prediction");
        assertEquals(2L, prediction.getLong("frame"));
        assertEquals(1L, prediction.getLong("frames"));
        double copyLast = snr(GRID.assemble(moving(2, 2).patches()), x1);
        assertEquals(copyLast, prediction.getJsonObject("snr").getDouble("COPY_LAST"), 1e-4);
        assertEquals(copyLast, prediction.getJsonObject("snr").getDouble("BETA"), 1e-4, "it sent x_1");
        assertTrue(prediction.getJsonObject("snr").containsKey("PIXELS")
                && prediction.getJsonObject("snr").getValue("PIXELS") == null, "exact: infinite, written as null");
        assertEquals(copyLast, prediction.getJsonObject("pooled").getDouble("COPY_LAST"), 1e-4);
        assertEquals(x1.length, state.predictions().picture(Samples.STREAM, Picture.BETA).orElseThrow()
                .pixels().length);
    }
}
