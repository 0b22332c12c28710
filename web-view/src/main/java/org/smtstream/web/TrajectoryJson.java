package org.smtstream.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.smtstream.model.Json;
import org.smtstream.model.PatchGeometry;
import org.smtstream.model.TurningAngles;
import org.smtstream.web.TrajectoryStore.Representation;

/**
 * The recent paths of one patch location, each representation projected onto its own window's
 * principal axes:
 * <pre>
 * {"stream":"cam0","patch":27,"window":64,
 *  "geometry":{"frameSize":128,"patchSize":16,"stride":16,"side":8},
 *  "paths":{"PIXELS":{"frames":[..],"points":[[x,y],..],"explained":[0.41,0.22],
 *                     "angles":[[frame,deg],..],"curvatureDeg":97.3},
 *           "ALPHA":{..},"BETA":{..}}}
 * </pre>
 * A representation with no retained frames has empty arrays and a null curvature. Curvature is of
 * the full vectors (see {@link TurningAngles}); the projection is only for drawing. {@code angles}
 * is the patch's curvature over time: the turning angle at each retained frame between its two
 * neighbours in the window (step 1, null where the patch stood still), and {@code curvatureDeg} their
 * mean.
 */
final class TrajectoryJson {

    static final int MAX_DIMS = 3;

    private TrajectoryJson() {
    }

    static String encode(TrajectoryStore store, String streamId, int location, int dims) {
        if (dims < 2 || dims > MAX_DIMS) {
            throw new IllegalArgumentException("Invalid projection dimension: " + dims + " (2 or 3)");
        }
        ObjectNode json = Json.object()
                .put("stream", streamId)
                .put("patch", location)
                .put("window", store.window());
        ObjectNode paths = json.putObject("paths");
        for (Representation r : Representation.values()) {
            paths.set(r.name(), path(store.path(streamId, r, location), dims));
        }
        store.geometry(streamId).ifPresent(g -> json.set("geometry", geometry(g)));
        return Json.write(json);
    }

    /** The patch grid as the page reads it: it takes the side from here rather than working it out. */
    static ObjectNode geometry(PatchGeometry g) {
        return Json.object().put("frameSize", g.frameSize()).put("patchSize", g.patchSize())
                .put("stride", g.stride()).put("side", g.side());
    }

    private static ObjectNode path(FrameWindow.Path path, int dims) {
        PcaProjection.Projection projection = PcaProjection.project(path.points(), dims);
        ObjectNode json = Json.object();
        ArrayNode frames = json.putArray("frames");
        for (long f : path.frames()) {
            frames.add(f);
        }
        ArrayNode points = json.putArray("points");
        for (double[] row : projection.coordinates()) {
            ArrayNode point = points.addArray();
            for (double v : row) {
                // Float precision is plenty for a plot and halves the text.
                point.add((float) v);
            }
        }
        ArrayNode explained = json.putArray("explained");
        for (double e : projection.explained()) {
            explained.add((float) e);
        }
        double[] angles = TurningAngles.alongPath(path.points(), 1);
        ArrayNode turns = json.putArray("angles");
        for (int t = 0; t < angles.length; t++) {
            turns.addArray().add(path.frames()[t + 1]).add(rounded(angles[t]));
        }
        return json.put("curvatureDeg", rounded(TurningAngles.mean(angles).meanDegrees()));
    }

    /** Degrees to a tenth, which is what a chart shows; NaN stays NaN (null in the JSON). */
    private static double rounded(double degrees) {
        return Double.isFinite(degrees) ? Math.round(degrees * 10) / 10.0 : degrees;
    }
}
