package org.smtstream.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.smtstream.web.LiveState.StreamView;
import org.smtstream.web.LiveState.View;
import org.smtstream.web.MetricHistory.MetricPoint;

/**
 * The compact JSON of one server-sent event:
 * <pre>
 * {"streams":[{"id":"cam0","run":0,"frames":1234,"frame":1233,"model":7,"fps":9.8,"latencyMs":41,
 *              "ageMs":80,"images":{"INPUT":1230,"WHITENED":1230},
 *              "points":[[frameIndex,snrAlphaDb,snrBetaDb,activeFraction,iterations,latencyMs],...]}],
 *  "malformed":{"smt.metrics":0,"smt.preview":0}}
 * </pre>
 * {@code points} holds only what this client has not been sent; {@code run} counts restarts of the
 * stream (the page clears its chart when it changes). Quantities a processor did not compute are null.
 */
final class StateJson {

    private StateJson() {
    }

    static String encode(View view) {
        JsonArray streams = new JsonArray();
        view.streams().forEach(s -> streams.add(stream(s)));
        return new JsonObject()
                .put("streams", streams)
                .put("malformed", new JsonObject(Map.copyOf(view.malformed())))
                .encode();
    }

    private static JsonObject stream(StreamView s) {
        JsonObject images = new JsonObject();
        s.imageFrames().forEach((kind, frameIndex) -> images.put(kind.name(), frameIndex));
        JsonArray points = new JsonArray();
        for (MetricPoint p : s.newPoints()) {
            points.add(new JsonArray().add(p.frameIndex()).add(round(p.snrAlphaDb())).add(round(p.snrBetaDb()))
                    .add(round(p.activeFraction())).add(p.iterations()).add(p.latencyMs()));
        }
        return new JsonObject()
                .put("id", s.streamId())
                .put("run", s.run())
                .put("frames", s.frames())
                .put("frame", s.lastFrameIndex())
                .put("model", s.modelVersion())
                .put("fps", round(s.fps()))
                .put("latencyMs", s.latencyMs())
                .put("ageMs", s.ageMs())
                .put("images", images)
                .put("points", points);
    }

    /** Four decimals are more than a chart can show; JSON has no NaN, so it becomes null. */
    private static Double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 1e4) / 1e4 : null;
    }
}
