package org.smtstream.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Optional;
import org.smtstream.model.Json;
import org.smtstream.model.wire.IngestFaults;
import org.smtstream.web.LiveState.StreamView;
import org.smtstream.web.LiveState.View;
import org.smtstream.web.MetricHistory.MetricPoint;

/**
 * The compact JSON of one server-sent event:
 * <pre>
 * {"selected":"cam0",
 *  "streams":[{"id":"cam0","run":0,"frames":1234,"blank":3,"frame":1233,"model":7,"fps":9.8,"latencyMs":41,
 *              "latencyP50Ms":40,"ageMs":80,"lag":2,"gaps":{"smt.metrics":0,"smt.patches":0,...},
 *              "images":{"INPUT":1230,"WHITENED":1230},
 *              "imageSnr":{"RECONSTRUCTION_ALPHA_UNWHITENED":[1230,14.2]},
 *              "faults":{"dropped":0,"corrupt":0,"outages":1,"outageMs":4200,"lost":42,"stale":0},
 *              "grid":{"frameSize":128,"patchSize":16,"stride":16,"side":8},
 *              "prediction":{"frame":1230,"frames":41,"snr":{"BETA":3.1,"COPY_LAST":6.2,"PIXELS":2.9},
 *                            "pooled":{"BETA":3.4,"COPY_LAST":6.0,"PIXELS":3.3}},
 *              "points":[[frameIndex,snrAlphaDb,snrBetaDb,activeFraction,iterations,latencyMs,
 *                         curvaturePixels,curvatureAlpha,curvatureBeta,objective],...]}],
 *  "malformed":{"smt.metrics":0,...},
 *  "dlq":{"total":3,"byReason":{"IncompatibleFrameException":3},"lastMessage":{...}},
 *  "model":{"version":12,"parent":11,"framesSeen":600,"rejectedUpdates":0,"createdAtMs":..,"note":"",
 *           "atoms":1024,"patchSize":16,"embeddingDim":64,"stats":{"snrDb":11.2,...},
 *           "points":[[version,framesSeen,snrDb,codingObjective,embeddingObjective,constraintError,
 *                      rejectedUpdates],...]}}
 * </pre>
 * {@code points} hold only what this client has not been sent, and only for the stream it follows
 * ({@code selected}; the others carry their totals for the picker and status bar). {@code run}
 * counts restarts of the stream (the page clears its charts when it changes); {@code faults} are what
 * ingest lost of the stream so far (from the newest patches record) and the frames the processor
 * skipped as stale (from the newest metrics record); {@code blank} counts the frames with nothing in
 * them (their SNRs are null); {@code imageSnr} holds, per image-space reconstruction, the frame it
 * shows and its SNR in dB against C x of that frame ({@link ImageSnr}); {@code prediction} is the
 * latest next-frame prediction measured ({@link NextFramePrediction}: per predictor the SNR in dB on
 * that frame and pooled over {@code frames} frames; an exact prediction's SNR is null, as infinite);
 * {@code lag} is -1 and {@code grid} and {@code prediction} absent while unknown; {@code model} is
 * null before the first version. Quantities a processor did not compute are null.
 *
 * <p>Every stream opens with one {@code config} event ({@link #config}), so the page keeps as much
 * history as the server and never copies those lengths:
 * <pre>
 * {"history":{"points":2000,"modelVersions":2000,"trajectoryFrames":64,"statusFrames":30}}
 * </pre>
 */
final class StateJson {

    private static final MathContext SIGNIFICANT = new MathContext(5);

    private StateJson() {
    }

    /**
     * @param points           metric points kept per stream (the charts' length)
     * @param modelVersions    model versions kept for the learning curves
     * @param trajectoryFrames frames in a trajectory path
     * @param statusFrames     recent points the status bar's rate and latency median are taken over
     */
    static String config(int points, int modelVersions, int trajectoryFrames, int statusFrames) {
        ObjectNode json = Json.object();
        json.putObject("history")
                .put("points", points)
                .put("modelVersions", modelVersions)
                .put("trajectoryFrames", trajectoryFrames)
                .put("statusFrames", statusFrames);
        return Json.write(json);
    }

