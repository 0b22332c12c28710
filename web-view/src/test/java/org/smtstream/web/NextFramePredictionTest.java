package org.smtstream.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.smtstream.model.wire.FrameImage;
import org.smtstream.model.wire.FrameImage.Kind;
import org.smtstream.web.NextFramePrediction.Picture;
import org.smtstream.web.NextFramePrediction.Predictor;
import org.smtstream.web.NextFramePrediction.Snapshot;

class NextFramePredictionTest {

    private static final int SIZE = Samples.FRAME_SIZE;

    private final NextFramePrediction predictions = new NextFramePrediction();

    /** Small integers, so 2 x_{t-1} - x_{t-2} is exact in float: x_t = base + speed * t * slope. */
    private static float[] moving(long t, int speed) {
        float[] values = new float[SIZE * SIZE];
        for (int k = 0; k < values.length; k++) {
            values[k] = (k * 7) % 13 - 6 + speed * t * ((k % 3) - 1);
        }
        return values;
    }

    private static float[] extrapolated(float[] last, float[] beforeLast) {
        float[] y = new float[last.length];
        for (int k = 0; k < y.length; k++) {
            y[k] = 2 * last[k] - beforeLast[k];
        }
        return y;
    }

    private static FrameImage image(Kind kind, long t, float[] pixels) {
        return new FrameImage(Samples.STREAM, t, kind, SIZE, SIZE, pixels);
    }

    /** The four pictures of frame t of a scene, the prediction through beta being {@code beta}. */
    private static List<FrameImage> pictures(long t, int speed, float[] beta) {
        return List.of(image(Kind.PREDICTION_TARGET, t, moving(t, speed)),
                image(Kind.PREDICTION_COPY_LAST, t, moving(t - 1, speed)),
                image(Kind.PREDICTION_PIXELS, t, extrapolated(moving(t - 1, speed), moving(t - 2, speed))),
                image(Kind.PREDICTION_BETA, t, beta));
    }

    /** The SNR in double from first principles. */
    private static double snr(float[] x, float[] y) {
        double signal = 0;
        double error = 0;
        for (int k = 0; k < x.length; k++) {
            signal += x[k] * (double) x[k];
            error += (x[k] - (double) y[k]) * (x[k] - (double) y[k]);
        }
        return 10 * Math.log10(signal / error);
    }

    @Test
    void onExactLinearMotionPixelExtrapolationIsExactAndCopyLastIsNot() {
        float[] guess = moving(1, 2);                            // through beta: as if two frames late
        List<FrameImage> four = pictures(3, 2, guess);
        four.subList(0, 3).forEach(predictions::onImage);
        assertTrue(predictions.snapshot(Samples.STREAM).isEmpty(), "three of four pictures: not yet measured");
        predictions.onImage(four.get(3));

        Snapshot s = predictions.snapshot(Samples.STREAM).orElseThrow();
        assertEquals(3, s.frameIndex());
        assertEquals(1, s.frames());
        assertEquals(Double.POSITIVE_INFINITY, s.snrDb().get(Predictor.PIXELS), "2 x_2 - x_1 = x_3 exactly");
        assertEquals(snr(moving(3, 2), moving(2, 2)), s.snrDb().get(Predictor.COPY_LAST), 1e-9);
        assertTrue(Double.isFinite(s.snrDb().get(Predictor.COPY_LAST)), "copy-last misses the motion");
        assertEquals(snr(moving(3, 2), guess), s.snrDb().get(Predictor.BETA), 1e-9);
        assertEquals(s.snrDb(), s.pooledDb(), "one frame: the pool is that frame");
        assertArrayEquals(moving(3, 2), predictions.picture(Samples.STREAM, Picture.TARGET).orElseThrow().pixels());
        assertArrayEquals(guess, predictions.picture(Samples.STREAM, Picture.BETA).orElseThrow().pixels());
    }

    @Test
    void onAStaticSceneCopyLastIsExactAndThePoolSumsEnergiesOverFrames() {
        float[] x = moving(0, 0);
        float[] off3 = x.clone();
        off3[5] += 1;
        float[] off4 = x.clone();
        off4[9] -= 3;
        off4[10] += 2;
        pictures(3, 0, off3).forEach(predictions::onImage);
        pictures(4, 0, off4).forEach(predictions::onImage);
        pictures(4, 0, off4).forEach(predictions::onImage);                 // delivered again: counted once
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
    void anIncompleteFrameIsDroppedByANewerOneAndARestartStartsThePoolOver() {
        List<FrameImage> five = pictures(5, 1, new float[SIZE * SIZE]);
        five.subList(0, 2).forEach(predictions::onImage);                   // frame 5 loses two pictures
        List<FrameImage> six = pictures(6, 1, moving(6, 1));
        predictions.onImage(six.get(0));
        predictions.onImage(five.get(2));
        predictions.onImage(five.get(3));
        assertEquals(Optional.empty(), predictions.snapshot(Samples.STREAM), "no frame has its four pictures");
        pictures(7, 1, new float[SIZE * SIZE]).forEach(predictions::onImage);
        pictures(8, 1, new float[SIZE * SIZE]).forEach(predictions::onImage);
        assertEquals(2, predictions.snapshot(Samples.STREAM).orElseThrow().frames());

        pictures(2, 1, new float[SIZE * SIZE]).forEach(predictions::onImage);      // a replay from the start
        Snapshot s = predictions.snapshot(Samples.STREAM).orElseThrow();
        assertEquals(2, s.frameIndex());
        assertEquals(1, s.frames(), "the pool starts over");
        assertEquals(0.0, s.snrDb().get(Predictor.BETA), 1e-12, "predicting zero: the error is the signal");
    }

    @Test
    void theStateJsonCarriesEachPredictorsSnrAndPool() {
        LiveState state = new LiveState(100);
        float[] x1 = moving(1, 2);
        pictures(2, 2, x1).forEach(state::onImage);
        JsonObject stream = new JsonObject(StateJson.encode(state.view(Map.of()), Samples.STREAM, Optional.empty(),
                List.of())).getJsonArray("streams").getJsonObject(0);
        JsonObject prediction = stream.getJsonObject("prediction");
        assertEquals(2L, prediction.getLong("frame"));
        assertEquals(1L, prediction.getLong("frames"));
        double copyLast = snr(moving(2, 2), x1);
        assertEquals(copyLast, prediction.getJsonObject("snr").getDouble("COPY_LAST"), 1e-4);
        assertEquals(copyLast, prediction.getJsonObject("snr").getDouble("BETA"), 1e-4, "it sent x_1");
        assertTrue(prediction.getJsonObject("snr").containsKey("PIXELS")
                && prediction.getJsonObject("snr").getValue("PIXELS") == null, "exact: infinite, written as null");
        assertEquals(copyLast, prediction.getJsonObject("pooled").getDouble("COPY_LAST"), 1e-4);
        assertEquals(x1.length, state.predictions().picture(Samples.STREAM, Picture.BETA).orElseThrow()
                .pixels().length);
    }
}