    static String encode(View view, String selected, Optional<ModelSnapshot> model,
                         List<ModelState.VersionPoint> modelPoints) {
        ObjectNode json = Json.object().put("selected", selected);
        ArrayNode streams = json.putArray("streams");
        view.streams().forEach(s -> streams.add(stream(s)));
        json.set("malformed", Json.tree(view.malformed()));
        DeadLetterCounts.Snapshot dlq = view.deadLetters();
        ObjectNode deadLetters = json.putObject("dlq").put("total", dlq.total());
        deadLetters.set("byReason", Json.tree(dlq.byReason()));
        deadLetters.set("lastMessage", Json.tree(dlq.lastMessage()));
        json.set("model", model.map(m -> model(m, modelPoints)).orElse(null));
        return Json.write(json);
    }

    private static ObjectNode stream(StreamView s) {
        ObjectNode json = Json.object()
                .put("id", s.streamId())
                .put("run", s.run())
                .put("frames", s.frames())
                .put("blank", s.blankFrames())
                .put("frame", s.lastFrameIndex())
                .put("model", s.modelVersion())
                .put("fps", round(s.fps()))
                .put("latencyMs", s.latencyMs())
                .put("latencyP50Ms", s.latencyP50Ms())
                .put("ageMs", s.ageMs());
        ObjectNode images = json.putObject("images");
        s.imageFrames().forEach((kind, frameIndex) -> images.put(kind.name(), frameIndex));
        ObjectNode imageSnr = json.putObject("imageSnr");
        s.imageSnr().forEach((kind, snr) -> imageSnr.putArray(kind.name()).add(snr.frameIndex()).add(round(snr.db())));
        IngestFaults f = s.ingestFaults();
        json.putObject("faults").put("dropped", f.dropped()).put("corrupt", f.corrupt()).put("outages", f.outages())
                .put("outageMs", f.outageMs()).put("lost", f.lost()).put("stale", s.staleSkipped());
        ArrayNode points = json.putArray("points");
        for (MetricPoint p : s.newPoints()) {
            points.addArray().add(p.frameIndex()).add(round(p.snrAlphaDb())).add(round(p.snrBetaDb()))
                    .add(round(p.activeFraction())).add(p.iterations()).add(p.latencyMs())
                    .add(round(p.curvaturePixels())).add(round(p.curvatureAlpha())).add(round(p.curvatureBeta()))
                    .add(round(p.objective()));
        }
        if (s.progress() != null) {
            json.put("lag", s.progress().lagFrames());
            json.set("gaps", Json.tree(s.progress().gaps()));
        }
        if (s.grid() != null) {
            json.set("grid", TrajectoryJson.geometry(s.grid()));
        }
        if (s.prediction() != null) {
            NextFramePrediction.Snapshot p = s.prediction();
            ObjectNode prediction = json.putObject("prediction").put("frame", p.frameIndex()).put("frames", p.frames());
            ObjectNode snr = prediction.putObject("snr");
            ObjectNode pooled = prediction.putObject("pooled");
            for (NextFramePrediction.Predictor predictor : NextFramePrediction.Predictor.values()) {
                snr.put(predictor.name(), round(p.snrDb().get(predictor)));
                pooled.put(predictor.name(), round(p.pooledDb().get(predictor)));
            }
        }
        return json;
    }

    private static ObjectNode model(ModelSnapshot m, List<ModelState.VersionPoint> newPoints) {
        ObjectNode json = Json.object()
                .put("version", m.version())
                .put("parent", m.parentVersion())
                .put("framesSeen", m.framesSeen())
                .put("rejectedUpdates", m.rejectedUpdates())
                .put("createdAtMs", m.createdAtMs())
                .put("note", m.note())
                .put("atoms", m.phi().cols())
                .put("patchSize", m.patchSize())
                .put("embeddingDim", m.p() == null ? null : m.p().rows());
        ObjectNode stats = json.putObject("stats");
        m.stats().forEach((name, value) -> stats.put(name, round(value)));
        ArrayNode points = json.putArray("points");
        for (ModelState.VersionPoint p : newPoints) {
            points.addArray().add(p.version()).add(p.framesSeen()).add(round(p.snrDb()))
                    .add(round(p.codingObjective())).add(round(p.embeddingObjective()))
                    .add(round(p.constraintError())).add(p.rejectedUpdates());
        }
        return json;
    }

    /**
     * Four decimals, or five significant digits below 1 (objectives can be tiny), are more than a
     * chart can show. A NaN stays NaN, which {@link Json} writes as null.
     */
    private static double round(double value) {
        if (!Double.isFinite(value)) {
            return value;
        }
        if (Math.abs(value) >= 1 || value == 0) {
            return Math.round(value * 1e4) / 1e4;
        }
        return new BigDecimal(value).round(SIGNIFICANT).doubleValue();
    }
}
